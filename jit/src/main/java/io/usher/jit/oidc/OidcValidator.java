package io.usher.jit.oidc;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.usher.core.ConfigException;
import io.usher.jit.ValidationTrace;
import io.usher.jit.VerifiedLogin;
import io.usher.jit.internal.CheckRecorder;
import io.usher.jit.internal.CheckRecorder.Step;
import io.usher.jit.internal.SingleUse;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Validates OpenID Connect ID tokens from one provider for one client and turns them into
 * {@link VerifiedLogin}s. The checks, in order (each failure an {@link OidcException} with its
 * {@link OidcException.Reason}):
 *
 * <ol>
 *   <li>size, then JWT syntax, and a {@code typ} that is not another kind of JWT (access, logout, event token);
 *       an encrypted token (JWE, when a decryption key is configured) is decrypted with an
 *       allow-listed algorithm (RSA-OAEP family; never RSA1_5) and must contain a <em>signed</em> JWT;
 *   <li>{@code alg}: never {@code none}, never HS* (the provider's public key is no MAC secret), and on the
 *       allow-list (default RS256/384/512, PS256/384/512, ES256/384/512);
 *   <li>the key: from the provider's JWKS by {@code kid} (cached; one rate-limited refresh on an unknown
 *       {@code kid}, which is how key rotation is picked up), of the right type, curve, {@code alg} and {@code use};
 *   <li>the signature;
 *   <li>{@code iss} equal to the issuer, {@code aud} containing the client id, {@code azp} equal to the client id
 *       when present (required with several audiences), {@code sub} present;
 *   <li>{@code exp}, {@code nbf} and {@code iat} against the injected clock with the configured skew;
 *   <li>{@code nonce} equal to the login's; {@code auth_time} present and within {@code max_age} when the login
 *       sent one; {@code acr} accepted; {@code at_hash} matching the access token when both are present;
 *   <li>single use: the nonce (and the token) are remembered until the token expires; a second use is
 *       {@code REPLAYED}.
 * </ol>
 *
 * <p>Thread-safe: one validator serves all logins of a client.
 */
public final class OidcValidator {
    /** The default allow-list: RSA PKCS#1 and PSS, and ECDSA, with SHA-256 or longer. */
    public static final Set<JWSAlgorithm> DEFAULT_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    private static final Set<JWEAlgorithm> JWE_ALGORITHMS = Set.of(JWEAlgorithm.RSA_OAEP_256,
            JWEAlgorithm.RSA_OAEP_384, JWEAlgorithm.RSA_OAEP_512);
    private static final Set<EncryptionMethod> JWE_METHODS = Set.of(EncryptionMethod.A128GCM,
            EncryptionMethod.A192GCM, EncryptionMethod.A256GCM, EncryptionMethod.A128CBC_HS256,
            EncryptionMethod.A192CBC_HS384, EncryptionMethod.A256CBC_HS512);

    /** Explicitly typed JWTs that are not ID tokens (RFC 9068 access tokens, logout tokens, security events). */
    private static final Set<String> OTHER_TYPES = Set.of("at+jwt", "application/at+jwt", "logout+jwt",
            "application/logout+jwt", "secevent+jwt", "application/secevent+jwt");

    private final String issuer;
    private final String clientId;
    private final Clock clock;
    private final Duration skew;
    private final Set<JWSAlgorithm> algorithms;
    private final JwksCache keys;
    private final RSAKey decryptionKey;
    private final URI userInfoEndpoint;
    private final HttpClient http;
    private final Duration timeout;
    private final int maxTokenLength;
    private final SingleUse used;
    private final Map<JWK, JWSVerifier> verifiers = new java.util.concurrent.ConcurrentHashMap<>();

