package io.usher.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.ChangeKind;
import io.usher.core.DeprovisionPolicy;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SyncMode;
import io.usher.core.SyncReport;
import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.User;
import io.usher.core.store.InMemoryUserStore;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ManualClock;
import io.usher.testkit.RecordingSink;
import io.usher.testkit.graph.GraphServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine with the Entra ID connector over the fake Graph: the end-to-end cases. */
class AzureSyncTest {
    private final InMemoryDirectory dir = DirectoryGenerator.builder().seed(61).users(240).groups(30).nestingDepth(3)
            .targetMemberships(900).caseCollisions(0).build().generate();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private Fixture fixture(GraphServer.Builder b) {
        Fixture f = Fixture.start(b);
        open.add(f);
        return f;
    }

    private Fixture fixture() {
        return fixture(GraphServer.builder(dir).deltaPageSize(25).membersPerDeltaObject(4));
    }

    private static ProvisioningEngine engine(InMemoryUserStore store, AzureSourceConnector c) {
        return ProvisioningEngine.builder().store(store)
                .source(Source.builder("entra").connector(c).deprovision(DeprovisionPolicy.DELETE).build()).build();
    }

    /** The store as comparable lines: users with username and state, groups with direct members of both kinds. */
    private static List<String> view(InMemoryUserStore s) {
        List<String> out = new ArrayList<>();
        for (User u : s.allUsers()) {
            out.add("user " + u.origin().externalId() + " " + u.username() + " active=" + u.active());
        }
        for (Group g : s.allGroups()) {
            out.add("group " + g.origin().externalId() + " " + g.name() + " users="
                    + ext(s, s.members(g.key(), MemberKind.USER), true) + " groups="
                    + ext(s, s.members(g.key(), MemberKind.GROUP), false));
        }
        out.sort(null);
        return out;
    }

