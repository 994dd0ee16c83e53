package io.usher.scim;

import java.util.Optional;

/**
 * Where {@link BearerTokenAuthenticator} finds tokens (SPI): the host implements it over its own database so
 * tokens can be added, rotated and revoked at run time without restarting, and several nodes see the same
 * tokens. {@link InMemoryScimTokenStore} is the built-in implementation.
 *
 * <p>The store holds {@link ScimToken}s: ids, SHA-256 digests, scopes, expiries, never tokens. A database
 * implementation is typically one indexed lookup:
 *
 * <pre>{@code
 * ScimTokenStore store = digest -> jdbc.query(
 *         "SELECT id, scopes, expires_at FROM scim_tokens WHERE digest = ? AND revoked = FALSE", digest)
 *     .map(row -> ScimToken.of(row.id(), digest, ScimScope.parseList(row.scopes()), row.expiresAt()));
 * }</pre>
 *
 * <p>A lookup by digest is safe against timing attacks: an attacker who learns how much of a stored digest
 * matched the digest of their guess learns nothing about the token (SHA-256 is not invertible), and the
 * authenticator compares the answer's digest with the presented one in constant time all the same. Expiry is
 * checked by the authenticator against its clock; the store need not filter expired tokens.
 *
 * <p>Implementations must be thread-safe (requests call it concurrently) and fast (it is called once per
 * request; cache if the database is far). An exception thrown here becomes a 503 for the client and a warning
 * in the log without the token.
 */
@FunctionalInterface
public interface ScimTokenStore {

    /**
     * The token whose {@link ScimToken#digest()} is {@code digest}, or empty when no such token exists or it
     * has been revoked.
     *
     * @param digest lowercase hex SHA-256 of the presented token ({@link ScimToken#digestOf})
     */
    Optional<ScimToken> findByDigest(String digest);
}
