package io.usher.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.core.spi.ConflictException;
import io.usher.core.spi.StoreOperation;
import io.usher.core.spi.UserStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules every {@link UserStore} keeps, as tests. A host's store (or Usher's) extends this class and
 * supplies a fresh, empty store per test:
 *
 * <pre>{@code
 * class JdbcUserStoreTest extends UserStoreContract {
 *     protected UserStore newStore() { return new JdbcUserStore(freshDatabase()); }
 * }
 * }</pre>
 */
public abstract class UserStoreContract {

    /** A new, empty store. */
    protected abstract UserStore newStore();

    protected UserStore store;

    @BeforeEach
    void freshStore() {
        store = newStore();
    }

    private static User user(String name, String source, String ext) {
        return User.builder(name).origin(source == null ? null : Origin.of(source, ext)).displayName(name).build();
    }

    @Test
    void createAssignsAKeyThatFindsTheUser() {
        User u = store.createUser(user("alice", "s", "1"));
        assertThat(u.key()).isNotBlank();
        assertThat(store.findUser(u.key())).contains(u);
        assertThat(store.findUserByOrigin(Origin.of("s", "1"))).contains(u);
        assertThat(store.findUserByOrigin(Origin.of("s", "2"))).isEmpty();
        assertThat(store.findUserByOrigin(Origin.of("t", "1"))).isEmpty();
    }

