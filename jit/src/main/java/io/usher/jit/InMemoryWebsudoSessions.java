package io.usher.jit;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link WebsudoSessions} in memory (lost on restart; one node). Thread-safe. */
public final class InMemoryWebsudoSessions implements WebsudoSessions {
    private final Map<String, WebsudoGrant> grants = new ConcurrentHashMap<>();

    @Override
    public void put(String sessionId, WebsudoGrant grant) {
        grants.put(Objects.requireNonNull(sessionId, "sessionId"), Objects.requireNonNull(grant, "grant"));
    }

    @Override
    public Optional<WebsudoGrant> get(String sessionId) {
        return Optional.ofNullable(grants.get(Objects.requireNonNull(sessionId, "sessionId")));
    }

    @Override
    public void remove(String sessionId) {
        grants.remove(Objects.requireNonNull(sessionId, "sessionId"));
    }
}