    /** The checks, in the order {@link #validate} makes them (what {@link #trace} reports). */
    static final List<Step> PLAN = List.of(
            new Step("size", "the token is at most the size limit"),
            new Step("parse", "a JWT in compact serialization, not alg none"),
            new Step("decryption", "an encrypted token uses allowed algorithms, decrypts with the configured key and "
                    + "holds a signed JWT"),
            new Step("type", "typ does not mark another kind of JWT (access, logout or event token)"),
            new Step("algorithm", "alg is on the allow-list (never a MAC algorithm)"),
            new Step("key", "the provider's JWKS has the signing key, of the right type, alg and use"),
            new Step("signature", "the signature verifies with the provider's key"),
            new Step("claims", "the claims are a valid JWT claims set"),
            new Step("issuer", "iss is the configured issuer"),
            new Step("audience", "aud contains this client's id"),
            new Step("authorized-party", "azp, when present, is this client's id (required with several audiences)"),
            new Step("subject", "sub is present, printable, at most 255 characters"),
            new Step("expiry", "exp and iat are present and exp has not passed"),
            new Step("not-before", "nbf, when present, has been reached"),
            new Step("issued-at", "iat is not in the future"),
            new Step("nonce", "nonce is the one the login sent"),
            new Step("max-age", "auth_time is present and within the max_age the login sent"),
            new Step("acr", "acr is one of the accepted values"),
            new Step("at-hash", "at_hash, when present, matches the access token"),
            new Step("replay", "neither the nonce nor the token was used for a login before"));

