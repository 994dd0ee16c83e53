package io.usher.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.User;
import io.usher.core.spi.SnapshotSink;
import io.usher.core.spi.SourceGroup;
import io.usher.core.spi.SourceUser;
import io.usher.core.store.InMemoryUserStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Regressions found in review of the reconciler; each test is named after what broke. */
class ReconcilerRegressionTest {
    private final InMemoryUserStore store = new InMemoryUserStore();

    private ProvisioningEngine engine(ListConnector c) {
        return ProvisioningEngine.builder().store(store).source(Source.builder("corp").connector(c).build()).build();
    }

    private String nameOf(String ext) {
        return store.findUserByOrigin(io.usher.core.model.Origin.of("corp", ext)).orElseThrow().username();
    }

    private Set<String> memberNames(String group) {
        Group g = store.findGroupByName(group).orElseThrow();
        return store.members(g.key(), MemberKind.USER).stream()
                .map(k -> store.findUser(k).orElseThrow().username()).collect(Collectors.toSet());
    }

    // 1. incremental: a rename chain (bob->carl, then ann->bob) is silently dropped, cursor advances
    @Test
    void incrementalRenameChainIsApplied() {
        ListConnector c = new ListConnector().user("1", "ann").user("2", "bob");
        ProvisioningEngine e = engine(c);
        e.synchronize("corp");
        c.rename("2", "carl").rename("1", "bob");
        SyncReport r = e.synchronize("corp");
        assertThat(r.mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(nameOf("2")).isEqualTo("carl");
        assertThat(nameOf("1")).as("user 1 renamed to bob").isEqualTo("bob");
    }

    // 2. incremental: a swap is silently dropped
    @Test
    void incrementalSwapIsApplied() {
        ListConnector c = new ListConnector().user("1", "ann").user("2", "ben");
        ProvisioningEngine e = engine(c);
        e.synchronize("corp");
        c.rename("1", "ben").rename("2", "ann");
        SyncReport r = e.synchronize("corp");
        assertThat(nameOf("1")).isEqualTo("ben");
        assertThat(nameOf("2")).isEqualTo("ann");
    }

    // 3. snapshot: a user parked for a "cycle" that is not one keeps the temporary name forever
    @Test
    void blockedRenameDoesNotLeaveTemporaryName() {
        ListConnector c = new ListConnector().user("1", "ann").user("2", "ben").user("3", "carl");
        ProvisioningEngine e = engine(c);
        e.synchronize("corp");
        c.rename("1", "ben").rename("2", "carl"); // 3 keeps carl: 2 cannot move, so 1 cannot either
        SyncReport r = e.synchronize("corp", SyncOptions.fullSnapshot());
        assertThat(nameOf("2")).isEqualTo("ben");
        assertThat(nameOf("1")).as("skipped rename must leave the old name").isEqualTo("ann");
    }

    // 4. incremental: member removed then re-added in the same window ends up removed
    @Test
    void memberRemovedThenReaddedStaysMember() {
        ListConnector c = new ListConnector().user("1", "ann").user("2", "bob")
                .group("g", "team", List.of("1", "2"), List.of());
        ProvisioningEngine e = engine(c);
        e.synchronize("corp");
        c.log.add(s -> s.memberRemoved("g", MemberKind.USER, "1"));
        c.log.add(s -> s.memberAdded("g", MemberKind.USER, "1"));
        SyncReport r = e.synchronize("corp");
        assertThat(r.mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(memberNames("team")).containsExactlyInAnyOrder("ann", "bob");
    }

    // 5. incremental: user deleted then restored in the same window ends up deactivated
    @Test
    void userDeletedThenRestoredStaysActive() {
        ListConnector c = new ListConnector().user("1", "ann").user("2", "bob");
        ProvisioningEngine e = engine(c);
        e.synchronize("corp");
        SourceUser ann = c.users.get("1");
        c.removeUser("1");
        c.user(ann);
        SyncReport r = e.synchronize("corp");
        assertThat(store.findUserByUsername("ann").orElseThrow().active()).isTrue();
    }

    // 6. a record that failed to apply is never retried by later incremental runs (cursor saved anyway)
    @Test
    void failedRecordIsRetriedOnTheNextRun() {
        EngineTest.CrashingStore picky = new EngineTest.CrashingStore(store, Integer.MAX_VALUE);
        ListConnector c = new ListConnector().user("1", "ann");
        ProvisioningEngine e = ProvisioningEngine.builder().store(picky)
                .source(Source.builder("corp").connector(c).build()).build();
        e.synchronize("corp");
        picky.rejectUsername = "dave";
        c.user("4", "dave");
        SyncReport failed = e.synchronize("corp");
        assertThat(failed.failureCount()).isEqualTo(1);
        picky.rejectUsername = null; // the host's transient problem is over
        SyncReport again = e.synchronize("corp");
        assertThat(store.findUserByUsername("dave")).as("dave created on re-run").isPresent();
    }

    // 7. incremental: a nested-group cycle is stored without detection or report
    @Test
    void incrementalCycleIsDetected() {
        ListConnector c = new ListConnector().user("1", "a")
                .group("x", "x", List.of("1"), List.of("y"))
                .group("y", "y", List.of(), List.of("z"))
                .group("z", "z", List.of(), List.of());
        ProvisioningEngine e = engine(c);
        e.synchronize("corp");
        c.group("z", "z", List.of(), List.of("x"));
        SyncReport r = e.synchronize("corp");
        assertThat(r.mode()).isEqualTo(SyncMode.INCREMENTAL);
        String x = store.findGroupByName("x").orElseThrow().key();
        String z = store.findGroupByName("z").orElseThrow().key();
        assertThat(r.cycles()).as("cycle reported").isNotEmpty();
        assertThat(store.members(z, MemberKind.GROUP)).as("closing edge not stored").doesNotContain(x);
    }

    // 8. group rename swap never converges
    @Test
    void groupRenameSwapConverges() {
        ListConnector c = new ListConnector().user("1", "a")
                .group("g1", "red", List.of("1"), List.of())
                .group("g2", "blue", List.of(), List.of());
        ProvisioningEngine e = engine(c);
        e.synchronize("corp");
        c.group("g1", "blue", List.of("1"), List.of()).group("g2", "red", List.of(), List.of());
        SyncReport r1 = e.synchronize("corp", SyncOptions.fullSnapshot());
        SyncReport r2 = e.synchronize("corp", SyncOptions.fullSnapshot());
        assertThat(store.findGroupByOrigin(io.usher.core.model.Origin.of("corp", "g1")).orElseThrow().name())
                .isEqualTo("blue");
    }

    // 9. a connector sending a user after groups: memberships removed every run, never "resolved next run"
    @Test
    void lateUserMembershipIsResolvedOnTheNextRun() {
        ListConnector c = new ListConnector() {
            @Override
            public void snapshot(SnapshotSink sink) {
                sink.user(users.get("1"));
                sink.group(groups.get("g"));
                sink.user(users.get("2"));
            }
        };
        c.user("1", "ann").user("2", "bob").group("g", "team", List.of("1", "2"), List.of());
        ProvisioningEngine e = engine(c);
        e.synchronize("corp", SyncOptions.fullSnapshot());
        SyncReport r2 = e.synchronize("corp", SyncOptions.fullSnapshot());
        assertThat(memberNames("team")).containsExactlyInAnyOrder("ann", "bob");
    }

    // 10. push: nested-group member on a flat store surfaces as CURSOR_INVALID, not INVALID
    @Test
    void pushNestedMemberOnFlatStoreIsAClearClientError() {
        InMemoryUserStore flat = InMemoryUserStore.flat();
        ProvisioningEngine e = ProvisioningEngine.builder().store(flat).source(Source.builder("scim").build()).build();
        SourcePush p = e.push("scim");
        p.upsertGroup(SourceGroup.of("a", "a", null, List.of(), List.of()));
        p.upsertGroup(SourceGroup.of("b", "b", null, List.of(), List.of()));
        assertThatThrownBy(() -> p.addMember("a", MemberKind.GROUP, "b")).isInstanceOf(UsherException.class)
                .extracting(ex -> ((UsherException) ex).code()).isEqualTo(UsherException.Code.INVALID);
    }

    // 11. push: an existing user that the filters now exclude is refused instead of deprovisioned
    @Test
    void pushOfNowExcludedUserDeprovisions() {
        Source scim = Source.builder("scim").pipeline(io.usher.core.pipeline.Pipeline.builder()
                .excludeUsers(io.usher.core.pipeline.UserFilter.kind(SourceUser.Kind.GUEST)).build()).build();
        ProvisioningEngine e = ProvisioningEngine.builder().store(store).source(scim).build();
        SourcePush p = e.push("scim");
        p.upsertUser(SourceUser.builder("e1").loginName("zoe").build());
        PushResult r = p.upsertUser(SourceUser.builder("e1").loginName("zoe").kind(SourceUser.Kind.GUEST).build());
        assertThat(r.kind()).isEqualTo(ChangeKind.USER_DEACTIVATED);
        assertThatThrownBy(() -> p.upsertUser(SourceUser.builder("e2").loginName("ann").kind(SourceUser.Kind.GUEST)
                .build())).as("a new user the filters exclude is refused")
                .extracting(ex -> ((UsherException) ex).code()).isEqualTo(UsherException.Code.INVALID);
        assertThat(store.findUserByUsername("zoe").orElseThrow().active()).isFalse();
    }

    @Test
    void massLeaveAsFullGroupRecordWaitsForTheGuard() {
        ListConnector c = ListConnector.everyone(40);
        ProvisioningEngine e = ProvisioningEngine.builder().store(store)
                .source(Source.builder("corp").connector(c).build()).build();
        e.synchronize("corp");
        for (int i = 0; i < 20; i++) {
            c.users.remove("u" + i);
            String id = "u" + i;
            c.log.add(s -> s.userDeleted(id));
        }
        List<String> stay = new ArrayList<>();
        for (int i = 20; i < 40; i++) {
            stay.add("u" + i);
        }
        c.group("g", "everyone", stay, List.of()); // full record, 20 members gone
        SyncReport r = e.synchronize("corp");
        Group g = store.findGroupByName("everyone").orElseThrow();
        assertThat(r.guardTripped()).isTrue();
        assertThat(store.members(g.key(), MemberKind.USER)).hasSize(40);
    }
}
