package io.usher.okta;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.ChangeKind;
import io.usher.core.ProvisioningEngine;
import io.usher.core.SyncMode;
import io.usher.core.SyncOptions;
import io.usher.core.SyncReport;
import io.usher.core.model.MemberKind;
import io.usher.core.model.User;
import io.usher.core.store.InMemoryUserStore;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.okta.OktaServer;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine with the Okta connector over the fake Okta: full and incremental syncs, throttling, failures. */
class OktaSyncTest {
    private final OktaFixture.Time time = new OktaFixture.Time();
    private final InMemoryDirectory dir = DirectoryGenerator.builder().seed(8).users(500).groups(40)
            .targetMemberships(1_500).nestingDepth(1).disabledFraction(0.05).build().generate();
    private OktaServer server;

    private OktaServer start(int rateLimit) {
        server = OktaServer.builder(dir).clock(time.clock).apiToken(OktaFixture.TOKEN).rateLimit(rateLimit).start();
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private OktaSourceConnector connector(OktaConfig.Builder config) {
        return new OktaSourceConnector(config.build(), time.clock, time::sleep);
    }

    private OktaConfig.Builder config() {
        return OktaConfig.builder(server.orgUri()).apiToken(OktaFixture.TOKEN);
    }

    @Test
    void aFullSyncBringsEveryUserGroupAndMembershipIncludingDeprovisionedOnes() {
        start(600);
        InMemoryUserStore store = new InMemoryUserStore();
        try (OktaSourceConnector c = connector(config())) {
            SyncReport r = OktaFixture.engine(store, c).synchronize("okta");

            assertThat(r.complete()).isTrue();
            assertThat(r.mode()).isEqualTo(SyncMode.SNAPSHOT);
            assertThat(OktaFixture.view(store)).isEqualTo(OktaFixture.view(dir));
            assertThat(store.allUsers().stream().filter(u -> !u.active()).count())
                    .isEqualTo(dir.users().filter(u -> !u.enabled()).count()).isPositive();
            // users: 3 pages of active + 1 of deprovisioned; groups: 1 page + a members read per 200 members
            assertThat(server.requests("users")).isEqualTo(4);
            long memberPages = dir.groups().mapToLong(g -> Math.max(1,
                    (dir.members(g.id(), MemberKind.USER).size() + 199) / 200)).sum();
            assertThat(server.requests("groups")).isEqualTo(1 + memberPages);
        }
    }

    @Test
    void incrementalSyncSeesAddsRenamesDeactivationsDeletionsAndMembershipChanges() {
        start(600);
        InMemoryUserStore store = new InMemoryUserStore();
        try (OktaSourceConnector c = connector(config())) {
            ProvisioningEngine engine = OktaFixture.engine(store, c);
            engine.synchronize("okta");
            long fullRequests = server.apiRequests();
            time.tick();

            List<DirectoryUser> some = dir.users().filter(DirectoryUser::enabled).limit(6).collect(Collectors.toList());
            DirectoryUser hire = dir.addUser(DirectoryUser.builder("new.hire@corp.example").displayName("New Hire")
                    .email("new.hire@corp.example").build());
            dir.renameUser(some.get(0).id(), "renamed@corp.example");
            dir.updateUser(some.get(1).toBuilder().displayName("Changed Name").build());
            dir.disableUser(some.get(2).id());
            dir.deleteUser(some.get(3).id()); // gone from /users: only the System Log tells
            DirectoryGroup team = dir.groups().skip(3).findFirst().orElseThrow();
            dir.addMember(team.id(), MemberKind.USER, hire.id());
            String leaving = dir.members(team.id(), MemberKind.USER).stream().filter(id -> !id.equals(hire.id()))
                    .sorted().findFirst().orElseThrow();
            dir.removeMember(team.id(), MemberKind.USER, leaving);
            DirectoryGroup renamed = dir.renameGroup(dir.groups().skip(5).findFirst().orElseThrow().id(), "renamed-team");
            DirectoryGroup doomed = dir.groups().skip(7).findFirst().orElseThrow();
            dir.deleteGroup(doomed.id());
            DirectoryGroup fresh = dir.addGroup("project-okta");
            dir.addMember(fresh.id(), MemberKind.USER, some.get(4).id());
            time.tick();

            SyncReport r = engine.synchronize("okta");

            assertThat(r.mode()).isEqualTo(SyncMode.INCREMENTAL);
            assertThat(r.complete()).isTrue();
            assertThat(r.count(ChangeKind.USER_CREATED)).isEqualTo(1);
            assertThat(r.count(ChangeKind.USER_RENAMED)).isEqualTo(1);
            assertThat(r.count(ChangeKind.USER_DEACTIVATED)).isEqualTo(1);
            assertThat(r.count(ChangeKind.USER_DELETED)).isEqualTo(1);
            assertThat(r.count(ChangeKind.GROUP_CREATED)).isEqualTo(1);
            assertThat(r.count(ChangeKind.GROUP_DELETED)).isEqualTo(1);
            assertThat(store.findUserByOrigin(new io.usher.core.model.Origin("okta", some.get(1).id())).orElseThrow()
                    .displayName()).isEqualTo("Changed Name");
            assertThat(OktaFixture.view(store)).isEqualTo(OktaFixture.view(dir));
            long incremental = server.apiRequests() - fullRequests;
            assertThat(incremental).as("incremental requests").isLessThan(fullRequests / 4);

            time.tick();
            SyncReport quiet = engine.synchronize("okta");
            assertThat(quiet.mode()).isEqualTo(SyncMode.INCREMENTAL);
            assertThat(quiet.totalChanges()).isZero();
        }
    }

    @Test
    void aDeletionSeenOnlyInTheSystemLogIsADeletionAndLosesNothingElse() {
        start(600);
        InMemoryUserStore store = new InMemoryUserStore();
        try (OktaSourceConnector c = connector(config())) {
            ProvisioningEngine engine = OktaFixture.engine(store, c);
            engine.synchronize("okta");
            time.tick();
            DirectoryUser leaver = dir.users().filter(DirectoryUser::enabled).skip(9).findFirst().orElseThrow();
            int before = store.userCount();
            dir.deleteUser(leaver.id());
            time.tick();

            SyncReport r = engine.synchronize("okta");

            assertThat(r.count(ChangeKind.USER_DELETED)).isEqualTo(1);
            assertThat(store.userCount()).isEqualTo(before - 1);
            assertThat(store.findUserByOrigin(new io.usher.core.model.Origin("okta", leaver.id()))).isEmpty();
        }
    }

    @Test
    void a429StormLosesNothingAndEveryWaitRunsToTheReset() {
        start(600);
        server.throttleEvery(3);
        InMemoryUserStore store = new InMemoryUserStore();
        try (OktaSourceConnector c = connector(config().pageSize(50))) {
            SyncReport r = OktaFixture.engine(store, c).synchronize("okta");

            assertThat(r.complete()).isTrue();
            assertThat(OktaFixture.view(store)).isEqualTo(OktaFixture.view(dir));
            assertThat(server.throttled()).isGreaterThan(10);
            // every 429 waited until X-Rate-Limit-Reset (the next minute) and not longer
            assertThat(time.waits).hasSizeGreaterThanOrEqualTo((int) server.throttled());
            assertThat(time.waits).allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(Duration.ofSeconds(61)));

            time.tick();
            dir.renameUser(dir.users().findFirst().orElseThrow().id(), "after.storm");
            time.tick();
            SyncReport inc = OktaFixture.engine(store, c).synchronize("okta");
            assertThat(inc.complete()).isTrue();
            assertThat(OktaFixture.view(store)).isEqualTo(OktaFixture.view(dir));
        }
    }