    @Test
    void usernamesAreFoundAndUniqueIgnoringCase() {
        User u = store.createUser(user("JDoe", "s", "1"));
        assertThat(store.findUserByUsername("jdoe")).contains(u);
        assertThat(store.findUserByUsername("JDOE")).contains(u);
        assertThatThrownBy(() -> store.createUser(user("jdoe", "s", "2"))).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> store.createUser(user("jdoe", null, null))).isInstanceOf(ConflictException.class);
    }

    @Test
    void renameKeepsTheKeyAndFreesTheOldName() {
        User u = store.createUser(user("bob", "s", "1"));
        User renamed = store.updateUser(u.toBuilder().username("robert").build());
        assertThat(renamed.key()).isEqualTo(u.key());
        assertThat(store.findUserByUsername("robert")).map(User::key).contains(u.key());
        assertThat(store.findUserByUsername("bob")).isEmpty();
        User other = store.createUser(user("bob", "s", "2"));
        assertThat(other.key()).isNotEqualTo(u.key());
    }

    @Test
    void updateToATakenNameConflicts() {
        store.createUser(user("a", "s", "1"));
        User b = store.createUser(user("b", "s", "2"));
        assertThatThrownBy(() -> store.updateUser(b.toBuilder().username("A").build()))
                .isInstanceOf(ConflictException.class);
        assertThat(store.findUser(b.key()).orElseThrow().username()).isEqualTo("b");
    }

    @Test
    void caseOnlyRenameOfTheSameUserIsAllowed() {
        User u = store.createUser(user("jdoe", "s", "1"));
        store.updateUser(u.toBuilder().username("JDoe").build());
        assertThat(store.findUserByUsername("jdoe").orElseThrow().username()).isEqualTo("JDoe");
    }

    @Test
    void ownedByListsOnlyThatSourcesRecords() {
        store.createUser(user("a", "s", "1"));
        store.createUser(user("b", "s", "2"));
        store.createUser(user("c", "t", "1"));
        store.createUser(user("local", null, null));
        store.createGroup(Group.of(Origin.of("s", "g"), "g1", null));
        store.createGroup(Group.local("lg"));
        try (Stream<User> s = store.usersOwnedBy("s")) {
            assertThat(s.map(User::username).collect(Collectors.toList())).containsExactlyInAnyOrder("a", "b");
        }
        try (Stream<Group> s = store.groupsOwnedBy("s")) {
            assertThat(s.map(Group::name).collect(Collectors.toList())).containsExactly("g1");
        }
        try (Stream<User> s = store.usersOwnedBy("none")) {
            assertThat(s.count()).isZero();
        }
    }

    @Test
    void groupsAreFoundByNameIgnoringCaseAndUnique() {
        Group g = store.createGroup(Group.of(Origin.of("s", "g"), "Admins", "d"));
        assertThat(store.findGroupByName("admins")).contains(g);
        assertThat(store.findGroupByOrigin(Origin.of("s", "g"))).contains(g);
        assertThatThrownBy(() -> store.createGroup(Group.local("ADMINS"))).isInstanceOf(ConflictException.class);
        Group renamed = store.updateGroup(new Group(g.key(), g.origin(), "Operators", "d2"));
        assertThat(store.findGroup(g.key())).contains(renamed);
        assertThat(store.findGroupByName("admins")).isEmpty();
    }

    @Test
    void membershipsChangeOneAtATimeAndAreSeenFromBothSides() {
        User a = store.createUser(user("a", "s", "1"));
        User b = store.createUser(user("b", "s", "2"));
        Group g = store.createGroup(Group.local("g"));
        assertThat(store.addMember(g.key(), MemberKind.USER, a.key())).isTrue();
        assertThat(store.addMember(g.key(), MemberKind.USER, a.key())).isFalse();
        assertThat(store.addMember(g.key(), MemberKind.USER, b.key())).isTrue();
        assertThat(store.members(g.key(), MemberKind.USER)).containsExactlyInAnyOrder(a.key(), b.key());
        assertThat(store.groupsOf(MemberKind.USER, a.key())).containsExactly(g.key());
        assertThat(store.removeMember(g.key(), MemberKind.USER, a.key())).isTrue();
        assertThat(store.removeMember(g.key(), MemberKind.USER, a.key())).isFalse();
        assertThat(store.members(g.key(), MemberKind.USER)).containsExactly(b.key());
        assertThat(store.groupsOf(MemberKind.USER, a.key())).isEmpty();
    }

    @Test
    void deletingAUserOrGroupRemovesItsMemberships() {
        User a = store.createUser(user("a", "s", "1"));
        Group g = store.createGroup(Group.local("g"));
        store.addMember(g.key(), MemberKind.USER, a.key());
        assertThat(store.deleteUser(a.key())).isTrue();
        assertThat(store.deleteUser(a.key())).isFalse();
        assertThat(store.members(g.key(), MemberKind.USER)).isEmpty();
        assertThat(store.findUserByUsername("a")).isEmpty();
        User b = store.createUser(user("b", "s", "2"));
        store.addMember(g.key(), MemberKind.USER, b.key());
        assertThat(store.deleteGroup(g.key())).isTrue();
        assertThat(store.groupsOf(MemberKind.USER, b.key())).isEmpty();
        assertThat(store.findGroupByName("g")).isEmpty();
    }

    @Test
    void nestedGroupsWhenSupported() {
        assumeThat(store.supportsNestedGroups()).as("store supports nested groups").isTrue();
        Group parent = store.createGroup(Group.local("parent"));
        Group child = store.createGroup(Group.local("child"));
        assertThat(store.addMember(parent.key(), MemberKind.GROUP, child.key())).isTrue();
        assertThat(store.members(parent.key(), MemberKind.GROUP)).containsExactly(child.key());
        assertThat(store.groupsOf(MemberKind.GROUP, child.key())).containsExactly(parent.key());
        store.deleteGroup(child.key());
        assertThat(store.members(parent.key(), MemberKind.GROUP)).isEmpty();
    }

    @Test
    void batchOutcomesMatchOperationsAndOneFailureDoesNotStopTheRest() {
        List<StoreOperation> ops = List.of(
                StoreOperation.createUser(user("x", "s", "1")),
                StoreOperation.createUser(user("X", "s", "2")),
                StoreOperation.createGroup(Group.local("team")),
                StoreOperation.deleteUser("no-such-key"));
        List<StoreOperation.Outcome> out = store.apply(ops);
        assertThat(out).hasSize(4);
        assertThat(out.get(0).ok()).isTrue();
        assertThat(out.get(1).ok()).isFalse();
        assertThat(out.get(1).error()).isInstanceOf(ConflictException.class);
        assertThat(out.get(2).ok()).isTrue();
        assertThat(out.get(3).ok()).isTrue();
        assertThat(out.get(3).result()).isEqualTo(false);
        assertThat(store.findGroupByName("team")).isPresent();
        assertThat(((User) out.get(0).result()).key()).isNotNull();
    }

    @Test
    void concurrentCreatesLoseNothing() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 250; i++) {
                        store.createUser(user("t" + thread + "-" + i, "s", thread + ":" + i));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        try (Stream<User> s = store.usersOwnedBy("s")) {
            assertThat(s.map(User::key).distinct().count()).isEqualTo(1000);
        }
    }

    @Test
    void concurrentCreatesOfOneNameLetExactlyOneWin() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    try {
                        store.createUser(user("same", "s", "x" + thread));
                        return true;
                    } catch (ConflictException e) {
                        return false;
                    }
                }));
            }
            int wins = 0;
            for (Future<Boolean> f : futures) {
                wins += f.get() ? 1 : 0;
            }
            assertThat(wins).isEqualTo(1);
        } finally {
            pool.shutdown();
        }
    }
}
