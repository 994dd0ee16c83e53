package io.usher.okta;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.usher.core.ConfigException;
import io.usher.core.UsherException;
import io.usher.core.http.AccessToken;
import io.usher.core.http.RestClient;
import io.usher.core.http.RestException;
import io.usher.core.http.Sleeper;
import io.usher.core.http.TokenSource;
import io.usher.core.spi.SourceException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the connector's credentials come from: an SSWS API token ({@link #ssws}), or an OAuth 2.0 service app
 * ({@link Service}) that signs a client assertion ({@code private_key_jwt}, RS256 or ES256) for each token
 * request and, when the app requires it, proves possession of a key with DPoP (RFC 9449): the first token
 * request's proof is answered {@code use_dpop_nonce} with a {@code DPoP-Nonce} header, the connector retries
 * with the nonce, and every API request then carries {@code Authorization: DPoP …} and a fresh proof naming its
 * method, URL and the token's hash. Neither the token, the key nor an assertion appears in a message or log.
 */
final class OktaTokens {
    private static final Logger LOG = LoggerFactory.getLogger(OktaTokens.class);
    private static final Pattern SCOPE = Pattern.compile("okta\\.[a-zA-Z.]{1,60}");

    private OktaTokens() {}

    /** The API token as a token source with the {@code SSWS} scheme. */
    static TokenSource ssws(String apiToken) {
        AccessToken token = AccessToken.of(apiToken, Instant.MAX);
        return new TokenSource() {
            @Override public AccessToken token() { return token; }
            @Override public String scheme() { return "SSWS"; }
            @Override public String toString() { return "SSWS API token"; }
        };
    }

    /** The key a service app signs with, from JWK JSON or RSA PKCS#8 PEM; a {@link ConfigException} otherwise. */
    static JWK parsePrivateKey(String text) {
        String t = text.trim();
        JWK jwk;
        if (t.startsWith("{")) {
            try {
                jwk = JWK.parse(t);
            } catch (ParseException e) {
                throw new ConfigException("privateKey", "is not a valid JWK (JSON Web Key)");
            }
        } else if (t.startsWith("-----BEGIN PRIVATE KEY-----")) {
            jwk = rsaFromPem(t);
        } else if (t.startsWith("-----BEGIN")) {
            throw new ConfigException("privateKey", "must be PKCS#8 (BEGIN PRIVATE KEY) PEM or a JWK; convert with "
                    + "openssl pkcs8 -topk8 -nocrypt");
        } else {
            throw new ConfigException("privateKey", "must be a JWK (JSON) or a PKCS#8 PEM private key");
        }
        if (!jwk.isPrivate()) {
            throw new ConfigException("privateKey", "is a public key; the connector needs the private key");
        }
        if (jwk instanceof ECKey ec && !Curve.P_256.equals(ec.getCurve())) {
            throw new ConfigException("privateKey", "is an EC key on a curve other than P-256 (ES256 needs P-256)");
        }
        if (!(jwk instanceof RSAKey) && !(jwk instanceof ECKey)) {
            throw new ConfigException("privateKey", "must be an RSA or EC P-256 key");
        }
        return jwk;
    }

