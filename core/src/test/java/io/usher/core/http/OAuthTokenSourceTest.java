package io.usher.core.http;

import io.usher.core.MovableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.UsherException;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OAuthTokenSourceTest {
    private final Loopback server = new Loopback();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-29T08:00:00Z"));
    private final Loopback.RecordingSleeper sleeper = new Loopback.RecordingSleeper();
    private final AtomicInteger forms = new AtomicInteger();

    @AfterEach
    void stop() {
        server.close();
    }

    private OAuthTokenSource.Builder source() {
        return OAuthTokenSource.builder(server.uri("/tenant/oauth2/v2.0/token")).clock(clock).sleeper(sleeper)
                .form(() -> Map.of("grant_type", "client_credentials", "client_id", "app",
                        "client_secret", "S3CRET-" + forms.incrementAndGet()));
    }

    private static String answer(String token, int expiresIn) {
        return "{\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + ",\"access_token\":\"" + token + "\"}";
    }

    @Test
    void aTokenIsCachedUntilShortlyBeforeItExpires() {
        server.then(200, answer("first", 3600)).then(200, answer("second", 3600));
        OAuthTokenSource tokens = source().refreshMargin(Duration.ofMinutes(5)).build();

        AccessToken t = tokens.token();
        clock.advance(Duration.ofMinutes(54));
        AccessToken again = tokens.token();
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        AccessToken refreshed = tokens.token();

        assertThat(t.value()).isEqualTo("first");
        assertThat(t.expiresAt()).isEqualTo(Instant.parse("2026-11-29T09:00:00Z"));
        assertThat(again).isSameAs(t);
        assertThat(refreshed.value()).isEqualTo("second");
        assertThat(tokens.fetches()).isEqualTo(2);
        assertThat(server.seen).hasSize(2);
        assertThat(server.seen.get(0).body()).contains("grant_type=client_credentials").contains("S3CRET-1");
        assertThat(server.seen.get(1).body()).contains("S3CRET-2");
    }

    @Test
    void aShortLivedTokenIsRefreshedAtHalfItsLifetimeAtTheLatest() {
        server.then(200, answer("short", 60)).then(200, answer("next", 60));
        OAuthTokenSource tokens = source().refreshMargin(Duration.ofMinutes(5)).build();

        tokens.token();
        clock.advance(Duration.ofSeconds(29));
        assertThat(tokens.token().value()).isEqualTo("short");
        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.token().value()).isEqualTo("next");
    }

    @Test
    void manyThreadsShareOneFetch() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server.otherwise(ex -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Loopback.respond(ex, 200, answer("shared", 3600));
        });
        OAuthTokenSource tokens = source().build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<AccessToken>> got = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                got.add(pool.submit(tokens::token));
            }
            release.countDown();
            for (Future<AccessToken> f : got) {
                assertThat(f.get(20, TimeUnit.SECONDS).value()).isEqualTo("shared");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.seen).hasSize(1);
    }

    @Test
    void invalidateMakesTheNextCallFetch() {
        server.then(200, answer("a", 3600)).then(200, answer("b", 3600));
        OAuthTokenSource tokens = source().build();

        AccessToken a = tokens.token();
        tokens.invalidate(AccessToken.of("not-the-cached-one", a.expiresAt()));
        assertThat(tokens.token()).isSameAs(a);
        tokens.invalidate(a);

        assertThat(tokens.token().value()).isEqualTo("b");
    }

    @Test
    void aRefusedSecretIsSourceAuthNamingTheOAuthErrorAndNeverTheSecret() {
        server.then(401, "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret\"}");
        OAuthTokenSource tokens = source().build();

        assertThatThrownBy(tokens::token).isInstanceOfSatisfying(RestException.class, e -> {
            assertThat(e.code()).isEqualTo(UsherException.Code.SOURCE_AUTH);
            assertThat(e.vendorCode()).contains("invalid_client");
            assertThat(e.getMessage()).contains("POST http://127.0.0.1:").contains("/tenant/oauth2/v2.0/token")
                    .doesNotContain("S3CRET");
        });
    }

    @Test
    void invalidGrantWithStatus400IsSourceAuthToo() {
        server.then(400, "{\"error\":\"invalid_grant\"}");

        assertThatThrownBy(source().build()::token).isInstanceOfSatisfying(RestException.class,
                e -> assertThat(e.code()).isEqualTo(UsherException.Code.SOURCE_AUTH));
    }

    @Test
    void anAnswerWithoutATokenIsRefused() {
        server.then(200, "{\"expires_in\":3600}");

        assertThatThrownBy(source().build()::token).isInstanceOfSatisfying(RestException.class,
                e -> assertThat(e.getMessage()).contains("no access_token"));
    }

    @Test
    void aThrottledTokenEndpointIsRetried() {
        server.then(Loopback.withHeader("Retry-After", "2", 429, "")).then(200, answer("ok", 3600));

        assertThat(source().build().token().value()).isEqualTo("ok");
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void theTokenNeverShowsInToString() {
        assertThat(AccessToken.of("eyJ-secret", Instant.EPOCH).toString()).doesNotContain("eyJ");
    }
}
