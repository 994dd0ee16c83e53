package io.usher.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.UsherException;
import io.usher.core.model.MemberKind;
import io.usher.core.spi.SourceException;
import io.usher.core.spi.SourceGroup;
import io.usher.core.spi.SourceUser;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class InMemoryDirectoryTest {
    private final InMemoryDirectory dir = InMemoryDirectory.create(1);

    @Test
    void addUserAssignsAUuidShapedIdOrKeepsTheGivenOne() {
        DirectoryUser generated = dir.addUser(DirectoryUser.of("jdoe"));
        DirectoryUser given = dir.addUser(DirectoryUser.builder("asmith").id("fixed-id-1").build());

        assertThat(generated.id()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(given.id()).isEqualTo("fixed-id-1");
        assertThat(dir.user("fixed-id-1")).contains(given);
        assertThat(dir.userCount()).isEqualTo(2);
    }

    @Test
    void sameSeedGivesSameIds() {
        InMemoryDirectory a = InMemoryDirectory.create(99);
        InMemoryDirectory b = InMemoryDirectory.create(99);
        InMemoryDirectory c = InMemoryDirectory.create(100);

        String idA = a.addUser(DirectoryUser.of("x")).id();
        assertThat(b.addUser(DirectoryUser.of("x")).id()).isEqualTo(idA);
        assertThat(c.addUser(DirectoryUser.of("x")).id()).isNotEqualTo(idA);
    }

    @Test
    void loginNamesAreUniqueExactlyButMayCollideByCase() {
        dir.addUser(DirectoryUser.of("jdoe"));
        DirectoryUser other = dir.addUser(DirectoryUser.of("JDoe"));

        assertThatThrownBy(() -> dir.addUser(DirectoryUser.of("jdoe"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dir.addUser(DirectoryUser.builder("new").id(other.id()).build()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(dir.userByLoginName("JDoe")).contains(other);
        assertThat(dir.userCount()).isEqualTo(2);
    }

    @Test
    void renameKeepsTheIdAndFreesTheOldLogin() {
        DirectoryUser u = dir.addUser(DirectoryUser.of("old.name"));
        DirectoryUser renamed = dir.renameUser(u.id(), "new.name");

        assertThat(renamed.id()).isEqualTo(u.id());
        assertThat(dir.userByLoginName("old.name")).isEmpty();
        assertThat(dir.userByLoginName("new.name")).map(DirectoryUser::id).contains(u.id());
        assertThat(dir.addUser(DirectoryUser.of("old.name")).id()).isNotEqualTo(u.id());
    }

    @Test
    void updateDisableAndEnableReplaceTheValue() {
        DirectoryUser u = dir.addUser(DirectoryUser.builder("zoe").givenName("Zoë").build());
        dir.updateUser(u.toBuilder().familyName("Ødegård").email("zoe@example.com").build());
        dir.disableUser(u.id());

        DirectoryUser now = dir.user(u.id()).orElseThrow();
        assertThat(now.familyName()).isEqualTo("Ødegård");
        assertThat(now.emails()).containsExactly("zoe@example.com");
        assertThat(now.enabled()).isFalse();
        assertThat(dir.enableUser(u.id()).enabled()).isTrue();
        assertThatThrownBy(() -> dir.disableUser("nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deleteUserRemovesItsMembershipsFromBothSides() {
        DirectoryUser u = dir.addUser(DirectoryUser.of("leaver"));
        DirectoryUser stays = dir.addUser(DirectoryUser.of("stayer"));
        DirectoryGroup g1 = dir.addGroup("g1");
        DirectoryGroup g2 = dir.addGroup("g2");
        dir.addMember(g1.id(), MemberKind.USER, u.id());
        dir.addMember(g2.id(), MemberKind.USER, u.id());
        dir.addMember(g1.id(), MemberKind.USER, stays.id());

        assertThat(dir.deleteUser(u.id())).isTrue();
        assertThat(dir.deleteUser(u.id())).isFalse();
        assertThat(dir.members(g1.id(), MemberKind.USER)).containsExactly(stays.id());
        assertThat(dir.members(g2.id(), MemberKind.USER)).isEmpty();
        assertThat(dir.groupsOf(MemberKind.USER, u.id())).isEmpty();
        assertThat(dir.membershipCount()).isEqualTo(1);
    }

    @Test
    void deleteGroupUnlinksMembersParentsAndChildren() {
        DirectoryGroup top = dir.addGroup("top");
        DirectoryGroup mid = dir.addGroup("mid");
        DirectoryGroup leaf = dir.addGroup("leaf");
        DirectoryUser u = dir.addUser(DirectoryUser.of("u"));
        dir.addMember(top.id(), MemberKind.GROUP, mid.id());
        dir.addMember(mid.id(), MemberKind.GROUP, leaf.id());
        dir.addMember(mid.id(), MemberKind.USER, u.id());

        assertThat(dir.deleteGroup(mid.id())).isTrue();
        assertThat(dir.members(top.id(), MemberKind.GROUP)).isEmpty();
        assertThat(dir.groupsOf(MemberKind.GROUP, leaf.id())).isEmpty();
        assertThat(dir.groupsOf(MemberKind.USER, u.id())).isEmpty();
        assertThat(dir.membershipCount()).isZero();
        assertThat(dir.groupByName("mid")).isEmpty();
    }

    @Test
    void cyclesAreAllowedButSelfMembershipIsNot() {
        DirectoryGroup a = dir.addGroup("a");
        DirectoryGroup b = dir.addGroup("b");

        assertThat(dir.addMember(a.id(), MemberKind.GROUP, b.id())).isTrue();
        assertThat(dir.addMember(b.id(), MemberKind.GROUP, a.id())).isTrue();
        assertThatThrownBy(() -> dir.addMember(a.id(), MemberKind.GROUP, a.id()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(dir.groupsOf(MemberKind.GROUP, a.id())).containsExactly(b.id());
    }

    @Test
    void addMemberOfUnknownRecordsIsRefused() {
        DirectoryGroup g = dir.addGroup("g");
        assertThatThrownBy(() -> dir.addMember(g.id(), MemberKind.USER, "ghost"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dir.addMember("ghost", MemberKind.USER, g.id()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(dir.membershipCount()).isZero();
    }

    @Test
    void moveUserLogsARemovalThenAnAddition() {
        DirectoryUser u = dir.addUser(DirectoryUser.of("mover"));
        DirectoryGroup from = dir.addGroup("from");
        DirectoryGroup to = dir.addGroup("to");
        dir.addMember(from.id(), MemberKind.USER, u.id());
        long before = dir.currentSequence();

        dir.moveUser(u.id(), from.id(), to.id());

        assertThat(dir.groupsOf(MemberKind.USER, u.id())).containsExactly(to.id());
        assertThat(dir.changesSince(before).orElseThrow().changes()).containsExactly(
                new DirectoryChange.MemberRemoved(before + 1, from.id(), MemberKind.USER, u.id()),
                new DirectoryChange.MemberAdded(before + 2, to.id(), MemberKind.USER, u.id()));
        assertThatThrownBy(() -> dir.moveUser(u.id(), from.id(), to.id())).isInstanceOf(IllegalArgumentException.class);
        assertThat(dir.currentSequence()).isEqualTo(before + 2);
    }

    @Test
    void everyMutationAppendsToTheLogWithIncreasingSequence() {
        assertThat(dir.currentSequence()).isZero();
        DirectoryUser u = dir.addUser(DirectoryUser.of("a"));
        DirectoryGroup g = dir.addGroup("g");
        dir.addMember(g.id(), MemberKind.USER, u.id());
        dir.addMember(g.id(), MemberKind.USER, u.id());
        dir.renameUser(u.id(), "b");
        dir.renameGroup(g.id(), "h");
        dir.removeMember(g.id(), MemberKind.USER, u.id());
        dir.deleteUser(u.id());
        dir.deleteGroup(g.id());

        List<DirectoryChange> log = dir.changesSince(0).orElseThrow().changes();
        assertThat(log).extracting(DirectoryChange::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(log).extracting(c -> c.getClass().getSimpleName()).containsExactly("UserUpserted",
                "GroupAdded", "MemberAdded", "UserUpserted", "GroupUpdated", "MemberRemoved", "UserDeleted",
                "GroupDeleted");
        assertThat(((DirectoryChange.UserUpserted) log.get(3)).user().loginName()).isEqualTo("b");
        assertThat(dir.currentSequence()).isEqualTo(8);
        assertThat(dir.changesSince(5).orElseThrow().changes()).hasSize(3);
        assertThat(dir.changesSince(8).orElseThrow().changes()).isEmpty();
        assertThat(dir.changesSince(9)).isEmpty();
    }

    @Test
    void trimmingTheLogInvalidatesOlderSequences() {
        for (int i = 0; i < 10; i++) {
            dir.addUser(DirectoryUser.of("u" + i));
        }
        dir.trimChangeLog(6);

        assertThat(dir.oldestReplayableSequence()).isEqualTo(6);
        assertThat(dir.changesSince(5)).isEmpty();
        assertThat(dir.changesSince(6).orElseThrow().changes()).extracting(DirectoryChange::sequence)
                .containsExactly(7L, 8L, 9L, 10L);
        assertThat(dir.changeLogSize()).isEqualTo(4);
    }

    @Test
    void aRetentionLimitExpiresOldEntries() {
        InMemoryDirectory small = InMemoryDirectory.create(0, 5);
        for (int i = 0; i < 30; i++) {
            small.addUser(DirectoryUser.of("u" + i));
        }

        assertThat(small.changeLogSize()).isBetween(5, 10);
        assertThat(small.changesSince(0)).isEmpty();
        assertThat(small.changesSince(25).orElseThrow().changes()).hasSize(5);
    }

    @Test
    void streamsAreSortedByIdAndCrossPageBoundaries() {
        for (int i = 0; i < 2500; i++) {
            dir.addUser(DirectoryUser.of("user" + i));
        }
        List<String> ids = dir.users().map(DirectoryUser::id).collect(Collectors.toList());

        assertThat(ids).hasSize(2500).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void conversionsCarryDirectGroupNamesAndMembers() {
        DirectoryUser u = dir.addUser(DirectoryUser.builder("łukasz").givenName("Łukasz").enabled(false)
                .kind(SourceUser.Kind.GUEST).attribute("department", "R&D", "Ops").build());
        DirectoryGroup g = dir.addGroup(DirectoryGroup.of("Équipe", "team"));
        DirectoryGroup parent = dir.addGroup("parent");
        dir.addMember(g.id(), MemberKind.USER, u.id());
        dir.addMember(parent.id(), MemberKind.GROUP, g.id());

        SourceUser su = dir.toSourceUser(dir.user(u.id()).orElseThrow());
        assertThat(su.externalId()).isEqualTo(u.id());
        assertThat(su.loginName()).isEqualTo("łukasz");
        assertThat(su.active()).isFalse();
        assertThat(su.kind()).isEqualTo(SourceUser.Kind.GUEST);
        assertThat(su.groups()).containsExactly("Équipe");
        assertThat(su.attribute("department")).containsExactly("R&D", "Ops");

        SourceGroup sg = dir.toSourceGroup(parent);
        assertThat(sg.memberGroupIds()).containsExactly(g.id());
        assertThat(dir.toSourceGroup(g).memberUserIds()).containsExactly(u.id());
    }

    @Test
    void failAfterFailsTheReadThatPassesTheCountOnce() {
        for (int i = 0; i < 10; i++) {
            dir.addUser(DirectoryUser.of("u" + i));
        }
        dir.failAfter(5);

        List<DirectoryUser> first = dir.readUserPage(null, 4);
        assertThat(first).hasSize(4);
        assertThatThrownBy(() -> dir.readUserPage(first.get(3).id(), 4)).isInstanceOf(SourceException.class)
                .extracting(e -> ((SourceException) e).code()).isEqualTo(UsherException.Code.SOURCE_UNAVAILABLE);
        assertThat(dir.readUserPage(first.get(3).id(), 4)).hasSize(4);
        assertThat(dir.recordsServed()).isEqualTo(8);
    }

    @Test
    void failNextReadThrowsTheGivenExceptionOnce() {
        dir.addGroup("g");
        dir.failNextRead(new SourceException(UsherException.Code.SOURCE_AUTH, "injected"));

        assertThatThrownBy(() -> dir.readGroupPage(null, 10)).isInstanceOf(SourceException.class)
                .extracting(e -> ((SourceException) e).code()).isEqualTo(UsherException.Code.SOURCE_AUTH);
        assertThat(dir.readGroupPage(null, 10)).hasSize(1);
    }

    @Test
    void invalidateNextCursorAffectsOneChangeRead() {
        dir.addUser(DirectoryUser.of("a"));
        dir.invalidateNextCursor();

        assertThat(dir.readChanges(0)).isEmpty();
        assertThat(dir.readChanges(0)).isPresent();
    }

    @Test
    void clearFaultsDisarmsEverything() {
        dir.addUser(DirectoryUser.of("a"));
        dir.failAfter(0);
        dir.invalidateNextCursor();
        dir.failNextRead(SourceException.unavailable("x", null));
        dir.clearFaults();

        assertThat(dir.readUserPage(null, 10)).hasSize(1);
        assertThat(dir.readChanges(0)).isPresent();
    }

    @Test
    void registrationIsFoundUntilClosedAndNamesAreExclusive() {
        String name = "dir-test-" + System.nanoTime();
        try (InMemoryDirectory.Registration r = dir.register(name)) {
            assertThat(InMemoryDirectory.registered(name)).containsSame(dir);
            assertThatThrownBy(() -> InMemoryDirectory.create().register(name))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(r.name()).isEqualTo(name);
        }
        assertThat(InMemoryDirectory.registered(name)).isEmpty();
    }

    @Test
    void concurrentMutationsKeepCountsConsistent() throws Exception {
        DirectoryGroup g = dir.addGroup("busy");
        int threads = 4;
        int per = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int index = t;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < per; i++) {
                        DirectoryUser u = dir.addUser(DirectoryUser.of("t" + index + "-" + i));
                        dir.addMember(g.id(), MemberKind.USER, u.id());
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(dir.userCount()).isEqualTo(threads * per);
        assertThat(dir.members(g.id(), MemberKind.USER)).hasSize(threads * per);
        assertThat(dir.currentSequence()).isEqualTo(1 + 2L * threads * per);
    }
}
