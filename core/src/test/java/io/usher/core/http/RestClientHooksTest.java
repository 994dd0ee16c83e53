package io.usher.core.http;

import io.usher.core.MovableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hooks the Okta connector added: response headers, the {@link Throttle}, token schemes and proof headers. */
class RestClientHooksTest {
    private static final Instant NOW = Instant.parse("2026-11-29T08:00:00Z");
    private final Loopback server = new Loopback();
    private final Loopback.RecordingSleeper sleeper = new Loopback.RecordingSleeper();

    @AfterEach
    void stop() {
        server.close();
    }

    private RestClient.Builder client() {
        return RestClient.builder(server.uri("/api/v1")).sleeper(sleeper).clock(new MovableClock(NOW));
    }

    @Test
    void getResponseHandsBackTheHeadersAndTheNextLinkVerbatim() {
        String next = server.uri("/api/v1/users?after=opaque%3D%3D&limit=200").toString();
        server.then(ex -> {
            ex.getResponseHeaders().add("Link", "<" + server.uri("/api/v1/users?limit=200") + ">; rel=\"self\"");
            ex.getResponseHeaders().add("Link", "<" + next + ">; rel=\"next\"");
            ex.getResponseHeaders().add("X-Rate-Limit-Remaining", "599");
            Loopback.respond(ex, 200, "[]");
        });

        Response<JsonNode> r = client().build().getResponse("users?limit=200", p -> p.readValueAsTree());

        assertThat(r.body().isArray()).isTrue();
        assertThat(r.nextLink()).contains(next);
        assertThat(r.headers().firstValue("X-Rate-Limit-Remaining")).contains("599");
    }

    @Test
    void withoutANextLinkThereIsNone() {
        server.then(200, "[]");
        assertThat(client().build().getResponse("users", p -> p.readValueAsTree()).nextLink()).isEmpty();
    }

    @Test
    void theThrottleSeesEveryAttemptAndNamesTheWaitBeforeARetry() {
        server.then(Loopback.withHeader("X-Rate-Limit-Reset", "1764403230", 429, "{\"errorCode\":\"E0000047\"}"))
                .then(200, "{}");
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        Throttle t = new Throttle() {
            @Override public void beforeSend(String method, URI uri) {
                calls.add("before " + method + " " + uri.getPath());
            }
            @Override public void afterResponse(String method, URI uri, int status, HttpHeaders headers) {
                calls.add("after " + status + " reset=" + headers.firstValue("X-Rate-Limit-Reset").orElse("-"));
            }
            @Override public Optional<Duration> retryWait(int status, HttpHeaders headers) {
                return status == 429 ? Optional.of(Duration.ofSeconds(7)) : Optional.empty();
            }
        };

        client().throttle(t).build().getJson("users");

        assertThat(calls).containsExactly("before GET /api/v1/users", "after 429 reset=1764403230",
                "before GET /api/v1/users", "after 200 reset=-");
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void aThrottleWaitLongerThanThePolicyAllowsGivesUp() {
        server.then(429, "{\"errorCode\":\"E0000047\"}");
        Throttle t = new Throttle() {
            @Override public Optional<Duration> retryWait(int status, HttpHeaders headers) {
                return Optional.of(Duration.ofHours(2));
            }
        };

        assertThatThrownBy(() -> client().throttle(t).build().getJson("users"))
                .isInstanceOf(RestException.class).hasMessageContaining("longer than");
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void theTokenSourceNamesTheSchemeAndAddsPerRequestHeaders() {
        server.then(200, "{}");
        AccessToken token = AccessToken.of("tok", NOW.plusSeconds(600));
        List<String> asked = new ArrayList<>();
        TokenSource dpop = new TokenSource() {
            @Override public AccessToken token() { return token; }
            @Override public String scheme() { return "DPoP"; }
            @Override public Map<String, String> requestHeaders(String method, URI uri, AccessToken t) {
                asked.add(method + " " + uri.getPath());
                return Map.of("DPoP", "proof-for-" + t.value());
            }
        };

        client().tokenSource(dpop).build().getJson("groups");

        assertThat(server.seen).singleElement().satisfies(s -> assertThat(s.authorization()).isEqualTo("DPoP tok"));
        assertThat(asked).containsExactly("GET /api/v1/groups");
    }

    @Test
    void theDefaultSchemeIsStillBearer() {
        server.then(200, "{}");
        AccessToken token = AccessToken.of("tok", NOW.plusSeconds(600));
        client().tokenSource(() -> token).build().getJson("groups");
        assertThat(server.seen).singleElement().satisfies(s -> assertThat(s.authorization()).isEqualTo("Bearer tok"));
    }
}
