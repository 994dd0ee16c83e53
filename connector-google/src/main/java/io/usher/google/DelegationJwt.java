package io.usher.google;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The JWT a service account presents at Google's token endpoint (RFC 7523 JWT bearer grant, as Google's
 * "OAuth 2.0 for server to server applications" describes): RS256, {@code iss} the service account,
 * {@code scope} space-separated, {@code aud} the token endpoint, {@code sub} the admin to impersonate
 * (domain-wide delegation), {@code iat} now and {@code exp} one hour later (Google's maximum). Signed fresh for
 * every token fetch. Thread-safe.
 */
final class DelegationJwt {
    static final Duration LIFETIME = Duration.ofHours(1);
    private final ServiceAccountKey key;
    private final String scope;
    private final String subject;
    private final Clock clock;

    DelegationJwt(ServiceAccountKey key, String scope, String subject, Clock clock) {
        this.key = key;
        this.scope = scope;
        this.subject = subject;
        this.clock = clock;
    }

    String sign() {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(key.clientEmail()).subject(subject)
                .audience(key.tokenUri().toString()).claim("scope", scope)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(LIFETIME))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(),
                claims);
        try {
            jwt.sign(new RSASSASigner(key.privateKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign the JWT grant with the service account key", e);
        }
        return jwt.serialize();
    }
}
