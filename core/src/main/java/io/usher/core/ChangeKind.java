package io.usher.core;

/** Every kind of change the engine makes; {@link SyncReport} counts and listener events use these names. */
public enum ChangeKind {
    USER_CREATED,
    USER_UPDATED,
    /** Same origin, new username: the stored user (and its key) is kept. */
    USER_RENAMED,
    USER_DEACTIVATED,
    USER_REACTIVATED,
    USER_DELETED,
    /** A local user with the same username was taken over by the source (collision policy LINK). */
    USER_LINKED,
    GROUP_CREATED,
    GROUP_UPDATED,
    GROUP_DELETED,
    /** A local group with the same name was taken over by the source (collision policy LINK). */
    GROUP_LINKED,
    MEMBER_ADDED,
    MEMBER_REMOVED;

    /** Whether this kind removes a user's access or a group (what the mass-deletion guard counts). */
    public boolean isRemoval() {
        return this == USER_DEACTIVATED || this == USER_DELETED || this == GROUP_DELETED;
    }
}
