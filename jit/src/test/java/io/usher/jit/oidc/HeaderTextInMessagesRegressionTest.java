package io.usher.jit.oidc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.JWKSet;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Review finding: OidcException messages echo the attacker's header alg verbatim (contract: never token values). */
class HeaderTextInMessagesRegressionTest {
    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theMessageDoesNotCarryTheTokensHeaderText() throws Exception {
        OidcValidator v = OidcValidator.builder().issuer("https://idp.example").clientId("c")
                .jwks(new JWKSet(new RSAKeyGenerator(2048).keyID("k").generate().toPublicJWK())).build();
        String token = b64("{\"alg\":\"RS256\\n2026-11-29 INFO admin login ok user=root\"}") + "." + b64("{}") + ".AAAA";
        assertThatThrownBy(() -> v.validate(token, IdTokenExpectations.withoutNonce()))
                .isInstanceOf(OidcException.class)
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage())
                        .doesNotContain("admin login ok"));
    }
}
