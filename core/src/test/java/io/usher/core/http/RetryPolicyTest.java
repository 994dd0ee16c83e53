package io.usher.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Property
    void backoffLiesBetweenHalfTheCapAndTheCap(@ForAll @IntRange(min = 1, max = 100) int retry,
                                               @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double r) {
        RetryPolicy p = RetryPolicy.DEFAULT;
        long cap = Math.min(p.maxDelay().toMillis(), retry > 40 ? Long.MAX_VALUE
                : p.baseDelay().toMillis() * (1L << (retry - 1)));
        Duration d = p.backoff(retry, r);
        assertThat(d.toMillis()).isBetween(cap / 2, cap);
    }

    @Test
    void theDefaultRetriesThrottlingAndGatewayErrorsOnly() {
        assertThat(RetryPolicy.DEFAULT.retries(429)).isTrue();
        assertThat(RetryPolicy.DEFAULT.retries(503)).isTrue();
        assertThat(RetryPolicy.DEFAULT.retries(504)).isTrue();
        assertThat(RetryPolicy.DEFAULT.retries(500)).isFalse();
        assertThat(RetryPolicy.DEFAULT.retries(400)).isFalse();
    }

    @Test
    void badSettingsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> RetryPolicy.DEFAULT.withMaxAttempts(0)).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> RetryPolicy.DEFAULT.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("maxDelay");
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ZERO, Duration.ZERO, Duration.ZERO, Set.of(200)))
                .hasMessageContaining("retryStatuses");
    }
}