    private OidcValidator(Builder b) {
        this.issuer = b.issuer;
        this.clientId = b.clientId;
        this.clock = b.clock;
        this.skew = b.skew;
        this.algorithms = Set.copyOf(b.algorithms);
        this.decryptionKey = b.decryptionKey;
        this.userInfoEndpoint = b.userInfoEndpoint;
        this.http = b.http;
        this.timeout = b.timeout;
        this.maxTokenLength = b.maxTokenLength;
        this.used = new SingleUse(b.clock, b.replayCacheSize);
        URI jwksUri = b.jwksUri;
        this.keys = jwksUri == null ? new JwksCache(null, b.jwks, clock, b.jwksTtl, b.jwksMinRefresh)
                : new JwksCache(() -> HttpJson.get(http, jwksUri, null, timeout, "the provider's JWKS"), null, clock,
                        b.jwksTtl, b.jwksMinRefresh);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The keys {@link #fromConfig} reads. */
    public static final Set<String> CONFIG_KEYS = Set.of("issuer", "clientId", "jwksUri", "jwks",
            "userInfoEndpoint", "clockSkew", "algorithms", "decryptionKey", "timeout", "jwksCacheTtl",
            "replayCacheSize");

    /**
     * A builder set from flat configuration, so a host (or the CLI) can keep the client's settings as properties;
     * add what properties cannot say (a clock, an HTTP client) and {@code build()}:
     * <pre>
     * issuer          = https://login.corp.example     # required, compared exactly with iss
     * clientId        = wiki                           # required
     * jwksUri         = https://login.corp.example/keys   # or
     * jwks            = /etc/wiki/idp-jwks.json        # fixed keys from a file (public keys only)
     * userInfoEndpoint = https://login.corp.example/userinfo
     * clockSkew       = 60s                            # at most 10 minutes
     * algorithms      = RS256, ES256                   # default RS*, PS*, ES*
     * decryptionKey   = /etc/wiki/client-key.jwk.json  # a private RSA JWK, for encrypted ID tokens
     * timeout         = 10s
     * jwksCacheTtl    = 1h
     * replayCacheSize = 100000
     * </pre>
     * Errors are {@link ConfigException}s naming the key; values and file contents are never echoed. Unknown keys are
     * refused by name.
     */
    public static Builder fromConfig(Map<String, String> properties) {
        io.usher.core.spi.ConnectorConfig cfg = io.usher.core.spi.ConnectorConfig.of(properties);
        cfg.rejectUnknown(CONFIG_KEYS);
        Builder b = builder();
        b.issuer(cfg.require("issuer"));
        b.clientId(cfg.require("clientId"));
        cfg.optional("jwksUri").ifPresent(v -> b.jwksUri(uri("jwksUri", v)));
        cfg.optional("jwks").ifPresent(path -> {
            try {
                b.jwks(JWKSet.parse(io.usher.jit.internal.ConfigFiles.text("jwks", path)));
            } catch (ParseException e) {
                throw new ConfigException("jwks", "names a file that is not a JWK set (JSON with \"keys\")");
            }
        });
        if (cfg.optional("jwksUri").isEmpty() && cfg.optional("jwks").isEmpty()) {
            throw new ConfigException("jwksUri", "is required (or give jwks, a file with the provider's keys)");
        }
        cfg.optional("userInfoEndpoint").ifPresent(v -> b.userInfoEndpoint(uri("userInfoEndpoint", v)));
        if (cfg.optional("clockSkew").isPresent()) {
            b.clockSkew(cfg.duration("clockSkew", Duration.ofSeconds(60)));
        }
        List<String> algs = cfg.list("algorithms");
        if (!algs.isEmpty()) {
            try {
                b.algorithms(algs.stream().map(JWSAlgorithm::parse).toArray(JWSAlgorithm[]::new));
            } catch (ConfigException e) {
                throw new ConfigException("algorithms", "names an algorithm that is not accepted for ID tokens "
                        + "(RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512)");
            }
        }
        cfg.optional("decryptionKey").ifPresent(path -> {
            JWK key;
            try {
                key = JWK.parse(io.usher.jit.internal.ConfigFiles.text("decryptionKey", path));
            } catch (ParseException e) {
                throw new ConfigException("decryptionKey", "names a file that is not a JWK (JSON)");
            }
            if (!(key instanceof RSAKey)) {
                throw new ConfigException("decryptionKey", "must be an RSA key");
            }
            b.decryptionKey((RSAKey) key);
        });
        if (cfg.optional("timeout").isPresent()) {
            b.timeout(cfg.duration("timeout", Duration.ofSeconds(10)));
        }
        if (cfg.optional("jwksCacheTtl").isPresent()) {
            b.jwksCacheTtl(cfg.duration("jwksCacheTtl", Duration.ofHours(1)));
        }
        if (cfg.optional("replayCacheSize").isPresent()) {
            b.replayCacheSize(cfg.intValue("replayCacheSize", 100_000, 1, Integer.MAX_VALUE));
        }
        return b;
    }

    private static URI uri(String key, String value) {
        try {
            return OidcProviderMetadata.endpoint(value, key, OidcException.Reason.BAD_DISCOVERY);
        } catch (OidcException | IllegalArgumentException e) {
            throw new ConfigException(key, "must be an absolute https URL (http only on loopback)");
        }
    }

    public String issuer() {
        return issuer;
    }

    public String clientId() {
        return clientId;
    }

    /** How many times the JWKS was fetched (for monitoring). */
    public long jwksFetches() {
        return keys.fetches();
    }

    /**
     * Validates the ID token against this login's expectations. Returns the verified login: issuer, {@code sub},
     * proof id ({@code jti}, or a digest of the token), {@code auth_time} (or {@code iat}), the nonce as
     * {@code inResponseTo}, and every claim as string values ({@code groups} arrays become lists).
     */
    public VerifiedLogin validate(String idToken, IdTokenExpectations expect) {
        Objects.requireNonNull(expect, "expectations");
        return validate(idToken, expect, CheckRecorder.OFF);
    }

    /**
     * A dry run of {@link #validate}: the same checks, in the same order, each recorded with its verdict; the first
     * refusal ends it with the reason {@code validate} would give, and the checks after it are {@code NOT_REACHED}.
     * Nothing is used up: nonce and token are only looked up in the single-use cache, never recorded. With
     * {@code expect} null (the login's nonce, max_age and acr are not known) those checks are reported as not
     * checked. For explaining a login to an administrator ({@code io.usher.jit.explain.LoginExplainer}); never
     * sign anyone in on a trace's login. A provider outage ({@code PROVIDER_UNAVAILABLE}) is a failed key check.
     */
    public ValidationTrace trace(String idToken, IdTokenExpectations expect) {
        Objects.requireNonNull(idToken, "idToken");
        CheckRecorder recorder = CheckRecorder.of(PLAN);
        VerifiedLogin login = null;
        try {
            login = validate(idToken, expect, recorder);
        } catch (OidcException e) {
            String prefix = e.reason() + ": ";
            String message = e.getMessage();
            recorder.failed(e.reason().name(), message.startsWith(prefix) ? message.substring(prefix.length())
                    : message);
        }
        return recorder.finish(VerifiedLogin.Protocol.OIDC, login);
    }

    private VerifiedLogin validate(String idToken, IdTokenExpectations expect, CheckRecorder trace) {
        Objects.requireNonNull(idToken, "idToken");
        trace.at("size");
        if (idToken.length() > maxTokenLength) {
            throw fail(OidcException.Reason.TOO_LARGE, "the token is longer than " + maxTokenLength + " characters");
        }
        SignedJWT jwt = signedJwt(idToken.trim(), trace);
        trace.at("type");
        com.nimbusds.jose.JOSEObjectType typ = jwt.getHeader().getType();
        if (typ != null && OTHER_TYPES.contains(typ.getType().toLowerCase(java.util.Locale.ROOT))) {
            throw fail(OidcException.Reason.WRONG_TOKEN_TYPE, "typ says this JWT is not an ID token");
        }
        trace.at("algorithm");
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
            throw fail(OidcException.Reason.ALG_NOT_ALLOWED, shown(alg) + " is a MAC algorithm; ID tokens must be signed "
                    + "with the provider's private key");
        }
        if (!algorithms.contains(alg)) {
            throw fail(OidcException.Reason.ALG_NOT_ALLOWED, shown(alg) + " is not on the allow-list " + names(algorithms));
        }
        trace.at("key");
        JWK key = keys.key(jwt.getHeader().getKeyID(), alg);
        trace.at("signature");
        if (!verify(jwt, key)) {
            throw fail(OidcException.Reason.BAD_SIGNATURE, "the signature does not verify with the provider's key");
        }
        trace.at("claims");
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw fail(OidcException.Reason.MALFORMED, "the claims are not a valid JWT claims set");
        }
        // Replay is keyed on the signed text (header.payload), never on the signature's spelling: base64url has
        // spare bits and ECDSA signatures are malleable (s and n-s both verify), so one token has several valid
        // signature spellings (review finding: a no-nonce token replayed with one bit of its signature changed).
        return check(claims, expect, alg, trace, jwt.getSigningInput() == null ? jwt.getSignature().toString()
                : new String(jwt.getSigningInput(), StandardCharsets.US_ASCII));
    }

