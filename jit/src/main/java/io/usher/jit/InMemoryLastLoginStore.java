package io.usher.jit;

import io.usher.core.model.Origin;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link LastLoginStore} in memory (lost on restart). Thread-safe. */
public final class InMemoryLastLoginStore implements LastLoginStore {
    private final Map<Origin, Instant> logins = new ConcurrentHashMap<>();

    @Override
    public void recordLogin(Origin user, Instant at) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(at, "at");
        logins.merge(user, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    @Override
    public Optional<Instant> lastLogin(Origin user) {
        return Optional.ofNullable(logins.get(Objects.requireNonNull(user, "user")));
    }
}
