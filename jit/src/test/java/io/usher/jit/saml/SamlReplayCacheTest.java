package io.usher.jit.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The in-memory replay cache: single use until expiry, bounded without forgetting, atomic. */
class SamlReplayCacheTest {
    final ManualClock clock = new ManualClock(Instant.parse("2026-11-29T07:00:00Z"));

    @Test
    void aKeyIsUsableOnceUntilItExpires() {
        SamlReplayCache cache = SamlReplayCache.inMemory(clock, 10);
        Instant expiry = clock.instant().plus(Duration.ofMinutes(5));
        assertThat(cache.firstUse("a", expiry)).isTrue();
        assertThat(cache.firstUse("a", expiry)).isFalse();
        assertThat(cache.firstUse("b", expiry)).isTrue();
        clock.advance(Duration.ofMinutes(4));
        assertThat(cache.firstUse("a", expiry)).isFalse();
        clock.advance(Duration.ofMinutes(2));
        assertThat(cache.firstUse("a", expiry.plus(Duration.ofMinutes(10)))).isTrue();
        assertThat(((SamlReplayCache.InMemory) cache).size()).isEqualTo(1);
    }

    @Test
    void aFullCacheRefusesNewKeysRatherThanEvictingLiveOnes() {
        SamlReplayCache cache = SamlReplayCache.inMemory(clock, 2);
        Instant expiry = clock.instant().plus(Duration.ofMinutes(5));
        cache.firstUse("a", expiry);
        cache.firstUse("b", expiry);
        assertThatThrownBy(() -> cache.firstUse("c", expiry)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("full");
        assertThat(cache.firstUse("a", expiry)).as("a live key is still remembered").isFalse();
    }

    @Test
    void ofManyConcurrentFirstUsesOfOneKeyExactlyOneWins() throws Exception {
        SamlReplayCache cache = SamlReplayCache.inMemory(clock, 100);
        Instant expiry = clock.instant().plus(Duration.ofMinutes(5));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 20; round++) {
                String key = "k" + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return cache.firstUse(key, expiry);
                    }));
                }
                start.countDown();
                int winners = 0;
                for (Future<Boolean> r : results) {
                    winners += r.get() ? 1 : 0;
                }
                assertThat(winners).as(key).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