    /**
     * A header value as it may appear in a message: the token's header is the sender's text, so only the characters
     * of real algorithm names are kept (no newlines or markup to forge log lines) and the length is capped.
     */
    static String shown(Object headerValue) {
        String text = String.valueOf(headerValue);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 32; i++) {
            char ch = text.charAt(i);
            out.append((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')
                    || ch == '-' || ch == '_' || ch == '+' ? ch : '?');
        }
        return text.length() > 32 ? out + "..." : out.toString();
    }

    private SignedJWT signedJwt(String token, CheckRecorder trace) {
        trace.at("parse");
        JWT parsed;
        try {
            parsed = JWTParser.parse(token);
        } catch (ParseException | RuntimeException e) {
            throw fail(OidcException.Reason.MALFORMED, "the token is not a JWT in compact serialization");
        }
        if (parsed instanceof PlainJWT) {
            throw fail(OidcException.Reason.UNSIGNED, "alg none: the token is not signed");
        }
        if (parsed instanceof SignedJWT) {
            trace.notApplicable("decryption", "the token is not encrypted");
            return (SignedJWT) parsed;
        }
        // encrypted
        trace.at("decryption");
        if (decryptionKey == null) {
            throw fail(OidcException.Reason.DECRYPTION_FAILED, "the token is encrypted and no decryption key is "
                    + "configured");
        }
        JWEObject jwe = (JWEObject) parsed;
        if (!JWE_ALGORITHMS.contains(jwe.getHeader().getAlgorithm())) {
            throw fail(OidcException.Reason.DECRYPTION_FAILED, "key transport " + shown(jwe.getHeader().getAlgorithm())
                    + " is not allowed (RSA-OAEP-256/384/512)");
        }
        if (!JWE_METHODS.contains(jwe.getHeader().getEncryptionMethod())) {
            throw fail(OidcException.Reason.DECRYPTION_FAILED, "content encryption "
                    + shown(jwe.getHeader().getEncryptionMethod()) + " is not allowed (AES-GCM, AES-CBC-HMAC)");
        }
        try {
            jwe.decrypt(new RSADecrypter(decryptionKey));
        } catch (JOSEException | RuntimeException e) {
            throw fail(OidcException.Reason.DECRYPTION_FAILED, "the token could not be decrypted with the "
                    + "configured key");
        }
        SignedJWT inner = jwe.getPayload().toSignedJWT();
        if (inner == null) {
            throw fail(OidcException.Reason.ENCRYPTED_NOT_SIGNED, "the encrypted token does not contain a signed JWT");
        }
        return inner;
    }

    private boolean verify(SignedJWT jwt, JWK key) {
        try {
            return jwt.verify(verifier(key));
        } catch (JOSEException | RuntimeException e) {
            return false;
        }
    }

    /** Verifiers per key: building one converts the JWK to a JCA key, which costs as much as a verification. */
    private JWSVerifier verifier(JWK key) throws JOSEException {
        JWSVerifier v = verifiers.get(key);
        if (v == null) {
            v = key instanceof RSAKey ? new RSASSAVerifier((RSAKey) key) : new ECDSAVerifier((ECKey) key);
            if (verifiers.size() > 64) {
                verifiers.clear(); // keys rotate rarely; a JWKS with more keys than this just rebuilds more often
            }
            verifiers.put(key, v);
        }
        return v;
    }

