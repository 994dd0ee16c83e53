package io.usher.okta;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RateGovernorTest {
    private static final URI USERS = URI.create("https://corp.okta.com/api/v1/users?limit=200");
    private static final URI GROUPS = URI.create("https://corp.okta.com/api/v1/groups/00g1/users");
    private final OktaFixture.Time time = new OktaFixture.Time();
    private final long reset = time.clock.instant().getEpochSecond() + 60;

    private static HttpHeaders headers(Map<String, String> h) {
        return HttpHeaders.of(h.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                e -> List.of(e.getValue()))), (a, b) -> true);
    }

    private HttpHeaders limits(int limit, int remaining, long resetAt) {
        return headers(Map.of("X-Rate-Limit-Limit", Integer.toString(limit), "X-Rate-Limit-Remaining",
                Integer.toString(remaining), "X-Rate-Limit-Reset", Long.toString(resetAt)));
    }

    @Test
    void withPlentyLeftItNeverWaits() throws Exception {
        RateGovernor g = new RateGovernor(0.5, time.clock, time::sleep);
        g.afterResponse("GET", USERS, 200, limits(600, 590, reset));
        for (int i = 0; i < 200; i++) {
            g.beforeSend("GET", USERS);
        }
        assertThat(time.waits).isEmpty();
    }

    @Test
    void itSlowsDownBeforeItsShareRunsOutAndThenWaitsForTheReset() throws Exception {
        RateGovernor g = new RateGovernor(0.5, time.clock, time::sleep);
        // 100 of 120 left: the share is 60, so 40 are left to this app; a tenth of 60 is 6
        g.afterResponse("GET", USERS, 200, limits(120, 100, reset));
        for (int i = 0; i < 34; i++) {
            g.beforeSend("GET", USERS);
        }
        assertThat(time.waits).as("34 of 40 spent at full speed").isEmpty();
        for (int i = 0; i < 6; i++) {
            g.beforeSend("GET", USERS);
        }
        assertThat(time.waits).as("the last 6 spread out").hasSize(6).allSatisfy(w -> assertThat(w).isPositive());
        Instant before = time.clock.instant();
        g.beforeSend("GET", USERS);
        assertThat(time.clock.instant()).as("share used up: wait for the reset")
                .isEqualTo(Instant.ofEpochSecond(reset));
        assertThat(Duration.between(before, time.clock.instant())).isPositive();
    }

    @Test
    void bucketsAreCountedApart() throws Exception {
        RateGovernor g = new RateGovernor(0.5, time.clock, time::sleep);
        g.afterResponse("GET", USERS, 200, limits(100, 50, reset)); // users: share used up
        g.afterResponse("GET", GROUPS, 200, limits(100, 99, reset));
        g.beforeSend("GET", GROUPS);
        assertThat(time.waits).isEmpty();
        g.beforeSend("GET", USERS);
        assertThat(time.waits).hasSize(1);
    }

    @Test
    void aReportFromAnEndedWindowIsIgnored() throws Exception {
        RateGovernor g = new RateGovernor(0.5, time.clock, time::sleep);
        g.afterResponse("GET", USERS, 200, limits(100, 0, reset));
        time.clock.advance(Duration.ofSeconds(61));
        g.beforeSend("GET", USERS);
        assertThat(time.waits).isEmpty();
    }

    @Test
    void a429WaitsUntilTheResetAndAMomentMore() {
        RateGovernor g = new RateGovernor(0.5, time.clock, time::sleep);
        Duration w = g.retryWait(429, limits(600, 0, reset)).orElseThrow();
        assertThat(w).isBetween(Duration.ofSeconds(59), Duration.ofSeconds(61));
        assertThat(g.retryWait(429, limits(600, 0, reset - 3600))).contains(Duration.ofSeconds(1));
        assertThat(g.retryWait(503, limits(600, 0, reset))).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0} / {1} / {2}")
    @CsvSource({"abc,1,99", "600,-1,99", "600,1,", "0,0,99", "600,1,99999999999999999999", "'',1,99"})
    void malformedHeadersAreIgnored(String limit, String remaining, String resetAt) throws Exception {
        RateGovernor g = new RateGovernor(0.5, time.clock, time::sleep);
        java.util.Map<String, String> h = new java.util.HashMap<>();
        h.put("X-Rate-Limit-Limit", limit);
        h.put("X-Rate-Limit-Remaining", remaining);
        if (resetAt != null) {
            h.put("X-Rate-Limit-Reset", resetAt);
        }
        g.afterResponse("GET", USERS, 200, headers(h));
        g.beforeSend("GET", USERS);
        assertThat(time.waits).isEmpty();
        assertThat(g.retryWait(429, headers(h))).satisfiesAnyOf(o -> assertThat(o).isEmpty(),
                o -> assertThat(o.get()).isPositive());
    }
}
