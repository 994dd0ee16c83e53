package io.usher.core.http;

import io.usher.core.MovableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.usher.core.UsherException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RestClientTest {
    private static final Instant NOW = Instant.parse("2026-11-29T08:00:00Z");
    private final Loopback server = new Loopback();
    private final Loopback.RecordingSleeper sleeper = new Loopback.RecordingSleeper();
    private final MovableClock clock = new MovableClock(NOW);

    @AfterEach
    void stop() {
        server.close();
    }

    private static TokenSource fixed(String value) {
        AccessToken t = AccessToken.of(value, NOW.plusSeconds(3600));
        return () -> t;
    }

    private RestClient.Builder client() {
        return RestClient.builder(server.uri("/v1.0")).tokenSource(fixed("secret-token-value"))
                .sleeper(sleeper).clock(clock).random(constant(0.5));
    }

    private static RandomGenerator constant(double d) {
        return new RandomGenerator() {
            @Override public long nextLong() { return 0; }
            @Override public double nextDouble() { return d; }
        };
    }

    @Test
    void getResolvesUnderTheApiRootAndSendsTheBearerToken() {
        server.then(200, "{\"value\":[1,2,3]}");

        JsonNode body = client().build().getJson("users?$top=3");

        assertThat(body.get("value")).hasSize(3);
        assertThat(server.seen).singleElement().satisfies(s -> {
            assertThat(s.path()).isEqualTo("/v1.0/users");
            assertThat(s.query()).isEqualTo("$top=3");
            assertThat(s.authorization()).isEqualTo("Bearer secret-token-value");
        });
    }

    @Test
    void throttlingIsRetriedAfterTheServersRetryAfter() {
        server.then(Loopback.withHeader("Retry-After", "7", 429, "{\"error\":{\"code\":\"TooManyRequests\"}}"))
                .then(Loopback.withHeader("Retry-After", "3", 503, ""))
                .then(200, "{\"ok\":true}");
        RestClient c = client().build();

        assertThat(c.getJson("users").get("ok").asBoolean()).isTrue();

        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(3));
        assertThat(c.requestsSent()).isEqualTo(3);
        assertThat(c.retries()).isEqualTo(2);
    }

    @Test
    void retryAfterAsAnHttpDateIsReadAgainstTheInjectedClock() {
        server.then(Loopback.withHeader("Retry-After", "Sun, 29 Nov 2026 08:00:12 GMT", 429, ""))
                .then(200, "{}");

        client().build().getJson("users");

        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(12));
    }

    @Test
    void withoutRetryAfterTheBackoffDoublesWithJitter() {
        server.then(504, "").then(504, "").then(504, "").then(200, "{}");
        RestClient c = client().retryPolicy(RetryPolicy.DEFAULT.withBackoff(Duration.ofMillis(100),
                Duration.ofMillis(300))).random(constant(0.5)).build();

        c.getJson("users");

        // caps 100, 200, 300 (limited by maxDelay): half plus half of the other half
        assertThat(sleeper.waits).containsExactly(Duration.ofMillis(75), Duration.ofMillis(150),
                Duration.ofMillis(225));
    }

    @Test
    void givesUpAfterMaxAttemptsWithARetryableException() {
        server.otherwise(ex -> Loopback.respond(ex, 503, "{\"error\":{\"code\":\"serviceNotAvailable\"}}"));
        RestClient c = client().retryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(3)).build();

        assertThatThrownBy(() -> c.getJson("users?$skiptoken=SKIPSECRET"))
                .isInstanceOfSatisfying(RestException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e.code()).isEqualTo(UsherException.Code.SOURCE_UNAVAILABLE);
                    assertThat(e.vendorCode()).contains("serviceNotAvailable");
                    assertThat(e.getMessage()).contains("gave up after 3 attempts")
                            .contains("GET http://127.0.0.1:").contains("/v1.0/users?$skiptoken")
                            .doesNotContain("SKIPSECRET");
                });
        assertThat(server.seen).hasSize(3);
        assertThat(sleeper.waits).hasSize(2);
    }

    @Test
    void aClientErrorIsNotRetriedAndNamesTheVendorCodeButNeverTheTokenOrQueryValues() {
        server.then(400, "{\"error\":{\"code\":\"Request_BadRequest\",\"message\":\"Invalid value 'jdoe@x'\"}}");
        RestClient c = client().build();

        assertThatThrownBy(() -> c.getJson("users?$filter=mail eq 'jdoe@x'".replace(" ", "%20")))
                .isInstanceOfSatisfying(RestException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.isRetryable()).isFalse();
                    assertThat(e.code()).isEqualTo(UsherException.Code.SOURCE_DATA);
                    assertThat(e.vendorCode()).contains("Request_BadRequest");
                    assertThat(e.getMessage()).contains("HTTP 400 (Request_BadRequest)").contains("$filter")
                            .doesNotContain("jdoe").doesNotContain("secret-token-value").doesNotContain("Invalid");
                });
        assertThat(server.seen).hasSize(1);
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void aForbiddenAnswerIsSourceAuth() {
        server.then(403, "{\"error\":{\"code\":\"Authorization_RequestDenied\"}}");

        assertThatThrownBy(() -> client().build().getJson("groups"))
                .isInstanceOfSatisfying(RestException.class, e -> {
                    assertThat(e.code()).isEqualTo(UsherException.Code.SOURCE_AUTH);
                    assertThat(e.vendorCode()).contains("Authorization_RequestDenied");
                });
    }

    @Test
    void a401DropsTheTokenAndTriesOnceMoreWithAFreshOne() {
        List<AccessToken> invalidated = new ArrayList<>();
        AtomicInteger issued = new AtomicInteger();
        TokenSource tokens = new TokenSource() {
            private AccessToken current = AccessToken.of("t" + issued.incrementAndGet(), NOW.plusSeconds(60));

            @Override public synchronized AccessToken token() { return current; }

            @Override public synchronized void invalidate(AccessToken rejected) {
                invalidated.add(rejected);
                current = AccessToken.of("t" + issued.incrementAndGet(), NOW.plusSeconds(60));
            }
        };
        server.then(401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\"}}").then(200, "{}");
        RestClient c = client().tokenSource(tokens).build();

        c.getJson("users");

        assertThat(invalidated).extracting(AccessToken::value).containsExactly("t1");
        assertThat(server.seen).extracting(Loopback.Seen::authorization).containsExactly("Bearer t1", "Bearer t2");
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void a401WithAFreshTokenIsSourceAuth() {
        server.otherwise(ex -> Loopback.respond(ex, 401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\"}}"));

        assertThatThrownBy(() -> client().build().getJson("users"))
                .isInstanceOfSatisfying(RestException.class, e -> {
                    assertThat(e.code()).isEqualTo(UsherException.Code.SOURCE_AUTH);
                    assertThat(e.status()).isEqualTo(401);
                });
        assertThat(server.seen).hasSize(2);
    }

    @Test
    void aRetryAfterBeyondTheLimitFailsAtOnceWithoutWaiting() {
        server.then(Loopback.withHeader("Retry-After", "3600", 429, ""));

        assertThatThrownBy(() -> client().build().getJson("users"))
                .isInstanceOfSatisfying(RestException.class, e -> {
                    assertThat(e.retryAfter()).contains(Duration.ofHours(1));
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e.getMessage()).contains("asked to wait 3600 s");
                });
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void aLinkToAnotherOriginIsNotFollowedSoTheTokenStaysHome() {
        RestClient c = client().build();

        assertThatThrownBy(() -> c.getJson("https://evil.example/v1.0/users?$skiptoken=x"))
                .isInstanceOfSatisfying(RestException.class, e -> {
                    assertThat(e.code()).isEqualTo(UsherException.Code.SOURCE_DATA);
                    assertThat(e.getMessage()).contains("evil.example").contains("not followed");
                });
        assertThatThrownBy(() -> c.getJson(server.uri("/v1.0/users").toString().replace("127.0.0.1", "localhost")))
                .isInstanceOf(RestException.class);
        assertThat(server.seen).isEmpty();
    }

    @Test
    void anAbsoluteLinkOnTheSameOriginIsFollowedVerbatim() {
        server.then(200, "{\"n\":1}");

        client().build().getJson(server.uri("/v1.0/users?$skiptoken=abc%2Fdef").toString());

        assertThat(server.seen).singleElement().satisfies(s -> assertThat(s.query()).isEqualTo("$skiptoken=abc%2Fdef"));
    }

    @Test
    void aRequestThatGetsNoAnswerInTimeIsRetryableWithStatusZero() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server.then(ex -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        RestClient c = client().retryPolicy(RetryPolicy.NONE).requestTimeout(Duration.ofMillis(200)).build();
        try {
            assertThatThrownBy(() -> c.getJson("users")).isInstanceOfSatisfying(RestException.class, e -> {
                assertThat(e.status()).isZero();
                assertThat(e.isRetryable()).isTrue();
                assertThat(e.getMessage()).contains("no response (HttpTimeoutException)");
            });
        } finally {
            release.countDown();
        }
    }

    @Test
    void aBodyThatBreaksOffIsRetried() {
        server.then(ex -> {
            ex.sendResponseHeaders(200, 1000);
            ex.getResponseBody().write("{\"value\":[1,2,".getBytes(StandardCharsets.UTF_8));
            ex.getResponseBody().flush();
            ex.getHttpContext().getServer();
            // close the connection with the body 986 bytes short
            ex.getResponseBody().close();
        }).then(200, "{\"value\":[1,2,3]}");
        RestClient c = client().build();

        JsonNode n = c.getJson("users");

        assertThat(n.get("value")).hasSize(3);
        assertThat(c.requestsSent()).isEqualTo(2);
    }

    @Test
    void aBodyThatStallsAfterTheHeadersIsCutOffAtTheTimeout() {
        CountDownLatch release = new CountDownLatch(1);
        server.then(ex -> {
            ex.sendResponseHeaders(200, 1000);
            ex.getResponseBody().write("{\"value\":[".getBytes(StandardCharsets.UTF_8));
            ex.getResponseBody().flush();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        RestClient c = client().retryPolicy(RetryPolicy.NONE).requestTimeout(Duration.ofMillis(300)).build();
        try {
            assertThatThrownBy(() -> c.getJson("users")).isInstanceOfSatisfying(RestException.class, e -> {
                assertThat(e.status()).isZero();
                assertThat(e.isRetryable()).isTrue();
                assertThat(e.getMessage()).contains("broke off (HttpTimeoutException)");
            });
        } finally {
            release.countDown();
        }
    }

    @Test
    void malformedJsonIsSourceDataWithAPositionAndNoContent() {
        server.then(200, "{\"value\": [ personal-data-here ]}");

        assertThatThrownBy(() -> client().build().getJson("users"))
                .isInstanceOfSatisfying(RestException.class, e -> {
                    assertThat(e.code()).isEqualTo(UsherException.Code.SOURCE_DATA);
                    assertThat(e.isRetryable()).isFalse();
                    assertThat(e.getMessage()).contains("line 1").doesNotContain("personal");
                });
        assertThat(server.seen).hasSize(1);
    }

    @Test
    void aResponseLargerThanTheLimitIsRefused() {
        server.then(200, "{\"value\":\"" + "x".repeat(5000) + "\"}");

        assertThatThrownBy(() -> client().maxResponseBytes(2048).build().getJson("users"))
                .isInstanceOfSatisfying(RestException.class,
                        e -> assertThat(e.getMessage()).contains("larger than 2048 bytes"));
    }

    @Test
    void aStreamingReaderSeesEveryRecordOfABigPage() {
        StringBuilder b = new StringBuilder("{\"value\":[");
        for (int i = 0; i < 5000; i++) {
            b.append(i == 0 ? "" : ",").append("{\"id\":\"").append(i).append("\"}");
        }
        server.then(200, b.append("]}").toString());

        int count = client().build().get("users", p -> {
            int n = 0;
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && "id".equals(p.currentName())) {
                    n++;
                }
            }
            return n;
        });

        assertThat(count).isEqualTo(5000);
    }

    @Test
    void noMoreThanMaxConcurrencyRequestsAreInFlight() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        CountDownLatch twoIn = new CountDownLatch(2);
        server.otherwise(ex -> {
            int now = inFlight.incrementAndGet();
            max.accumulateAndGet(now, Math::max);
            twoIn.countDown();
            try {
                twoIn.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            Loopback.respond(ex, 200, "{}");
        });
        RestClient c = client().maxConcurrency(2).build();
        ExecutorService callers = Executors.newFixedThreadPool(6);
        try {
            List<Future<JsonNode>> calls = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                calls.add(callers.submit(() -> c.getJson("users")));
            }
            for (Future<JsonNode> f : calls) {
                f.get(20, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(max.get()).isEqualTo(2);
        assertThat(server.seen).hasSize(12);
    }

    @Test
    void postFormEncodesTheForm() {
        server.then(200, "{}");

        RestClient.builder(server.uri("/tenant/oauth2/v2.0/token")).sleeper(sleeper).build()
                .postForm(server.uri("/tenant/oauth2/v2.0/token").toString(),
                        Map.of("scope", "https://graph.microsoft.com/.default"), p -> p.readValueAsTree());

        assertThat(server.seen).singleElement().satisfies(s -> {
            assertThat(s.method()).isEqualTo("POST");
            assertThat(s.body()).isEqualTo("scope=https%3A%2F%2Fgraph.microsoft.com%2F.default");
            assertThat(s.authorization()).isNull();
        });
    }

    @Test
    void theBuilderRefusesBadSettingsAtOnce() {
        assertThatThrownBy(() -> RestClient.builder(URI.create("ftp://x/"))).hasMessageContaining("http(s)");
        assertThatThrownBy(() -> RestClient.builder(URI.create("https://x/?a=b"))).hasMessageContaining("query");
        assertThatThrownBy(() -> client().maxConcurrency(0)).hasMessageContaining("maxConcurrency");
        assertThatThrownBy(() -> client().requestTimeout(Duration.ZERO)).hasMessageContaining("requestTimeout");
        assertThatThrownBy(() -> client().header("Authorization", "x")).hasMessageContaining("tokenSource");
        assertThatThrownBy(() -> client().header("A", "1").header("A", "2")).hasMessageContaining("already set");
    }

    @Test
    void defaultErrorCodeReadsGraphGoogleOAuthAndOktaShapes() throws IOException {
        var m = RestClient.json();
        assertThat(RestClient.defaultErrorCode(m.readTree("{\"error\":{\"code\":\"syncStateNotFound\"}}")))
                .isEqualTo("syncStateNotFound");
        assertThat(RestClient.defaultErrorCode(m.readTree("{\"error\":{\"code\":403,\"status\":\"PERMISSION_DENIED\"}}")))
                .isEqualTo("PERMISSION_DENIED");
        assertThat(RestClient.defaultErrorCode(m.readTree("{\"error\":\"invalid_client\"}"))).isEqualTo("invalid_client");
        assertThat(RestClient.defaultErrorCode(m.readTree("{\"errorCode\":\"E0000047\"}"))).isEqualTo("E0000047");
        assertThat(RestClient.defaultErrorCode(m.readTree("{\"message\":\"x\"}"))).isNull();
    }

    @Test
    void aVendorCodeThatIsNotACodeIsDropped() {
        server.then(400, "{\"error\":{\"code\":\"<script>alert('jdoe@corp')</script>\"}}");

        assertThatThrownBy(() -> client().build().getJson("users"))
                .isInstanceOfSatisfying(RestException.class, e -> {
                    assertThat(e.vendorCode()).isEmpty();
                    assertThat(e.getMessage()).doesNotContain("jdoe");
                });
    }
}