    @Test
    void theConnectorNeverTakesMoreThanItsShareOfABucket() {
        start(40); // 40 requests a minute per bucket; the snapshot needs ~50 group requests
        InMemoryUserStore store = new InMemoryUserStore();
        try (OktaSourceConnector c = connector(config().pageSize(50).rateLimitShare(0.5))) {
            SyncReport r = OktaFixture.engine(store, c).synchronize("okta");

            assertThat(r.complete()).isTrue();
            assertThat(OktaFixture.view(store)).isEqualTo(OktaFixture.view(dir));
            assertThat(server.throttled()).isZero();
            assertThat(server.maxRequestsInAWindow("groups")).isLessThanOrEqualTo(20);
            assertThat(server.maxRequestsInAWindow("users")).isLessThanOrEqualTo(20);
            assertThat(server.requests("groups")).isGreaterThan(20); // so the share was what held it back
            assertThat(c.rateLimitWaits()).isPositive();
        }
    }

    @Test
    void serverErrorsAreRetriedAndAReadThatBreaksOffDeletesNothing() {
        start(600);
        InMemoryUserStore store = new InMemoryUserStore();
        try (OktaSourceConnector c = connector(config().pageSize(50).maxAttempts(3))) {
            ProvisioningEngine engine = OktaFixture.engine(store, c);
            server.failNext(2, 503);
            assertThat(engine.synchronize("okta").complete()).isTrue();
            int users = store.userCount();

            time.tick();
            dir.deleteUser(dir.users().skip(4).findFirst().orElseThrow().id());
            server.failAfterRecords(120);
            SyncReport broken = engine.synchronize("okta", SyncOptions.fullSnapshot());

            assertThat(broken.complete()).isFalse();
            assertThat(broken.count(ChangeKind.USER_DELETED) + broken.count(ChangeKind.USER_DEACTIVATED)
                    + broken.count(ChangeKind.MEMBER_REMOVED) + broken.count(ChangeKind.GROUP_DELETED)).isZero();
            assertThat(store.userCount()).isEqualTo(users);

            server.clearFaults();
            assertThat(engine.synchronize("okta", SyncOptions.fullSnapshot()).count(ChangeKind.USER_DELETED))
                    .isEqualTo(1);
            assertThat(OktaFixture.view(store)).isEqualTo(OktaFixture.view(dir));
        }
    }

