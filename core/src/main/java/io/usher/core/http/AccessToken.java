package io.usher.core.http;

import java.time.Instant;
import java.util.Objects;

/**
 * A bearer token and the instant it stops being valid. {@link #toString()} never shows the token.
 * Immutable and thread-safe.
 */
public record AccessToken(String value, Instant expiresAt) {

    public AccessToken {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (value.isBlank()) {
            throw new IllegalArgumentException("token value must not be blank");
        }
    }

    public static AccessToken of(String value, Instant expiresAt) {
        return new AccessToken(value, expiresAt);
    }

    @Override
    public String toString() {
        return "AccessToken[value=<redacted>, expiresAt=" + expiresAt + "]";
    }
}
