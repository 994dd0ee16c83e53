package io.usher.testkit.okta;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fake org's credentials: SSWS API tokens, and OAuth 2.0 service apps that authenticate to
 * {@code POST /oauth2/v1/token} with {@code private_key_jwt} (RFC 7523 client assertion, RS256 or ES256, signed
 * by the app's registered key: {@code aud} the token URL, {@code iss} = {@code sub} = client id, {@code exp} in
 * the future and at most an hour after {@code iat}, a fresh {@code jti}) and ask for scopes the app was granted.
 * An app may require DPoP (RFC 9449): the token request must then carry a {@code DPoP} proof, and the first one
 * is answered {@code use_dpop_nonce} with a {@code DPoP-Nonce} header, as Okta does; the access token is then
 * bound to the proof's key, and every API request must present it as {@code Authorization: DPoP …} with a
 * proof for that request ({@code htm}, {@code htu}, {@code ath}). Thread-safe.
 */
final class OktaAuth {
    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final Duration SKEW = Duration.ofMinutes(2);

    /** A registered service app. */
    record App(String clientId, JWK publicKey, Set<String> scopes, boolean dpop) {}

    /** Who is calling: an API token (every permission) or an access token with scopes, maybe DPoP-bound. */
    record Caller(String name, Set<String> scopes, boolean allScopes, String jkt, Instant expiresAt) {
        boolean has(String scope) {
            return allScopes || scopes.contains(scope);
        }
    }

    /** A refused token request: the OAuth error, its description, and headers to send. */
    static final class OAuthError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String error;
        final Map<String, String> headers;

        OAuthError(int status, String error, String description, Map<String, String> headers) {
            super(description, null, false, false);
            this.status = status;
            this.error = error;
            this.headers = headers;
        }

