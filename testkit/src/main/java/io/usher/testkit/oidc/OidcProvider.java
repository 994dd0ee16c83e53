package io.usher.testkit.oidc;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.usher.core.model.MemberKind;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake OpenID Connect provider for the users of an {@link InMemoryDirectory}, served on loopback by the JDK's
 * HTTP server. It publishes a discovery document ({@code /.well-known/openid-configuration}), a JWKS
 * ({@code /jwks}) and a UserInfo endpoint ({@code /userinfo}, bearer access tokens from
 * {@link #accessToken(String)}), and signs ID tokens for directory users with {@link #idToken(String)}:
 *
 * <pre>{@code
 * try (OidcProvider idp = OidcProvider.start(directory, clock)) {
 *     String token = idp.idToken(userId).audience("my-app").nonce(nonce).sign();
 *     String alg_none = idp.idToken(userId).audience("my-app").attack(Attack.ALG_NONE).sign();
 * }
 * }</pre>
 *
 * <p>Claims follow OpenID Connect Core: {@code sub} is the directory's user id (immutable), {@code
 * preferred_username} the login name, {@code name}, {@code given_name}, {@code family_name}, {@code email},
 * and {@code groups} the names of the groups the user is directly in (as Okta, Keycloak and Entra's group
 * claims send them). Times come from the injected clock; the provider never reads the wall clock.
 *
 * <p>Keys: one RSA-2048 key at start; {@link #rotateKey(JWSAlgorithm)} adds a new signing key (RS256 or ES256),
 * keeping the old ones published until {@link #retireOldKeys()}, as providers do during rollover.
 *
 * <p>Thread-safe: tokens may be minted while the server answers requests.
 */
public final class OidcProvider implements AutoCloseable {
    /** Broken variants of an ID token that a relying party must refuse. */
    public enum Attack {
        /** Unsecured JWT: {@code alg: none}, no signature. */
        ALG_NONE,
        /** HS256 keyed with the provider's public key (PEM text): the RS/HS key-confusion attack. */
        HS256_WITH_PUBLIC_KEY,
        /** Signed by a key the JWKS does not publish, under a {@code kid} the JWKS does not know. */
        UNKNOWN_KID,
        /** Signed correctly, then one claim changed: the signature no longer matches. */
        TAMPERED,
        /** Encrypted to the relying party's key, but the plaintext is an unsigned JWT. Needs {@link TokenBuilder#encryptTo}. */
        ENCRYPTED_UNSIGNED
    }

    private final InMemoryDirectory directory;
    private final Clock clock;
    private final HttpServer server;
    private final String issuer;
    private final List<JWK> keys = new CopyOnWriteArrayList<>();
    private final Map<String, String> accessTokens = new ConcurrentHashMap<>();
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private final AtomicInteger discoveryRequests = new AtomicInteger();
    private final AtomicInteger userInfoRequests = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    private volatile int failJwksWith;
    private volatile String userInfoSubject;
    private volatile boolean ignorePromptLogin;
    private final Map<String, Instant> sessions = new ConcurrentHashMap<>();

    private OidcProvider(InMemoryDirectory directory, Clock clock) throws IOException {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.issuer = "http://127.0.0.1:" + server.getAddress().getPort();
        keys.add(newKey(JWSAlgorithm.RS256));
        server.createContext("/.well-known/openid-configuration", this::discovery);
        server.createContext("/jwks", this::jwks);
        server.createContext("/userinfo", this::userInfo);
        server.start();
    }

    /** Starts a provider on a free loopback port. */
    public static OidcProvider start(InMemoryDirectory directory, Clock clock) {
        try {
            return new OidcProvider(directory, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the OIDC provider on loopback", e);
        }
    }

    /** The issuer ({@code iss}): {@code http://127.0.0.1:PORT}. */
    public String issuer() {
        return issuer;
    }

    public URI discoveryUri() {
        return URI.create(issuer + "/.well-known/openid-configuration");
    }

    public URI jwksUri() {
        return URI.create(issuer + "/jwks");
    }

    public URI userInfoUri() {
        return URI.create(issuer + "/userinfo");
    }

    public URI authorizationUri() {
        return URI.create(issuer + "/authorize");
    }

    /** How many times the JWKS was fetched (for cache and rate-limit tests). */
    public int jwksRequests() {
        return jwksRequests.get();
    }

    public int discoveryRequests() {
        return discoveryRequests.get();
    }

    public int userInfoRequests() {
        return userInfoRequests.get();
    }

    /** Makes the JWKS endpoint answer with this HTTP status (0 restores normal answers). */
    public void failJwksWith(int status) {
        failJwksWith = status;
    }

    /** Makes UserInfo report this {@code sub} for every user (null restores the truth). */
    public void lieInUserInfo(String subject) {
        userInfoSubject = subject;
    }

    /** Adds a signing key (RS256: RSA-2048, ES256: P-256) that signs from now on; older keys stay published. */
    public String rotateKey(JWSAlgorithm alg) {
        JWK key = newKey(alg);
        keys.add(key);
        return key.getKeyID();
    }

    /** Unpublishes every key but the newest. */
    public void retireOldKeys() {
        JWK newest = keys.get(keys.size() - 1);
        keys.removeIf(k -> k != newest);
    }

    /** The {@code kid} of the current signing key. */
    public String currentKeyId() {
        return keys.get(keys.size() - 1).getKeyID();
    }

    /** The published keys (public parts), as the JWKS endpoint serves them. */
    public JWKSet publicJwks() {
        return new JWKSet(keys.stream().map(JWK::toPublicJWK).toList());
    }

    /** An opaque access token for {@code /userinfo}, bound to the user. */
    public String accessToken(String userId) {
        requireUser(userId);
        byte[] b = new byte[24];
        random.nextBytes(b);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        accessTokens.put(token, userId);
        return token;
    }

    /**
     * Answers an authorization request (the URI a relying party redirected the browser to) for the directory user
     * with this id, as a provider's login page would: an ID token builder prefilled with the request's
     * {@code client_id} as audience and its {@code nonce}, and {@code auth_time} = now when the user has no session
     * here yet or the request says {@code prompt=login} or {@code max_age=0} (unless this provider
     * {@link #ignorePromptLogin ignores them}), else the time of the user's last authentication here.
     */
    public TokenBuilder answer(URI authorizationRequest, String userId) {
        Map<String, String> q = new LinkedHashMap<>();
        String raw = authorizationRequest.getRawQuery();
        for (String kv : raw == null ? new String[0] : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                q.put(java.net.URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        if (!"code".equals(q.get("response_type")) || q.get("client_id") == null) {
            throw new IllegalArgumentException("not an authorization code request (response_type=code, client_id)");
        }
        boolean force = java.util.Arrays.asList(q.getOrDefault("prompt", "").split(" ")).contains("login")
                || "0".equals(q.get("max_age"));
        Instant now = clock.instant();
        Instant previous = sessions.get(userId);
        Instant authTime = previous != null && (!force || ignorePromptLogin) ? previous : now;
        sessions.put(userId, authTime);
        TokenBuilder b = idToken(userId).audience(q.get("client_id")).authTime(authTime);
        if (q.get("nonce") != null) {
            b.nonce(q.get("nonce"));
        }
        return b;
    }

    /** Makes the provider reuse a user's session even when asked for {@code prompt=login} (a real-world bug). */
    public void ignorePromptLogin(boolean value) {
        ignorePromptLogin = value;
    }

    /** Forgets every user's session here (the next answer authenticates afresh). */
    public void logoutAll() {
        sessions.clear();
    }

    /** Starts an ID token for the directory user with this id; valid (signed, five minutes) unless told otherwise. */
    public TokenBuilder idToken(String userId) {
        return new TokenBuilder(requireUser(userId));
    }

    /** The claims the provider asserts about a user (also what UserInfo answers). */
    public Map<String, Object> userClaims(String userId) {
        DirectoryUser u = requireUser(userId);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("sub", u.id());
        c.put("preferred_username", u.loginName());
        putIf(c, "name", u.displayName());
        putIf(c, "given_name", u.givenName());
        putIf(c, "family_name", u.familyName());
        if (!u.emails().isEmpty()) {
            c.put("email", u.emails().get(0));
            c.put("email_verified", true);
        }
        List<String> groups = new ArrayList<>();
        for (String gid : directory.groupsOf(MemberKind.USER, u.id())) {
            directory.group(gid).ifPresent(g -> groups.add(g.name()));
        }
        groups.sort(null);
        c.put("groups", groups);
        return c;
    }

    private static void putIf(Map<String, Object> c, String name, String value) {
        if (value != null) {
            c.put(name, value);
        }
    }

    private DirectoryUser requireUser(String userId) {
        return directory.user(userId).orElseThrow(() ->
                new IllegalArgumentException("the directory has no user with id " + userId));
    }

    private JWK newKey(JWSAlgorithm alg) {
        String kid = UUID.randomUUID().toString();
        try {
            if (JWSAlgorithm.Family.RSA.contains(alg)) {
                return new RSAKeyGenerator(2048).keyID(kid).algorithm(alg).generate();
            }
            if (JWSAlgorithm.ES256.equals(alg)) {
                return new ECKeyGenerator(Curve.P_256).keyID(kid).algorithm(alg).generate();
            }
        } catch (JOSEException e) {
            throw new IllegalStateException("key generation failed", e);
        }
        throw new IllegalArgumentException("the provider signs with RS256, RS384, RS512, PS256 or ES256, not " + alg);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ------------------------------------------------------------------ HTTP

    private void discovery(HttpExchange ex) throws IOException {
        discoveryRequests.incrementAndGet();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("issuer", issuer);
        d.put("authorization_endpoint", issuer + "/authorize");
        d.put("token_endpoint", issuer + "/token");
        d.put("userinfo_endpoint", issuer + "/userinfo");
        d.put("jwks_uri", issuer + "/jwks");
        d.put("response_types_supported", List.of("code"));
        d.put("subject_types_supported", List.of("public"));
        d.put("id_token_signing_alg_values_supported", List.of("RS256", "ES256"));
        d.put("code_challenge_methods_supported", List.of("S256"));
        send(ex, 200, JSONObjectUtils.toJSONString(d));
    }

    private void jwks(HttpExchange ex) throws IOException {
        jwksRequests.incrementAndGet();
        int fail = failJwksWith;
        if (fail != 0) {
            send(ex, fail, "{\"error\":\"unavailable\"}");
            return;
        }
        send(ex, 200, JSONObjectUtils.toJSONString(publicJwks().toJSONObject(true)));
    }

    private void userInfo(HttpExchange ex) throws IOException {
        userInfoRequests.incrementAndGet();
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String userId = auth != null && auth.startsWith("Bearer ") ? accessTokens.get(auth.substring(7)) : null;
        if (userId == null || directory.user(userId).isEmpty()) {
            ex.getResponseHeaders().add("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            send(ex, 401, "{\"error\":\"invalid_token\"}");
            return;
        }
        Map<String, Object> claims = userClaims(userId);
        String lie = userInfoSubject;
        if (lie != null) {
            claims.put("sub", lie);
        }
        send(ex, 200, JSONObjectUtils.toJSONString(claims));
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    // ------------------------------------------------------------------ tokens

    /** Builds one ID token. Not thread-safe; the provider is. */
    public final class TokenBuilder {
        private final DirectoryUser user;
        private final List<String> audience = new ArrayList<>();
        private String issuerOverride;
        private String nonce;
        private String azp;
        private Instant issuedAt;
        private Duration lifetime = Duration.ofMinutes(5);
        private Instant expiresAt;
        private Instant notBefore;
        private Instant authTime;
        private boolean omitAuthTime;
        private String acr;
        private String accessTokenForHash;
        private final Map<String, Object> extra = new LinkedHashMap<>();
        private final List<String> omitted = new ArrayList<>();
        private Attack attack;
        private RSAKey encryptTo;
        private String kid;
        private String type = "JWT";

        private TokenBuilder(DirectoryUser user) {
            this.user = user;
        }

        /** Adds an audience ({@code aud}); a token needs at least one. */
        public TokenBuilder audience(String... values) {
            audience.addAll(Arrays.asList(values));
            return this;
        }

        /** Another issuer than the provider's own. */
        public TokenBuilder issuer(String value) {
            issuerOverride = value;
            return this;
        }

        public TokenBuilder nonce(String value) {
            nonce = value;
            return this;
        }

        public TokenBuilder authorizedParty(String value) {
            azp = value;
            return this;
        }

        /** {@code iat} (default: the clock's now). */
        public TokenBuilder issuedAt(Instant value) {
            issuedAt = value;
            return this;
        }

        /** {@code exp} (default: {@code iat} + 5 minutes). */
        public TokenBuilder expiresAt(Instant value) {
            expiresAt = value;
            return this;
        }

        public TokenBuilder lifetime(Duration value) {
            lifetime = value;
            return this;
        }

        public TokenBuilder notBefore(Instant value) {
            notBefore = value;
            return this;
        }

        /** {@code auth_time} (default: {@code iat}). */
        public TokenBuilder authTime(Instant value) {
            authTime = value;
            return this;
        }

        public TokenBuilder withoutAuthTime() {
            omitAuthTime = true;
            return this;
        }

        public TokenBuilder acr(String value) {
            acr = value;
            return this;
        }

        /** Adds {@code at_hash} for this access token. */
        public TokenBuilder atHashFor(String accessToken) {
            accessTokenForHash = accessToken;
            return this;
        }

        /** Sets or replaces a claim. */
        public TokenBuilder claim(String name, Object value) {
            extra.put(name, value);
            return this;
        }

        /** Leaves a claim out (for example {@code sub} or {@code exp}); a {@link #claim} of that name still applies. */
        public TokenBuilder without(String claim) {
            omitted.add(claim);
            return this;
        }

        /** The header's {@code typ} (default {@code JWT}); {@code at+jwt} makes it look like an RFC 9068 access token. */
        public TokenBuilder type(String value) {
            type = value;
            return this;
        }

        /** Signs under this {@code kid} in the header (the key stays the current one). */
        public TokenBuilder keyId(String value) {
            kid = value;
            return this;
        }

        public TokenBuilder attack(Attack value) {
            attack = value;
            return this;
        }

        /** Encrypts the token (RSA-OAEP-256, A256GCM) to the relying party's public key, nested around the JWS. */
        public TokenBuilder encryptTo(RSAKey relyingPartyKey) {
            encryptTo = relyingPartyKey;
            return this;
        }

        public JWTClaimsSet claims() {
            Instant iat = issuedAt != null ? issuedAt : clock.instant();
            Instant exp = expiresAt != null ? expiresAt : iat.plus(lifetime);
            Map<String, Object> base = userClaims(user.id());
            JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
                    .issuer(issuerOverride != null ? issuerOverride : issuer)
                    .audience(new ArrayList<>(audience))
                    .issueTime(Date.from(iat))
                    .expirationTime(Date.from(exp))
                    .jwtID(UUID.randomUUID().toString());
            base.forEach(b::claim);
            if (notBefore != null) {
                b.notBeforeTime(Date.from(notBefore));
            }
            if (!omitAuthTime) {
                b.claim("auth_time", (authTime != null ? authTime : iat).getEpochSecond());
            }
            if (nonce != null) {
                b.claim("nonce", nonce);
            }
            if (azp != null) {
                b.claim("azp", azp);
            }
            if (acr != null) {
                b.claim("acr", acr);
            }
            JWTClaimsSet built = b.build();
            if (omitted.isEmpty() && extra.isEmpty()) {
                return built;
            }
            Map<String, Object> m = new LinkedHashMap<>(built.toJSONObject());
            omitted.forEach(m::remove);
            m.putAll(extra); // claim() wins over without(): without("aud").claim("aud", "x") replaces it
            try {
                return JWTClaimsSet.parse(m);
            } catch (java.text.ParseException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The token in compact serialization. */
        public String sign() {
            try {
                return doSign();
            } catch (JOSEException e) {
                throw new IllegalStateException("signing failed", e);
            }
        }

        private String doSign() throws JOSEException {
            JWK key = keys.get(keys.size() - 1);
            JWSAlgorithm alg = (JWSAlgorithm) key.getAlgorithm();
            JWTClaimsSet claims = claims();
            if (accessTokenForHash != null) {
                claims = new JWTClaimsSet.Builder(claims).claim("at_hash", atHash(accessTokenForHash)).build();
            }
            if (attack == Attack.ALG_NONE) {
                return new PlainJWT(claims).serialize();
            }
            if (attack == Attack.ENCRYPTED_UNSIGNED) {
                if (encryptTo == null) {
                    throw new IllegalStateException("ENCRYPTED_UNSIGNED needs encryptTo(relying party key)");
                }
                return encrypt(new Payload(new PlainJWT(claims).serialize()));
            }
            if (attack == Attack.HS256_WITH_PUBLIC_KEY) {
                String pem = pem(key);
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID())
                        .type(JOSEObjectType.JWT).build(), claims);
                jwt.sign(new MACSigner(pem.getBytes(StandardCharsets.US_ASCII)));
                return jwt.serialize();
            }
            JWK signingKey = key;
            String headerKid = kid != null ? kid : key.getKeyID();
            if (attack == Attack.UNKNOWN_KID) {
                signingKey = newKey(alg);
                headerKid = signingKey.getKeyID();
            }
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(headerKid).type(new JOSEObjectType(type))
                    .build(), claims);
            jwt.sign(signingKey instanceof RSAKey ? new RSASSASigner((RSAKey) signingKey)
                    : new ECDSASigner((ECKey) signingKey));
            String compact = jwt.serialize();
            if (attack == Attack.TAMPERED) {
                String[] parts = compact.split("\\.");
                Map<String, Object> m = new LinkedHashMap<>(claims.toJSONObject());
                m.put("preferred_username", "admin");
                parts[1] = Base64URL.encode(JSONObjectUtils.toJSONString(m)).toString();
                compact = String.join(".", parts);
            }
            if (encryptTo != null) {
                try {
                    return encrypt(new Payload(SignedJWT.parse(compact)));
                } catch (java.text.ParseException e) {
                    throw new IllegalStateException(e);
                }
            }
            return compact;
        }

        private String encrypt(Payload payload) throws JOSEException {
            JWEObject jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM)
                    .contentType("JWT").build(), payload);
            jwe.encrypt(new RSAEncrypter(encryptTo));
            return jwe.serialize();
        }
    }

    private static String pem(JWK key) throws JOSEException {
        byte[] der = key instanceof RSAKey ? ((RSAKey) key).toPublicKey().getEncoded()
                : ((ECKey) key).toPublicKey().getEncoded();
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
    }

    /** {@code at_hash}: the left half of the SHA-256 of the access token, base64url (for RS256/ES256). */
    public static String atHash(String accessToken) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(d, d.length / 2));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
