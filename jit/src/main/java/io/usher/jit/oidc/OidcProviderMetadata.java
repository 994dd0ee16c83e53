package io.usher.jit.oidc;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What an OpenID Connect provider's discovery document says, after checks: the {@code issuer} equals the one
 * expected (exactly, as OpenID Connect Discovery 1.0 §4.3 requires), and every endpoint is an absolute
 * {@code https} URI ({@code http} only for loopback hosts, for tests).
 *
 * <p>Immutable and thread-safe.
 *
 * @param issuer                the issuer
 * @param authorizationEndpoint where the browser is sent to sign in
 * @param tokenEndpoint         where the host exchanges the code (null when the document has none)
 * @param userInfoEndpoint      UserInfo (null when the document has none)
 * @param jwksUri               the provider's signing keys
 */
public record OidcProviderMetadata(String issuer, URI authorizationEndpoint, URI tokenEndpoint, URI userInfoEndpoint,
                                   URI jwksUri) {

    public OidcProviderMetadata {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(authorizationEndpoint, "authorizationEndpoint");
        Objects.requireNonNull(jwksUri, "jwksUri");
    }

    /** Where the discovery document of this issuer lives: {@code ISSUER/.well-known/openid-configuration}. */
    public static URI discoveryUri(String issuer) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return endpoint(base + "/.well-known/openid-configuration", "issuer", OidcException.Reason.BAD_DISCOVERY);
    }

    /** Fetches and checks the issuer's discovery document. */
    public static OidcProviderMetadata discover(HttpClient client, String issuer, Duration timeout) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(issuer, "issuer");
        Map<String, Object> doc = HttpJson.get(client, discoveryUri(issuer), null, timeout, "the discovery document");
        return fromJson(doc, issuer);
    }

    /**
     * Parses and checks a discovery document. Throws {@link OidcException} with reason {@code BAD_DISCOVERY}
     * naming the field that is wrong.
     */
    public static OidcProviderMetadata parse(String json, String expectedIssuer) {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(expectedIssuer, "expectedIssuer");
        if (json.length() > HttpJson.MAX_BYTES) {
            throw new OidcException(OidcException.Reason.TOO_LARGE, "the discovery document is larger than "
                    + HttpJson.MAX_BYTES + " characters");
        }
        return fromJson(HttpJson.parseObject(json, "the discovery document", OidcException.Reason.BAD_DISCOVERY),
                expectedIssuer);
    }

    private static OidcProviderMetadata fromJson(Map<String, Object> doc, String expectedIssuer) {
        Object iss = doc.get("issuer");
        if (!(iss instanceof String)) {
            throw bad("issuer is missing or not a string");
        }
        if (!iss.equals(expectedIssuer)) {
            throw bad("issuer is not the expected issuer (they must be equal exactly)");
        }
        URI auth = required(doc, "authorization_endpoint");
        URI jwks = required(doc, "jwks_uri");
        URI token = optional(doc, "token_endpoint");
        URI userInfo = optional(doc, "userinfo_endpoint");
        return new OidcProviderMetadata((String) iss, auth, token, userInfo, jwks);
    }

    private static URI required(Map<String, Object> doc, String field) {
        URI u = optional(doc, field);
        if (u == null) {
            throw bad(field + " is missing");
        }
        return u;
    }

    private static URI optional(Map<String, Object> doc, String field) {
        Object v = doc.get(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String)) {
            throw bad(field + " is not a string");
        }
        return endpoint((String) v, field, OidcException.Reason.BAD_DISCOVERY);
    }

    /** An absolute https URI (http only on loopback), without user info or fragment. */
    static URI endpoint(String value, String field, OidcException.Reason reason) {
        URI u;
        try {
            u = new URI(value);
        } catch (URISyntaxException e) {
            throw new OidcException(reason, field + " is not a valid URI");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!u.isAbsolute() || u.getHost() == null) {
            throw new OidcException(reason, field + " is not an absolute URI with a host");
        }
        if (u.getRawUserInfo() != null || u.getRawFragment() != null) {
            throw new OidcException(reason, field + " must not carry user info or a fragment");
        }
        if (!scheme.equals("https") && !(scheme.equals("http") && isLoopback(u.getHost()))) {
            throw new OidcException(reason, field + " must use https (http is allowed only for loopback hosts)");
        }
        return u;
    }

    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]") || h.equals("::1");
    }

    private static OidcException bad(String message) {
        return new OidcException(OidcException.Reason.BAD_DISCOVERY, "discovery document: " + message);
    }
}
