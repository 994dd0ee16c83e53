package io.usher.core;

/** How group-in-group membership reaches the store. */
public enum NestedGroups {
    /** Keep group-in-group where the store supports it, otherwise flatten (the default). */
    AUTO,
    /** Keep group-in-group; the store must support nested groups. */
    KEEP,
    /** Each group holds its effective (transitive) user members; no group-in-group in the store. */
    FLATTEN
}