    private VerifiedLogin check(JWTClaimsSet c, IdTokenExpectations expect, JWSAlgorithm alg, CheckRecorder trace,
                                String signature) {
        Instant now = clock.instant();
        trace.at("issuer");
        if (c.getIssuer() == null) {
            throw fail(OidcException.Reason.MISSING_CLAIM, "iss is missing");
        }
        if (!issuer.equals(c.getIssuer())) {
            throw fail(OidcException.Reason.WRONG_ISSUER, "iss is not the configured issuer");
        }
        trace.at("audience");
        List<String> aud = c.getAudience();
        if (aud == null || aud.isEmpty()) {
            throw fail(OidcException.Reason.MISSING_CLAIM, "aud is missing");
        }
        if (!aud.contains(clientId)) {
            throw fail(OidcException.Reason.WRONG_AUDIENCE, "aud does not contain this client's id");
        }
        trace.at("authorized-party");
        Object azp = c.getClaim("azp");
        if (azp != null && !clientId.equals(azp)) {
            throw fail(OidcException.Reason.WRONG_AUTHORIZED_PARTY, "azp is not this client's id");
        }
        if (azp == null && aud.size() > 1) {
            throw fail(OidcException.Reason.WRONG_AUTHORIZED_PARTY, "the token has several audiences and no azp");
        }
        trace.at("subject");
        String sub = c.getSubject();
        if (sub == null || sub.isEmpty()) {
            throw fail(OidcException.Reason.MISSING_CLAIM, "sub is missing");
        }
        if (sub.length() > 255 || !printable(sub)) {
            throw fail(OidcException.Reason.MALFORMED, "sub is longer than 255 characters or has control characters");
        }
        trace.at("expiry");
        Date exp = c.getExpirationTime();
        Date iat = c.getIssueTime();
        if (exp == null) {
            throw fail(OidcException.Reason.MISSING_CLAIM, "exp is missing");
        }
        if (iat == null) {
            throw fail(OidcException.Reason.MISSING_CLAIM, "iat is missing");
        }
        if (now.isAfter(exp.toInstant().plus(skew))) {
            throw fail(OidcException.Reason.EXPIRED, "exp has passed (allowed skew " + skew.toSeconds() + " s)");
        }
        trace.at("not-before");
        Date nbf = c.getNotBeforeTime();
        if (nbf != null && now.plus(skew).isBefore(nbf.toInstant())) {
            throw fail(OidcException.Reason.NOT_YET_VALID, "nbf is still ahead (allowed skew " + skew.toSeconds()
                    + " s)");
        }
        trace.at("issued-at");
        if (iat.toInstant().isAfter(now.plus(skew))) {
            throw fail(OidcException.Reason.ISSUED_IN_FUTURE, "iat is in the future (allowed skew "
                    + skew.toSeconds() + " s)");
        }
        trace.at("nonce");
        String nonce = stringClaim(c, "nonce");
        if (expect == null) {
            trace.notChecked("nonce", "the nonce the login sent was not given");
        } else if (expect.nonce() == null) {
            trace.notApplicable("nonce", "the login sent no nonce");
        } else {
            if (nonce == null) {
                throw fail(OidcException.Reason.NONCE_MISSING, "the login sent a nonce and the token has none");
            }
            if (!MessageDigest.isEqual(nonce.getBytes(StandardCharsets.UTF_8),
                    expect.nonce().getBytes(StandardCharsets.UTF_8))) {
                throw fail(OidcException.Reason.NONCE_MISMATCH, "nonce is not the one this login sent");
            }
        }
        trace.at("max-age");
        Instant authTime = dateClaim(c, "auth_time");
        if (expect == null) {
            trace.notChecked("max-age", "the max_age the login sent (if any) was not given");
        } else if (expect.maxAge() == null) {
            trace.notApplicable("max-age", "the login sent no max_age");
        } else {
            if (authTime == null) {
                throw fail(OidcException.Reason.AUTH_TIME_MISSING, "max_age was sent and auth_time is missing");
            }
            if (authTime.plus(expect.maxAge()).plus(skew).isBefore(now)) {
                throw fail(OidcException.Reason.AUTH_TOO_OLD, "auth_time is older than max_age ("
                        + expect.maxAge().toSeconds() + " s) allows");
            }
        }
        if (expect == null) {
            trace.notChecked("acr", "the accepted acr values (if any) were not given");
        } else if (expect.acceptedAcr().isEmpty()) {
            trace.notApplicable("acr", "any acr is accepted");
        } else {
            trace.at("acr");
            String acr = stringClaim(c, "acr");
            if (acr == null || !expect.acceptedAcr().contains(acr)) {
                throw fail(OidcException.Reason.ACR_NOT_ALLOWED, "acr is missing or not one of the accepted values");
            }
        }
        trace.at("at-hash");
        String atHash = stringClaim(c, "at_hash");
        if (atHash == null) {
            trace.notApplicable("at-hash", "the token has no at_hash");
        } else if (expect == null) {
            trace.notChecked("at-hash", "the access token issued with the ID token was not given");
        } else if (expect.accessToken() == null) {
            trace.notApplicable("at-hash", "no access token came with the ID token");
        } else {
            String wanted = halfHash(alg, expect.accessToken());
            if (!MessageDigest.isEqual(wanted.getBytes(StandardCharsets.US_ASCII),
                    atHash.getBytes(StandardCharsets.UTF_8))) {
                throw fail(OidcException.Reason.AT_HASH_MISMATCH, "at_hash does not match the access token");
            }
        }
        Instant keepUntil = exp.toInstant().plus(skew).plusSeconds(1);
        String digest = digest(signature);
        trace.at("replay");
        // a dry run looks the values up and never records them: explaining a login must not use it up
        if (nonce != null && (trace.recording() ? used.isUsed("nonce:" + issuer + "|" + nonce)
                : !used.use("nonce:" + issuer + "|" + nonce, keepUntil))) {
            throw fail(OidcException.Reason.REPLAYED, "this nonce was already used for a login");
        }
        if (trace.recording() ? used.isUsed("token:" + digest) : !used.use("token:" + digest, keepUntil)) {
            throw fail(OidcException.Reason.REPLAYED, "this token was already used for a login");
        }
        String jti = stringClaim(c, "jti");
        String proofId = jti != null && printable(jti) && jti.length() <= 255 ? jti : "sha256:" + digest;
        return new VerifiedLogin(VerifiedLogin.Protocol.OIDC, issuer, sub, proofId,
                authTime != null ? authTime : iat.toInstant(), nonce, attributes(c.getClaims()));
    }

