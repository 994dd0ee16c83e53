package io.usher.core.http;

/**
 * Where a {@link RestClient} gets its bearer tokens. Implementations must be thread-safe; the usual one is
 * {@link OAuthTokenSource}, which caches.
 */
public interface TokenSource {

    /**
     * A token valid for at least a little while longer.
     *
     * @throws RestException when the token endpoint refuses or cannot be reached (never naming the secret)
     */
    AccessToken token();

    /**
     * The API refused this token ({@code 401}): forget it if it is still the cached one, so that the next
     * {@link #token()} fetches a fresh one. The default does nothing.
     */
    default void invalidate(AccessToken rejected) {}

    /**
     * The {@code Authorization} scheme the token goes with: {@code Bearer} (the default), {@code DPoP} for a
     * sender-constrained token (RFC 9449), or a vendor's own ({@code SSWS} for Okta API tokens).
     */
    default String scheme() {
        return "Bearer";
    }

    /**
     * Headers a request must carry besides {@code Authorization}, computed per request (a DPoP proof names
     * the method and URL and hashes the token). The default adds none.
     */
    default java.util.Map<String, String> requestHeaders(String method, java.net.URI uri, AccessToken token) {
        return java.util.Map.of();
    }
}
