package io.usher.core;

import io.usher.core.model.MemberKind;
import io.usher.core.model.Origin;
import java.util.Objects;
import java.util.Set;

/**
 * One change to the host's store, planned or applied.
 *
 * @param kind what happens
 * @param origin the origin of the user or group changed (for memberships: the group's)
 * @param key the store key of the user or group, or {@code null} when it does not exist yet
 * @param name the username or group name after the change
 * @param previousName the name before a rename, otherwise {@code null}
 * @param fields for updates, the names of the changed fields (never their values), in the order given
 * @param memberKind for memberships, whether the member is a user or a group
 * @param memberName for memberships, the member's username or group name
 * @param reason why, in plain words (may be {@code null})
 */
public record Change(ChangeKind kind, Origin origin, String key, String name, String previousName,
                     Set<String> fields, MemberKind memberKind, String memberName, String reason) {

    public Change {
        Objects.requireNonNull(kind, "kind");
        // kept in the order given (User.changedFields names them in a fixed order), so reports and audit lines are stable
        fields = fields == null || fields.isEmpty() ? Set.of()
                : java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(fields));
    }

    static Change of(ChangeKind kind, Origin origin, String key, String name, Set<String> fields, String reason) {
        return new Change(kind, origin, key, name, null, fields, null, null, reason);
    }

    static Change rename(Origin origin, String key, String oldName, String newName, Set<String> fields) {
        return new Change(ChangeKind.USER_RENAMED, origin, key, newName, oldName, fields, null, null, null);
    }

    static Change member(ChangeKind kind, Origin groupOrigin, String groupKey, String groupName, MemberKind memberKind,
                         String memberName) {
        return new Change(kind, groupOrigin, groupKey, groupName, null, Set.of(), memberKind, memberName, null);
    }

    /** A one-line description for logs and the CLI (names only, never attribute values). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(kind.name()).append(' ').append(name);
        if (previousName != null) {
            sb.append(" (was ").append(previousName).append(')');
        }
        if (memberName != null) {
            sb.append(" <- ").append(memberKind == MemberKind.GROUP ? "group " : "").append(memberName);
        }
        if (!fields.isEmpty()) {
            sb.append(' ').append(fields);
        }
        if (reason != null) {
            sb.append(": ").append(reason);
        }
        return sb.toString();
    }
}
