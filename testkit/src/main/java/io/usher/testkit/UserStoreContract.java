package io.usher.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.usher.core.model.CredentialPolicy;
import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.core.spi.ConflictException;
import io.usher.core.spi.StoreOperation;
import io.usher.core.spi.UserStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules every {@link UserStore} keeps, as tests. A host extends this class in its own test sources and
 * implements {@link #newStore()}:
 *
 * <pre>{@code
 * class JdbcUserStoreTest extends UserStoreContract {
 *     protected UserStore newStore() { return new JdbcUserStore(freshDatabase()); }
 * }
 * }</pre>
 *
 * <p>Each test gets a new, empty store. Tests of nested groups are skipped (not failed) for stores whose
 * {@link UserStore#supportsNestedGroups()} is false. Every test asserts behaviour the {@link UserStore}
 * javadoc promises, including the exception (and {@code UsherException} code) each misuse must raise.
 *
 * <p>Not thread-safe itself (JUnit makes one instance per test); the concurrency tests drive the store from
 * several threads.
 */
public abstract class UserStoreContract {
    private static final String SOURCE = "contract-src";
    private static final String OTHER = "contract-other";

    /** The store under test, from {@link #newStore()}, new for each test. */
    protected UserStore store;

    /** A new, empty store. */
    protected abstract UserStore newStore();

    @BeforeEach
    void setUpStore() {
        store = newStore();
    }

    // ---------------------------------------------------------------- helpers

    protected static User synced(String username, String externalId) {
        return User.builder(username).origin(Origin.of(SOURCE, externalId)).displayName(username)
                .email(username.toLowerCase(java.util.Locale.ROOT) + "@example.com").build();
    }

    protected static User local(String username) {
        return User.builder(username).build();
    }

    // ---------------------------------------------------------------- keys

    @Test
    void createAssignsAKeyAndKeepsTheFields() {
        User created = store.createUser(synced("alice", "ext-1"));

        assertThat(created.key()).isNotBlank();
        assertThat(created.username()).isEqualTo("alice");
        assertThat(created.origin()).isEqualTo(Origin.of(SOURCE, "ext-1"));
        assertThat(store.findUser(created.key())).contains(created);
    }

    @Test
    void keysAreDistinct() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            keys.add(store.createUser(local("user" + i)).key());
        }
        keys.add(store.createGroup(Group.local("group")).key());
        assertThat(keys).hasSize(21);
    }

    @Test
    void createWithAKeyIsRejected() {
        assertThatThrownBy(() -> store.createUser(local("bob").withKey("chosen-by-caller")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.findUserByUsername("bob")).isEmpty();
    }

    @Test
    void keyStaysTheSameAcrossUpdates() {
        User created = store.createUser(synced("carol", "ext-1"));
        User updated = store.updateUser(created.toBuilder().displayName("Carol C.").active(false).build());

        assertThat(updated.key()).isEqualTo(created.key());
        User found = store.findUser(created.key()).orElseThrow();
        assertThat(found.displayName()).isEqualTo("Carol C.");
        assertThat(found.active()).isFalse();
    }

    @Test
    void updateOfAnUnknownKeyFails() {
        User created = store.createUser(local("dave"));
        store.deleteUser(created.key());

        assertThatThrownBy(() -> store.updateUser(created)).isInstanceOf(io.usher.core.UsherException.class)
                .extracting(e -> ((io.usher.core.UsherException) e).code())
                .isEqualTo(io.usher.core.UsherException.Code.NOT_FOUND);
        assertThat(store.findUserByUsername("dave")).isEmpty();
    }

    @Test
    void hasExactlyComparesWholeMemberSets() {
        User a = store.createUser(local("exact-a"));
        User b = store.createUser(local("exact-b"));
        io.usher.core.model.Group g = store.createGroup(io.usher.core.model.Group.local("exact-g"));
        assertThat(store.hasExactly(g.key(), io.usher.core.model.MemberKind.USER, java.util.List.of())).isTrue();
        store.addMember(g.key(), io.usher.core.model.MemberKind.USER, a.key());
        assertThat(store.hasExactly(g.key(), io.usher.core.model.MemberKind.USER, java.util.List.of(a.key()))).isTrue();
        assertThat(store.hasExactly(g.key(), io.usher.core.model.MemberKind.USER, java.util.List.of(b.key()))).isFalse();
        assertThat(store.hasExactly(g.key(), io.usher.core.model.MemberKind.USER,
                java.util.List.of(a.key(), b.key()))).isFalse();
        assertThat(store.hasExactly(g.key(), io.usher.core.model.MemberKind.USER, java.util.List.of())).isFalse();
    }

    @Test
    void anOriginBelongsToOneUser() {
        store.createUser(synced("first", "ext-same"));
        assertThatThrownBy(() -> store.createUser(synced("second", "ext-same")))
                .isInstanceOf(ConflictException.class);
        User other = store.createUser(synced("third", "ext-other"));
        assertThatThrownBy(() -> store.updateUser(other.toBuilder()
                .origin(io.usher.core.model.Origin.of(other.origin().sourceId(), "ext-same")).build()))
                .isInstanceOf(ConflictException.class);
        assertThat(store.findUser(other.key()).orElseThrow().origin().externalId()).isEqualTo("ext-other");
    }

    @Test
    void membershipsNamingUnknownRecordsFail() {
        User u = store.createUser(local("member"));
        io.usher.core.model.Group g = store.createGroup(io.usher.core.model.Group.local("grp"));
        assertThatThrownBy(() -> store.addMember("no-such-group", io.usher.core.model.MemberKind.USER, u.key()))
                .extracting(e -> ((io.usher.core.UsherException) e).code())
                .isEqualTo(io.usher.core.UsherException.Code.NOT_FOUND);
        assertThatThrownBy(() -> store.addMember(g.key(), io.usher.core.model.MemberKind.USER, "no-such-user"))
                .extracting(e -> ((io.usher.core.UsherException) e).code())
                .isEqualTo(io.usher.core.UsherException.Code.NOT_FOUND);
        assertThat(store.members(g.key(), io.usher.core.model.MemberKind.USER)).isEmpty();
    }

    @Test
    void findOfAnUnknownKeyIsEmpty() {
        assertThat(store.findUser("no-such-key")).isEmpty();
        assertThat(store.findGroup("no-such-key")).isEmpty();
    }

    // ---------------------------------------------------------------- usernames

    @Test
    void usernameLookupIgnoresCase() {
        User created = store.createUser(local("JDoe"));

        assertThat(store.findUserByUsername("jdoe")).contains(created);
        assertThat(store.findUserByUsername("JDOE")).contains(created);
        assertThat(store.findUserByUsername("JDoe")).contains(created);
        assertThat(store.findUserByUsername("jdoe2")).isEmpty();
    }

    @Test
    void usernameLookupIgnoresCaseBeyondAscii() {
        User zoe = store.createUser(local("Zoë.Łukasz"));

        assertThat(store.findUserByUsername("ZOË.ŁUKASZ")).contains(zoe);
        assertThat(store.findUserByUsername("zoë.łukasz")).contains(zoe);
        assertThat(store.findUserByUsername("zoe.lukasz")).isEmpty();
    }

    @Test
    void duplicateUsernameIsAConflict() {
        User first = store.createUser(local("erin"));

        assertThatThrownBy(() -> store.createUser(local("erin"))).isInstanceOf(ConflictException.class);
        assertThat(store.findUserByUsername("erin")).contains(first);
    }

    @Test
    void caseOnlyDuplicateUsernameIsAConflict() {
        User first = store.createUser(synced("jdoe", "ext-1"));

        assertThatThrownBy(() -> store.createUser(synced("JDoe", "ext-2"))).isInstanceOf(ConflictException.class);
        assertThat(store.findUserByUsername("JDOE")).contains(first);
        assertThat(store.findUserByOrigin(Origin.of(SOURCE, "ext-2"))).isEmpty();
    }

    @Test
    void renameToATakenUsernameIsAConflict() {
        store.createUser(local("frank"));
        User grace = store.createUser(local("grace"));

        assertThatThrownBy(() -> store.updateUser(grace.toBuilder().username("FRANK").build()))
                .isInstanceOf(ConflictException.class);
        assertThat(store.findUser(grace.key()).orElseThrow().username()).isEqualTo("grace");
    }

    @Test
    void renameKeepsTheKeyAndFreesTheOldName() {
        User heidi = store.createUser(synced("heidi", "ext-1"));
        User renamed = store.updateUser(heidi.toBuilder().username("heidi.klum").build());

        assertThat(renamed.key()).isEqualTo(heidi.key());
        assertThat(store.findUserByUsername("heidi.klum")).map(User::key).contains(heidi.key());
        assertThat(store.findUserByUsername("heidi")).isEmpty();
        assertThat(store.findUserByOrigin(Origin.of(SOURCE, "ext-1"))).map(User::username).contains("heidi.klum");

        User newHeidi = store.createUser(local("Heidi"));
        assertThat(newHeidi.key()).isNotEqualTo(heidi.key());
    }

    @Test
    void caseOnlyRenameOfTheSameUserIsAllowed() {
        User ivan = store.createUser(local("ivan"));
        User renamed = store.updateUser(ivan.toBuilder().username("Ivan").build());

        assertThat(renamed.username()).isEqualTo("Ivan");
        assertThat(store.findUserByUsername("IVAN")).map(User::username).contains("Ivan");
    }

    // ---------------------------------------------------------------- origins and ownership

    @Test
    void originLookupIsExact() {
        User judy = store.createUser(synced("judy", "AbC-1"));

        assertThat(store.findUserByOrigin(Origin.of(SOURCE, "AbC-1"))).contains(judy);
        assertThat(store.findUserByOrigin(Origin.of(SOURCE, "abc-1"))).isEmpty();
        assertThat(store.findUserByOrigin(Origin.of(OTHER, "AbC-1"))).isEmpty();
    }

    @Test
    void groupOriginLookupIsExact() {
        Group g = store.createGroup(Group.of(Origin.of(SOURCE, "G-1"), "admins", null));

        assertThat(store.findGroupByOrigin(Origin.of(SOURCE, "G-1"))).contains(g);
        assertThat(store.findGroupByOrigin(Origin.of(SOURCE, "g-1"))).isEmpty();
        assertThat(store.findGroupByOrigin(Origin.of(OTHER, "G-1"))).isEmpty();
    }

    @Test
    void usersOwnedByListsOnlyThatSourceAndNoLocalUsers() {
        User a = store.createUser(synced("a", "1"));
        User b = store.createUser(synced("b", "2"));
        store.createUser(User.builder("c").origin(Origin.of(OTHER, "1")).build());
        store.createUser(local("d"));

        try (Stream<User> owned = store.usersOwnedBy(SOURCE)) {
            assertThat(owned.map(User::key).collect(Collectors.toSet())).containsExactlyInAnyOrder(a.key(), b.key());
        }
        try (Stream<User> none = store.usersOwnedBy("no-such-source")) {
            assertThat(none).isEmpty();
        }
    }

    @Test
    void usersOwnedByFollowsDeletesAndOriginChanges() {
        User a = store.createUser(synced("a", "1"));
        User b = store.createUser(synced("b", "2"));
        store.deleteUser(a.key());
        store.updateUser(b.withOrigin(Origin.of(OTHER, "2")));

        try (Stream<User> owned = store.usersOwnedBy(SOURCE)) {
            assertThat(owned).isEmpty();
        }
        try (Stream<User> owned = store.usersOwnedBy(OTHER)) {
            assertThat(owned.map(User::key)).containsExactly(b.key());
        }
    }

    @Test
    void userExternalIdsOwnedByListsWhatUsersOwnedByLists() {
        store.createUser(synced("a", "1"));
        User b = store.createUser(synced("b", "2"));
        store.createUser(synced("e", "3"));
        store.createUser(User.builder("c").origin(Origin.of(OTHER, "4")).build());
        store.createUser(local("d"));
        store.deleteUser(b.key());
        store.createUser(synced("f", "2")); // the id of a deleted user, given again

        List<String> fromUsers;
        try (Stream<User> owned = store.usersOwnedBy(SOURCE)) {
            fromUsers = owned.map(u -> u.origin().externalId()).collect(Collectors.toList());
        }
        try (Stream<String> ids = store.userExternalIdsOwnedBy(SOURCE)) {
            assertThat(ids.collect(Collectors.toList())).containsExactlyInAnyOrder("1", "3", "2")
                    .containsExactlyElementsOf(fromUsers);
        }
        try (Stream<String> ids = store.userExternalIdsOwnedBy(OTHER)) {
            assertThat(ids).containsExactly("4");
        }
        try (Stream<String> none = store.userExternalIdsOwnedBy("no-such-source")) {
            assertThat(none).isEmpty();
        }
    }

    @Test
    void groupsOwnedByListsOnlyThatSourceAndNoLocalGroups() {
        Group a = store.createGroup(Group.of(Origin.of(SOURCE, "1"), "ga", null));
        store.createGroup(Group.of(Origin.of(OTHER, "1"), "gb", null));
        store.createGroup(Group.local("gc"));

        try (Stream<Group> owned = store.groupsOwnedBy(SOURCE)) {
            assertThat(owned.map(Group::key)).containsExactly(a.key());
        }
    }

    // ---------------------------------------------------------------- groups

    @Test
    void groupNameLookupIgnoresCaseAndDuplicatesConflict() {
        Group g = store.createGroup(Group.local("Développeurs"));

        assertThat(store.findGroupByName("DÉVELOPPEURS")).contains(g);
        assertThat(store.findGroupByName("développeurs")).contains(g);
        assertThatThrownBy(() -> store.createGroup(Group.local("développeurs")))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void groupRenameKeepsKeyFreesOldNameAndRefusesATakenName() {
        Group g = store.createGroup(Group.of(Origin.of(SOURCE, "g1"), "ops", "Operations"));
        store.createGroup(Group.local("dev"));

        Group renamed = store.updateGroup(new Group(g.key(), g.origin(), "operations", "Operations"));
        assertThat(renamed.key()).isEqualTo(g.key());
        assertThat(store.findGroupByName("OPERATIONS")).map(Group::key).contains(g.key());
        assertThat(store.findGroupByName("ops")).isEmpty();
        assertThatThrownBy(() -> store.updateGroup(new Group(g.key(), g.origin(), "DEV", null)))
                .isInstanceOf(ConflictException.class);
        assertThat(store.findGroup(g.key()).orElseThrow().name()).isEqualTo("operations");
    }

    @Test
    void caseOnlyRenameOfTheSameGroupIsAllowed() {
        Group g = store.createGroup(Group.local("ops"));
        Group renamed = store.updateGroup(new Group(g.key(), null, "OPS", null));

        assertThat(renamed.key()).isEqualTo(g.key());
        assertThat(store.findGroupByName("ops")).map(Group::name).contains("OPS");
    }

    @Test
    void deletedUsernamesAndGroupNamesCanBeReused() {
        User u = store.createUser(local("reuse"));
        Group g = store.createGroup(Group.local("reuse-group"));
        store.deleteUser(u.key());
        store.deleteGroup(g.key());

        User again = store.createUser(local("REUSE"));
        Group groupAgain = store.createGroup(Group.local("Reuse-Group"));
        assertThat(again.key()).isNotEqualTo(u.key());
        assertThat(groupAgain.key()).isNotEqualTo(g.key());
        assertThat(store.findUserByUsername("reuse")).contains(again);
    }

    // ---------------------------------------------------------------- memberships

    @Test
    void addAndRemoveMemberReportWhetherSomethingChanged() {
        User u = store.createUser(local("kim"));
        Group g = store.createGroup(Group.local("team"));

        assertThat(store.addMember(g.key(), MemberKind.USER, u.key())).isTrue();
        assertThat(store.addMember(g.key(), MemberKind.USER, u.key())).isFalse();
        assertThat(store.members(g.key(), MemberKind.USER)).containsExactly(u.key());
        assertThat(store.removeMember(g.key(), MemberKind.USER, u.key())).isTrue();
        assertThat(store.removeMember(g.key(), MemberKind.USER, u.key())).isFalse();
        assertThat(store.members(g.key(), MemberKind.USER)).isEmpty();
    }

    @Test
    void groupsOfListsTheDirectGroupsOfAUser() {
        User u = store.createUser(local("leo"));
        Group g1 = store.createGroup(Group.local("g1"));
        Group g2 = store.createGroup(Group.local("g2"));
        store.createGroup(Group.local("g3"));
        store.addMember(g1.key(), MemberKind.USER, u.key());
        store.addMember(g2.key(), MemberKind.USER, u.key());

        assertThat(store.groupsOf(MemberKind.USER, u.key())).containsExactlyInAnyOrder(g1.key(), g2.key());
        assertThat(store.members(g1.key(), MemberKind.GROUP)).isEmpty();
    }

    @Test
    void deletingAUserRemovesItsMemberships() {
        User u = store.createUser(local("mia"));
        User other = store.createUser(local("ned"));
        Group g = store.createGroup(Group.local("team"));
        store.addMember(g.key(), MemberKind.USER, u.key());
        store.addMember(g.key(), MemberKind.USER, other.key());

        assertThat(store.deleteUser(u.key())).isTrue();
        assertThat(store.deleteUser(u.key())).isFalse();
        assertThat(store.findUser(u.key())).isEmpty();
        assertThat(store.findUserByUsername("mia")).isEmpty();
        assertThat(store.members(g.key(), MemberKind.USER)).containsExactly(other.key());
        assertThat(store.groupsOf(MemberKind.USER, u.key())).isEmpty();
    }

    @Test
    void deletingAGroupRemovesItsMemberships() {
        User u = store.createUser(local("olga"));
        Group g = store.createGroup(Group.local("team"));
        Group keep = store.createGroup(Group.local("keep"));
        store.addMember(g.key(), MemberKind.USER, u.key());
        store.addMember(keep.key(), MemberKind.USER, u.key());

        assertThat(store.deleteGroup(g.key())).isTrue();
        assertThat(store.deleteGroup(g.key())).isFalse();
        assertThat(store.findGroupByName("team")).isEmpty();
        assertThat(store.groupsOf(MemberKind.USER, u.key())).containsExactly(keep.key());
        assertThat(store.members(g.key(), MemberKind.USER)).isEmpty();
        assertThat(store.findUser(u.key())).isPresent();
    }

    @Test
    void nestedGroupsWhenSupported() {
        assumeTrue(store.supportsNestedGroups(), "store does not support nested groups");
        Group parent = store.createGroup(Group.local("parent"));
        Group child = store.createGroup(Group.local("child"));

        assertThat(store.addMember(parent.key(), MemberKind.GROUP, child.key())).isTrue();
        assertThat(store.addMember(parent.key(), MemberKind.GROUP, child.key())).isFalse();
        assertThat(store.members(parent.key(), MemberKind.GROUP)).containsExactly(child.key());
        assertThat(store.members(parent.key(), MemberKind.USER)).isEmpty();
        assertThat(store.groupsOf(MemberKind.GROUP, child.key())).containsExactly(parent.key());
        assertThat(store.removeMember(parent.key(), MemberKind.GROUP, child.key())).isTrue();
        assertThat(store.groupsOf(MemberKind.GROUP, child.key())).isEmpty();
    }

    @Test
    void deletingANestedGroupRemovesItFromBothSides() {
        assumeTrue(store.supportsNestedGroups(), "store does not support nested groups");
        Group top = store.createGroup(Group.local("top"));
        Group middle = store.createGroup(Group.local("middle"));
        Group bottom = store.createGroup(Group.local("bottom"));
        store.addMember(top.key(), MemberKind.GROUP, middle.key());
        store.addMember(middle.key(), MemberKind.GROUP, bottom.key());

        assertThat(store.deleteGroup(middle.key())).isTrue();
        assertThat(store.members(top.key(), MemberKind.GROUP)).isEmpty();
        assertThat(store.groupsOf(MemberKind.GROUP, bottom.key())).isEmpty();
        assertThat(store.findGroup(bottom.key())).isPresent();
    }

    @Test
    void userAndGroupMembershipsAreKeptApart() {
        assumeTrue(store.supportsNestedGroups(), "store does not support nested groups");
        User u = store.createUser(local("pat"));
        Group g = store.createGroup(Group.local("outer"));
        Group inner = store.createGroup(Group.local("inner"));
        store.addMember(g.key(), MemberKind.USER, u.key());
        store.addMember(g.key(), MemberKind.GROUP, inner.key());

        assertThat(store.members(g.key(), MemberKind.USER)).containsExactly(u.key());
        assertThat(store.members(g.key(), MemberKind.GROUP)).containsExactly(inner.key());
        assertThat(store.removeMember(g.key(), MemberKind.GROUP, u.key())).isFalse();
        assertThat(store.members(g.key(), MemberKind.USER)).containsExactly(u.key());
    }

    // ---------------------------------------------------------------- batches

    @Test
    void applyReturnsOutcomesIndexByIndexAndKeepsGoingPastAFailure() {
        User existing = store.createUser(local("quinn"));
        Group g = store.createGroup(Group.local("batch"));
        List<StoreOperation> ops = List.of(
                StoreOperation.createUser(local("rita")),
                StoreOperation.createUser(local("QUINN")),
                StoreOperation.addMember(g.key(), MemberKind.USER, existing.key()),
                StoreOperation.createUser(local("sam")),
                StoreOperation.deleteUser("no-such-key"));

        List<StoreOperation.Outcome> out = store.apply(ops);

        assertThat(out).hasSize(5);
        assertThat(out.get(0).ok()).isTrue();
        assertThat(out.get(0).result()).isInstanceOfSatisfying(User.class,
                u -> assertThat(u.username()).isEqualTo("rita"));
        assertThat(out.get(1).ok()).isFalse();
        assertThat(out.get(1).error()).isInstanceOf(ConflictException.class);
        assertThat(out.get(2).result()).isEqualTo(Boolean.TRUE);
        assertThat(out.get(3).ok()).isTrue();
        assertThat(out.get(4).result()).isEqualTo(Boolean.FALSE);
        assertThat(store.findUserByUsername("rita")).isPresent();
        assertThat(store.findUserByUsername("sam")).isPresent();
        assertThat(store.members(g.key(), MemberKind.USER)).containsExactly(existing.key());
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    void concurrentCreatesLoseNoWrites() throws Exception {
        int threads = 8;
        int perThread = 250;
        List<List<User>> made = runConcurrently(threads, t -> {
            List<User> mine = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                mine.add(store.createUser(synced("t" + t + "-u" + i, t + ":" + i)));
            }
            return mine;
        });

        Set<String> keys = new HashSet<>();
        made.forEach(list -> list.forEach(u -> keys.add(u.key())));
        assertThat(keys).hasSize(threads * perThread);
        try (Stream<User> owned = store.usersOwnedBy(SOURCE)) {
            assertThat(owned.count()).isEqualTo(threads * perThread);
        }
        for (int t = 0; t < threads; t++) {
            assertThat(store.findUserByUsername("T" + t + "-U" + (perThread - 1))).isPresent();
        }
    }

    @Test
    void concurrentCreatesOfOneNameLetExactlyOneWin() throws Exception {
        int threads = 8;
        List<Boolean> won = runConcurrently(threads, t -> {
            try {
                store.createUser(synced(t % 2 == 0 ? "contested" : "CONTESTED", "x" + t));
                return true;
            } catch (ConflictException e) {
                return false;
            }
        });

        assertThat(won.stream().filter(w -> w).count()).isEqualTo(1);
        assertThat(store.findUserByUsername("contested")).isPresent();
    }

    @Test
    void concurrentMembershipChangesLoseNoWrites() throws Exception {
        Group g = store.createGroup(Group.local("busy"));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            keys.add(store.createUser(local("m" + i)).key());
        }
        int threads = 4;
        runConcurrently(threads, t -> {
            for (int i = t; i < keys.size(); i += threads) {
                store.addMember(g.key(), MemberKind.USER, keys.get(i));
            }
            return null;
        });

        assertThat(store.members(g.key(), MemberKind.USER)).hasSize(400).containsAll(keys);
    }

    /** Runs the task on {@code threads} threads released together; returns results by thread index. */
    protected static <T> List<T> runConcurrently(int threads, ThreadTask<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int index = t;
                Callable<T> c = () -> {
                    start.await();
                    return task.run(index);
                };
                futures.add(pool.submit(c));
            }
            start.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Work for one thread of {@link #runConcurrently}. */
    @FunctionalInterface
    protected interface ThreadTask<T> {
        T run(int threadIndex) throws Exception;
    }

    // ---------------------------------------------------------------- group attributes and lookups by field

    @Test
    void groupAttributesAreKeptOnCreateAndUpdate() {
        Group g = store.createGroup(Group.of(Origin.of(SOURCE, "ga-1"), "with-attrs", null)
                .withAttributes(java.util.Map.of("scim.externalId", List.of("E-1"))));
        assertThat(store.findGroup(g.key()).orElseThrow().attributes()).containsEntry("scim.externalId", List.of("E-1"));

        store.updateGroup(g.withAttributes(java.util.Map.of("scim.externalId", List.of("E-2"))));
        assertThat(store.findGroup(g.key()).orElseThrow().attributes()).containsEntry("scim.externalId", List.of("E-2"));
    }

    @Test
    void findUsersByFieldIgnoresCaseFollowsUpdatesAndKeepsToTheSource() {
        User a = store.createUser(synced("fa", "f-1").toBuilder().displayName("Ada Lovelace")
                .attribute("scim.externalId", "X-1").build());
        store.createUser(User.builder("fb").origin(Origin.of(OTHER, "f-2")).displayName("Ada Lovelace")
                .attribute("scim.externalId", "X-1").build());

        try (Stream<User> s = store.findUsersByField(SOURCE, "displayName", "ADA LOVELACE")) {
            assertThat(s.map(User::key)).containsExactly(a.key());
        }
        try (Stream<User> s = store.findUsersByField(SOURCE, "attributes.scim.externalId", "x-1")) {
            assertThat(s.map(User::key)).containsExactly(a.key());
        }
        store.updateUser(a.toBuilder().attribute("scim.externalId", "X-9").build());
        try (Stream<User> s = store.findUsersByField(SOURCE, "attributes.scim.externalId", "X-1")) {
            assertThat(s.filter(u -> u.attributes().get("scim.externalId").contains("X-1"))).isEmpty();
        }
        try (Stream<User> s = store.findUsersByField(SOURCE, "attributes.scim.externalId", "X-9")) {
            assertThat(s.map(User::key)).containsExactly(a.key());
        }
        store.deleteUser(a.key());
        try (Stream<User> s = store.findUsersByField(SOURCE, "attributes.scim.externalId", "X-9")) {
            assertThat(s).isEmpty();
        }
        assertThatThrownBy(() -> store.findUsersByField(SOURCE, "username", "fa"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void findGroupsByFieldMatchesAnAttribute() {
        Group g = store.createGroup(Group.of(Origin.of(SOURCE, "fg-1"), "fg", null)
                .withAttributes(java.util.Map.of("scim.externalId", List.of("G-X"))));
        store.createGroup(Group.of(Origin.of(SOURCE, "fg-2"), "fg2", null));
        try (Stream<Group> s = store.findGroupsByField(SOURCE, "attributes.scim.externalId", "g-x")) {
            assertThat(s.map(Group::key)).containsExactly(g.key());
        }
    }

    @Test
    void memberCountAndIsMemberAnswerWithoutTheMemberList() {
        Group g = store.createGroup(Group.local("counted"));
        User u = store.createUser(local("counted-user"));
        assertThat(store.memberCount(g.key(), MemberKind.USER)).isZero();
        assertThat(store.isMember(g.key(), MemberKind.USER, u.key())).isFalse();
        store.addMember(g.key(), MemberKind.USER, u.key());
        assertThat(store.memberCount(g.key(), MemberKind.USER)).isEqualTo(1);
        assertThat(store.isMember(g.key(), MemberKind.USER, u.key())).isTrue();
    }

    // ---------------------------------------------------------------- credential policy

    private User credentialsOf(String key) {
        return store.findUser(key).orElseThrow();
    }

    /** The policy a source sets (SSO_ONLY) comes back from every lookup, and HOST users stay HOST. */
    @Test
    void credentialPolicyRoundTripsOnCreate() {
        User sso = store.createUser(synced("sso.user", "cp-1").withCredentials(CredentialPolicy.SSO_ONLY));
        User host = store.createUser(synced("host.user", "cp-2"));
        User loc = store.createUser(local("local.user"));

        assertThat(sso.credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
        assertThat(credentialsOf(sso.key()).credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
        assertThat(store.findUserByOrigin(Origin.of(SOURCE, "cp-1")).orElseThrow().credentials())
                .isEqualTo(CredentialPolicy.SSO_ONLY);
        assertThat(store.findUserByUsername("SSO.USER").orElseThrow().credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
        try (Stream<User> owned = store.usersOwnedBy(SOURCE)) {
            assertThat(owned.collect(Collectors.toMap(User::username, User::credentials)))
                    .containsEntry("sso.user", CredentialPolicy.SSO_ONLY).containsEntry("host.user", CredentialPolicy.HOST);
        }
        assertThat(credentialsOf(host.key()).credentials()).isEqualTo(CredentialPolicy.HOST);
        assertThat(credentialsOf(loc.key()).credentials()).isEqualTo(CredentialPolicy.HOST);
        assertThat(credentialsOf(sso.key())).isEqualTo(sso);
    }

    /** A changed source setting reaches stored users through updates, both ways, and other updates keep it. */
    @Test
    void credentialPolicyRoundTripsOnUpdate() {
        User u = store.createUser(synced("mover", "cp-3"));
        assertThat(credentialsOf(u.key()).credentials()).isEqualTo(CredentialPolicy.HOST);

        store.updateUser(u.withCredentials(CredentialPolicy.SSO_ONLY));
        assertThat(credentialsOf(u.key()).credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);

        store.updateUser(credentialsOf(u.key()).toBuilder().displayName("Mover M.").active(false).build());
        User afterOtherUpdate = credentialsOf(u.key());
        assertThat(afterOtherUpdate.displayName()).isEqualTo("Mover M.");
        assertThat(afterOtherUpdate.credentials()).as("an update of other fields keeps the policy")
                .isEqualTo(CredentialPolicy.SSO_ONLY);

        store.updateUser(afterOtherUpdate.withCredentials(CredentialPolicy.HOST));
        assertThat(credentialsOf(u.key()).credentials()).isEqualTo(CredentialPolicy.HOST);
    }

    /** Batches ({@link UserStore#apply}) keep the policy as single calls do. */
    @Test
    void credentialPolicyRoundTripsThroughApply() {
        User existing = store.createUser(synced("batched.old", "cp-4"));
        List<StoreOperation.Outcome> out = store.apply(List.of(
                StoreOperation.createUser(synced("batched.new", "cp-5").withCredentials(CredentialPolicy.SSO_ONLY)),
                StoreOperation.updateUser(existing.withCredentials(CredentialPolicy.SSO_ONLY))));
        assertThat(out).allSatisfy(o -> assertThat(o.ok()).as("%s", o.error()).isTrue());
        assertThat(store.findUserByUsername("batched.new").orElseThrow().credentials())
                .isEqualTo(CredentialPolicy.SSO_ONLY);
        assertThat(credentialsOf(existing.key()).credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
    }
}
