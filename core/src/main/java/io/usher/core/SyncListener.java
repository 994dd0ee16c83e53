package io.usher.core;

/**
 * Audit, metrics and progress hooks. Every method has a no-op default; implement what you need.
 * Exceptions thrown by a listener are caught and logged: a listener cannot break a sync. Called on the
 * syncing thread, so keep them quick.
 */
public interface SyncListener {

    default void onStart(String runId, String sourceId, SyncMode mode) {}

    /** A change was applied. Dry runs ({@code plan}) do not call it: their changes are in the ChangeSet. */
    default void onChange(String runId, Change change) {}

    default void onFailure(String runId, Failure failure) {}

    default void onWarning(String runId, String warning) {}

    default void onProgress(Progress progress) {}

    default void onFinish(SyncReport report) {}
}
