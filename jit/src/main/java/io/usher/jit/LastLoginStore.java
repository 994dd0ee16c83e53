package io.usher.jit;

import io.usher.core.model.Origin;
import java.time.Instant;
import java.util.Optional;

/**
 * Where JIT records each user's last login (by origin, so renames keep it), for {@link InactiveUserCleanup}.
 * Hosts that keep users in a database implement it over a column or a small table; {@link InMemoryLastLoginStore}
 * is the default for tests and single-node demos.
 *
 * <p>Implementations must be thread-safe.
 */
public interface LastLoginStore {

    /** Records a login at {@code at} (a later login replaces an earlier one; an earlier one never replaces a later). */
    void recordLogin(Origin user, Instant at);

    /** The last recorded login, if any. */
    Optional<Instant> lastLogin(Origin user);
}
