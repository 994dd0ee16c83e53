package io.usher.jit.oidc;

import io.usher.core.ConfigException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * An OpenID Connect authorization request (code flow) and the secrets the host keeps for the callback: a fresh
 * {@code state} (checked by the host against the callback's), {@code nonce} (checked by
 * {@link OidcValidator} through {@link #expectations()}) and PKCE {@code code_verifier} (sent with the code to
 * the token endpoint), each 256 random bits.
 *
 * <pre>{@code
 * AuthorizationRequest req = AuthorizationRequest.builder(metadata.authorizationEndpoint(), clientId, callback)
 *         .scope("openid profile email groups").build();
 * session.put("oidc", req);                  // state, nonce, verifier: server side only
 * response.sendRedirect(req.uri().toString());
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param uri          where to send the browser
 * @param state        the {@code state} sent
 * @param nonce        the {@code nonce} sent
 * @param codeVerifier the PKCE verifier (S256 challenge sent)
 * @param maxAge       the {@code max_age} sent, or null
 */
public record AuthorizationRequest(URI uri, String state, String nonce, String codeVerifier, Duration maxAge) {

    public AuthorizationRequest {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(codeVerifier, "codeVerifier");
    }

    public static Builder builder(URI authorizationEndpoint, String clientId, URI redirectUri) {
        return new Builder(authorizationEndpoint, clientId, redirectUri);
    }

    /** What the ID token answering this request must satisfy: this nonce, and {@code max_age} if sent. */
    public IdTokenExpectations expectations() {
        IdTokenExpectations e = IdTokenExpectations.nonce(nonce);
        return maxAge == null ? e : e.withMaxAge(maxAge);
    }

    /** The PKCE S256 challenge of a verifier. */
    public static String codeChallenge(String verifier) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "AuthorizationRequest[" + uri.getHost() + ", maxAge=" + maxAge + "]"; // no secrets
    }

    /** Builds an {@link AuthorizationRequest}. Not thread-safe. */
    public static final class Builder {
        private final URI endpoint;
        private final String clientId;
        private final URI redirectUri;
        private String scope = "openid profile email";
        private String prompt;
        private Duration maxAge;
        private String acrValues;
        private Random random = new SecureRandom();
        private String state;
        private String nonce;
        private final Map<String, String> extra = new LinkedHashMap<>();

        private Builder(URI endpoint, String clientId, URI redirectUri) {
            this.endpoint = OidcProviderMetadata.endpoint(Objects.requireNonNull(endpoint, "authorizationEndpoint")
                    .toString(), "authorizationEndpoint", OidcException.Reason.BAD_DISCOVERY);
            if (endpoint.getRawQuery() != null && !endpoint.getRawQuery().isEmpty()) {
                throw new ConfigException("authorizationEndpoint", "must not carry a query; add parameters with param()");
            }
            this.clientId = Objects.requireNonNull(clientId, "clientId");
            if (clientId.isBlank()) {
                throw new ConfigException("clientId", "must not be blank");
            }
            this.redirectUri = Objects.requireNonNull(redirectUri, "redirectUri");
            if (!redirectUri.isAbsolute()) {
                throw new ConfigException("redirectUri", "must be an absolute URI");
            }
        }

        /** Space-separated scopes; must include {@code openid} (default {@code openid profile email}). */
        public Builder scope(String value) {
            Objects.requireNonNull(value, "scope");
            if (!java.util.Arrays.asList(value.trim().split("\\s+")).contains("openid")) {
                throw new ConfigException("scope", "must include openid");
            }
            scope = value.trim();
            return this;
        }

        /** {@code prompt} ({@code login}, {@code none}, {@code consent}, {@code select_account}). */
        public Builder prompt(String value) {
            Objects.requireNonNull(value, "prompt");
            for (String p : value.split(" ")) {
                if (!p.equals("login") && !p.equals("none") && !p.equals("consent") && !p.equals("select_account")) {
                    throw new ConfigException("prompt", "must be login, none, consent or select_account");
                }
            }
            prompt = value;
            return this;
        }

        /** {@code max_age} in whole seconds; the ID token must then carry a recent enough {@code auth_time}. */
        public Builder maxAge(Duration value) {
            Objects.requireNonNull(value, "maxAge");
            if (value.isNegative()) {
                throw new ConfigException("maxAge", "must be zero or more");
            }
            maxAge = Duration.ofSeconds(value.toSeconds());
            return this;
        }

        public Builder acrValues(String value) {
            acrValues = Objects.requireNonNull(value, "acrValues");
            return this;
        }

        /** Another parameter (for example {@code login_hint}); the reserved ones are refused. */
        public Builder param(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (java.util.Set.of("response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
                    "code_challenge", "code_challenge_method", "prompt", "max_age", "acr_values").contains(name)) {
                throw new ConfigException("param", name + " is set by the builder's own method");
            }
            extra.put(name, value);
            return this;
        }

        /**
         * A state chosen by the caller (for example a websudo challenge id) instead of a random one: at least 22
         * URL-safe characters (128 bits as base64url).
         */
        public Builder state(String value) {
            state = secret(value, "state");
            return this;
        }

        /** A nonce chosen by the caller instead of a random one; the same rules as {@link #state(String)}. */
        public Builder nonce(String value) {
            nonce = secret(value, "nonce");
            return this;
        }

        private static String secret(String value, String key) {
            Objects.requireNonNull(value, key);
            if (!value.matches("[A-Za-z0-9._~-]{22,256}")) {
                throw new ConfigException(key, "must be 22 to 256 URL-safe characters (A-Z a-z 0-9 . _ ~ -)");
            }
            return value;
        }

        /** The randomness for state, nonce and verifier (default {@link SecureRandom}; tests may seed one). */
        public Builder random(Random value) {
            random = Objects.requireNonNull(value, "random");
            return this;
        }

        public AuthorizationRequest build() {
            String state = this.state != null ? this.state : token();
            String nonce = this.nonce != null ? this.nonce : token();
            String verifier = token();
            Map<String, String> p = new LinkedHashMap<>();
            p.put("response_type", "code");
            p.put("client_id", clientId);
            p.put("redirect_uri", redirectUri.toString());
            p.put("scope", scope);
            p.put("state", state);
            p.put("nonce", nonce);
            p.put("code_challenge", codeChallenge(verifier));
            p.put("code_challenge_method", "S256");
            if (prompt != null) {
                p.put("prompt", prompt);
            }
            if (maxAge != null) {
                p.put("max_age", Long.toString(maxAge.toSeconds()));
            }
            if (acrValues != null) {
                p.put("acr_values", acrValues);
            }
            p.putAll(extra);
            String query = p.entrySet().stream()
                    .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                    .collect(Collectors.joining("&"));
            return new AuthorizationRequest(URI.create(endpoint + "?" + query), state, nonce, verifier, maxAge);
        }

        private String token() {
            byte[] b = new byte[32];
            random.nextBytes(b);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        }

        private static String enc(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }
}
