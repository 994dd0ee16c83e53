package io.usher.core.http;

import io.usher.core.MovableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.usher.core.UsherException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link RestClient.Builder#retryWhen}: throttling signalled by a vendor code under another status (Google's 403). */
class RetryWhenTest {
    private static final Instant NOW = Instant.parse("2026-11-29T08:00:00Z");
    private static final String RATE_LIMITED = "{\"error\":{\"code\":403,\"message\":\"Rate Limit Exceeded\","
            + "\"errors\":[{\"domain\":\"usageLimits\",\"reason\":\"userRateLimitExceeded\"}]}}";
    private static final String FORBIDDEN = "{\"error\":{\"code\":403,\"message\":\"Not Authorized\","
            + "\"errors\":[{\"domain\":\"global\",\"reason\":\"forbidden\"}]}}";
    private final Loopback server = new Loopback();
    private final Loopback.RecordingSleeper sleeper = new Loopback.RecordingSleeper();

    @AfterEach
    void stop() {
        server.close();
    }

    private static String googleReason(JsonNode root) {
        return root.path("error").path("errors").path(0).path("reason").asText(null);
    }

    private RestClient client() {
        AccessToken t = AccessToken.of("tok", NOW.plusSeconds(3600));
        return RestClient.builder(server.uri("/admin")).tokenSource(() -> t).sleeper(sleeper)
                .clock(new MovableClock(NOW)).random(new RandomGenerator() {
                    @Override public long nextLong() { return 0; }
                    @Override public double nextDouble() { return 0.5; }
                })
                .retryPolicy(new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMinutes(1),
                        Set.of(429, 503)))
                .errorCodes(RetryWhenTest::googleReason)
                .retryWhen((status, code) -> status == 403 && "userRateLimitExceeded".equals(code))
                .build();
    }

    @Test
    void a403WithARateLimitReasonIsRetriedWithBackoff() {
        server.then(403, RATE_LIMITED).then(403, RATE_LIMITED).then(200, "{\"ok\":true}");
        RestClient c = client();

        assertThat(c.getJson("users").get("ok").asBoolean()).isTrue();
        assertThat(sleeper.waits).containsExactly(Duration.ofMillis(75), Duration.ofMillis(150));
        assertThat(c.retries()).isEqualTo(2);
    }

    @Test
    void aRateLimit403ThatNeverClearsIsUnavailableNotAnAuthFailure() {
        server.otherwise(ex -> Loopback.respond(ex, 403, RATE_LIMITED));

        assertThatThrownBy(() -> client().getJson("users")).isInstanceOfSatisfying(RestException.class, e -> {
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.code()).isEqualTo(UsherException.Code.SOURCE_UNAVAILABLE);
            assertThat(e.isRetryable()).isTrue();
            assertThat(e.vendorCode()).contains("userRateLimitExceeded");
            assertThat(e.getMessage()).contains("gave up after 3 attempts");
        });
    }

    @Test
    void a403ForAnotherReasonIsNotRetriedAndStaysAnAuthFailure() {
        server.then(403, FORBIDDEN);

        assertThatThrownBy(() -> client().getJson("users")).isInstanceOfSatisfying(RestException.class, e -> {
            assertThat(e.code()).isEqualTo(UsherException.Code.SOURCE_AUTH);
            assertThat(e.isRetryable()).isFalse();
            assertThat(e.vendorCode()).contains("forbidden");
        });
        assertThat(server.seen).hasSize(1);
        assertThat(sleeper.waits).isEmpty();
    }
}