    private static JWK rsaFromPem(String pem) {
        try {
            String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            KeyFactory kf = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey priv = (RSAPrivateCrtKey) kf.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
            RSAPublicKey pub = (RSAPublicKey) kf.generatePublic(
                    new RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent()));
            return new RSAKey.Builder(pub).privateKey(priv).build();
        } catch (java.security.GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new ConfigException("privateKey", "is not an RSA PKCS#8 private key (for EC keys use the JWK form)");
        }
    }

    static JWSSigner signer(JWK key) {
        try {
            return key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
        } catch (JOSEException e) {
            throw new ConfigException("privateKey", "cannot sign with this key");
        }
    }

    static JWSAlgorithm algorithm(JWK key) {
        return key instanceof RSAKey ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256;
    }

    static String sha256(String s) {
        try {
            return Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII)))
                    .toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Access tokens for a service app, cached until five minutes (at most half their lifetime) before they
     * expire; one fetch at a time. Thread-safe.
     */
    static final class Service implements TokenSource {
        private final URI tokenUri;
        private final String clientId;
        private final JWK key;
        private final JWSSigner signer;
        private final List<String> scopes;
        private final OktaConfig.Dpop dpopMode;
        private final HttpClient http;
        private final Clock clock;
        private final Sleeper sleeper;
        private final Duration timeout;
        private final ReentrantLock fetching = new ReentrantLock();
        private final ECKey dpopKey;
        private final JWSSigner dpopSigner;
        private volatile boolean dpop;
        private volatile String nonce;
        private volatile AccessToken cached;
        private volatile Instant refreshAt = Instant.MIN;
        private volatile long fetches;

        Service(OktaConfig config, HttpClient http, Clock clock, Sleeper sleeper) {
            this.tokenUri = config.orgUrl.resolve("oauth2/v1/token");
            this.clientId = config.clientId;
            this.key = parsePrivateKey(config.privateKey());
            this.signer = signer(key);
            this.scopes = config.scopes;
            this.dpopMode = config.dpop;
            this.http = http;
            this.clock = clock;
            this.sleeper = sleeper;
            this.timeout = config.requestTimeout;
            this.dpop = dpopMode == OktaConfig.Dpop.TRUE;
            try {
                this.dpopKey = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
                this.dpopSigner = new ECDSASigner(dpopKey);
            } catch (JOSEException e) {
                throw new IllegalStateException("could not make a DPoP key", e);
            }
        }

        /** Whether tokens are DPoP-bound (the app requires it, or it was configured). */
        boolean usesDpop() {
            return dpop;
        }

        long fetches() {
            return fetches;
        }

        @Override
        public String scheme() {
            return dpop ? "DPoP" : "Bearer";
        }

        @Override
        public Map<String, String> requestHeaders(String method, URI uri, AccessToken token) {
            return dpop ? Map.of("DPoP", proof(method, uri, token.value(), null)) : Map.of();
        }

        @Override
        public AccessToken token() {
            AccessToken t = cached;
            if (t != null && clock.instant().isBefore(refreshAt)) {
                return t;
            }
            fetching.lock();
            try {
                t = cached;
                if (t != null && clock.instant().isBefore(refreshAt)) {
                    return t;
                }
                return fetch();
            } finally {
                fetching.unlock();
            }
        }

        @Override
        public void invalidate(AccessToken rejected) {
            fetching.lock();
            try {
                if (rejected.equals(cached)) {
                    cached = null;
                }
            } finally {
                fetching.unlock();
            }
        }

        private AccessToken fetch() {
            String endpoint = RestClient.describe("POST", tokenUri);
            RestException last = null;
            boolean nonceRetried = false;
            boolean dpopSwitched = false;
            for (int attempt = 1; attempt <= 4; attempt++) {
                Instant asked = clock.instant();
                HttpRequest.Builder rb = HttpRequest.newBuilder(tokenUri).timeout(timeout)
                        .header("Accept", "application/json")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form()));
                boolean sentProof = dpop;
                if (sentProof) {
                    rb.header("DPoP", proof("POST", tokenUri, null, nonce));
                }
                HttpResponse<byte[]> resp;
                try {
                    resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
                } catch (IOException e) {
                    last = new RestException(0, null, endpoint, true, null,
                            "no response (" + e.getClass().getSimpleName() + ")", e);
                    pause(attempt);
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SourceException(UsherException.Code.INTERRUPTED, endpoint + ": interrupted", e);
                }
                JsonNode body = parse(resp.body());
                String error = text(body, "error");
                int status = resp.statusCode();
                if (status == 200) {
                    String token = text(body, "access_token");
                    if (token == null || token.isBlank()) {
                        throw new RestException(200, null, endpoint, false, null, "the answer has no access_token",
                                null);
                    }
                    fetches++;
                    long expiresIn = body.path("expires_in").asLong(3600);
                    Duration life = Duration.ofSeconds(expiresIn > 0 ? expiresIn : 3600);
                    Duration margin = Duration.ofMinutes(5).compareTo(life.dividedBy(2)) > 0 ? life.dividedBy(2)
                            : Duration.ofMinutes(5);
                    AccessToken t = AccessToken.of(token, asked.plus(life));
                    if ("DPoP".equalsIgnoreCase(text(body, "token_type"))) {
                        dpop = true;
                    }
                    cached = t;
                    refreshAt = t.expiresAt().minus(margin);
                    LOG.debug("fetched an Okta access token valid for {} s{}", life.getSeconds(), dpop ? " (DPoP)" : "");
                    return t;
                }
                if ("use_dpop_nonce".equals(error) && sentProof && !nonceRetried) {
                    String fresh = resp.headers().firstValue("DPoP-Nonce").orElse(null);
                    if (fresh != null && fresh.length() <= 512) {
                        nonce = fresh;
                        nonceRetried = true;
                        attempt--;
                        LOG.debug("the Okta authorization server asked for a DPoP nonce; retrying with it");
                        continue;
                    }
                }
                if ("invalid_dpop_proof".equals(error) && !sentProof) {
                    if (dpopMode == OktaConfig.Dpop.AUTO && !dpopSwitched) {
                        dpop = true;
                        dpopSwitched = true;
                        attempt--;
                        LOG.info("the Okta app requires DPoP; switching to DPoP-bound tokens");
                        continue;
                    }
                    throw new RestException(UsherException.Code.SOURCE_AUTH, status, error, endpoint, false, null,
                            "the Okta app requires DPoP (Demonstrating Proof-of-Possession); set dpop = auto or true, "
                                    + "or turn off 'Require DPoP header in token requests' for the app", null);
                }
                boolean retryable = status == 429 || status >= 500;
                last = new RestException(status, error, endpoint, retryable, null, detail(error, body), null);
                if (!retryable) {
                    throw last;
                }
                pause(attempt);
            }
            throw last;
        }

        private void pause(int attempt) {
            try {
                sleeper.sleep(Duration.ofSeconds(1L << Math.min(attempt - 1, 4)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SourceException(UsherException.Code.INTERRUPTED, "interrupted", e);
            }
        }

        /** What an OAuth error means for the admin; scope names are the only words taken from the answer. */
        private String detail(String error, JsonNode body) {
            if ("invalid_scope".equals(error)) {
                String desc = text(body, "error_description");
                StringJoiner missing = new StringJoiner(", ");
                if (desc != null) {
                    Matcher m = SCOPE.matcher(desc);
                    while (m.find()) {
                        missing.add(m.group());
                    }
                }
                return missing.length() == 0 ? "the app may not ask for the scopes " + String.join(" ", scopes)
                        : "the app was not granted the scope(s) " + missing + "; grant them under Okta API Scopes "
                        + "in the Admin Console";
            }
            if ("invalid_client".equals(error)) {
                return "the client assertion was refused: check clientId, that the app uses public key / private "
                        + "key authentication with this key registered, and the clock";
            }
            if ("invalid_dpop_proof".equals(error)) {
                return "the DPoP proof was refused";
            }
            return "the token request was refused";
        }

        private String form() {
            Map<String, String> f = new LinkedHashMap<>();
            f.put("grant_type", "client_credentials");
            f.put("scope", String.join(" ", scopes));
            f.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
            f.put("client_assertion", assertion());
            StringJoiner j = new StringJoiner("&");
            f.forEach((k, v) -> j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(v, StandardCharsets.UTF_8)));
            return j.toString();
        }

        private String assertion() {
            Instant now = clock.instant();
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId).subject(clientId)
                    .audience(tokenUri.toString()).issueTime(Date.from(now))
                    .expirationTime(Date.from(now.plus(Duration.ofMinutes(5)))).jwtID(UUID.randomUUID().toString())
                    .build();
            JWSHeader.Builder h = new JWSHeader.Builder(algorithm(key));
            if (key.getKeyID() != null) {
                h.keyID(key.getKeyID());
            }
            return sign(h.build(), claims, signer);
        }

        private String proof(String method, URI uri, String accessToken, String withNonce) {
            String htu = uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? ""
                    : uri.getRawPath());
            JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString())
                    .issueTime(Date.from(clock.instant())).claim("htm", method).claim("htu", htu);
            if (accessToken != null) {
                c.claim("ath", sha256(accessToken));
            }
            if (withNonce != null) {
                c.claim("nonce", withNonce);
            }
            JWSHeader h = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                    .jwk(dpopKey.toPublicJWK()).build();
            return sign(h, c.build(), dpopSigner);
        }

        private static String sign(JWSHeader h, JWTClaimsSet claims, JWSSigner s) {
            SignedJWT jwt = new SignedJWT(h, claims);
            try {
                jwt.sign(s);
            } catch (JOSEException e) {
                throw new SourceException(UsherException.Code.SOURCE_AUTH, "could not sign with the configured key", e);
            }
            return jwt.serialize();
        }

        private static JsonNode parse(byte[] body) {
            try {
                JsonNode n = RestClient.json().readTree(body);
                return n == null ? RestClient.json().nullNode() : n;
            } catch (IOException e) {
                return RestClient.json().nullNode();
            }
        }

        /** A text field of the answer; only the description may be free text (it is read, never repeated). */
        private static String text(JsonNode n, String field) {
            JsonNode v = n.get(field);
            if (v == null || !v.isTextual()) {
                return null;
            }
            String t = v.asText();
            return field.equals("error_description") || t.matches("[A-Za-z0-9_.:\\-]{1,4096}") ? t : null;
        }

        @Override
        public String toString() {
            return "Okta service app " + clientId + " at " + RestClient.describe("POST", tokenUri);
        }
    }
}
