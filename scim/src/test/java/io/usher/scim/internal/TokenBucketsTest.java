package io.usher.scim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.scim.RateLimit;
import io.usher.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The token bucket on a clock moved by hand: no sleeping. */
class TokenBucketsTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-29T10:00:00Z"));

    @Test
    void aBurstThenOneRequestPerRefillAndRetryAfterRoundedUp() {
        TokenBuckets b = new TokenBuckets(RateLimit.of(3, 1, Duration.ofSeconds(2)), clock);
        assertThat(b.acquire("a")).isZero();
        assertThat(b.acquire("a")).isZero();
        assertThat(b.acquire("a")).isZero();
        assertThat(b.acquire("a")).isEqualTo(2);
        clock.advance(Duration.ofMillis(500));
        assertThat(b.acquire("a")).as("1.5 s left, rounded up").isEqualTo(2);
        clock.advance(Duration.ofMillis(600));
        assertThat(b.acquire("a")).as("0.9 s left, rounded up").isEqualTo(1);
        clock.advance(Duration.ofMillis(900));
        assertThat(b.acquire("a")).isZero();
        assertThat(b.acquire("a")).isEqualTo(2);
    }

    @Test
    void refusedRequestsDoNotDrainTheBucket() {
        TokenBuckets b = new TokenBuckets(RateLimit.of(1, 1, Duration.ofSeconds(1)), clock);
        assertThat(b.acquire("a")).isZero();
        for (int i = 0; i < 100; i++) {
            assertThat(b.acquire("a")).isEqualTo(1);
        }
        clock.advance(Duration.ofSeconds(1));
        assertThat(b.acquire("a")).isZero();
    }

    @Test
    void eachKeyHasItsOwnBucket() {
        TokenBuckets b = new TokenBuckets(RateLimit.of(2, 1, Duration.ofMinutes(1)), clock);
        b.acquire("greedy");
        b.acquire("greedy");
        assertThat(b.acquire("greedy")).isEqualTo(60);
        assertThat(b.acquire("polite")).isZero();
        assertThat(b.acquire("polite")).isZero();
    }

    @Test
    void aLongIdleFillsTheBucketOnlyToItsBurst() {
        TokenBuckets b = new TokenBuckets(RateLimit.of(2, 1_000_000, Duration.ofMillis(1)), clock);
        b.acquire("a");
        b.acquire("a");
        clock.advance(Duration.ofDays(3650));
        assertThat(b.acquire("a")).isZero();
        assertThat(b.acquire("a")).isZero();
        assertThat(b.acquire("a")).isEqualTo(1);
    }

    @Test
    void aClockGoingBackwardsRefillsNothing() {
        TokenBuckets b = new TokenBuckets(RateLimit.of(1, 1, Duration.ofSeconds(10)), clock);
        assertThat(b.acquire("a")).isZero();
        clock.advance(Duration.ofHours(-1));
        assertThat(b.acquire("a")).isEqualTo(10);
        clock.advance(Duration.ofHours(1).plusSeconds(9));
        assertThat(b.acquire("a")).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(b.acquire("a")).isZero();
    }

    @Test
    void concurrentRequestsNeverTakeMoreThanTheBucketHolds() throws Exception {
        TokenBuckets b = new TokenBuckets(RateLimit.of(100, 1, Duration.ofHours(1)), clock);
        java.util.concurrent.atomic.AtomicInteger passed = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.List<java.util.concurrent.Future<?>> all = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                all.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        if (b.acquire("shared") == 0) {
                            passed.incrementAndGet();
                        }
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : all) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(passed.get()).isEqualTo(100);
    }

    /** However requests are spread over time, no more pass than the burst plus what the elapsed time refilled. */
    @Property(tries = 200)
    void neverMoreThanBurstPlusRefill(@ForAll @IntRange(min = 1, max = 20) int burst,
                                      @ForAll @IntRange(min = 1, max = 10) int perSecond,
                                      @ForAll @Size(max = 200) java.util.List<@IntRange(min = 0, max = 700) Integer> gapsMs) {
        ManualClock c = new ManualClock(Instant.parse("2026-11-29T10:00:00Z"));
        TokenBuckets b = new TokenBuckets(RateLimit.of(burst, perSecond, Duration.ofSeconds(1)), c);
        long passed = 0;
        long elapsedMs = 0;
        for (int gap : gapsMs) {
            c.advance(Duration.ofMillis(gap));
            elapsedMs += gap;
            long wait = b.acquire("k");
            if (wait == 0) {
                passed++;
            } else {
                assertThat(wait).as("less than a second to wait, rounded up").isEqualTo(1L);
            }
            assertThat(passed).isLessThanOrEqualTo(burst + elapsedMs * perSecond / 1000);
        }
    }
}
