package io.usher.scim.patch;

import java.util.List;
import java.util.Objects;

/**
 * A change to a group's {@code members} that the {@link PatchApplier} leaves to its caller, so a resource can
 * apply it to its store without loading or rewriting the member list. The caller applies the changes in order,
 * after the JSON changes, all in one transaction with them. Immutable and thread-safe.
 *
 * @param kind    what to do
 * @param members the members concerned (empty for {@link Kind#REMOVE_ALL})
 */
public record MemberChange(Kind kind, List<MemberRef> members) {

    /** What to do with the members. */
    public enum Kind {
        /** Add these members (those already there stay, once). */
        ADD,
        /** Remove these members (those not there are ignored). */
        REMOVE,
        /** Remove every member. */
        REMOVE_ALL,
        /** Make these the only members (a full rewrite: O(members) by nature). */
        REPLACE_ALL
    }

    /** Copies the list. */
    public MemberChange {
        Objects.requireNonNull(kind, "kind");
        members = List.copyOf(members);
        if (kind == Kind.REMOVE_ALL && !members.isEmpty()) {
            throw new IllegalArgumentException("REMOVE_ALL names no members");
        }
    }
}