    private static Set<String> ext(InMemoryUserStore s, Set<String> keys, boolean users) {
        return keys.stream().map(k -> users ? s.findUser(k).orElseThrow().origin().externalId()
                : s.findGroup(k).orElseThrow().origin().externalId()).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Lines only in one of the two views, marked with the side they are on ("+" actual, "-" expected). */
    private static List<String> diff(List<String> actual, List<String> expected) {
        List<String> out = new ArrayList<>();
        actual.stream().filter(l -> !expected.contains(l)).forEach(l -> out.add("+ " + l));
        expected.stream().filter(l -> !actual.contains(l)).forEach(l -> out.add("- " + l));
        return out;
    }

    /** The directory as the same lines. */
    private static List<String> view(InMemoryDirectory d) {
        List<String> out = new ArrayList<>();
        d.users().forEach(u -> out.add("user " + u.id() + " " + u.loginName() + " active=" + u.enabled()));
        d.groups().forEach(g -> out.add("group " + g.id() + " " + g.name() + " users="
                + new TreeSet<>(d.members(g.id(), MemberKind.USER)) + " groups="
                + new TreeSet<>(d.members(g.id(), MemberKind.GROUP))));
        out.sort(null);
        return out;
    }

    @Test
    void aFullSyncMirrorsTheTenantWithNestedGroupsGuestsAndDisabledAccounts() {
        Fixture f = fixture();
        InMemoryUserStore store = new InMemoryUserStore();

        SyncReport r = engine(store, f.connector()).synchronize("entra");

        assertThat(r.isClean()).as(r.summary()).isTrue();
        assertThat(r.mode()).isEqualTo(SyncMode.SNAPSHOT);
        assertThat(r.cursorSaved()).isTrue();
        assertThat(diff(view(store), view(dir))).isEmpty();
        assertThat(store.allUsers()).anyMatch(u -> !u.active());
        assertThat(store.allGroups()).anyMatch(g -> !store.members(g.key(), MemberKind.GROUP).isEmpty());
    }

    @Test
    void deltaCarriesAddsRenamesSoftAndHardDeletesAndMembershipMoves() {
        Fixture f = fixture();
        InMemoryUserStore store = new InMemoryUserStore();
        ProvisioningEngine engine = engine(store, f.connector());
        engine.synchronize("entra");
        long requestsAfterSnapshot = f.server.graphRequests();

        List<DirectoryUser> some = dir.users().filter(DirectoryUser::enabled).skip(3).limit(6).collect(Collectors.toList());
        DirectoryUser hire = dir.addUser(DirectoryUser.builder("new.hire").displayName("New Hire").email("new.hire@corp.example").build());
        dir.renameUser(some.get(0).id(), "renamed.person");
        Set<String> softGroups = dir.groupsOf(MemberKind.USER, some.get(1).id());
        dir.softDeleteUser(some.get(1).id());
        dir.deleteUser(some.get(2).id());
        dir.disableUser(some.get(3).id());
        DirectoryGroup from = dir.groups().filter(g -> dir.members(g.id(), MemberKind.USER).contains(some.get(4).id()))
                .findFirst().orElseThrow();
        DirectoryGroup to = dir.groups().filter(g -> !dir.members(g.id(), MemberKind.USER).contains(some.get(4).id()))
                .findFirst().orElseThrow();
        dir.moveUser(some.get(4).id(), from.id(), to.id());
        DirectoryGroup team = dir.addGroup("team-new");
        dir.addMember(team.id(), MemberKind.USER, hire.id());
        dir.addMember(team.id(), MemberKind.GROUP, to.id());
        DirectoryGroup doomed = dir.groups().filter(g -> !g.id().equals(from.id()) && !g.id().equals(to.id())
                && !g.id().equals(team.id())).reduce((a, b) -> b).orElseThrow();
        dir.deleteGroup(doomed.id());

        SyncReport r = engine.synchronize("entra");

        assertThat(r.mode()).as(r.summary()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(r.isClean()).as(r.summary()).isTrue();
        assertThat(r.count(ChangeKind.USER_CREATED)).isEqualTo(1);
        assertThat(r.count(ChangeKind.USER_RENAMED)).isEqualTo(1);
        assertThat(r.count(ChangeKind.USER_DEACTIVATED)).as("disabled and soft-deleted").isEqualTo(2);
        assertThat(r.count(ChangeKind.USER_DELETED)).as("the permanent deletion").isEqualTo(1);
        assertThat(r.count(ChangeKind.GROUP_CREATED)).isEqualTo(1);
        assertThat(r.count(ChangeKind.GROUP_DELETED)).isEqualTo(1);
        User soft = store.findUserByOrigin(io.usher.core.model.Origin.of("entra", some.get(1).id())).orElseThrow();
        assertThat(soft.active()).isFalse();
        assertThat(soft.username()).as("Entra's deleted-items UPN prefix is undone").isEqualTo(some.get(1).loginName());
        assertThat(store.findUserByOrigin(io.usher.core.model.Origin.of("entra", some.get(2).id()))).isEmpty();
        // the soft-deleted user stays, inactive and in its groups (a restore brings it back whole) ...
        assertThat(ext(store, store.groupsOf(MemberKind.USER, soft.key()), false)).isEqualTo(softGroups);
        // ... and everything else equals the directory
        List<String> expected = new ArrayList<>(view(dir));
        expected.add("user " + soft.origin().externalId() + " " + soft.username() + " active=false");
        expected.sort(null);
        List<String> actual = new ArrayList<>();
        view(store).forEach(l -> actual.add(l.replace(", " + soft.origin().externalId(), "")
                .replace(soft.origin().externalId() + ", ", "").replace("[" + soft.origin().externalId() + "]", "[]")));
        assertThat(diff(actual, expected)).isEmpty();
        assertThat(f.server.graphRequests() - requestsAfterSnapshot).as("a delta reads little").isLessThan(20);

        dir.restoreUser(some.get(1).id());
        SyncReport restored = engine.synchronize("entra");
        assertThat(restored.mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(restored.count(ChangeKind.USER_REACTIVATED)).isEqualTo(1);
        assertThat(diff(view(store), view(dir))).isEmpty();
    }

    @Test
    void aTokenThatExpiresMidSyncIsReplacedAndTheReadGoesOn() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-29T08:00:00Z"));
        Fixture f = fixture(GraphServer.builder(dir).clock(clock).tokenLifetime(Duration.ofMinutes(10)));
        AzureSourceConnector c = new AzureSourceConnector(f.config().clock(clock).pageSize(40).build());
        RecordingSink sink = RecordingSink.create();
        int[] seen = {0};

        c.snapshot(new Forwarding(sink) {
            @Override
            public void user(io.usher.core.spi.SourceUser user) {
                super.user(user);
                seen[0]++;
                if (seen[0] == 50) {
                    clock.advance(Duration.ofMinutes(11));    // past expiry: the connector refreshes on its own
                } else if (seen[0] == 150) {
                    f.server.expireAccessTokens();            // revoked early: a 401, then a fresh token
                }
            }
        });

        assertThat(sink.users()).hasSize(dir.userCount());
        assertThat(sink.groups()).hasSize(dir.groupCount());
        assertThat(f.server.tokenRequests()).isEqualTo(3);
        assertThat(c.retries()).as("only the revoked token costs a retry").isEqualTo(1);
    }

    @Test
    void aThrottlingStormLosesNothingAndTheSyncFinishes() {
        Fixture f = fixture();
        f.server.throttleEvery(3, Duration.ofSeconds(2));
        InMemoryUserStore store = new InMemoryUserStore();
        ProvisioningEngine engine = engine(store, new AzureSourceConnector(f.config().pageSize(25).maxAttempts(12).build()));

        SyncReport full = engine.synchronize("entra");
        dir.renameUser(dir.users().findFirst().orElseThrow().id(), "renamed.in.storm");
        dir.addUser(DirectoryUser.of("hired.in.storm"));
        SyncReport delta = engine.synchronize("entra");

        assertThat(full.isClean()).as(full.summary()).isTrue();
        assertThat(delta.mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(diff(view(store), view(dir))).isEmpty();
        assertThat(f.server.throttledResponses()).isGreaterThan(15);
        assertThat(f.waits).hasSize((int) f.server.throttledResponses()).allMatch(w -> w.equals(Duration.ofSeconds(2)));
    }

    @Test
    void serverErrorsAreRetried() {
        Fixture f = fixture();
        f.server.failNext(2, 503);
        InMemoryUserStore store = new InMemoryUserStore();

        SyncReport r = engine(store, f.connector()).synchronize("entra");

        assertThat(r.isClean()).as(r.summary()).isTrue();
        assertThat(diff(view(store), view(dir))).isEmpty();
        assertThat(f.waits).hasSize(2);
    }

    @Test
    void anExpiredDeltaTokenFallsBackToAFullSnapshotAndSaysSo() {
        Fixture f = fixture();
        InMemoryUserStore store = new InMemoryUserStore();
        ProvisioningEngine engine = engine(store, f.connector());
        engine.synchronize("entra");
        dir.renameUser(dir.users().skip(5).findFirst().orElseThrow().id(), "renamed.while.expired");
        dir.deleteUser(dir.users().skip(9).findFirst().orElseThrow().id());
        f.server.expireDeltaTokens();

        SyncReport r = engine.synchronize("entra");

        assertThat(r.mode()).isEqualTo(SyncMode.SNAPSHOT_AFTER_INVALID_CURSOR);
        assertThat(r.warnings()).anyMatch(w -> w.contains("cursor was refused") && w.contains("410")
                && w.contains("syncStateNotFound"));
        assertThat(r.count(ChangeKind.USER_RENAMED)).isEqualTo(1);
        assertThat(r.count(ChangeKind.USER_DELETED)).isEqualTo(1);
        assertThat(diff(view(store), view(dir))).isEmpty();

        dir.addUser(DirectoryUser.of("after.fallback"));
        SyncReport next = engine.synchronize("entra");
        assertThat(next.mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(next.count(ChangeKind.USER_CREATED)).isEqualTo(1);
    }

    @Test
    void aStoredDeltaLinkThatGraphNoLongerUnderstandsFallsBackToASnapshot() {
        Fixture f = fixture();
        InMemoryUserStore store = new InMemoryUserStore();
        io.usher.core.store.InMemorySyncStateStore state = new io.usher.core.store.InMemorySyncStateStore();
        ProvisioningEngine engine = ProvisioningEngine.builder().store(store).stateStore(state)
                .source(Source.builder("entra").connector(f.connector()).build()).build();
        engine.synchronize("entra");
        String cursor = state.cursor("entra").orElseThrow();
        state.saveCursor("entra", cursor.replace("$deltatoken=", "$deltatoken=x"));   // a token Graph never issued
        dir.addUser(DirectoryUser.of("hired.meanwhile"));

        SyncReport r = engine.synchronize("entra");

        assertThat(r.mode()).as(r.summary()).isEqualTo(SyncMode.SNAPSHOT_AFTER_INVALID_CURSOR);
        assertThat(r.warnings()).anyMatch(w -> w.contains("HTTP 400"));
        assertThat(diff(view(store), view(dir))).isEmpty();
    }

    @Test
    void aSourceThatStopsAnsweringMidSnapshotDeletesNothing() {
        Fixture f = fixture();
        InMemoryUserStore store = new InMemoryUserStore();
        ProvisioningEngine engine = engine(store, f.connector());
        engine.synchronize("entra", io.usher.core.SyncOptions.fullSnapshot());
        List<String> before = view(store);
        dir.deleteUser(dir.users().findFirst().orElseThrow().id());
        f.server.failAfterRecords(100, 500);

        SyncReport r = engine.synchronize("entra", io.usher.core.SyncOptions.fullSnapshot());

        assertThat(r.complete()).isFalse();
        assertThat(r.incompleteReason()).contains("HTTP 500").doesNotContain(Fixture.SECRET);
        assertThat(view(store)).isEqualTo(before);
    }

    @Test
    void aFlatStoreGetsEffectiveMembersFromNestedGroupsAndCyclesAreReported() {
        InMemoryDirectory cyclic = DirectoryGenerator.builder().seed(62).users(150).groups(20).nestingDepth(3)
                .targetMemberships(500).caseCollisions(0).cycles(1).build().generate();
        Fixture f = fixture(GraphServer.builder(cyclic));
        InMemoryUserStore flat = InMemoryUserStore.flat();
        ProvisioningEngine engine = engine(flat, f.connector());

        SyncReport r = engine.synchronize("entra");

        assertThat(r.cycles()).as(r.summary()).isNotEmpty();
        DirectoryGroup parent = cyclic.groups().filter(g -> !cyclic.members(g.id(), MemberKind.GROUP).isEmpty())
                .findFirst().orElseThrow();
        assertThat(flatMembers(flat, parent.id())).isEqualTo(effective(cyclic, parent.id())).isNotEmpty();

        DirectoryGroup child = cyclic.addGroup("late-team");
        DirectoryUser newcomer = cyclic.addUser(DirectoryUser.of("late.newcomer"));
        cyclic.addMember(child.id(), MemberKind.USER, newcomer.id());
        cyclic.addMember(parent.id(), MemberKind.GROUP, child.id());
        engine.synchronize("entra");

        assertThat(flatMembers(flat, parent.id())).contains(newcomer.id()).isEqualTo(effective(cyclic, parent.id()));
    }

    private static Set<String> flatMembers(InMemoryUserStore s, String groupExternalId) {
        Group g = s.findGroupByOrigin(io.usher.core.model.Origin.of("entra", groupExternalId)).orElseThrow();
        return ext(s, s.members(g.key(), MemberKind.USER), true);
    }

    /** The users in a group and, transitively, in the groups nested in it (cycles visited once). */
    private static Set<String> effective(InMemoryDirectory d, String groupId) {
        Set<String> users = new TreeSet<>();
        java.util.Deque<String> todo = new java.util.ArrayDeque<>(List.of(groupId));
        Set<String> seen = new java.util.HashSet<>(List.of(groupId));
        while (!todo.isEmpty()) {
            String g = todo.poll();
            users.addAll(d.members(g, MemberKind.USER));
            d.members(g, MemberKind.GROUP).stream().filter(seen::add).forEach(todo::add);
        }
        return users;
    }

    /** Forwards every call to a recording sink; tests override one method to act mid-read. */
    private static class Forwarding implements io.usher.core.spi.ChangeSink {
        private final RecordingSink target;

        Forwarding(RecordingSink target) {
            this.target = target;
        }

        @Override public void user(io.usher.core.spi.SourceUser user) { target.user(user); }
        @Override public void group(io.usher.core.spi.SourceGroup group) { target.group(group); }
        @Override public void cursor(String cursor) { target.cursor(cursor); }
        @Override public void userDeleted(String id) { target.userDeleted(id); }
        @Override public void groupFields(io.usher.core.spi.SourceGroup group) { target.groupFields(group); }
        @Override public void groupDeleted(String id) { target.groupDeleted(id); }
        @Override public void memberAdded(String g, MemberKind k, String m) { target.memberAdded(g, k, m); }
        @Override public void memberRemoved(String g, MemberKind k, String m) { target.memberRemoved(g, k, m); }
    }
}
