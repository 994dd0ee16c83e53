package io.usher.core;

/** What happens to a user the source no longer has (or that left the source's filters). */
public enum DeprovisionPolicy {
    /** Keep the user, mark it inactive (the default: reversible). */
    DEACTIVATE,
    /** Delete the user and its memberships. */
    DELETE,
    /** Do nothing. */
    LEAVE
}