    @Test
    void aFullReconciliationRunsOnceTheCursorIsOlderThanConfigured() {
        start(600);
        InMemoryUserStore store = new InMemoryUserStore();
        try (OktaSourceConnector c = connector(config().fullReconcileAfter(Duration.ofHours(6)))) {
            ProvisioningEngine engine = OktaFixture.engine(store, c);
            engine.synchronize("okta");
            time.clock.advance(Duration.ofHours(2));
            assertThat(engine.synchronize("okta").mode()).isEqualTo(SyncMode.INCREMENTAL);
            time.clock.advance(Duration.ofHours(5));

            SyncReport r = engine.synchronize("okta");

            assertThat(r.mode()).isEqualTo(SyncMode.SNAPSHOT_AFTER_INVALID_CURSOR);
            assertThat(r.complete()).isTrue();
            time.tick();
            assertThat(engine.synchronize("okta").mode()).isEqualTo(SyncMode.INCREMENTAL);
        }
    }

    @Test
    void appGroupsAreLeftOutUnlessAskedForAndNameScopingKeepsTheRest() {
        server = OktaServer.builder(dir).clock(time.clock).apiToken(OktaFixture.TOKEN)
                .appGroups(g -> g.name().hashCode() % 3 == 0).start();
        long appGroups = dir.groups().filter(g -> g.name().hashCode() % 3 == 0).count();
        assertThat(appGroups).isPositive();

        InMemoryUserStore okta = new InMemoryUserStore();
        try (OktaSourceConnector c = connector(config())) {
            OktaFixture.engine(okta, c).synchronize("okta");
        }
        assertThat(okta.groupCount()).isEqualTo(dir.groupCount() - (int) appGroups);

        InMemoryUserStore both = new InMemoryUserStore();
        try (OktaSourceConnector c = connector(config().groupTypes(java.util.EnumSet.allOf(OktaConfig.GroupType.class)))) {
            OktaFixture.engine(both, c).synchronize("okta");
        }
        assertThat(both.groupCount()).isEqualTo(dir.groupCount());

        String first = dir.groups().map(DirectoryGroup::name).sorted().findFirst().orElseThrow();
        InMemoryUserStore scoped = new InMemoryUserStore();
        try (OktaSourceConnector c = connector(config().groupTypes(java.util.EnumSet.allOf(OktaConfig.GroupType.class))
                .groupNameRegex("^" + java.util.regex.Pattern.quote(first) + "$"))) {
            OktaFixture.engine(scoped, c).synchronize("okta");
        }
        assertThat(scoped.allGroups()).extracting(io.usher.core.model.Group::name).containsExactly(first);
    }

