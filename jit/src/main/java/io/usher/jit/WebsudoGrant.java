package io.usher.jit;

import java.time.Instant;
import java.util.Objects;

/**
 * A websudo window: the admin {@code userKey} re-authenticated at the IdP at {@code authenticatedAt} and may use
 * administrative functions until {@code expiresAt}. Immutable and thread-safe.
 *
 * @param userKey         the admin's store key
 * @param authenticatedAt when the IdP re-authenticated the admin
 * @param grantedAt       when the window was granted
 * @param expiresAt       when it ends unless extended ({@link Websudo#touch})
 */
public record WebsudoGrant(String userKey, Instant authenticatedAt, Instant grantedAt, Instant expiresAt) {
    public WebsudoGrant {
        Objects.requireNonNull(userKey, "userKey");
        Objects.requireNonNull(authenticatedAt, "authenticatedAt");
        Objects.requireNonNull(grantedAt, "grantedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public WebsudoGrant extendedTo(Instant until) {
        return new WebsudoGrant(userKey, authenticatedAt, grantedAt, until);
    }
}
