package io.usher.scim.internal;

import io.usher.scim.RateLimit;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per key (a caller id) for a {@link RateLimit}, in exact integer arithmetic: a request costs
 * {@code per} (in nanoseconds) units, every elapsed nanosecond refills {@code requests} units, a bucket holds at
 * most {@code burst} requests' worth. Time comes from the injected clock (tests move it by hand); a clock that
 * goes backwards refills nothing until it has caught up. Buckets that are full are dropped when there are many,
 * so memory stays bounded by the number of active callers.
 *
 * <p>Thread-safe.
 */
public final class TokenBuckets {
    private static final int TIDY_ABOVE = 10_000;

    private final long cost;
    private final long rate;
    private final long capacity;
    private final Clock clock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public TokenBuckets(RateLimit limit, Clock clock) {
        this.cost = limit.per().toNanos();
        this.rate = limit.requests();
        this.capacity = cost * limit.burst();
        this.clock = clock;
    }

    private final class Bucket {
        private long units = capacity;
        private long last;

        Bucket(long now) {
            last = now;
        }

        private void refill(long now) {
            if (now <= last) {
                return;
            }
            long elapsed = now - last;
            last = now;
            long missing = capacity - units;
            // elapsed * rate may overflow; compare against what is missing first
            if (elapsed >= (missing + rate - 1) / rate) {
                units = capacity;
            } else {
                units += elapsed * rate;
            }
        }

        synchronized long take(long now) {
            refill(now);
            if (units >= cost) {
                units -= cost;
                return 0;
            }
            long waitNanos = (cost - units + rate - 1) / rate;
            return Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        }

        synchronized boolean fullAt(long now) {
            refill(now);
            return units == capacity;
        }
    }

    /**
     * Takes one request from {@code key}'s bucket: 0 when the request may proceed, otherwise the whole seconds
     * (at least 1, rounded up) until the bucket holds one request again.
     */
    public long acquire(String key) {
        long now = nanos(clock.instant());
        if (buckets.size() > TIDY_ABOVE) {
            buckets.entrySet().removeIf(e -> e.getValue().fullAt(now));
        }
        return buckets.computeIfAbsent(key, k -> new Bucket(now)).take(now);
    }

    private static long nanos(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
    }
}