    @Test
    void statusesMapToActiveOrInactiveAsOktaDocumentsThem() {
        String[][] cases = {{"STAGED", "true"}, {"PROVISIONED", "true"}, {"RECOVERY", "true"},
            {"PASSWORD_EXPIRED", "true"}, {"LOCKED_OUT", "true"}, {"ACTIVE", "true"}};
        InMemoryDirectory small = InMemoryDirectory.create(3);
        for (String[] c : cases) {
            small.addUser(DirectoryUser.builder(c[0].toLowerCase() + "@corp.example").attribute("oktaStatus", c[0])
                    .build());
        }
        small.addUser(DirectoryUser.builder("suspended@corp.example").enabled(false).attribute("oktaStatus", "SUSPENDED")
                .build());
        small.addUser(DirectoryUser.builder("deprovisioned@corp.example").enabled(false).build());
        server = OktaServer.builder(small).clock(time.clock).apiToken(OktaFixture.TOKEN).start();
        InMemoryUserStore store = new InMemoryUserStore();
        try (OktaSourceConnector c = connector(config())) {
            OktaFixture.engine(store, c).synchronize("okta");
        }
        assertThat(store.allUsers()).hasSize(8);
        for (User u : store.allUsers()) {
            boolean inactive = u.username().startsWith("suspended") || u.username().startsWith("deprovisioned");
            assertThat(u.active()).as(u.username()).isEqualTo(!inactive);
            assertThat(u.attributes().get("status")).as(u.username()).isNotEmpty();
        }
    }

    @Test
    void theUsernameComesFromTheLoginItsNamePartOrTheEmail() {
        InMemoryDirectory small = InMemoryDirectory.create(4);
        small.addUser(DirectoryUser.builder("jdoe@corp.example").email("john.doe@mail.example").build());
        server = OktaServer.builder(small).clock(time.clock).apiToken(OktaFixture.TOKEN).start();
        for (OktaConfig.UsernameFrom from : OktaConfig.UsernameFrom.values()) {
            InMemoryUserStore store = new InMemoryUserStore();
            try (OktaSourceConnector c = connector(config().usernameFrom(from))) {
                OktaFixture.engine(store, c).synchronize("okta");
            }
            String expected = switch (from) {
                case LOGIN -> "jdoe@corp.example";
                case LOGIN_NAME_PART -> "jdoe";
                case EMAIL -> "john.doe@mail.example";
            };
            assertThat(store.allUsers()).extracting(User::username).as(from.name()).containsExactly(expected);
        }
    }

