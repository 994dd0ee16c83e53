package io.usher.core.spi;

import java.util.Optional;

/**
 * Where the engine keeps each source's incremental cursor between runs. The default is in memory
 * ({@link io.usher.core.store.InMemorySyncStateStore}); hosts that run several nodes keep it in their
 * database so cursors survive restarts. Implementations must be thread-safe.
 */
public interface SyncStateStore {

    Optional<String> cursor(String sourceId);

    void saveCursor(String sourceId, String cursor);

    void clearCursor(String sourceId);
}
