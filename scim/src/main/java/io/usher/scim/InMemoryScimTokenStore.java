package io.usher.scim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ScimTokenStore} in memory: for tests, demos and hosts that configure a handful of tokens at start-up
 * and rotate them through an admin screen. Rotation without downtime is {@link #add} of the new token (both are
 * valid from then on), moving the identity provider over, then {@link #revoke} of the old one; each takes effect
 * on the next request. A lookup compares the presented digest with every stored digest in constant time, without
 * stopping at a match.
 *
 * <p>Thread-safe: readers see a consistent snapshot; writers are serialised.
 */
public final class InMemoryScimTokenStore implements ScimTokenStore {
    private volatile List<ScimToken> tokens = List.of();

    /** An empty store. */
    public InMemoryScimTokenStore() {}

    /** A store holding {@code initial}. */
    public static InMemoryScimTokenStore of(ScimToken... initial) {
        InMemoryScimTokenStore store = new InMemoryScimTokenStore();
        for (ScimToken t : initial) {
            store.add(t);
        }
        return store;
    }

    /**
     * Adds a token.
     *
     * @throws IllegalArgumentException if a token with the same id or the same digest is already stored
     */
    public synchronized InMemoryScimTokenStore add(ScimToken token) {
        Objects.requireNonNull(token, "token");
        for (ScimToken t : tokens) {
            if (t.id().equals(token.id())) {
                throw new IllegalArgumentException("token id '" + token.id() + "' is already stored");
            }
            if (t.digest().equals(token.digest())) {
                throw new IllegalArgumentException("token '" + token.id() + "' is the same as stored token '"
                        + t.id() + "'");
            }
        }
        List<ScimToken> next = new ArrayList<>(tokens);
        next.add(token);
        tokens = List.copyOf(next);
        return this;
    }

    /**
     * Replaces the stored token with {@code token}'s id (new scopes or expiry); false when there is none.
     *
     * @throws IllegalArgumentException if another stored token (another id) has the same digest
     */
    public synchronized boolean replace(ScimToken token) {
        Objects.requireNonNull(token, "token");
        for (ScimToken t : tokens) {
            if (!t.id().equals(token.id()) && t.digest().equals(token.digest())) {
                throw new IllegalArgumentException("token '" + token.id() + "' is the same as stored token '"
                        + t.id() + "'");
            }
        }
        List<ScimToken> next = new ArrayList<>(tokens);
        for (int i = 0; i < next.size(); i++) {
            if (next.get(i).id().equals(token.id())) {
                next.set(i, token);
                tokens = List.copyOf(next);
                return true;
            }
        }
        return false;
    }

    /** Removes the token with this id; requests presenting it are refused from now on. False when absent. */
    public synchronized boolean revoke(String id) {
        List<ScimToken> next = new ArrayList<>(tokens);
        boolean removed = next.removeIf(t -> t.id().equals(id));
        tokens = List.copyOf(next);
        return removed;
    }

    /** The stored tokens (ids, digests, scopes, expiries), in the order they were added. */
    public List<ScimToken> tokens() {
        return tokens;
    }

    @Override
    public Optional<ScimToken> findByDigest(String digest) {
        byte[] presented = digest.getBytes(StandardCharsets.US_ASCII);
        ScimToken match = null;
        for (ScimToken t : tokens) {
            // no early exit: every digest is compared, whichever matches
            if (MessageDigest.isEqual(presented, t.digest().getBytes(StandardCharsets.US_ASCII)) & match == null) {
                match = t;
            }
        }
        return Optional.ofNullable(match);
    }

    @Override
    public String toString() {
        return "InMemoryScimTokenStore" + tokens.stream().map(ScimToken::id).toList();
    }
}
