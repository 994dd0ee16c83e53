package io.usher.core.spi;

/**
 * Capability marker: the connector's group records may carry member groups
 * ({@link SourceGroup#memberGroupIds()}). The engine keeps them as group-in-group where the store supports
 * it, or flattens them to effective memberships, and reports cycles.
 */
public interface NestedGroupSource {}