    /**
     * Calls the provider's UserInfo endpoint with the access token and returns the login with UserInfo's claims
     * added (ID token claims win where both have one). UserInfo's {@code sub} must equal the login's, or
     * {@code USERINFO_SUBJECT_MISMATCH} (OpenID Connect Core §5.3.2: a substituted response).
     */
    public VerifiedLogin withUserInfo(VerifiedLogin login, String accessToken) {
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(accessToken, "accessToken");
        if (userInfoEndpoint == null) {
            throw new IllegalStateException("no UserInfo endpoint is configured (Builder.userInfoEndpoint or metadata)");
        }
        if (login.protocol() != VerifiedLogin.Protocol.OIDC || !issuer.equals(login.issuer())) {
            throw new IllegalArgumentException("the login is not from this validator's provider");
        }
        Map<String, Object> info = HttpJson.get(http, userInfoEndpoint, accessToken, timeout, "UserInfo");
        if (!login.subject().equals(info.get("sub"))) {
            throw fail(OidcException.Reason.USERINFO_SUBJECT_MISMATCH, "UserInfo answered for another sub");
        }
        Map<String, List<String>> merged = new LinkedHashMap<>(attributes(info));
        merged.putAll(login.attributes());
        return new VerifiedLogin(login.protocol(), login.issuer(), login.subject(), login.proofId(),
                login.authenticatedAt(), login.inResponseTo(), merged, login.dryRun());
    }

    // ------------------------------------------------------------------ helpers

