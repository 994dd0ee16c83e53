package io.usher.scim;

import java.time.Duration;
import java.util.Objects;

/**
 * A per-caller rate limit for the SCIM endpoints: a token bucket per {@link ScimCaller#id()} (per token)
 * holding at most {@code burst} requests, refilled at {@code requests} per {@code per}. A request that finds
 * the bucket empty is 429 with a SCIM Error body and {@code Retry-After} (whole seconds until one request is
 * available again, rounded up), and is not run. Each token has its own bucket, so one identity provider
 * retrying in a loop does not slow another down. Every authenticated request costs one, a Bulk request too
 * (its size is bounded by {@code maxBulkOperations}); refused logins cost nothing (they never reach a bucket).
 *
 * <pre>{@code
 * RateLimit.of(100, 600, Duration.ofMinutes(1))   // bursts of 100, then 10 requests a second
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param burst the bucket's size: requests a rested client may make at once (1 to 10,000)
 * @param requests how many requests are refilled per {@code per} (1 to 1,000,000)
 * @param per the refill period (1 ms to 1 day)
 */
public record RateLimit(int burst, int requests, Duration per) {
    public RateLimit {
        Objects.requireNonNull(per, "per");
        if (burst < 1 || burst > 10_000) {
            throw new IllegalArgumentException("rate limit burst must be between 1 and 10000, not " + burst);
        }
        if (requests < 1 || requests > 1_000_000) {
            throw new IllegalArgumentException("rate limit requests must be between 1 and 1000000, not " + requests);
        }
        if (per.compareTo(Duration.ofMillis(1)) < 0 || per.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("rate limit period must be between 1 ms and 1 day, not " + per);
        }
    }

    /** A bucket of {@code burst} requests refilled at {@code requests} per {@code per}. */
    public static RateLimit of(int burst, int requests, Duration per) {
        return new RateLimit(burst, requests, per);
    }
}
