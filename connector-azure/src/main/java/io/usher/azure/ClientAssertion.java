package io.usher.azure;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.usher.core.ConfigException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Signs the client assertions Entra ID accepts in place of a client secret (RFC 7523; Microsoft's "certificate
 * credentials"): header {@code alg} RS256 or PS256, {@code typ} JWT and {@code x5t#S256} (the base64url SHA-256
 * of the certificate's DER); claims {@code aud} the token endpoint, {@code iss} and {@code sub} the client id,
 * a fresh {@code jti}, {@code nbf}/{@code iat} now and {@code exp} ten minutes on. Thread-safe.
 */
final class ClientAssertion {
    static final Duration LIFETIME = Duration.ofMinutes(10);

    private final String clientId;
    private final String audience;
    private final JWSAlgorithm alg;
    private final Base64URL thumbprint;
    private final RSASSASigner signer;
    private final Clock clock;

    ClientAssertion(String clientId, String audience, AzureConfig.SigningAlgorithm alg, X509Certificate cert,
                    PrivateKey key, Clock clock) {
        this.clientId = clientId;
        this.audience = audience;
        this.alg = alg == AzureConfig.SigningAlgorithm.PS256 ? JWSAlgorithm.PS256 : JWSAlgorithm.RS256;
        try {
            this.thumbprint = Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new ConfigException("certificatePath", "the certificate cannot be encoded");
        }
        this.signer = new RSASSASigner(key);
        this.clock = clock;
    }

    /** A freshly signed assertion. */
    String sign() {
        Instant now = clock.instant();
        JWSHeader header = new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).x509CertSHA256Thumbprint(thumbprint)
                .build();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().audience(audience).issuer(clientId).subject(clientId)
                .jwtID(UUID.randomUUID().toString()).notBeforeTime(Date.from(now)).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME))).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new ConfigException("certificatePath", "the private key cannot sign " + alg + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        return jwt.serialize();
    }
}
