package io.usher.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BearerTokenAuthenticatorTest {
    private static final String A = "token-a-0123456789abcdef";
    private static final String B = "token-b-0123456789abcdef";

    private static ScimAuthenticator.Request request(String authorization) {
        Map<String, String> headers = authorization == null ? Map.of() : Map.of("authorization", authorization);
        return new ScimAuthenticator.Request() {
            @Override public String header(String name) { return headers.get(name.toLowerCase(java.util.Locale.ROOT)); }
            @Override public String method() { return "GET"; }
            @Override public String path() { return "Users"; }
        };
    }

    @Test
    void eachConfiguredTokenAuthenticatesAsItsId() {
        BearerTokenAuthenticator auth = BearerTokenAuthenticator.builder().token("new", A).token("old", B).build();
        assertThat(auth.authenticate(request("Bearer " + A))).contains(ScimCaller.of("new"));
        assertThat(auth.authenticate(request("bearer  " + B + " "))).contains(ScimCaller.of("old"));
        assertThat(auth.tokenIds()).containsExactly("new", "old");
        assertThat(auth.toString()).doesNotContain(A).doesNotContain(B);
    }

    @Test
    void aPlainTokenHasEveryScope() {
        BearerTokenAuthenticator auth = BearerTokenAuthenticator.builder().token("plain", A).build();
        assertThat(auth.authenticate(request("Bearer " + A)).orElseThrow().scopes()).isEqualTo(ScimScope.ALL);
    }

    @Test
    void anythingElseIsRefused() {
        BearerTokenAuthenticator auth = BearerTokenAuthenticator.builder().token("new", A).build();
        for (String h : new String[] {null, "", "Bearer", "Bearer ", "Basic " + A, A, "Bearer " + A + "x",
                "Bearer " + A.substring(1), "Bearer " + A.toUpperCase(java.util.Locale.ROOT),
                "Bearer " + ScimToken.digestOf(A), "Bearer " + "x".repeat(10_000)}) {
            assertThat(auth.authenticate(request(h))).as(String.valueOf(h)).isEqualTo(Optional.empty());
        }
    }

    @Test
    void aStoredTokenCarriesItsScopesAndIdToTheCaller() {
        ScimToken.Minted m = ScimToken.mint("reader", Set.of(ScimScope.READ), null);
        BearerTokenAuthenticator auth = BearerTokenAuthenticator.builder().token(m.token()).build();
        ScimCaller caller = auth.authenticate(request("Bearer " + m.secret())).orElseThrow();
        assertThat(caller.id()).isEqualTo("reader");
        assertThat(caller.scopes()).containsExactly(ScimScope.READ);
    }

    @Test
    void aRevokedTokenIsRefusedOnTheNextRequestAndANewOneAcceptedWithoutRebuilding() {
        ScimToken.Minted old = ScimToken.mint("old", ScimScope.ALL, null);
        ScimToken.Minted next = ScimToken.mint("next", ScimScope.ALL, null);
        InMemoryScimTokenStore store = InMemoryScimTokenStore.of(old.token());
        BearerTokenAuthenticator auth = BearerTokenAuthenticator.builder().store(store).build();
        assertThat(auth.authenticate(request("Bearer " + next.secret()))).isEmpty();
        store.add(next.token());
        assertThat(auth.authenticate(request("Bearer " + old.secret())).map(ScimCaller::id)).contains("old");
        assertThat(auth.authenticate(request("Bearer " + next.secret())).map(ScimCaller::id)).contains("next");
        store.revoke("old");
        assertThat(auth.authenticate(request("Bearer " + old.secret()))).isEmpty();
        assertThat(auth.authenticate(request("Bearer " + next.secret())).map(ScimCaller::id)).contains("next");
    }

    @Test
    void anExpiredTokenIs401SayingSoWithoutTheToken() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-29T00:00:00Z"));
        ScimToken.Minted m = ScimToken.mint("temp", ScimScope.ALL, clock.instant().plus(Duration.ofHours(1)));
        BearerTokenAuthenticator auth = BearerTokenAuthenticator.builder().token(m.token()).clock(clock).build();
        assertThat(auth.authenticate(request("Bearer " + m.secret()))).isPresent();
        clock.advance(Duration.ofMinutes(59));
        assertThat(auth.authenticate(request("Bearer " + m.secret()))).isPresent();
        clock.advance(Duration.ofMinutes(1));
        assertThatThrownBy(() -> auth.authenticate(request("Bearer " + m.secret())))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageContaining("expired").hasMessageNotContaining(m.secret());
    }

    @Test
    void aFailingStoreIs503WithoutTheToken() {
        BearerTokenAuthenticator auth = BearerTokenAuthenticator.builder().store(digest -> {
            throw new IllegalStateException("connection refused for " + digest);
        }).build();
        assertThatThrownBy(() -> auth.authenticate(request("Bearer " + A)))
                .isInstanceOfSatisfying(ScimException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.getCause()).isNull();
                })
                .hasMessageNotContaining(A).hasMessageNotContaining(ScimToken.digestOf(A));
    }

    @Test
    void aStoreThatAnswersLooselyCannotLetAWrongTokenIn() {
        ScimToken stored = ScimToken.of("s", ScimToken.digestOf(A), ScimScope.ALL);
        BearerTokenAuthenticator auth = BearerTokenAuthenticator.builder().store(digest -> Optional.of(stored)).build();
        assertThat(auth.authenticate(request("Bearer " + B))).isEmpty();
        assertThat(auth.authenticate(request("Bearer " + A))).isPresent();
    }

    @Test
    void tokensGivenAfterBuildDoNotReachTheBuiltAuthenticator() {
        BearerTokenAuthenticator.Builder b = BearerTokenAuthenticator.builder().token("a", A);
        BearerTokenAuthenticator auth = b.build();
        b.token("b", B);
        assertThat(auth.authenticate(request("Bearer " + B))).isEmpty();
    }

    @Test
    void badConfigurationFailsAtOnceWithoutEchoingTheToken() {
        assertThatThrownBy(() -> BearerTokenAuthenticator.builder().token("short", "abc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 16").hasMessageNotContaining("abc ");
        assertThatThrownBy(() -> BearerTokenAuthenticator.builder().token("a", A).token("a", B))
                .hasMessageContaining("given twice");
        assertThatThrownBy(() -> BearerTokenAuthenticator.builder().token("a", A).token("b", A))
                .hasMessageContaining("same as another").hasMessageNotContaining(A);
        assertThatThrownBy(() -> BearerTokenAuthenticator.builder().token("ws", "has whitespace inside it"))
                .hasMessageContaining("whitespace").hasMessageNotContaining("inside");
        assertThatThrownBy(() -> BearerTokenAuthenticator.builder().token(" ", A)).hasMessageContaining("id is required");
        assertThatThrownBy(() -> BearerTokenAuthenticator.builder().build()).hasMessageContaining("at least one token");
        assertThatThrownBy(() -> BearerTokenAuthenticator.builder().token("a", A)
                .store(new InMemoryScimTokenStore()).build()).hasMessageContaining("not both");
    }
}
