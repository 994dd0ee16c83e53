package io.usher.okta;

import io.usher.core.http.Sleeper;
import io.usher.core.http.Throttle;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paces the connector by Okta's rate limits. Okta counts requests per bucket (an endpoint family such as
 * {@code /api/v1/users}) per minute and reports, on every answer, {@code X-Rate-Limit-Limit},
 * {@code X-Rate-Limit-Remaining} and {@code X-Rate-Limit-Reset} (epoch seconds when the window starts over);
 * past the limit it answers 429 {@code E0000047}. The governor remembers each bucket's last report and, before
 * a request:
 * <ul>
 *   <li>waits until the reset when the bucket's use has reached {@code share × limit} (Okta lets one app take 50%
 *       of a bucket by default, so the connector never takes more than its share, leaving the rest to the org);
 *   <li>slows down before that point: once fewer than a tenth of its allowance is left, it spreads the remaining
 *       requests evenly over the time to the reset instead of spending them at once.
 * </ul>
 * On a 429 it names the wait as the time until {@code X-Rate-Limit-Reset} (Okta sends no {@code Retry-After}).
 * Time and waiting are injected, so tests never sleep.
 *
 * <p>Thread-safe.
 */
final class RateGovernor implements Throttle {
    private static final Logger LOG = LoggerFactory.getLogger(RateGovernor.class);

    private final double share;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Map<String, Bucket> buckets = new HashMap<>();
    private final AtomicLong waited = new AtomicLong();
    private final AtomicLong waits = new AtomicLong();

    private static final class Bucket {
        int limit;
        int remaining;
        long reset;
        int sentSinceReport;
    }

    RateGovernor(double share, Clock clock, Sleeper sleeper) {
        this.share = share;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Okta's buckets, roughly: users, groups (with members), the System Log, everything else. */
    static String bucketOf(URI uri) {
        String p = uri.getPath() == null ? "" : uri.getPath();
        if (p.startsWith("/api/v1/users")) return "users";
        if (p.startsWith("/api/v1/groups")) return "groups";
        if (p.startsWith("/api/v1/logs")) return "logs";
        return "other";
    }

    @Override
    public void beforeSend(String method, URI uri) throws InterruptedException {
        String name = bucketOf(uri);
        Duration wait;
        synchronized (this) {
            Bucket b = buckets.get(name);
            wait = b == null ? Duration.ZERO : waitFor(b);
            if (b != null) {
                b.sentSinceReport++;
            }
        }
        if (!wait.isZero()) {
            waits.incrementAndGet();
            waited.addAndGet(wait.toMillis());
            LOG.debug("Okta rate limit ({} bucket): waiting {} ms", name, wait.toMillis());
            sleeper.sleep(wait);
        }
    }

    private Duration waitFor(Bucket b) {
        Instant now = clock.instant();
        Instant reset = Instant.ofEpochSecond(b.reset);
        if (!now.isBefore(reset)) {
            return Duration.ZERO; // a new window: the old report says nothing
        }
        int allowed = Math.max(1, (int) Math.floor(b.limit * share));
        int used = b.limit - b.remaining + b.sentSinceReport;
        int left = allowed - used;
        Duration toReset = Duration.between(now, reset);
        if (left <= 0) {
            b.remaining = b.limit; // after the wait the window starts over
            b.sentSinceReport = 0;
            b.reset = 0;
            return toReset;
        }
        int slowBelow = Math.max(1, allowed / 10);
        if (left <= slowBelow) {
            return toReset.dividedBy(left + 1);
        }
        return Duration.ZERO;
    }

    @Override
    public void afterResponse(String method, URI uri, int status, HttpHeaders headers) {
        Optional<Long> limit = number(headers, "X-Rate-Limit-Limit");
        Optional<Long> remaining = number(headers, "X-Rate-Limit-Remaining");
        Optional<Long> reset = number(headers, "X-Rate-Limit-Reset");
        if (limit.isEmpty() || remaining.isEmpty() || reset.isEmpty() || limit.get() < 1) {
            return;
        }
        synchronized (this) {
            Bucket b = buckets.computeIfAbsent(bucketOf(uri), k -> new Bucket());
            b.limit = (int) Math.min(limit.get(), Integer.MAX_VALUE);
            b.remaining = (int) Math.max(0, Math.min(remaining.get(), b.limit));
            b.reset = reset.get();
            b.sentSinceReport = 0;
        }
    }

    @Override
    public Optional<Duration> retryWait(int status, HttpHeaders headers) {
        if (status != 429) {
            return Optional.empty();
        }
        Optional<Long> reset = number(headers, "X-Rate-Limit-Reset");
        if (reset.isEmpty()) {
            return Optional.empty();
        }
        Duration d = Duration.between(clock.instant(), Instant.ofEpochSecond(reset.get()));
        // Okta's reset has one-second precision: a moment past it, never a negative or zero wait
        return Optional.of(d.isNegative() || d.isZero() ? Duration.ofSeconds(1) : d.plusMillis(250));
    }

    private static Optional<Long> number(HttpHeaders h, String name) {
        Optional<String> v = h.firstValue(name);
        if (v.isEmpty() || v.get().length() > 18 || !v.get().trim().matches("[0-9]+")) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(v.get().trim()));
    }

    /** Total time spent waiting for the rate limit so far. */
    Duration waited() {
        return Duration.ofMillis(waited.get());
    }

    /** How many times the governor waited. */
    long waits() {
        return waits.get();
    }
}
