package io.usher.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.UsherException;
import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.User;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What this store adds to the UserStore contract (testkit runs the contract itself). */
class InMemoryUserStoreTest {

    @Test
    void addMembersIsAllOrNothingAndCountsOnlyNewMembers() {
        InMemoryUserStore s = new InMemoryUserStore();
        String a = s.createUser(User.builder("a").build()).key();
        String b = s.createUser(User.builder("b").build()).key();
        String g = s.createGroup(Group.local("g")).key();
        assertThatThrownBy(() -> s.addMembers(g, MemberKind.USER, List.of(a, "no-such-user", b)))
                .extracting(x -> ((UsherException) x).code()).isEqualTo(UsherException.Code.NOT_FOUND);
        assertThat(s.members(g, MemberKind.USER)).isEmpty();
        assertThat(s.groupsOf(MemberKind.USER, a)).isEmpty();

        assertThat(s.addMembers(g, MemberKind.USER, List.of(a))).isEqualTo(1);
        assertThat(s.addMembers(g, MemberKind.USER, List.of(a, b, b))).isEqualTo(1);
        assertThat(s.members(g, MemberKind.USER)).containsExactlyInAnyOrder(a, b);
        assertThat(s.groupsOf(MemberKind.USER, b)).containsExactly(g);
        assertThatThrownBy(() -> s.addMembers(g, MemberKind.GROUP, List.of(g)))
                .extracting(x -> ((UsherException) x).code()).isEqualTo(UsherException.Code.INVALID);
    }

    /** The groups of one member live in a small array that turns into a hash set past 16: both must behave. */
    @Test
    void aMemberOfManyGroupsKeepsAndLosesThemAll() {
        InMemoryUserStore s = new InMemoryUserStore();
        String u = s.createUser(User.builder("u").build()).key();
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String g = s.createGroup(Group.local("g" + i)).key();
            groups.add(g);
            assertThat(s.addMember(g, MemberKind.USER, u)).isTrue();
            assertThat(s.addMember(g, MemberKind.USER, u)).isFalse();
            assertThat(s.groupsOf(MemberKind.USER, u)).hasSize(i + 1);
        }
        assertThat(s.groupsOf(MemberKind.USER, u)).containsExactlyInAnyOrderElementsOf(groups);
        assertThat(s.removeMember(groups.get(3), MemberKind.USER, u)).isTrue();
        assertThat(s.deleteGroup(groups.get(4))).isTrue();
        assertThat(s.groupsOf(MemberKind.USER, u)).hasSize(38).doesNotContain(groups.get(3), groups.get(4));
        assertThat(s.deleteUser(u)).isTrue();
        for (String g : groups.subList(5, 40)) {
            assertThat(s.members(g, MemberKind.USER)).isEmpty();
        }
        // a new user under no group: its memberships start empty again
        String v = s.createUser(User.builder("v").build()).key();
        assertThat(s.groupsOf(MemberKind.USER, v)).isEmpty();
        String small = s.createGroup(Group.local("small")).key();
        s.addMember(small, MemberKind.USER, v);
        assertThat(s.removeMember(small, MemberKind.USER, v)).isTrue();
        assertThat(s.groupsOf(MemberKind.USER, v)).isEmpty();
    }

    /** The open-addressing int set answers like a HashSet through any mix of adds and removes. */
    @net.jqwik.api.Property(tries = 300)
    void intKeySetBehavesLikeAHashSet(@net.jqwik.api.ForAll @net.jqwik.api.constraints.Size(max = 400)
                                      List<@net.jqwik.api.constraints.IntRange(min = -60, max = 60) Integer> ops) {
        InMemoryUserStore.IntKeySet set = new InMemoryUserStore.IntKeySet(0);
        java.util.Set<Integer> expected = new java.util.HashSet<>();
        for (int op : ops) {
            int key = Math.abs(op) + 1; // a small key space: many collisions, removals inside probe runs
            if (op >= 0) {
                assertThat(set.add(key)).isEqualTo(expected.add(key));
            } else {
                assertThat(set.remove(key)).isEqualTo(expected.remove(key));
            }
            assertThat(set.size()).isEqualTo(expected.size());
        }
        for (int k = 1; k <= 61; k++) {
            assertThat(set.contains(k)).isEqualTo(expected.contains(k));
        }
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        set.forEach(seen::add);
        assertThat(seen).isEqualTo(expected);
        assertThat(set.contains(0)).isFalse();
        assertThat(set.contains(-1)).isFalse();
    }

    /** Keys that only look like the store's (deleted, foreign, malformed, of the other kind) find nothing. */
    @Test
    void membershipCallsWithKeysTheStoreDidNotIssueFindNothing() {
        InMemoryUserStore s = new InMemoryUserStore();
        String u = s.createUser(User.builder("someone").build()).key();
        String g = s.createGroup(Group.local("team")).key();
        assertThat(s.addMember(g, MemberKind.USER, u)).isTrue();
        for (String bad : List.of("u99999", "x" + u.substring(1), u + "0", "u", "u-1", "u99999999999", g)) {
            assertThat(s.isMember(g, MemberKind.USER, bad)).as(bad).isFalse();
            assertThat(s.groupsOf(MemberKind.USER, bad)).as(bad).isEmpty();
            assertThat(s.removeMember(g, MemberKind.USER, bad)).as(bad).isFalse();
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> s.addMember(g, MemberKind.USER, bad)))
                    .as(bad).isInstanceOf(io.usher.core.UsherException.class);
        }
        assertThat(s.members(u, MemberKind.USER)).isEmpty(); // a user's key is no group's
        assertThat(s.deleteUser(u)).isTrue();
        assertThat(s.isMember(g, MemberKind.USER, u)).isFalse();
        assertThat(s.hasExactly(g, MemberKind.USER, List.of())).isTrue();
        assertThat(s.hasExactly(g, MemberKind.USER, List.of(u))).isFalse();
    }
}
