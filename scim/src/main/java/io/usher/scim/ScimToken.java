package io.usher.scim;

import io.usher.core.model.Values;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * What a host keeps about one SCIM bearer token: its id (for audit and revocation), the SHA-256 digest of the
 * token (never the token), its {@linkplain ScimScope scopes} and an optional expiry. A host persists these four
 * fields (for instance a row per token) and serves them through a {@link ScimTokenStore}.
 *
 * <p><b>Why a plain SHA-256.</b> Tokens made by {@link #mint} are 256 random bits. A slow, salted password hash
 * exists to make guessing low-entropy secrets expensive; against 2<sup>256</sup> possibilities there is nothing
 * to guess, and a fast digest keeps each request cheap (a deliberately slow hash on every SCIM call would itself
 * be a denial-of-service lever). A leaked table of digests therefore gives no usable token. The same holds for a
 * host's own token of at least {@link BearerTokenAuthenticator#MIN_TOKEN_LENGTH} random characters; a guessable
 * token stays guessable whatever the hash, so prefer {@link #mint}.
 *
 * <pre>{@code
 * ScimToken.Minted minted = ScimToken.mint("entra-2026-11", Set.of(ScimScope.USERS, ScimScope.GROUPS),
 *         Instant.parse("2027-11-01T00:00:00Z"));
 * tokenStore.add(minted.token());    // id, digest, scopes, expiry: safe to store
 * show(minted.secret());             // once, to the admin who pastes it into the identity provider
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the token's name, unique among the host's tokens (it is the {@link ScimCaller#id()} of requests
 *     made with it, so it appears in audit records; it is not secret)
 * @param digest the lowercase hex SHA-256 of the token's UTF-8 bytes (64 characters), see {@link #digestOf}
 * @param scopes what the token allows, at least one; an unmodifiable copy
 * @param expiresAt the instant from which the token is refused, or null for a token that does not expire
 */
public record ScimToken(String id, String digest, Set<ScimScope> scopes, Instant expiresAt) {
    /** The prefix of minted tokens, so secret scanners and people can recognise one. */
    public static final String PREFIX = "usher_scim_";

    public ScimToken {
        id = Values.requireText(id, "token id");
        Objects.requireNonNull(digest, "digest");
        if (digest.length() != 64 || !digest.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("token '" + id + "': digest must be 64 hex characters (a SHA-256)");
        }
        digest = digest.toLowerCase(Locale.ROOT);
        scopes = copyScopes(scopes, id);
    }

    /** A token that does not expire. */
    public static ScimToken of(String id, String digest, Collection<ScimScope> scopes) {
        return new ScimToken(id, digest, Set.copyOf(Objects.requireNonNull(scopes, "scopes")), null);
    }

    /** A token that is refused from {@code expiresAt} on (null: never). */
    public static ScimToken of(String id, String digest, Collection<ScimScope> scopes, Instant expiresAt) {
        return new ScimToken(id, digest, Set.copyOf(Objects.requireNonNull(scopes, "scopes")), expiresAt);
    }

    /** The same token with another expiry (null: never). */
    public ScimToken withExpiry(Instant value) {
        return new ScimToken(id, digest, scopes, value);
    }

    /** Whether the token is refused at {@code now}: it has an expiry and {@code now} is at or after it. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** Whether the token holds {@code scope}. */
    public boolean allows(ScimScope scope) {
        return scopes.contains(scope);
    }

    /** The digest of a token as {@link #digest()} holds it: lowercase hex SHA-256 of its UTF-8 bytes. */
    public static String digestOf(String secret) {
        return HexFormat.of().formatHex(sha256(Objects.requireNonNull(secret, "secret")));
    }

    /**
     * Makes a new token: {@value #PREFIX} followed by 256 bits from a {@link SecureRandom}, base64url-encoded
     * (54 characters). The secret is in the answer only; store {@link Minted#token()}.
     */
    public static Minted mint(String id, Collection<ScimScope> scopes, Instant expiresAt) {
        return mint(id, scopes, expiresAt, new SecureRandom());
    }

    /** The same with the randomness given (a {@link SecureRandom} in production; tests may seed one). */
    public static Minted mint(String id, Collection<ScimScope> scopes, Instant expiresAt, Random random) {
        Objects.requireNonNull(random, "random");
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new Minted(secret, of(id, digestOf(secret), scopes, expiresAt));
    }

    /** Id, scopes and expiry; not the digest (it is not secret, but it has no business in a log). */
    @Override
    public String toString() {
        return "ScimToken[id=" + id + ", scopes=" + scopes + ", expiresAt=" + expiresAt + "]";
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static Set<ScimScope> copyScopes(Set<ScimScope> scopes, String id) {
        Objects.requireNonNull(scopes, "scopes");
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("token '" + id + "' needs at least one scope: read, users or groups");
        }
        for (ScimScope s : scopes) {
            Objects.requireNonNull(s, "scope");
        }
        return Collections.unmodifiableSet(EnumSet.copyOf(scopes));
    }

    /**
     * A newly minted token: the secret to hand to the identity provider once, and what to store. Its
     * {@code toString()} never shows the secret.
     *
     * @param secret the bearer token itself: show it once, never store or log it
     * @param token what the host stores
     */
    public record Minted(String secret, ScimToken token) {
        public Minted {
            Objects.requireNonNull(secret, "secret");
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String toString() {
            return "Minted[secret=(hidden), token=" + token + "]";
        }
    }
}
