package io.usher.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.model.MemberKind;
import org.junit.jupiter.api.Test;

/** InMemoryDirectory's soft delete: the user leaves, waits in the bin, and comes back with its groups. */
class RecycleBinTest {

    @Test
    void aSoftDeletedUserLeavesLogsADeletionAndComesBackWithItsGroups() {
        InMemoryDirectory dir = InMemoryDirectory.create(1);
        DirectoryUser u = dir.addUser(DirectoryUser.of("jdoe"));
        DirectoryGroup g = dir.addGroup("g");
        DirectoryGroup gone = dir.addGroup("gone");
        dir.addMember(g.id(), MemberKind.USER, u.id());
        dir.addMember(gone.id(), MemberKind.USER, u.id());
        long before = dir.currentSequence();

        assertThat(dir.softDeleteUser(u.id())).isTrue();
        assertThat(dir.user(u.id())).isEmpty();
        assertThat(dir.deletedUser(u.id())).contains(u);
        assertThat(dir.members(g.id(), MemberKind.USER)).isEmpty();
        assertThat(dir.changesSince(before).orElseThrow().changes()).singleElement()
                .isInstanceOf(DirectoryChange.UserDeleted.class);

        dir.deleteGroup(gone.id());
        assertThat(dir.restoreUser(u.id())).isEqualTo(u);
        assertThat(dir.deletedUser(u.id())).isEmpty();
        assertThat(dir.groupsOf(MemberKind.USER, u.id())).containsExactly(g.id());
        assertThatThrownBy(() -> dir.restoreUser(u.id())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPurgedUserIsGoneForGoodAndAHardDeleteNeverEntersTheBin() {
        InMemoryDirectory dir = InMemoryDirectory.create(2);
        DirectoryUser a = dir.addUser(DirectoryUser.of("a"));
        DirectoryUser b = dir.addUser(DirectoryUser.of("b"));
        dir.softDeleteUser(a.id());
        long seq = dir.currentSequence();

        assertThat(dir.purgeDeletedUser(a.id())).isTrue();
        assertThat(dir.currentSequence()).as("a purge logs nothing").isEqualTo(seq);
        assertThat(dir.deletedUser(a.id())).isEmpty();
        dir.deleteUser(b.id());
        assertThat(dir.deletedUser(b.id())).isEmpty();
        assertThat(dir.softDeleteUser("no-such-id")).isFalse();
    }
}
