package io.usher.core.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * When and how long a {@link RestClient} waits before trying a request again.
 *
 * <p>A response whose status is in {@link #retryStatuses()} (by default {@code 429}, {@code 503},
 * {@code 504}), and a request that got no response at all (connection refused or reset, timeout, a body that
 * broke off), is tried again, up to {@link #maxAttempts()} tries in all. The wait before retry {@code n}
 * (1, 2, …) is the server's {@code Retry-After} when it sent one (refused as too long beyond
 * {@link #maxRetryAfter()}); otherwise an "equal jitter" backoff: half of
 * {@code min(maxDelay, baseDelay·2^(n-1))} plus a random share of the other half, so that many clients
 * throttled together do not come back together.
 *
 * <p>Immutable and thread-safe.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter,
                          Set<Integer> retryStatuses) {

    /** 6 attempts, 500 ms doubling to at most 30 s, {@code Retry-After} honoured up to 5 minutes. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(30),
            Duration.ofMinutes(5), Set.of(429, 503, 504));

    /** One attempt, no retries. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO, Set.of());

    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("maxAttempts must be between 1 and 100, was " + maxAttempts);
        }
        requireNotNegative(baseDelay, "baseDelay");
        requireNotNegative(maxDelay, "maxDelay");
        requireNotNegative(maxRetryAfter, "maxRetryAfter");
        if (maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("maxDelay must not be below baseDelay");
        }
        retryStatuses = Set.copyOf(Objects.requireNonNull(retryStatuses, "retryStatuses"));
        for (int s : retryStatuses) {
            if (s < 400 || s > 599) {
                throw new IllegalArgumentException("retryStatuses must be 4xx or 5xx statuses, not " + s);
            }
        }
    }

    private static void requireNotNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
    }

    /** This policy with another number of attempts. */
    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, baseDelay, maxDelay, maxRetryAfter, retryStatuses);
    }

    /** This policy with another backoff. */
    public RetryPolicy withBackoff(Duration base, Duration max) {
        return new RetryPolicy(maxAttempts, base, max, maxRetryAfter, retryStatuses);
    }

    /** Whether a response with this status is worth trying again. */
    public boolean retries(int status) {
        return retryStatuses.contains(status);
    }

    /**
     * The backoff before retry {@code retry} (1-based) when the server named no wait.
     *
     * @param random a number in {@code [0, 1)} for the jitter
     */
    public Duration backoff(int retry, double random) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry must be at least 1");
        }
        long base = baseDelay.toMillis();
        long max = maxDelay.toMillis();
        long cap = retry > 40 ? max : Math.min(max, base * (1L << (retry - 1)));
        if (cap < 0) {
            cap = max;
        }
        long half = cap / 2;
        return Duration.ofMillis(half + (long) ((cap - half) * Math.max(0, Math.min(random, 1))));
    }
}