    @Test
    void aMembershipChangeTheLogDoesNotShowYetIsReadFromTheGroupAndALateDeletionIsFoundNextTime() {
        start(600);
        server.logDelay(Duration.ofSeconds(30)); // shorter than the 2-minute overlap, as it must be
        InMemoryUserStore store = new InMemoryUserStore();
        try (OktaSourceConnector c = connector(config())) {
            ProvisioningEngine engine = OktaFixture.engine(store, c);
            engine.synchronize("okta");
            time.tick();
            DirectoryGroup team = dir.groups().skip(2).findFirst().orElseThrow();
            DirectoryUser joiner = dir.users().filter(u -> !dir.members(team.id(), MemberKind.USER).contains(u.id()))
                    .findFirst().orElseThrow();
            dir.addMember(team.id(), MemberKind.USER, joiner.id());
            DirectoryUser leaver = dir.users().filter(DirectoryUser::enabled).skip(11).findFirst().orElseThrow();
            dir.deleteUser(leaver.id());
            time.tick();
            long groupsBefore = server.requests("groups");

            SyncReport early = engine.synchronize("okta");

            assertThat(early.count(ChangeKind.MEMBER_ADDED)).isEqualTo(1); // from lastMembershipUpdated + a member read
            assertThat(server.requests("groups") - groupsBefore).isGreaterThanOrEqualTo(2);
            assertThat(early.count(ChangeKind.USER_DELETED)).as("not in the log yet").isZero();

            time.clock.advance(Duration.ofMinutes(1));
            SyncReport later = engine.synchronize("okta");

            assertThat(later.count(ChangeKind.USER_DELETED)).isEqualTo(1);
            assertThat(later.count(ChangeKind.MEMBER_ADDED)).as("the late add event changes nothing").isZero();
            assertThat(OktaFixture.view(store)).isEqualTo(OktaFixture.view(dir));
        }
    }

    @Test
    void aStatusOktaDoesNotDocumentIsReportedAndTheUserKeptAsItWas() {
        InMemoryDirectory small = InMemoryDirectory.create(5);
        DirectoryUser odd = small.addUser(DirectoryUser.builder("odd@corp.example").build());
        small.addUser(DirectoryUser.builder("plain@corp.example").build());
        server = OktaServer.builder(small).clock(time.clock).apiToken(OktaFixture.TOKEN).start();
        InMemoryUserStore store = new InMemoryUserStore();
        try (OktaSourceConnector c = connector(config())) {
            ProvisioningEngine engine = OktaFixture.engine(store, c);
            engine.synchronize("okta");
            time.tick();
            small.updateUser(odd.toBuilder().attribute("oktaStatus", "QUARANTINED").build());
            time.tick();

            SyncReport r = engine.synchronize("okta", SyncOptions.fullSnapshot());

            assertThat(r.failureCount()).isEqualTo(1);
            assertThat(r.failures().get(0).toString()).contains("status");
            assertThat(r.count(ChangeKind.USER_DELETED) + r.count(ChangeKind.USER_DEACTIVATED)).isZero();
            assertThat(store.findUserByOrigin(new io.usher.core.model.Origin("okta", odd.id())).orElseThrow().active())
                    .isTrue();
        }
    }

    @Test
    void aGroupRenamedIntoOrOutOfTheNameScopeIsCreatedOrDeletedIncrementally() {
        InMemoryDirectory small = InMemoryDirectory.create(6);
        DirectoryUser a = small.addUser(DirectoryUser.of("a@corp.example"));
        DirectoryGroup inside = small.addGroup("team-one");
        DirectoryGroup outside = small.addGroup("other");
        small.addMember(inside.id(), MemberKind.USER, a.id());
        small.addMember(outside.id(), MemberKind.USER, a.id());
        server = OktaServer.builder(small).clock(time.clock).apiToken(OktaFixture.TOKEN).start();
        InMemoryUserStore store = new InMemoryUserStore();
        try (OktaSourceConnector c = connector(config().groupNameRegex("^team-"))) {
            ProvisioningEngine engine = OktaFixture.engine(store, c);
            engine.synchronize("okta");
            assertThat(store.allGroups()).extracting(io.usher.core.model.Group::name).containsExactly("team-one");
            time.tick();
            small.renameGroup(inside.id(), "former-one");
            small.renameGroup(outside.id(), "team-other");
            time.tick();

            SyncReport r = engine.synchronize("okta");

            assertThat(r.mode()).isEqualTo(SyncMode.INCREMENTAL);
            assertThat(r.count(ChangeKind.GROUP_DELETED)).isEqualTo(1);
            assertThat(r.count(ChangeKind.GROUP_CREATED)).isEqualTo(1);
            assertThat(store.allGroups()).extracting(io.usher.core.model.Group::name).containsExactly("team-other");
            assertThat(store.members(store.allGroups().get(0).key(), MemberKind.USER)).hasSize(1);
        }
    }
}
