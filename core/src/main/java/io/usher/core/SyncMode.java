package io.usher.core;

/** How a sync read its source. */
public enum SyncMode {
    /** A full snapshot compared with the store. */
    SNAPSHOT,
    /** Only the changes since the stored cursor. */
    INCREMENTAL,
    /** A full snapshot because the stored cursor had expired or was refused. */
    SNAPSHOT_AFTER_INVALID_CURSOR,
    /** Changes pushed one at a time (SCIM, JIT). */
    PUSH
}
