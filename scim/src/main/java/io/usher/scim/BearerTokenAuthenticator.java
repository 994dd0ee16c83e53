package io.usher.scim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks {@code Authorization: Bearer <token>} against stored token digests. Only digests are kept
 * ({@link ScimToken}: SHA-256, see there why a fast hash suffices); the presented token is hashed and looked up
 * in a {@link ScimTokenStore}, and the answer's digest is compared with the presented one in constant time.
 * Each token has an id (the {@link ScimCaller#id()}, for audit), scopes (enforced by the server, see
 * {@link ScimScope}) and an optional expiry, checked against an injectable clock.
 *
 * <p><b>Rotation without downtime.</b> Several tokens are valid at once: add the new token to the store, move
 * the identity provider over, then revoke the old one ({@link InMemoryScimTokenStore#revoke}, or a row deleted
 * in the host's own store). Tokens given with {@link Builder#token(String, String)} are hashed when the
 * authenticator is built and never change (restart to rotate those).
 *
 * <p><b>Refusals.</b> A missing, malformed, unknown or revoked token is an empty answer (401); an expired one a
 * 401 saying it expired; a failing store a 503. The token itself is never logged, kept in an exception or
 * returned.
 *
 * <pre>{@code
 * InMemoryScimTokenStore tokens = InMemoryScimTokenStore.of(
 *         ScimToken.of("entra-2026-11", digestFromConfig, Set.of(ScimScope.USERS, ScimScope.GROUPS)));
 * ScimAuthenticator auth = BearerTokenAuthenticator.builder().store(tokens).build();
 * // or, as before, plain tokens hashed at build time, with every scope and no expiry:
 * ScimAuthenticator simple = BearerTokenAuthenticator.builder()
 *         .token("entra-2026-11", System.getenv("SCIM_TOKEN"))
 *         .token("entra-2026-05", System.getenv("SCIM_TOKEN_OLD"))   // until Entra is moved over
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe (the store it reads may change).
 */
public final class BearerTokenAuthenticator implements ScimAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(BearerTokenAuthenticator.class);

    /** Shortest token accepted: a guessable token is refused when configured. */
    public static final int MIN_TOKEN_LENGTH = 16;
    /** Longest bearer value looked at; longer ones are refused without hashing. */
    static final int MAX_TOKEN_LENGTH = 4096;

    private final List<String> ids;
    private final ScimTokenStore store;
    private final Clock clock;

    private BearerTokenAuthenticator(Builder b, ScimTokenStore store) {
        this.ids = List.copyOf(b.ids);
        this.store = store;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Optional<ScimCaller> authenticate(Request request) {
        String header = request.header("Authorization");
        if (header == null) {
            return Optional.empty();
        }
        String h = header.trim();
        if (h.length() < 7 || h.length() > MAX_TOKEN_LENGTH || !h.substring(0, 7).toLowerCase(Locale.ROOT)
                .equals("bearer ")) {
            return Optional.empty();
        }
        String presented = h.substring(7).trim();
        if (presented.isEmpty()) {
            return Optional.empty();
        }
        String digest = ScimToken.digestOf(presented);
        Optional<ScimToken> found;
        try {
            found = store.findByDigest(digest);
        } catch (RuntimeException e) {
            LOG.warn("the SCIM token store failed ({}); refusing the request", e.getClass().getName());
            throw ScimException.of(503, null, "the server cannot check credentials now; try again later");
        }
        if (found == null || found.isEmpty()) {
            return Optional.empty();
        }
        ScimToken token = found.get();
        // constant time, and a defence against a store whose lookup is looser than equality
        if (!MessageDigest.isEqual(digest.getBytes(StandardCharsets.US_ASCII),
                token.digest().getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        if (token.expiredAt(clock.instant())) {
            LOG.info("SCIM token '{}' was presented after its expiry ({})", token.id(), token.expiresAt());
            throw ScimException.of(401, null, "the bearer token has expired");
        }
        return Optional.of(ScimCaller.of(token.id(), token.scopes()));
    }

    /** The ids of the tokens given to the builder (never the tokens); a host store's tokens are not listed. */
    public List<String> tokenIds() {
        return ids;
    }

    @Override
    public String toString() {
        return "BearerTokenAuthenticator" + (ids.isEmpty() ? "[" + store + "]" : ids.toString());
    }

    /** Builds a {@link BearerTokenAuthenticator}; each token is checked when given. Not thread-safe. */
    public static final class Builder {
        private final List<String> ids = new ArrayList<>();
        private final InMemoryScimTokenStore given = new InMemoryScimTokenStore();
        private ScimTokenStore store;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /**
         * Accepts {@code token} with every scope and no expiry, and names callers who present it {@code id} (for
         * audit). Only its SHA-256 digest is kept.
         *
         * @throws IllegalArgumentException if the id is blank or repeated, or the token is shorter than
         *     {@value #MIN_TOKEN_LENGTH} characters, contains whitespace, or is given twice (the message
         *     never contains the token)
         */
        public Builder token(String id, String token) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("token id is required");
            }
            if (ids.contains(id)) {
                throw new IllegalArgumentException("token id '" + id + "' is given twice");
            }
            if (token == null || token.length() < MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException("token '" + id + "' must be at least " + MIN_TOKEN_LENGTH
                        + " characters");
            }
            if (token.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("token '" + id + "' must not contain whitespace");
            }
            return token(ScimToken.of(id, ScimToken.digestOf(token), ScimScope.ALL));
        }

        /**
         * Accepts a stored token (a digest, scopes and an optional expiry), e.g. one made by {@link ScimToken#mint}.
         *
         * @throws IllegalArgumentException if its id or digest was given before
         */
        public Builder token(ScimToken token) {
            Objects.requireNonNull(token, "token");
            if (ids.contains(token.id())) {
                throw new IllegalArgumentException("token id '" + token.id() + "' is given twice");
            }
            for (ScimToken t : given.tokens()) {
                if (t.digest().equals(token.digest())) {
                    throw new IllegalArgumentException("token '" + token.id() + "' is the same as another configured"
                            + " token");
                }
            }
            given.add(token);
            ids.add(token.id());
            return this;
        }

        /**
         * Reads tokens from the host's store (revocation and new tokens take effect on the next request). Use it
         * instead of {@link #token}: add those tokens to the store.
         */
        public Builder store(ScimTokenStore value) {
            if (store != null) {
                throw new IllegalArgumentException("store is given twice");
            }
            store = Objects.requireNonNull(value, "store");
            return this;
        }

        /** The clock token expiry is checked against (default: the system clock; tests inject one). */
        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public BearerTokenAuthenticator build() {
            if (store != null && !ids.isEmpty()) {
                throw new IllegalArgumentException("give tokens either with token(...) or through store(...), not "
                        + "both: add the tokens " + ids + " to the store");
            }
            if (store == null && ids.isEmpty()) {
                throw new IllegalArgumentException("at least one token is required: token(id, token), "
                        + "token(ScimToken) or store(ScimTokenStore)");
            }
            // a copy: tokens given to this builder later do not reach the authenticator built now
            return new BearerTokenAuthenticator(this, store != null ? store
                    : InMemoryScimTokenStore.of(given.tokens().toArray(new ScimToken[0])));
        }
    }
}
