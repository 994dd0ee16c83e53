package io.usher.core.store;

import io.usher.core.spi.SyncStateStore;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Cursors in memory: the default {@link SyncStateStore}. Lost on restart. Thread-safe. */
public final class InMemorySyncStateStore implements SyncStateStore {
    private final ConcurrentHashMap<String, String> cursors = new ConcurrentHashMap<>();

    @Override
    public Optional<String> cursor(String sourceId) {
        return Optional.ofNullable(cursors.get(sourceId));
    }

    @Override
    public void saveCursor(String sourceId, String cursor) {
        cursors.put(Objects.requireNonNull(sourceId, "sourceId"), Objects.requireNonNull(cursor, "cursor"));
    }

    @Override
    public void clearCursor(String sourceId) {
        cursors.remove(sourceId);
    }
}
