package io.usher.scim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Checks {@code Authorization: Bearer <token>} against the configured tokens. Several tokens may be valid at
 * once, each under its own id, so a token can be rotated without downtime (add the new one, move the
 * identity provider over, remove the old one). The comparison is constant-time: every configured token is
 * compared (as a SHA-256 digest, so lengths do not leak either) whatever the outcome. The caller is the
 * token's id; the token itself is never logged, kept in an exception or returned.
 *
 * <pre>{@code
 * ScimAuthenticator auth = BearerTokenAuthenticator.builder()
 *         .token("entra-2026-11", System.getenv("SCIM_TOKEN"))
 *         .token("entra-2026-05", System.getenv("SCIM_TOKEN_OLD"))   // until Entra is moved over
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class BearerTokenAuthenticator implements ScimAuthenticator {
    /** Shortest token accepted: a guessable token is refused when configured. */
    public static final int MIN_TOKEN_LENGTH = 16;

    private final List<String> ids;
    private final List<byte[]> digests;

    private BearerTokenAuthenticator(Builder b) {
        this.ids = List.copyOf(b.ids);
        this.digests = List.copyOf(b.digests);
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
        if (h.length() < 7 || !h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return Optional.empty();
        }
        byte[] presented = sha256(h.substring(7).trim());
        int match = -1;
        for (int i = 0; i < digests.size(); i++) {
            // no early exit: every token is compared, whichever matches
            if (MessageDigest.isEqual(presented, digests.get(i)) & match < 0) {
                match = i;
            }
        }
        return match < 0 ? Optional.empty() : Optional.of(ScimCaller.of(ids.get(match)));
    }

    /** The ids of the configured tokens (never the tokens). */
    public List<String> tokenIds() {
        return ids;
    }

    @Override
    public String toString() {
        return "BearerTokenAuthenticator" + ids;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Builds a {@link BearerTokenAuthenticator}; each token is checked when given. Not thread-safe. */
    public static final class Builder {
        private final List<String> ids = new ArrayList<>();
        private final List<byte[]> digests = new ArrayList<>();
        private final Set<String> seen = new HashSet<>();

        private Builder() {}

        /**
         * Accepts {@code token} and names callers who present it {@code id} (for audit).
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
            if (!token.equals(token.strip()) || token.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("token '" + id + "' must not contain whitespace");
            }
            byte[] d = sha256(token);
            String hex = java.util.HexFormat.of().formatHex(d);
            if (!seen.add(hex)) {
                throw new IllegalArgumentException("token '" + id + "' is the same as another configured token");
            }
            ids.add(id);
            digests.add(d);
            return this;
        }

        public BearerTokenAuthenticator build() {
            if (ids.isEmpty()) {
                throw new IllegalArgumentException("at least one token is required");
            }
            return new BearerTokenAuthenticator(this);
        }
    }
}
