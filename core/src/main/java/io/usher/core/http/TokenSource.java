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
}
