package io.usher.core.model;

/** What a group member is: a user or (for nested groups) another group. */
public enum MemberKind {
    USER,
    GROUP
}