        OAuthError(int status, String error, String description) {
            this(status, error, description, Map.of());
        }
    }

    private final Clock clock;
    private final Duration lifetime;
    private final Set<String> apiTokens;
    private final Map<String, App> apps;
    private final Map<String, Caller> issued = new ConcurrentHashMap<>();
    private final Map<String, Instant> seenJti = new ConcurrentHashMap<>();
    private final Set<String> nonces = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();

    OktaAuth(Clock clock, Duration lifetime, Set<String> apiTokens, Map<String, App> apps) {
        this.clock = clock;
        this.lifetime = lifetime;
        this.apiTokens = Set.copyOf(apiTokens);
        this.apps = Map.copyOf(apps);
    }

    /** Answers {@code POST /oauth2/v1/token}. */
    Map<String, Object> token(Map<String, String> form, String dpopProof, String tokenUrl) {
        if (!"client_credentials".equals(form.get("grant_type"))) {
            throw new OAuthError(400, "unsupported_grant_type", "The authorization grant type is not supported by "
                    + "the authorization server. Configured grant types: [client_credentials].");
        }
        String assertion = form.get("client_assertion");
        if (assertion == null || !ASSERTION_TYPE.equals(form.get("client_assertion_type"))) {
            throw new OAuthError(401, "invalid_client", "Client authentication failed. Either the client or the "
                    + "client credentials are invalid.");
        }
        App app = checkAssertion(assertion, form.get("client_id"), tokenUrl);
        Set<String> asked = new LinkedHashSet<>(Arrays.asList(form.getOrDefault("scope", "").trim().split("\\s+")));
        asked.remove("");
        if (asked.isEmpty()) {
            throw new OAuthError(400, "invalid_scope", "The authorization server resource does not have any "
                    + "configured default scopes, 'scope' must be provided.");
        }
        Set<String> missing = new LinkedHashSet<>(asked);
        missing.removeAll(app.scopes());
        if (!missing.isEmpty()) {
            throw new OAuthError(400, "invalid_scope", "The following scopes were requested, but not granted: "
                    + String.join(", ", missing) + ".");
        }
        String jkt = null;
        if (app.dpop()) {
            if (dpopProof == null) {
                throw new OAuthError(400, "invalid_dpop_proof", "The DPoP proof JWT header is missing.");
            }
            JWK key = checkProof(dpopProof, "POST", tokenUrl, null, true);
            jkt = thumbprint(key);
        }
        String token = randomToken();
        Instant exp = clock.instant().plus(lifetime);
        issued.put(token, new Caller(app.clientId(), Set.copyOf(asked), false, jkt, exp));
        return Map.of("token_type", jkt == null ? "Bearer" : "DPoP", "expires_in", lifetime.getSeconds(),
                "access_token", token, "scope", String.join(" ", asked));
    }

    /**
     * The caller behind an {@code Authorization} header, or null for a missing or unknown credential.
     *
     * @throws OAuthError for a DPoP-bound token presented without a valid proof
     */
    Caller authenticate(String authorization, String dpopProof, String method, String url) {
        if (authorization == null) {
            return null;
        }
        if (authorization.startsWith("SSWS ")) {
            String t = authorization.substring(5).trim();
            for (String known : apiTokens) {
                if (MessageDigest.isEqual(known.getBytes(StandardCharsets.UTF_8), t.getBytes(StandardCharsets.UTF_8))) {
                    return new Caller("api-token", Set.of(), true, null, Instant.MAX);
                }
            }
            return null;
        }
        boolean bearer = authorization.startsWith("Bearer ");
        boolean dpop = authorization.startsWith("DPoP ");
        if (!bearer && !dpop) {
            return null;
        }
        String token = authorization.substring(bearer ? 7 : 5).trim();
        Caller c = issued.get(token);
        if (c == null || !clock.instant().isBefore(c.expiresAt())) {
            return null;
        }
        if (c.jkt() != null) {
            if (!dpop || dpopProof == null) {
                throw new OAuthError(400, "invalid_dpop_proof", "The DPoP proof JWT header is missing.");
            }
            JWK key = checkProof(dpopProof, method, url, token, false);
            if (!c.jkt().equals(thumbprint(key))) {
                throw new OAuthError(400, "invalid_dpop_proof", "The DPoP proof key does not match the token.");
            }
        }
        return c;
    }

    /** Forgets every issued access token (they all expire at once). */
    void expireAll() {
        issued.clear();
    }

    private App checkAssertion(String assertion, String clientId, String tokenUrl) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(assertion);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new OAuthError(400, "invalid_client", "The client_assertion token is malformed.");
        }
        String iss = claims.getIssuer();
        App app = apps.get(clientId != null ? clientId : iss == null ? "" : iss);
        if (app == null) {
            throw new OAuthError(401, "invalid_client", "The client_id is invalid.");
        }
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!JWSAlgorithm.RS256.equals(alg) && !JWSAlgorithm.ES256.equals(alg)) {
            throw new OAuthError(400, "invalid_client", "The client_assertion signature algorithm is not supported.");
        }
        if (!verify(jwt, app.publicKey())) {
            throw new OAuthError(400, "invalid_client", "The client_assertion signature is invalid.");
        }
        if (!app.clientId().equals(iss) || !app.clientId().equals(claims.getSubject())) {
            throw new OAuthError(400, "invalid_client", "The 'iss' and 'sub' claims must be the client_id.");
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(tokenUrl)) {
            throw new OAuthError(400, "invalid_client", "The audience claim for client_assertion must be the "
                    + "endpoint invoked for the request.");
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        Date iat = claims.getIssueTime();
        if (exp == null || !exp.toInstant().isAfter(now.minus(SKEW))) {
            throw new OAuthError(400, "invalid_client", "The client_assertion token is expired.");
        }
        if (exp.toInstant().isAfter((iat == null ? now : iat.toInstant()).plus(Duration.ofHours(1)).plus(SKEW))) {
            throw new OAuthError(400, "invalid_client", "The client_assertion token has an expiration too far in the "
                    + "future.");
        }
        String jti = claims.getJWTID();
        if (jti == null || jti.isBlank()) {
            throw new OAuthError(400, "invalid_client", "The client_assertion token must contain a 'jti' claim.");
        }
        seenJti.values().removeIf(until -> until.isBefore(now.minus(SKEW)));
        if (seenJti.putIfAbsent(app.clientId() + "|" + jti, exp.toInstant()) != null) {
            throw new OAuthError(400, "invalid_client", "The client_assertion token has already been used.");
        }
        return app;
    }

    private JWK checkProof(String proof, String method, String url, String accessToken, boolean needNonce) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(proof);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new OAuthError(400, "invalid_dpop_proof", "The DPoP proof JWT is malformed.");
        }
        if (!new JOSEObjectType("dpop+jwt").equals(jwt.getHeader().getType())) {
            throw new OAuthError(400, "invalid_dpop_proof", "The DPoP proof must have typ dpop+jwt.");
        }
        JWK key = jwt.getHeader().getJWK();
        if (key == null || key.isPrivate()) {
            throw new OAuthError(400, "invalid_dpop_proof", "The DPoP proof must carry a public jwk.");
        }
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!JWSAlgorithm.RS256.equals(alg) && !JWSAlgorithm.ES256.equals(alg)) {
            throw new OAuthError(400, "invalid_dpop_proof", "The DPoP proof algorithm is not supported.");
        }
        if (!verify(jwt, key)) {
            throw new OAuthError(400, "invalid_dpop_proof", "The DPoP proof signature is invalid.");
        }
        Object htm = claims.getClaim("htm");
        Object htu = claims.getClaim("htu");
        if (!method.equals(htm) || !(htu instanceof String) || !stripQuery(url).equals(stripQuery((String) htu))) {
            throw new OAuthError(400, "invalid_dpop_proof", "The DPoP proof htm or htu does not match the request.");
        }
        Date iat = claims.getIssueTime();
        Instant now = clock.instant();
        if (iat == null || iat.toInstant().isBefore(now.minus(Duration.ofMinutes(5)))
                || iat.toInstant().isAfter(now.plus(SKEW))) {
            throw new OAuthError(400, "invalid_dpop_proof", "The DPoP proof iat is not recent.");
        }
        String jti = claims.getJWTID();
        if (jti == null || seenJti.putIfAbsent("dpop|" + jti, now.plus(Duration.ofMinutes(10))) != null) {
            throw new OAuthError(400, "invalid_dpop_proof", "The DPoP proof jti is missing or was used before.");
        }
        if (needNonce) {
            Object nonce = claims.getClaim("nonce");
            if (!(nonce instanceof String) || !nonces.contains(nonce)) {
                String fresh = randomToken();
                nonces.add(fresh);
                seenJti.remove("dpop|" + jti); // the retry may not reuse it, but this one was not consumed
                throw new OAuthError(400, "use_dpop_nonce", "Authorization server requires nonce in DPoP proof.",
                        Map.of("DPoP-Nonce", fresh));
            }
        }
        if (accessToken != null) {
            Object ath = claims.getClaim("ath");
            if (!(ath instanceof String) || !ath.equals(sha256(accessToken))) {
                throw new OAuthError(400, "invalid_dpop_proof", "The DPoP proof ath does not match the access token.");
            }
        }
        return key;
    }

    private static String stripQuery(String url) {
        int q = url.indexOf('?');
        int f = url.indexOf('#');
        int end = q >= 0 ? q : f >= 0 ? f : url.length();
        return url.substring(0, end);
    }

    private static boolean verify(SignedJWT jwt, JWK key) {
        try {
            JWSVerifier v;
            if (key instanceof RSAKey rsa) {
                v = new RSASSAVerifier(rsa.toRSAPublicKey());
            } else if (key instanceof ECKey ec) {
                v = new ECDSAVerifier(ec.toECPublicKey());
            } else {
                return false;
            }
            return jwt.verify(v);
        } catch (JOSEException | RuntimeException e) {
            return false;
        }
    }

    private static String thumbprint(JWK key) {
        try {
            return key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String s) {
        try {
            return Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII)))
                    .toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String randomToken() {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return Base64URL.encode(b).toString();
    }
}