    private static String stringClaim(JWTClaimsSet c, String name) {
        Object v = c.getClaim(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String)) {
            throw fail(OidcException.Reason.MALFORMED, name + " is not a string");
        }
        return (String) v;
    }

    private static Instant dateClaim(JWTClaimsSet c, String name) {
        Object v = c.getClaim(name);
        if (v == null) {
            return null;
        }
        if (v instanceof Date) {
            return ((Date) v).toInstant();
        }
        if (v instanceof Number && !(v instanceof Double) && !(v instanceof Float)) {
            return Instant.ofEpochSecond(((Number) v).longValue());
        }
        if (v instanceof Number) {
            return Instant.ofEpochSecond((long) ((Number) v).doubleValue());
        }
        throw fail(OidcException.Reason.MALFORMED, name + " is not a number of seconds");
    }

    /** Claims as string values: strings as they are, numbers and booleans printed, arrays element-wise, objects as JSON. */
    static Map<String, List<String>> attributes(Map<String, Object> claims) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : claims.entrySet()) {
            Object v = e.getValue();
            if (v == null) {
                continue;
            }
            List<String> values = new ArrayList<>();
            if (v instanceof List) {
                for (Object o : (List<?>) v) {
                    if (o != null) {
                        values.add(text(o));
                    }
                }
            } else {
                values.add(text(v));
            }
            out.put(e.getKey(), values);
        }
        return out;
    }

    private static String text(Object o) {
        if (o instanceof Date) {
            return Long.toString(((Date) o).toInstant().getEpochSecond());
        }
        if (o instanceof Map) {
            @SuppressWarnings("unchecked")
            Map<String, ?> m = (Map<String, ?>) o;
            return JSONObjectUtils.toJSONString(new LinkedHashMap<>(m));
        }
        if (o instanceof Double && ((Double) o) == Math.rint((Double) o) && !Double.isInfinite((Double) o)) {
            return Long.toString(((Double) o).longValue());
        }
        return String.valueOf(o);
    }

    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                return false;
            }
        }
        return true;
    }

    static String halfHash(JWSAlgorithm alg, String value) {
        String name = alg.getName();
        String hash = name.endsWith("384") ? "SHA-384" : name.endsWith("512") ? "SHA-512" : "SHA-256";
        try {
            byte[] d = MessageDigest.getInstance(hash).digest(value.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(d, d.length / 2));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String digest(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String names(Set<JWSAlgorithm> algs) {
        return algs.stream().map(JWSAlgorithm::getName).sorted().toList().toString();
    }

    private static OidcException fail(OidcException.Reason reason, String message) {
        return new OidcException(reason, message);
    }

    /**
     * Builds an {@link OidcValidator}. Required: the issuer and client id (or {@link #metadata}), and the keys
     * ({@link #jwksUri}, {@link #jwks} or {@link #metadata}). Each setting is checked when given. Not thread-safe.
     */
    public static final class Builder {
        private String issuer;
        private String clientId;
        private URI jwksUri;
        private JWKSet jwks;
        private URI userInfoEndpoint;
        private HttpClient http;
        private Clock clock = Clock.systemUTC();
        private Duration skew = Duration.ofSeconds(60);
        private Set<JWSAlgorithm> algorithms = new LinkedHashSet<>(DEFAULT_ALGORITHMS);
        private RSAKey decryptionKey;
        private Duration jwksTtl = Duration.ofHours(1);
        private Duration jwksMinRefresh = Duration.ofSeconds(60);
        private Duration timeout = Duration.ofSeconds(10);
        private int maxTokenLength = 32 * 1024;
        private int replayCacheSize = 100_000;

        private Builder() {}

        /** The provider's issuer, compared exactly with {@code iss}. */
        public Builder issuer(String value) {
            Objects.requireNonNull(value, "issuer");
            if (value.isBlank()) {
                throw new ConfigException("issuer", "must not be blank");
            }
            issuer = value;
            return this;
        }

        /** This application's client id, which {@code aud} must contain. */
        public Builder clientId(String value) {
            Objects.requireNonNull(value, "clientId");
            if (value.isBlank()) {
                throw new ConfigException("clientId", "must not be blank");
            }
            clientId = value;
            return this;
        }

        /** Issuer, JWKS URI and UserInfo endpoint from a checked discovery document. */
        public Builder metadata(OidcProviderMetadata value) {
            Objects.requireNonNull(value, "metadata");
            issuer(value.issuer());
            jwksUri(value.jwksUri());
            if (value.userInfoEndpoint() != null) {
                userInfoEndpoint(value.userInfoEndpoint());
            }
            return this;
        }

        /** Where the provider's keys are fetched (https, or http on loopback). */
        public Builder jwksUri(URI value) {
            Objects.requireNonNull(value, "jwksUri");
            jwksUri = OidcProviderMetadata.endpoint(value.toString(), "jwksUri", OidcException.Reason.BAD_DISCOVERY);
            return this;
        }

        /** Fixed keys, for providers whose keys are configured rather than fetched. */
        public Builder jwks(JWKSet value) {
            Objects.requireNonNull(value, "jwks");
            if (value.getKeys().stream().anyMatch(JWK::isPrivate)) {
                throw new ConfigException("jwks", "contains a private key; give the provider's public keys only");
            }
            jwks = value;
            return this;
        }

        public Builder userInfoEndpoint(URI value) {
            Objects.requireNonNull(value, "userInfoEndpoint");
            userInfoEndpoint = OidcProviderMetadata.endpoint(value.toString(), "userInfoEndpoint",
                    OidcException.Reason.BAD_DISCOVERY);
            return this;
        }

        /** The HTTP client for JWKS and UserInfo (default: a new client that follows no redirects). */
        public Builder httpClient(HttpClient value) {
            http = Objects.requireNonNull(value, "httpClient");
            return this;
        }

        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Allowed clock difference for {@code exp}, {@code nbf}, {@code iat} and {@code auth_time} (0..10 min, default 60 s). */
        public Builder clockSkew(Duration value) {
            Objects.requireNonNull(value, "clockSkew");
            if (value.isNegative() || value.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new ConfigException("clockSkew", "must be between 0 and 10 minutes");
            }
            skew = value;
            return this;
        }

        /** The signature algorithms accepted; {@code none} and HS* are refused here. */
        public Builder algorithms(JWSAlgorithm... values) {
            if (values.length == 0) {
                throw new ConfigException("algorithms", "needs at least one algorithm");
            }
            Set<JWSAlgorithm> s = new LinkedHashSet<>();
            for (JWSAlgorithm a : values) {
                Objects.requireNonNull(a, "algorithm");
                if (JWSAlgorithm.Family.HMAC_SHA.contains(a) || "none".equalsIgnoreCase(a.getName())) {
                    throw new ConfigException("algorithms", a + " is never accepted for ID tokens (use RS*, PS* or ES*)");
                }
                if (!DEFAULT_ALGORITHMS.contains(a)) {
                    throw new ConfigException("algorithms", a + " is not supported (RS*, PS*, ES256/384/512)");
                }
                s.add(a);
            }
            algorithms = s;
            return this;
        }

        /** The client's RSA key pair for encrypted ID tokens (JWE); without it, encrypted tokens are refused. */
        public Builder decryptionKey(RSAKey value) {
            Objects.requireNonNull(value, "decryptionKey");
            if (!value.isPrivate()) {
                throw new ConfigException("decryptionKey", "must include the private key");
            }
            decryptionKey = value;
            return this;
        }

        /** How long fetched keys are used before a refetch (default 1 hour). */
        public Builder jwksCacheTtl(Duration value) {
            Objects.requireNonNull(value, "jwksCacheTtl");
            if (value.isNegative() || value.isZero()) {
                throw new ConfigException("jwksCacheTtl", "must be positive");
            }
            jwksTtl = value;
            return this;
        }

        /** The least time between two JWKS fetches, so unknown key ids cannot flood the provider (default 60 s). */
        public Builder jwksMinRefreshInterval(Duration value) {
            Objects.requireNonNull(value, "jwksMinRefreshInterval");
            if (value.isNegative()) {
                throw new ConfigException("jwksMinRefreshInterval", "must be zero or more");
            }
            jwksMinRefresh = value;
            return this;
        }

        public Builder timeout(Duration value) {
            Objects.requireNonNull(value, "timeout");
            if (value.isNegative() || value.isZero()) {
                throw new ConfigException("timeout", "must be positive");
            }
            timeout = value;
            return this;
        }

        /** How many used nonces and tokens are remembered (default 100,000). */
        public Builder replayCacheSize(int value) {
            if (value < 1) {
                throw new ConfigException("replayCacheSize", "must be at least 1");
            }
            replayCacheSize = value;
            return this;
        }

        public OidcValidator build() {
            if (issuer == null) {
                throw new ConfigException("issuer", "is required (or give metadata from discovery)");
            }
            if (clientId == null) {
                throw new ConfigException("clientId", "is required");
            }
            if (jwksUri == null && jwks == null) {
                throw new ConfigException("jwks", "is required: give jwksUri, jwks or metadata");
            }
            if (jwksUri != null && jwks != null) {
                throw new ConfigException("jwks", "give either jwksUri or fixed jwks, not both");
            }
            if (http == null) {
                http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                        .build();
            }
            return new OidcValidator(this);
        }
    }
}
