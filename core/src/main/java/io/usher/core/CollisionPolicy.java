package io.usher.core;

/**
 * What happens when a source's user (or group) wants a username (or group name) that another record in
 * the store already holds — compared case-insensitively, so {@code JDoe} collides with {@code jdoe}.
 */
public enum CollisionPolicy {
    /**
     * Take over a local user or group of that name: it becomes owned by the source (key, memberships and
     * host data kept). Names held by another source's record are skipped with a warning.
     */
    LINK,
    /** Leave both alone; report a warning. */
    SKIP,
    /** Leave both alone; report a failure. */
    FAIL
}
