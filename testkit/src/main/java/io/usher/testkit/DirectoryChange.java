package io.usher.testkit;

import io.usher.core.model.MemberKind;
import java.util.Objects;

/**
 * One entry of the {@link InMemoryDirectory}'s change log. Every mutation appends one or more entries, each
 * with its own sequence number, strictly increasing. Entries carry the value as it was right after the
 * mutation, so a replay in order reproduces every intermediate state.
 *
 * <p>All implementations are immutable records and thread-safe.
 */
public sealed interface DirectoryChange {

    /** The sequence number of this entry; the directory's {@code currentSequence()} right after it. */
    long sequence();

    /** A user was added or changed (rename, enable, disable, any field). The id never changes. */
    record UserUpserted(long sequence, DirectoryUser user) implements DirectoryChange {
        public UserUpserted { Objects.requireNonNull(user, "user"); }
    }

    /** A user was deleted; its memberships went with it (no separate {@link MemberRemoved} entries). */
    record UserDeleted(long sequence, String userId) implements DirectoryChange {
        public UserDeleted { Objects.requireNonNull(userId, "userId"); }
    }

    /** A group was added, with no members yet. */
    record GroupAdded(long sequence, DirectoryGroup group) implements DirectoryChange {
        public GroupAdded { Objects.requireNonNull(group, "group"); }
    }

    /** A group's name or description changed; its members did not. */
    record GroupUpdated(long sequence, DirectoryGroup group) implements DirectoryChange {
        public GroupUpdated { Objects.requireNonNull(group, "group"); }
    }

    /**
     * A group was deleted, with its own memberships and its place in other groups (no separate
     * {@link MemberRemoved} entries).
     */
    record GroupDeleted(long sequence, String groupId) implements DirectoryChange {
        public GroupDeleted { Objects.requireNonNull(groupId, "groupId"); }
    }

    /** A user or group became a direct member of a group. */
    record MemberAdded(long sequence, String groupId, MemberKind kind, String memberId) implements DirectoryChange {
        public MemberAdded {
            Objects.requireNonNull(groupId, "groupId");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(memberId, "memberId");
        }
    }

    /** A user or group stopped being a direct member of a group. */
    record MemberRemoved(long sequence, String groupId, MemberKind kind, String memberId) implements DirectoryChange {
        public MemberRemoved {
            Objects.requireNonNull(groupId, "groupId");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(memberId, "memberId");
        }
    }
}
