package io.usher.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
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
    void anythingElseIsRefused() {
        BearerTokenAuthenticator auth = BearerTokenAuthenticator.builder().token("new", A).build();
        for (String h : new String[] {null, "", "Bearer", "Bearer ", "Basic " + A, A, "Bearer " + A + "x",
                "Bearer " + A.substring(1), "Bearer " + A.toUpperCase(java.util.Locale.ROOT)}) {
            assertThat(auth.authenticate(request(h))).as(String.valueOf(h)).isEqualTo(Optional.empty());
        }
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
    }
}
