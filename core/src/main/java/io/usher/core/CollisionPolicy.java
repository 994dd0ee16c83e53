package io.usher.core;

/**
 * What happens when a source's user (or group) wants a username (or group name) that another record in
 * the store already holds — compared case-insensitively, so {@code JDoe} collides with {@code jdoe}.
 */
public enum CollisionPolicy {
    /**
     * Take over a local user of that name: it becomes owned by the source (key, memberships and host data
     * kept). Groups are never taken over (a local group stays the host's, so a later removal in the source
     * cannot delete it): a group name clash is skipped with a warning, as are names held by another source.
     */
    LINK,
    /** Leave both alone; report a warning. */
    SKIP,
    /** Leave both alone; report a failure. */
    FAIL
}
