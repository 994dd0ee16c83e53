package io.usher.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.core.pipeline.CaseRule;
import io.usher.core.pipeline.Pipeline;
import io.usher.core.pipeline.UserFilter;
import io.usher.core.spi.SourceUser;
import io.usher.core.spi.StoreOperation;
import io.usher.core.store.InMemoryUserStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EngineTest {

    private final InMemoryUserStore store = new InMemoryUserStore();

    private static ListConnector smallOrg() {
        return new ListConnector()
                .user("1", "alice").user("2", "bob").user("3", "carol")
                .group("g1", "staff", List.of("1", "2", "3"), List.of())
                .group("g2", "admins", List.of("1"), List.of());
    }

    private ProvisioningEngine engine(ListConnector c) {
        return engine(Source.builder("corp").connector(c).build());
    }

    private ProvisioningEngine engine(Source s) {
        return ProvisioningEngine.builder().store(store).source(s).build();
    }

    private Set<String> memberNames(String group) {
        Group g = store.findGroupByName(group).orElseThrow();
        return store.members(g.key(), MemberKind.USER).stream()
                .map(k -> store.findUser(k).orElseThrow().username()).collect(Collectors.toSet());
    }

    @Test
    void initialSyncCreatesUsersGroupsAndMemberships() {
        SyncReport r = engine(smallOrg()).synchronize("corp");
        assertThat(r.complete()).isTrue();
        assertThat(r.count(ChangeKind.USER_CREATED)).isEqualTo(3);
        assertThat(r.count(ChangeKind.GROUP_CREATED)).isEqualTo(2);
        assertThat(r.count(ChangeKind.MEMBER_ADDED)).isEqualTo(4);
        assertThat(r.isClean()).isTrue();
        assertThat(store.findUserByUsername("ALICE").orElseThrow().origin()).isEqualTo(Origin.of("corp", "1"));
        assertThat(memberNames("staff")).containsExactlyInAnyOrder("alice", "bob", "carol");
        assertThat(memberNames("admins")).containsExactly("alice");
    }

    @Test
    void resyncWithoutChangesChangesNothing() {
        ListConnector c = smallOrg();
        ProvisioningEngine e = engine(c);
        e.synchronize("corp");
        SyncReport again = e.synchronize("corp", SyncOptions.fullSnapshot());
        assertThat(again.totalChanges()).isZero();
        assertThat(again.unchanged()).isEqualTo(5);
    }

    @Test
    void renameKeepsTheStoredUser() {
        ListConnector c = smallOrg();
        ProvisioningEngine e = engine(c);
        e.synchronize("corp");
        String key = store.findUserByUsername("bob").orElseThrow().key();
        c.rename("2", "robert");
        SyncReport r = e.synchronize("corp", SyncOptions.fullSnapshot());
        assertThat(r.count(ChangeKind.USER_RENAMED)).isEqualTo(1);
        assertThat(r.count(ChangeKind.USER_CREATED)).isZero();
        assertThat(r.count(ChangeKind.USER_DEACTIVATED) + r.count(ChangeKind.USER_DELETED)).isZero();
        User robert = store.findUserByUsername("robert").orElseThrow();
        assertThat(robert.key()).isEqualTo(key);
        assertThat(store.findUserByUsername("bob")).isEmpty();
        assertThat(memberNames("staff")).contains("robert");
    }

    @Test
    void swappedUsernamesConverge() {
        ListConnector c = new ListConnector().user("1", "ann").user("2", "ben");
        ProvisioningEngine e = engine(c);
        e.synchronize("corp");
        String annKey = store.findUserByUsername("ann").orElseThrow().key();
        c.rename("1", "ben").rename("2", "ann");
        SyncReport r = e.synchronize("corp", SyncOptions.fullSnapshot());
        assertThat(r.failureCount()).isZero();
        assertThat(r.count(ChangeKind.USER_RENAMED)).isEqualTo(2);
        assertThat(store.findUserByUsername("ben").orElseThrow().key()).isEqualTo(annKey);
    }

    @Test
    void aFailingSnapshotDeletesNothing() {
        ListConnector c = smallOrg();
        ProvisioningEngine e = engine(Source.builder("corp").connector(c).deprovision(DeprovisionPolicy.DELETE)
                .guard(DeletionGuard.none()).build());
        e.synchronize("corp");
        c.failAfterRecords = 1;
        SyncReport r = e.synchronize("corp", SyncOptions.fullSnapshot());
        assertThat(r.complete()).isFalse();
        assertThat(r.incompleteReason()).contains("SOURCE_UNAVAILABLE").contains("connection reset");
        assertThat(r.count(ChangeKind.USER_DELETED) + r.count(ChangeKind.USER_DEACTIVATED)
                + r.count(ChangeKind.GROUP_DELETED) + r.count(ChangeKind.MEMBER_REMOVED)).isZero();
        assertThat(store.userCount()).isEqualTo(3);
        assertThat(store.allUsers()).allMatch(User::active);
        assertThat(memberNames("staff")).hasSize(3);
        assertThat(r.cursorSaved()).isFalse();
    }

    @Test
    void guardTripsWithAReasonAndKeepsThePlanInspectable() {
        ListConnector c = new ListConnector();
        for (int i = 0; i < 50; i++) {
            c.user("u" + i, "user" + i);
        }
        ProvisioningEngine e = engine(Source.builder("corp").connector(c)
                .guard(new DeletionGuard(10, 0.2, 20)).build());
        e.synchronize("corp");
        for (int i = 0; i < 15; i++) {
            c.removeUser("u" + i);
        }
        ChangeSet plan = e.plan("corp");
        assertThat(plan.report().guardTripped()).isTrue();
        assertThat(plan.report().withheld()).hasSize(15);
        SyncReport r = e.synchronize("corp", SyncOptions.fullSnapshot());
        assertThat(r.guardTripped()).isTrue();
        assertThat(r.guardReason()).contains("would remove 15 users").contains("10");
        assertThat(r.withheld()).hasSize(15).allMatch(ch -> ch.kind() == ChangeKind.USER_DEACTIVATED);
        assertThat(store.allUsers()).allMatch(User::active);
        assertThat(r.cursorSaved()).isFalse();

        SyncReport confirmed = e.synchronize("corp", SyncOptions.fullSnapshot().withOverrideGuard());
        assertThat(confirmed.guardTripped()).isFalse();
        assertThat(confirmed.count(ChangeKind.USER_DEACTIVATED)).isEqualTo(15);
        assertThat(store.allUsers().stream().filter(u -> !u.active()).count()).isEqualTo(15);
    }

    @Test
    void shareGuardTripsOnAWrongFilter() {
        ListConnector c = new ListConnector();
        for (int i = 0; i < 100; i++) {
            c.user(SourceUser.builder("u" + i).loginName("user" + i).attribute("dept", i < 90 ? "sales" : "it").build());
        }
        ProvisioningEngine first = engine(c);
        first.synchronize("corp");
        ProvisioningEngine narrowed = ProvisioningEngine.builder().store(store).source(Source.builder("corp")
                .connector(c).pipeline(Pipeline.builder().includeUsers(UserFilter.attributeEquals("dept", "it")).build())
                .build()).build();
        SyncReport r = narrowed.synchronize("corp");
        assertThat(r.guardTripped()).isTrue();
        assertThat(r.guardReason()).contains("90 of 100 users");
        assertThat(r.excluded()).isEqualTo(90);
        assertThat(store.allUsers()).allMatch(User::active);
    }

    @Test
    void localUsersAndGroupsAreNeverTouched() {
        User local = store.createUser(User.builder("localadmin").build());
        Group localGroup = store.createGroup(Group.local("local-team"));
        ListConnector c = smallOrg();
        ProvisioningEngine e = engine(Source.builder("corp").connector(c).deprovision(DeprovisionPolicy.DELETE).build());
        e.synchronize("corp");
        String aliceKey = store.findUserByUsername("alice").orElseThrow().key();
        store.addMember(localGroup.key(), MemberKind.USER, aliceKey);
        String staffKey = store.findGroupByName("staff").orElseThrow().key();
        store.addMember(staffKey, MemberKind.USER, local.key());

        SyncReport r = e.synchronize("corp", SyncOptions.fullSnapshot());
        assertThat(r.totalChanges()).isZero();
        assertThat(store.findUser(local.key())).contains(local);
        assertThat(store.members(localGroup.key(), MemberKind.USER)).containsExactly(aliceKey);
        assertThat(store.members(staffKey, MemberKind.USER)).contains(local.key());
        assertThat(store.findGroup(localGroup.key())).contains(localGroup);
    }

    @Test
    void nestedGroupCycleIsReportedAndKeptOutOfTheStore() {
        ListConnector c = new ListConnector().user("1", "a").user("2", "b").user("3", "c")
                .group("x", "x", List.of("1"), List.of("y"))
                .group("y", "y", List.of("2"), List.of("z"))
                .group("z", "z", List.of("3"), List.of("x"));
        SyncReport r = engine(c).synchronize("corp");
        assertThat(r.cycles()).hasSize(1);
        assertThat(r.cycles().get(0)).containsExactly("x", "y", "z", "x");
        assertThat(r.warnings()).anyMatch(w -> w.contains("cycle"));
        String x = store.findGroupByName("x").orElseThrow().key();
        String z = store.findGroupByName("z").orElseThrow().key();
        assertThat(store.members(store.findGroupByName("y").orElseThrow().key(), MemberKind.GROUP)).containsExactly(z);
        assertThat(store.members(z, MemberKind.GROUP)).doesNotContain(x);
    }

    @Test
    void nestedGroupsAreFlattenedForStoresWithoutNesting() {
        InMemoryUserStore flat = InMemoryUserStore.flat();
        ListConnector c = new ListConnector().user("1", "a").user("2", "b").user("3", "c")
                .group("x", "x", List.of("1"), List.of("y"))
                .group("y", "y", List.of("2"), List.of("z"))
                .group("z", "z", List.of("3"), List.of("x"));
        ProvisioningEngine e = ProvisioningEngine.builder().store(flat)
                .source(Source.builder("corp").connector(c).build()).build();
        SyncReport r = e.synchronize("corp");
        assertThat(r.cycles()).hasSize(1);
        for (String g : List.of("x", "y", "z")) {
            assertThat(flat.members(flat.findGroupByName(g).orElseThrow().key(), MemberKind.USER)).hasSize(3);
        }
        ListConnector chain = new ListConnector().user("1", "a").user("2", "b")
                .group("top", "top", List.of(), List.of("mid"))
                .group("mid", "mid", List.of("1"), List.of("leaf"))
                .group("leaf", "leaf", List.of("2"), List.of());
        InMemoryUserStore flat2 = InMemoryUserStore.flat();
        ProvisioningEngine.builder().store(flat2).source(Source.builder("s").connector(chain).build()).build()
                .synchronize("s");
        assertThat(flat2.members(flat2.findGroupByName("top").orElseThrow().key(), MemberKind.USER)).hasSize(2);
        assertThat(flat2.members(flat2.findGroupByName("leaf").orElseThrow().key(), MemberKind.USER)).hasSize(1);
    }

    @Test
    void caseOnlyCollisionFollowsPolicy() {
        ListConnector c = new ListConnector().user("1", "jdoe").user("2", "JDoe");
        SyncReport skip = engine(Source.builder("corp").connector(c).collisions(CollisionPolicy.SKIP).build())
                .synchronize("corp");
        assertThat(skip.count(ChangeKind.USER_CREATED)).isEqualTo(1);
        assertThat(skip.failureCount()).isZero();
        assertThat(skip.warnings()).anyMatch(w -> w.startsWith("JDoe: username is already held by another user"));

        InMemoryUserStore s2 = new InMemoryUserStore();
        SyncReport fail = ProvisioningEngine.builder().store(s2).source(Source.builder("corp").connector(c)
                .collisions(CollisionPolicy.FAIL).build()).build().synchronize("corp");
        assertThat(fail.failureCount()).isEqualTo(1);
        assertThat(fail.failures().get(0).code()).isEqualTo(UsherException.Code.CONFLICT);
        assertThat(s2.userCount()).isEqualTo(1);
    }

    @Test
    void linkPolicyTakesOverALocalUserWithTheSameNameIgnoringCase() {
        User local = store.createUser(User.builder("JDOE").displayName("hand made").build());
        ListConnector c = new ListConnector().user("1", "jdoe");
        SyncReport r = engine(Source.builder("corp").connector(c).collisions(CollisionPolicy.LINK).build())
                .synchronize("corp");
        assertThat(r.count(ChangeKind.USER_LINKED)).isEqualTo(1);
        User linked = store.findUser(local.key()).orElseThrow();
        assertThat(linked.origin()).isEqualTo(Origin.of("corp", "1"));
        assertThat(linked.username()).isEqualTo("jdoe");
        assertThat(store.userCount()).isEqualTo(1);
    }

    @Test
    void userOfAnotherSourceIsNeverLinked() {
        store.createUser(User.builder("jdoe").origin(Origin.of("other", "x")).build());
        SyncReport r = engine(Source.builder("corp").connector(new ListConnector().user("1", "jdoe"))
                .collisions(CollisionPolicy.LINK).build()).synchronize("corp");
        assertThat(r.count(ChangeKind.USER_LINKED)).isZero();
        assertThat(r.warnings()).anyMatch(w -> w.contains("source 'other'"));
        assertThat(store.findUserByUsername("jdoe").orElseThrow().origin().sourceId()).isEqualTo("other");
    }

    @Test
    void aCrashMidApplyThenARerunConverges() {
        ListConnector c = new ListConnector();
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            c.user("u" + i, "user" + i);
            members.add("u" + i);
        }
        c.group("g1", "everyone", members, List.of()).group("g2", "half", members.subList(0, 60), List.of("g1"));

        InMemoryUserStore reference = new InMemoryUserStore();
        ProvisioningEngine.builder().store(reference).source(Source.builder("corp").connector(c).build()).build()
                .synchronize("corp");

        CrashingStore crashing = new CrashingStore(store, 150);
        ProvisioningEngine broken = ProvisioningEngine.builder().store(crashing).batchSize(7)
                .source(Source.builder("corp").connector(c).build()).build();
        assertThatThrownBy(() -> broken.synchronize("corp")).isInstanceOf(CrashingStore.Crash.class);
        assertThat(store.userCount()).isLessThan(120 + 1).isGreaterThan(0);

        SyncReport rerun = engine(c).synchronize("corp");
        assertThat(rerun.isClean()).isTrue();
        assertThat(snapshotOf(store)).isEqualTo(snapshotOf(reference));
        assertThat(engine(c).synchronize("corp", SyncOptions.fullSnapshot()).totalChanges()).isZero();
    }

    /** A store-independent view: users by origin with fields, groups with member usernames. */
    private static List<String> snapshotOf(InMemoryUserStore s) {
        List<String> out = new ArrayList<>();
        for (User u : s.allUsers()) {
            out.add(u.origin() + " " + u.username() + " " + u.active() + " " + u.displayName());
        }
        for (Group g : s.allGroups()) {
            out.add(g.origin() + " " + g.name() + " users=" + s.members(g.key(), MemberKind.USER).stream()
                    .map(k -> s.findUser(k).orElseThrow().username()).sorted().collect(Collectors.toList())
                    + " groups=" + s.members(g.key(), MemberKind.GROUP).stream()
                    .map(k -> s.findGroup(k).orElseThrow().name()).sorted().collect(Collectors.toList()));
        }
        out.sort(null);
        return out;
    }

    @Test
    void anUnreadableEntryIsReportedAndKeptNotDeprovisioned() {
        ListConnector c = smallOrg();
        ProvisioningEngine e = engine(Source.builder("corp").connector(c).deprovision(DeprovisionPolicy.DELETE)
                .guard(DeletionGuard.none()).build());
        e.synchronize("corp");
        c.unreadable.add("2");
        SyncReport r = e.synchronize("corp", SyncOptions.fullSnapshot());
        assertThat(r.complete()).isTrue();
        assertThat(r.failureCount()).isEqualTo(1);
        assertThat(r.failures().get(0).code()).isEqualTo(UsherException.Code.SOURCE_DATA);
        assertThat(r.failures().get(0).message()).contains("attribute 'cn'");
        assertThat(r.count(ChangeKind.USER_DELETED)).isZero();
        assertThat(store.findUserByUsername("bob")).isPresent();
        assertThat(memberNames("staff")).contains("bob");
    }

    @Test
    void oneFailingRecordDoesNotStopTheRest() {
        CrashingStore picky = new CrashingStore(store, Integer.MAX_VALUE);
        picky.rejectUsername = "bob";
        SyncReport r = ProvisioningEngine.builder().store(picky).source(Source.builder("corp").connector(smallOrg())
                .build()).build().synchronize("corp");
        assertThat(r.failureCount()).isEqualTo(1);
        assertThat(r.failures().get(0).subject()).isEqualTo("bob");
        assertThat(r.failures().get(0).message()).contains("USER_CREATED failed");
        assertThat(r.count(ChangeKind.USER_CREATED)).isEqualTo(2);
        assertThat(memberNames("staff")).containsExactlyInAnyOrder("alice", "carol");
    }

    @Test
    void deprovisioningPoliciesAndReactivation() {
        for (DeprovisionPolicy policy : DeprovisionPolicy.values()) {
            InMemoryUserStore s = new InMemoryUserStore();
            ListConnector c = smallOrg();
            ProvisioningEngine e = ProvisioningEngine.builder().store(s)
                    .source(Source.builder("corp").connector(c).deprovision(policy).build()).build();
            e.synchronize("corp");
            SourceUser carol = c.users.get("3");
            c.removeUser("3");
            SyncReport r = e.synchronize("corp", SyncOptions.fullSnapshot());
            switch (policy) {
                case DEACTIVATE:
                    assertThat(r.count(ChangeKind.USER_DEACTIVATED)).isEqualTo(1);
                    assertThat(s.findUserByUsername("carol").orElseThrow().active()).isFalse();
                    c.user(carol);
                    SyncReport back = e.synchronize("corp", SyncOptions.fullSnapshot());
                    assertThat(back.count(ChangeKind.USER_REACTIVATED)).isEqualTo(1);
                    assertThat(s.findUserByUsername("carol").orElseThrow().active()).isTrue();
                    break;
                case DELETE:
                    assertThat(r.count(ChangeKind.USER_DELETED)).isEqualTo(1);
                    assertThat(s.findUserByUsername("carol")).isEmpty();
                    break;
                default:
                    assertThat(r.count(ChangeKind.USER_DELETED) + r.count(ChangeKind.USER_DEACTIVATED)).isZero();
                    assertThat(s.findUserByUsername("carol").orElseThrow().active()).isTrue();
            }
        }
    }

    @Test
    void planAppliesNothing() {
        List<Change> heard = new ArrayList<>();
        ProvisioningEngine e = ProvisioningEngine.builder().store(store)
                .source(Source.builder("corp").connector(smallOrg()).build())
                .listener(new SyncListener() {
                    @Override
                    public void onChange(String runId, Change change) {
                        heard.add(change);
                    }
                }).build();
        ChangeSet plan = e.plan("corp");
        assertThat(heard).as("audit listeners hear nothing of a dry run").isEmpty();
        assertThat(plan.count(ChangeKind.USER_CREATED)).isEqualTo(3);
        assertThat(plan.count(ChangeKind.MEMBER_ADDED)).isEqualTo(4);
        assertThat(plan.report().dryRun()).isTrue();
        assertThat(store.userCount()).isZero();
        assertThat(e.stateStore().cursor("corp")).isEmpty();
        assertThat(plan.truncated()).isFalse();
        ChangeSet capped = e.plan("corp", 2);
        assertThat(capped.changes()).hasSize(2);
        assertThat(capped.truncated()).isTrue();
        assertThat(capped.report().counts()).isEqualTo(plan.report().counts());
        List<Change> streamed = new ArrayList<>();
        SyncReport streamedReport = e.plan("corp", streamed::add);
        assertThat(streamed).containsExactlyElementsOf(plan.changes());
        assertThat(streamedReport.dryRun()).isTrue();
        SyncReport real = e.synchronize("corp");
        assertThat(real.counts()).isEqualTo(plan.report().counts());
    }

    @Test
    void incrementalAppliesOnlyChangesAndFallsBackOnAnExpiredCursor() {
        ListConnector c = smallOrg();
        ProvisioningEngine e = engine(c);
        SyncReport first = e.synchronize("corp");
        assertThat(first.mode()).isEqualTo(SyncMode.SNAPSHOT);
        assertThat(first.cursorSaved()).isTrue();
        c.user("4", "dave").rename("1", "alicia").removeUser("2");
        c.group("g2", "admins", List.of("1", "4"), List.of());
        SyncReport inc = e.synchronize("corp");
        assertThat(inc.mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(c.snapshots).isEqualTo(1);
        assertThat(inc.count(ChangeKind.USER_CREATED)).isEqualTo(1);
        assertThat(inc.count(ChangeKind.USER_RENAMED)).isEqualTo(1);
        assertThat(inc.count(ChangeKind.USER_DEACTIVATED)).isEqualTo(1);
        assertThat(memberNames("admins")).containsExactlyInAnyOrder("alicia", "dave");
        assertThat(memberNames("staff")).containsExactlyInAnyOrder("alicia", "carol");

        c.cursorExpired = true;
        c.user("5", "erin");
        SyncReport fallback = e.synchronize("corp");
        assertThat(fallback.mode()).isEqualTo(SyncMode.SNAPSHOT_AFTER_INVALID_CURSOR);
        assertThat(fallback.warnings()).anyMatch(w -> w.contains("cursor was refused"));
        assertThat(fallback.count(ChangeKind.USER_CREATED)).isEqualTo(1);
        assertThat(c.snapshots).isEqualTo(2);
    }

    @Test
    void aMassLeaveSeenIncrementallyStripsNoGroupsBeforeTheGuardRules() {
        ListConnector c = ListConnector.everyone(40);
        ProvisioningEngine e = engine(c);
        e.synchronize("corp");
        for (int i = 0; i < 20; i++) {
            c.removeUser("u" + i);
        }
        SyncReport r = e.synchronize("corp");
        assertThat(r.mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(r.guardTripped()).isTrue();
        assertThat(r.count(ChangeKind.MEMBER_REMOVED)).isZero();
        assertThat(r.withheld()).extracting(Change::kind).contains(ChangeKind.MEMBER_REMOVED, ChangeKind.USER_DEACTIVATED);
        assertThat(memberNames("everyone")).hasSize(40);
        assertThat(r.cursorSaved()).isFalse();
        SyncReport confirmed = e.synchronize("corp", SyncOptions.DEFAULT.withOverrideGuard());
        assertThat(confirmed.count(ChangeKind.MEMBER_REMOVED)).isEqualTo(20);
        assertThat(confirmed.count(ChangeKind.USER_DEACTIVATED)).isEqualTo(20);
        assertThat(memberNames("everyone")).hasSize(20);
    }

    @Test
    void listenersSeeEveryChangeAndCannotBreakASync() {
        List<Change> seen = new ArrayList<>();
        List<Progress> progress = new ArrayList<>();
        ProvisioningEngine e = ProvisioningEngine.builder().store(store)
                .source(Source.builder("corp").connector(smallOrg()).build())
                .listener(new SyncListener() {
                    @Override
                    public void onChange(String runId, Change change) {
                        throw new IllegalStateException("listener bug");
                    }
                })
                .listener(new SyncListener() {
                    @Override
                    public void onChange(String runId, Change change) {
                        seen.add(change);
                    }

                    @Override
                    public void onProgress(Progress p) {
                        progress.add(p);
                    }
                })
                .build();
        SyncReport r = e.synchronize("corp");
        assertThat(r.isClean()).isTrue();
        assertThat(seen).hasSize((int) r.totalChanges());
        assertThat(progress).extracting(Progress::phase).contains(Progress.Phase.MEMBERSHIPS, Progress.Phase.DONE);
    }

    @Test
    void builderRejectsBadSetupsWithPreciseMessages() {
        assertThatThrownBy(() -> ProvisioningEngine.builder().source(Source.builder("a").connector(smallOrg()).build())
                .build()).isInstanceOf(ConfigException.class).hasMessageContaining("'store'").hasMessageContaining("required");
        assertThatThrownBy(() -> ProvisioningEngine.builder().store(store).store(store))
                .hasMessageContaining("already set");
        assertThatThrownBy(() -> ProvisioningEngine.builder().store(store)
                .source(Source.builder("a").connector(smallOrg()).build())
                .source(Source.builder("a").connector(smallOrg()).build()))
                .hasMessageContaining("'a' is given twice");
        assertThatThrownBy(() -> ProvisioningEngine.builder().store(InMemoryUserStore.flat())
                .source(Source.builder("a").connector(smallOrg()).nestedGroups(NestedGroups.KEEP).build()).build())
                .hasMessageContaining("does not support them");
        assertThatThrownBy(() -> ProvisioningEngine.builder().batchSize(0)).hasMessageContaining("between 1 and");
        assertThatThrownBy(() -> Source.builder("bad id!")).hasMessageContaining("source id");
        assertThatThrownBy(() -> Source.builder("a").guard(DeletionGuard.DEFAULT).guard(DeletionGuard.none()))
                .hasMessageContaining("guard is already set");
        ProvisioningEngine e = engine(smallOrg());
        assertThatThrownBy(() -> e.synchronize("nope")).isInstanceOf(UsherException.class)
                .hasMessageContaining("unknown source 'nope'").hasMessageContaining("corp")
                .extracting(x -> ((UsherException) x).code()).isEqualTo(UsherException.Code.NOT_FOUND);
    }

    @Test
    void pushGoesThroughTheSamePipelineAndOwnership() {
        Source scim = Source.builder("scim").pipeline(Pipeline.builder().usernameFrom("email").namePart()
                .usernameCase(CaseRule.LOWER).excludeUsers(UserFilter.kind(SourceUser.Kind.GUEST)).build())
                .deprovision(DeprovisionPolicy.DELETE).build();
        ProvisioningEngine e = ProvisioningEngine.builder().store(store).source(scim).build();
        assertThatThrownBy(() -> e.synchronize("scim")).hasMessageContaining("push-only");
        SourcePush push = e.push("scim");
        PushResult created = push.upsertUser(SourceUser.builder("e1").email("Zoe.Smith@Example.com").build());
        assertThat(created.kind()).isEqualTo(ChangeKind.USER_CREATED);
        assertThat(((User) created.value()).username()).isEqualTo("zoe.smith");
        PushResult same = push.upsertUser(SourceUser.builder("e1").email("Zoe.Smith@Example.com").build());
        assertThat(same.changed()).isFalse();
        PushResult renamed = push.upsertUser(SourceUser.builder("e1").email("zoe.jones@example.com").build());
        assertThat(renamed.kind()).isEqualTo(ChangeKind.USER_RENAMED);
        assertThat(renamed.key()).isEqualTo(created.key());

        assertThatThrownBy(() -> push.upsertUser(SourceUser.builder("e2").email("g@x.org").kind(SourceUser.Kind.GUEST)
                .build())).isInstanceOf(UsherException.class).hasMessageContaining("exclude")
                .extracting(x -> ((UsherException) x).code()).isEqualTo(UsherException.Code.INVALID);
        store.createUser(User.builder("taken").build());
        assertThatThrownBy(() -> push.upsertUser(SourceUser.builder("e3").email("TAKEN@x.org").build()))
                .extracting(x -> ((UsherException) x).code()).isEqualTo(UsherException.Code.CONFLICT);

        PushResult group = push.upsertGroup(io.usher.core.spi.SourceGroup.of("G", "team", null, List.of("e1"), List.of()));
        assertThat(group.changes()).extracting(Change::kind).containsExactly(ChangeKind.GROUP_CREATED, ChangeKind.MEMBER_ADDED);
        assertThat(push.removeMember("G", MemberKind.USER, "e1").kind()).isEqualTo(ChangeKind.MEMBER_REMOVED);
        assertThatThrownBy(() -> push.removeUser("nobody")).extracting(x -> ((UsherException) x).code())
                .isEqualTo(UsherException.Code.NOT_FOUND);
        assertThat(push.deactivateUser("e1").kind()).isEqualTo(ChangeKind.USER_DEACTIVATED);
        assertThat(push.removeUser("e1").kind()).isEqualTo(ChangeKind.USER_DELETED);
        assertThat(store.findUser(created.key())).isEmpty();
    }

    @Test
    void previewExplainsOneRecord() {
        Source s = Source.builder("corp").connector(smallOrg()).pipeline(Pipeline.builder()
                .usernameFrom("userPrincipalName", "loginName").namePart().usernameCase(CaseRule.LOWER).build()).build();
        ProvisioningEngine e = engine(s);
        var p = e.preview("corp", SourceUser.builder("9").loginName("x")
                .attribute("userPrincipalName", "Jose.Garcia@Corp.example").build());
        assertThat(p.included()).isTrue();
        assertThat(p.username()).isEqualTo("jose.garcia");
        assertThat(p.steps()).containsExactly("username from userPrincipalName: 'Jose.Garcia@Corp.example'",
                "name part: 'Jose.Garcia'", "case lower: 'jose.garcia'");
    }

    @Test
    void concurrentSyncOfOneSourceIsRefused() throws Exception {
        java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ListConnector blocking = new ListConnector() {
            @Override
            public void snapshot(io.usher.core.spi.SnapshotSink sink) {
                inside.countDown();
                try {
                    release.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                super.snapshot(sink);
            }
        };
        blocking.user("1", "a");
        ProvisioningEngine e = engine(blocking);
        java.util.concurrent.CompletableFuture<SyncReport> first =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> e.synchronize("corp"));
        inside.await();
        assertThatThrownBy(() -> e.synchronize("corp")).extracting(x -> ((UsherException) x).code())
                .isEqualTo(UsherException.Code.BUSY);
        release.countDown();
        assertThat(first.get().count(ChangeKind.USER_CREATED)).isEqualTo(1);
    }

    /** A store wrapper that dies (an Error, like a killed process) after N writes, or rejects one name. */
    static final class CrashingStore implements io.usher.core.spi.UserStore {
        static final class Crash extends Error {
            private static final long serialVersionUID = 1L;

            Crash() {
                super("simulated crash");
            }
        }

        private final InMemoryUserStore delegate;
        private int writesLeft;
        String rejectUsername;

        CrashingStore(InMemoryUserStore delegate, int writes) {
            this.delegate = delegate;
            this.writesLeft = writes;
        }

        private void tick() {
            if (writesLeft-- <= 0) {
                throw new Crash();
            }
        }

        @Override public java.util.Optional<User> findUser(String key) { return delegate.findUser(key); }
        @Override public java.util.Optional<User> findUserByOrigin(Origin o) { return delegate.findUserByOrigin(o); }
        @Override public java.util.Optional<User> findUserByUsername(String n) { return delegate.findUserByUsername(n); }
        @Override public java.util.stream.Stream<User> usersOwnedBy(String s) { return delegate.usersOwnedBy(s); }

        @Override
        public User createUser(User user) {
            tick();
            if (user.username().equals(rejectUsername)) {
                throw new UsherException(UsherException.Code.INVALID, "the host refuses this username");
            }
            return delegate.createUser(user);
        }

        @Override public User updateUser(User user) { tick(); return delegate.updateUser(user); }
        @Override public boolean deleteUser(String key) { tick(); return delegate.deleteUser(key); }
        @Override public java.util.Optional<Group> findGroup(String key) { return delegate.findGroup(key); }
        @Override public java.util.Optional<Group> findGroupByOrigin(Origin o) { return delegate.findGroupByOrigin(o); }
        @Override public java.util.Optional<Group> findGroupByName(String n) { return delegate.findGroupByName(n); }
        @Override public java.util.stream.Stream<Group> groupsOwnedBy(String s) { return delegate.groupsOwnedBy(s); }
        @Override public Group createGroup(Group g) { tick(); return delegate.createGroup(g); }
        @Override public Group updateGroup(Group g) { tick(); return delegate.updateGroup(g); }
        @Override public boolean deleteGroup(String key) { tick(); return delegate.deleteGroup(key); }
        @Override public Set<String> members(String g, MemberKind k) { return delegate.members(g, k); }
        @Override public Set<String> groupsOf(MemberKind k, String m) { return delegate.groupsOf(k, m); }
        @Override public boolean addMember(String g, MemberKind k, String m) { tick(); return delegate.addMember(g, k, m); }
        @Override public boolean removeMember(String g, MemberKind k, String m) { tick(); return delegate.removeMember(g, k, m); }
        @Override public boolean supportsNestedGroups() { return true; }
    }

    @Test
    void storeOperationsInABatchFailIndependently() {
        List<StoreOperation.Outcome> out = store.apply(List.of(
                StoreOperation.createUser(User.builder("x").build()),
                StoreOperation.createUser(User.builder("X").build()),
                StoreOperation.createUser(User.builder("y").build())));
        assertThat(out).extracting(StoreOperation.Outcome::ok).containsExactly(true, false, true);
    }
}
