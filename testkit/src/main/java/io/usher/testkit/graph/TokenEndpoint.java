package io.usher.testkit.graph;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.usher.testkit.internal.OpaqueTokens;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fake Entra ID token endpoint ({@code POST /{tenant}/oauth2/v2.0/token}, client credentials grant):
 * checks a client secret, or a client assertion (RFC 7523) as Entra ID documents it — RS256 or PS256, the
 * registered certificate named by {@code x5t#S256} (or {@code x5t}), {@code aud} the token endpoint,
 * {@code iss} and {@code sub} the client id, {@code exp} in the future, {@code nbf} not in the future, and a
 * {@code jti} never seen before — and issues opaque access tokens that expire. Thread-safe.
 */
final class TokenEndpoint {
    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final Duration SKEW = Duration.ofMinutes(5);

    /** One registered application: its secret or certificates, and its granted application permissions. */
    record App(String clientId, String secret, List<X509Certificate> certificates, Set<String> roles) {}

    /** An issued access token. */
    record Issued(String clientId, Set<String> roles, Instant expiresAt, long generation) {}

    private final Map<String, App> apps;
    private final String tenant;
    private final Clock clock;
    private final Duration lifetime;
    private final OpaqueTokens tokens;
    private final Map<String, Instant> seenJti = new ConcurrentHashMap<>();
    final Map<String, Issued> issued = new ConcurrentHashMap<>();

    TokenEndpoint(Map<String, App> apps, String tenant, Clock clock, Duration lifetime, OpaqueTokens tokens) {
        this.apps = Map.copyOf(apps);
        this.tenant = tenant;
        this.clock = clock;
        this.lifetime = lifetime;
        this.tokens = tokens;
    }

    /** Answers a token request: the JSON body of a 200, or throws {@link OAuthError}. */
    Map<String, Object> token(String pathTenant, Map<String, String> form, String audience, long generation) {
        if (!tenant.equals(pathTenant)) {
            throw new OAuthError(400, "invalid_request", "AADSTS90002: Tenant '" + safe(pathTenant)
                    + "' not found.");
        }
        if (!"client_credentials".equals(form.get("grant_type"))) {
            throw new OAuthError(400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported "
                    + "grant type; this endpoint supports client_credentials.");
        }
        String scope = form.getOrDefault("scope", "");
        if (!scope.endsWith("/.default")) {
            throw new OAuthError(400, "invalid_scope", "AADSTS1002012: The provided value for scope is not valid. "
                    + "Client credential flows must have a scope value with /.default suffixed to the resource "
                    + "identifier.");
        }
        String clientId = form.get("client_id");
        App app = clientId == null ? null : apps.get(clientId);
        String secret = form.get("client_secret");
        String assertion = form.get("client_assertion");
        if (secret != null && assertion != null) {
            throw new OAuthError(400, "invalid_request", "AADSTS90026: Only one credential may be presented.");
        }
        if (assertion != null) {
            if (!ASSERTION_TYPE.equals(form.get("client_assertion_type"))) {
                throw new OAuthError(400, "invalid_request", "AADSTS700011: client_assertion_type must be "
                        + ASSERTION_TYPE);
            }
            app = checkAssertion(assertion, app, clientId, audience);
        } else if (secret != null) {
            if (app == null) {
                throw new OAuthError(400, "unauthorized_client", "AADSTS700016: Application not found in the "
                        + "directory.");
            }
            if (app.secret() == null || !MessageDigest.isEqual(app.secret().getBytes(), secret.getBytes())) {
                throw new OAuthError(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
            }
        } else {
            throw new OAuthError(401, "invalid_client", "AADSTS7000218: The request body must contain the "
                    + "following parameter: 'client_assertion' or 'client_secret'.");
        }
        String token = tokens.random();
        issued.put(token, new Issued(app.clientId(), app.roles(), clock.instant().plus(lifetime), generation));
        return Map.of("token_type", "Bearer", "expires_in", lifetime.getSeconds(), "ext_expires_in",
                lifetime.getSeconds(), "access_token", token);
    }

    private App checkAssertion(String assertion, App app, String clientId, String audience) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(assertion);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new OAuthError(401, "invalid_client", "AADSTS50027: JWT token is invalid or malformed.");
        }
        String iss = claims.getIssuer();
        String sub = claims.getSubject();
        if (app == null && iss != null) {
            app = apps.get(iss);
        }
        if (app == null) {
            throw new OAuthError(400, "unauthorized_client", "AADSTS700016: Application not found in the "
                    + "directory.");
        }
        if (clientId != null && !clientId.equals(app.clientId())) {
            throw new OAuthError(401, "invalid_client", "AADSTS700021: Client assertion application identifier "
                    + "doesn't match 'client_id' parameter.");
        }
        JWSHeader h = jwt.getHeader();
        if (!JWSAlgorithm.RS256.equals(h.getAlgorithm()) && !JWSAlgorithm.PS256.equals(h.getAlgorithm())) {
            throw new OAuthError(401, "invalid_client", "AADSTS5002730: Invalid JWT token. Unsupported key for "
                    + "the signing algorithm.");
        }
        X509Certificate cert = certificateFor(app, h.getX509CertSHA256Thumbprint(), h.getX509CertThumbprint());
        if (cert == null) {
            throw new OAuthError(401, "invalid_client", "AADSTS700027: The certificate with identifier used to "
                    + "sign the client assertion is not registered on application.");
        }
        try {
            if (!jwt.verify(new RSASSAVerifier((RSAPublicKey) cert.getPublicKey()))) {
                throw new OAuthError(401, "invalid_client", "AADSTS700027: Client assertion failed signature "
                        + "validation.");
            }
        } catch (JOSEException e) {
            throw new OAuthError(401, "invalid_client", "AADSTS700027: Client assertion failed signature "
                    + "validation.");
        }
        if (!app.clientId().equals(iss) || !app.clientId().equals(sub)) {
            throw new OAuthError(401, "invalid_client", "AADSTS700023: Client assertion audience claim does not "
                    + "match or iss/sub is not the client id.");
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
            throw new OAuthError(401, "invalid_client", "AADSTS700016: Invalid audience claim; expected the token "
                    + "endpoint.");
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null || !exp.toInstant().isAfter(now)) {
            throw new OAuthError(401, "invalid_client", "AADSTS700024: Client assertion is not within its valid "
                    + "time range.");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(SKEW))) {
            throw new OAuthError(401, "invalid_client", "AADSTS700024: Client assertion is not within its valid "
                    + "time range.");
        }
        String jti = claims.getJWTID();
        if (jti == null || jti.isBlank()) {
            throw new OAuthError(401, "invalid_client", "AADSTS700025: Client assertion has no jti claim.");
        }
        seenJti.values().removeIf(until -> until.isBefore(now));
        if (seenJti.putIfAbsent(app.clientId() + "|" + jti, exp.toInstant()) != null) {
            throw new OAuthError(401, "invalid_client", "AADSTS7000215: The client assertion's jti was already "
                    + "used (replay).");
        }
        return app;
    }

    private static X509Certificate certificateFor(App app, Base64URL sha256, Base64URL sha1) {
        for (X509Certificate c : app.certificates()) {
            try {
                byte[] der = c.getEncoded();
                if (sha256 != null && sha256.toString().equals(Base64URL.encode(
                        MessageDigest.getInstance("SHA-256").digest(der)).toString())) {
                    return c;
                }
                if (sha1 != null && sha1.toString().equals(Base64URL.encode(
                        MessageDigest.getInstance("SHA-1").digest(der)).toString())) {
                    return c;
                }
            } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return null;
    }

    private static String safe(String s) {
        return s == null ? "" : s.replaceAll("[^A-Za-z0-9.\\-]", "?");
    }

    /** A refused token request, in the OAuth 2.0 error shape Entra ID uses. */
    static final class OAuthError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String error;

        OAuthError(int status, String error, String description) {
            super(description, null, false, false);
            this.status = status;
            this.error = error;
        }
    }
}
