package io.usher.jit.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.ConfigException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class AuthorizationRequestTest {
    static final URI AUTH = URI.create("https://idp.example/authorize");
    static final URI CALLBACK = URI.create("https://app.example/login/oidc?x=1");

    static Map<String, String> query(URI uri) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : uri.getRawQuery().split("&")) {
            int eq = kv.indexOf('=');
            m.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    @Test
    void carriesStateNoncePkceAndReauthenticationParameters() {
        AuthorizationRequest r = AuthorizationRequest.builder(AUTH, "app", CALLBACK).scope("openid email groups")
                .prompt("login").maxAge(Duration.ZERO).param("login_hint", "alice@corp.example").build();
        Map<String, String> q = query(r.uri());
        assertThat(r.uri().getHost()).isEqualTo("idp.example");
        assertThat(q).containsEntry("response_type", "code").containsEntry("client_id", "app")
                .containsEntry("redirect_uri", CALLBACK.toString()).containsEntry("scope", "openid email groups")
                .containsEntry("state", r.state()).containsEntry("nonce", r.nonce())
                .containsEntry("code_challenge_method", "S256").containsEntry("prompt", "login")
                .containsEntry("max_age", "0").containsEntry("login_hint", "alice@corp.example");
        assertThat(q.get("code_challenge")).isEqualTo(AuthorizationRequest.codeChallenge(r.codeVerifier()));
        assertThat(r.expectations().nonce()).isEqualTo(r.nonce());
        assertThat(r.expectations().maxAge()).isEqualTo(Duration.ZERO);
        assertThat(r.toString()).doesNotContain(r.state()).doesNotContain(r.nonce()).doesNotContain(r.codeVerifier());
    }

    @Test
    void pkceChallengeMatchesRfc7636AppendixB() {
        assertThat(AuthorizationRequest.codeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    @Test
    void builderRefusesBadSettings() {
        assertThatThrownBy(() -> AuthorizationRequest.builder(AUTH, "app", CALLBACK).scope("email"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("openid");
        assertThatThrownBy(() -> AuthorizationRequest.builder(AUTH, "app", CALLBACK).prompt("now"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("prompt");
        assertThatThrownBy(() -> AuthorizationRequest.builder(AUTH, "app", CALLBACK).param("nonce", "x"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nonce");
        assertThatThrownBy(() -> AuthorizationRequest.builder(URI.create("http://idp.example/a"), "app", CALLBACK))
                .isInstanceOf(OidcException.class).hasMessageContaining("https");
        assertThatThrownBy(() -> AuthorizationRequest.builder(AUTH, " ", CALLBACK))
                .isInstanceOf(ConfigException.class);
    }

    @Property(tries = 100)
    void secretsAreFreshUrlSafeAndSurviveTheQuery(@ForAll long seed, @ForAll String hint) {
        Random random = new Random(seed);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            AuthorizationRequest r = AuthorizationRequest.builder(AUTH, "app", CALLBACK).random(random)
                    .param("login_hint", hint).build();
            for (String s : new String[] {r.state(), r.nonce(), r.codeVerifier()}) {
                assertThat(s).matches("[A-Za-z0-9_-]{43}");
                assertThat(seen.add(s)).isTrue();
            }
            Map<String, String> q = query(r.uri());
            assertThat(q.get("state")).isEqualTo(r.state());
            assertThat(q.get("login_hint")).isEqualTo(hint);
        }
    }
}
