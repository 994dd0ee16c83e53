package io.usher.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2026-11-29T08:00:00Z");

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "0 | PT0S",
            "120 | PT2M",
            "' 5 ' | PT5S",
            "86400 | PT24H",
            "999999 | PT24H",
            "99999999999999999999 | PT24H",
            "Sun, 29 Nov 2026 08:00:30 GMT | PT30S",
            "Sun, 29 Nov 2026 07:00:00 GMT | PT0S",
            "-1 | none",
            "1.5 | none",
            "soon | none",
            "'' | none",
            "Sunday, 29-Nov-26 08:00:30 GMT | none",
    })
    void table(String header, String expected) {
        Optional<Duration> parsed = RetryAfter.parse(header, NOW);
        if (expected == null) {
            assertThat(parsed).isEmpty();
        } else {
            assertThat(parsed).contains(Duration.parse(expected));
        }
    }

    @Property
    void secondsAreReadExactly(@ForAll @IntRange(min = 0, max = 86_400) int seconds) {
        assertThat(RetryAfter.parse(Integer.toString(seconds), NOW)).contains(Duration.ofSeconds(seconds));
    }

    @Property
    void anyHeaderGivesNothingOrAWaitBetweenZeroAndADay(@ForAll String header) {
        RetryAfter.parse(header, NOW).ifPresent(d ->
                assertThat(d).isBetween(Duration.ZERO, Duration.ofSeconds(RetryAfter.MAX_SECONDS)));
    }
}
