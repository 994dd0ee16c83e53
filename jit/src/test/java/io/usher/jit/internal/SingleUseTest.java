package io.usher.jit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SingleUseTest {
    final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void aValueIsUsableOnceUntilItExpires() {
        SingleUse s = new SingleUse(clock, 10);
        Instant exp = clock.instant().plusSeconds(60);
        assertThat(s.use("a", exp)).isTrue();
        assertThat(s.use("a", exp)).isFalse();
        assertThat(s.isUsed("a")).isTrue();
        clock.advance(Duration.ofSeconds(61));
        assertThat(s.isUsed("a")).isFalse();
        assertThat(s.use("a", clock.instant().plusSeconds(60))).isTrue();
    }

    @Test
    void staysWithinCapacityDroppingExpiredThenOldest() {
        SingleUse s = new SingleUse(clock, 3);
        s.use("old", clock.instant().plusSeconds(1));
        s.use("b", clock.instant().plusSeconds(100));
        s.use("c", clock.instant().plusSeconds(100));
        clock.advance(Duration.ofSeconds(2));
        assertThat(s.use("d", clock.instant().plusSeconds(100))).isTrue(); // 'old' expired: dropped, not 'b'
        assertThat(s.isUsed("b")).isTrue();
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.use("e", clock.instant().plusSeconds(100))).isTrue(); // full of live entries: 'b' goes
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.isUsed("b")).isFalse();
        assertThat(s.isUsed("e")).isTrue();
    }
}
