package io.usher.core;

/**
 * Per-run options. Immutable.
 *
 * @param forceSnapshot read a full snapshot even when an incremental cursor is stored
 * @param overrideGuard apply removals even when the mass-deletion guard would refuse them (an admin's
 *     explicit confirmation after inspecting a plan)
 */
public record SyncOptions(boolean forceSnapshot, boolean overrideGuard) {

    public static final SyncOptions DEFAULT = new SyncOptions(false, false);

    public static SyncOptions fullSnapshot() {
        return new SyncOptions(true, false);
    }

    public SyncOptions withOverrideGuard() {
        return new SyncOptions(forceSnapshot, true);
    }
}
