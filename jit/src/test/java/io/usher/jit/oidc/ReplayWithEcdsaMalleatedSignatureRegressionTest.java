package io.usher.jit.oidc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import org.junit.jupiter.api.Test;

/** Review finding: an ES256 signature (r, s) re-signed as (r, n - s) verifies and is a "new" token to the replay check. */
class ReplayWithEcdsaMalleatedSignatureRegressionTest {
    static final BigInteger N = new BigInteger(
            "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    @Test
    void aReplayWithTheMirroredSSignatureIsRefused() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("e1").generate();
        Instant now = Instant.now();
        OidcValidator v = OidcValidator.builder().issuer("https://idp.example").clientId("c")
                .jwks(new JWKSet(key.toPublicJWK())).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("e1").build(),
                new JWTClaimsSet.Builder().issuer("https://idp.example").audience("c").subject("alice")
                        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).build());
        jwt.sign(new ECDSASigner(key));
        String token = jwt.serialize();
        v.validate(token, IdTokenExpectations.withoutNonce());

        byte[] sig = jwt.getSignature().decode();
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
        byte[] s2 = N.subtract(s).toByteArray();
        byte[] out = Arrays.copyOf(sig, 64);
        Arrays.fill(out, 32, 64, (byte) 0);
        int len = Math.min(32, s2.length);
        System.arraycopy(s2, s2.length - len, out, 64 - len, len);
        String replay = token.substring(0, token.lastIndexOf('.') + 1) + Base64URL.encode(out);
        assertThatThrownBy(() -> v.validate(replay, IdTokenExpectations.withoutNonce()))
                .isInstanceOf(OidcException.class)
                .extracting(e -> ((OidcException) e).reason()).isEqualTo(OidcException.Reason.REPLAYED);
    }
}
