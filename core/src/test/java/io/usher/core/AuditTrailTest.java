package io.usher.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.usher.core.audit.AuditContext;
import io.usher.core.audit.AuditEvent;
import io.usher.core.audit.AuditFields;
import io.usher.core.audit.AuditListener;
import io.usher.core.audit.AuditOutcome;
import io.usher.core.audit.AuditRoute;
import io.usher.core.model.MemberKind;
import io.usher.core.model.User;
import io.usher.core.spi.SourceGroup;
import io.usher.core.spi.SourceUser;
import io.usher.core.store.InMemoryUserStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The audit trail from sync runs and pushes: one event per applied, refused or failed change, in
 * {@link SyncReport}'s vocabulary, so a report's counts reconcile with the trail of its run.
 */
class AuditTrailTest {
    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
    private static final String PASSWORD = "hunter2-Very-Secret-Pw!";

    private final InMemoryUserStore store = new InMemoryUserStore();
    private final Recorder trail = new Recorder();
    private final AtomicInteger runs = new AtomicInteger();

    static final class Recorder implements AuditListener {
        final List<AuditEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(AuditEvent event) {
            events.add(event);
        }

        List<AuditEvent> of(String runId) {
            return events.stream().filter(e -> e.runId().equals(runId)).collect(Collectors.toList());
        }
    }

    private ProvisioningEngine.Builder engineBuilder(Source... sources) {
        ProvisioningEngine.Builder b = ProvisioningEngine.builder().store(store).audit(trail)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).runIds(() -> "run-" + runs.incrementAndGet());
        for (Source s : sources) {
            b.source(s);
        }
        return b;
    }

    /** The report's counts, failures and withheld removals equal the trail of its run. */
    static void reconcile(SyncReport r, List<AuditEvent> all) {
        List<AuditEvent> ev = all.stream().filter(e -> e.runId().equals(r.runId())).collect(Collectors.toList());
        Map<ChangeKind, Long> applied = new EnumMap<>(ChangeKind.class);
        ev.stream().filter(e -> e.outcome() == AuditOutcome.APPLIED)
                .forEach(e -> applied.merge(e.kind(), 1L, Long::sum));
        assertThat(applied).as("applied events per kind vs report counts").isEqualTo(r.counts());
        assertThat(ev.stream().filter(e -> e.outcome() == AuditOutcome.FAILED).count())
                .as("failed events vs failureCount").isEqualTo(r.failureCount());
        List<AuditEvent> guarded = ev.stream().filter(e -> e.outcome() == AuditOutcome.REFUSED
                && e.code() == UsherException.Code.GUARD).collect(Collectors.toList());
        assertThat(guarded).as("guard refusals vs withheld").hasSize(r.withheld().size());
        for (int i = 0; i < guarded.size(); i++) {
            assertThat(guarded.get(i).kind()).isEqualTo(r.withheld().get(i).kind());
            assertThat(guarded.get(i).name()).isEqualTo(r.withheld().get(i).name());
            assertThat(guarded.get(i).reason()).isEqualTo(r.guardReason());
        }
        assertThat(ev).allMatch(e -> e.route() == AuditRoute.SYNC && e.sourceId().equals(r.sourceId())
                && e.time().equals(NOW));
        assertThat(ev.stream().map(AuditEvent::eventId).collect(Collectors.toSet())).hasSize(ev.size());
    }

    @Test
    void everyChangeKindOfASyncIsOneEventAndTheReportsReconcile() {
        store.createUser(User.builder("dave").displayName("Local Dave").build()); // LINK takes it over
        ListConnector corp = new ListConnector()
                .user(SourceUser.builder("1").loginName("alice").displayName("Alice").attribute("password", PASSWORD)
                        .build())
                .user("2", "bob").user("3", "carol").user("4", "dave").user("5", "eve")
                .group("g1", "staff", List.of("1", "2", "3"), List.of())
                .group("g2", "admins", List.of("1"), List.of());
        corp.unreadable.add("5");
        ListConnector hr = new ListConnector().user("h1", "harry").user("h2", "hermione");
        ProvisioningEngine e = engineBuilder(
                Source.builder("corp").connector(corp).collisions(CollisionPolicy.LINK)
                        .guard(DeletionGuard.none()).deleteGroups(true).build(),
                Source.builder("hr").connector(hr).deprovision(DeprovisionPolicy.DELETE)
                        .guard(DeletionGuard.none()).build()).build();
        Set<ChangeKind> seen = EnumSet.noneOf(ChangeKind.class);

        SyncReport r1 = e.synchronize("corp");
        assertThat(r1.count(ChangeKind.USER_CREATED)).isEqualTo(3);
        assertThat(r1.count(ChangeKind.USER_LINKED)).isEqualTo(1);
        assertThat(r1.failureCount()).isEqualTo(1);
        reconcile(r1, trail.events);

        corp.user(SourceUser.builder("1").loginName("alice").displayName("Alice Smith")
                .attribute("password", PASSWORD + "-rotated").build());
        corp.rename("2", "robert");
        corp.removeUser("3");
        corp.group("g2", "admins", List.of("1", "2"), List.of());
        corp.unreadable.clear();
        SyncReport r2 = e.synchronize("corp", SyncOptions.fullSnapshot());
        assertThat(r2.count(ChangeKind.USER_UPDATED)).isEqualTo(1);
        assertThat(r2.count(ChangeKind.USER_RENAMED)).isEqualTo(1);
        assertThat(r2.count(ChangeKind.USER_DEACTIVATED)).isEqualTo(1);
        assertThat(r2.count(ChangeKind.MEMBER_REMOVED)).isEqualTo(1);
        reconcile(r2, trail.events);

        corp.user("3", "carol");
        corp.groups.remove("g2");
        corp.group("g1", "people", List.of("1", "2", "3"), List.of());
        SyncReport r3 = e.synchronize("corp", SyncOptions.fullSnapshot());
        assertThat(r3.count(ChangeKind.USER_REACTIVATED)).isEqualTo(1);
        assertThat(r3.count(ChangeKind.GROUP_DELETED)).isEqualTo(1);
        assertThat(r3.count(ChangeKind.GROUP_UPDATED)).isEqualTo(1);
        reconcile(r3, trail.events);

        SyncReport h1 = e.synchronize("hr");
        hr.removeUser("h2");
        SyncReport h2 = e.synchronize("hr", SyncOptions.fullSnapshot());
        assertThat(h2.count(ChangeKind.USER_DELETED)).isEqualTo(1);
        reconcile(h1, trail.events);
        reconcile(h2, trail.events);

        trail.events.stream().filter(ev -> ev.outcome() == AuditOutcome.APPLIED).forEach(ev -> seen.add(ev.kind()));
        // every kind a pull sync can make (GROUP_LINKED does not happen: LINK takes over local users only)
        assertThat(seen).containsAll(EnumSet.complementOf(EnumSet.of(ChangeKind.GROUP_LINKED)));

        // the failure names the record and why, and has no change kind
        AuditEvent failed = trail.of(r1.runId()).stream().filter(ev -> ev.outcome() == AuditOutcome.FAILED)
                .findFirst().orElseThrow();
        assertThat(failed.kind()).isNull();
        assertThat(failed.code()).isEqualTo(UsherException.Code.SOURCE_DATA);
        assertThat(failed.name()).isEqualTo("corp:5");

        // the password attribute is named as changed, never valued
        AuditEvent updated = trail.of(r2.runId()).stream().filter(ev -> ev.kind() == ChangeKind.USER_UPDATED)
                .findFirst().orElseThrow();
        assertThat(updated.fields()).containsExactlyInAnyOrder("displayName", "attributes.password");
        assertThat(updated.values()).containsExactly(Map.entry("displayName", "Alice Smith"));
        assertThat(trail.events).noneMatch(ev -> ev.toJson().contains(PASSWORD) || ev.toString().contains(PASSWORD));
    }

    @Test
    void aStoreFailureIsAFailedEventWithTheChangeThatFailed() {
        // the host's store refuses to create one user; everything else goes through
        io.usher.core.spi.UserStore failing = (io.usher.core.spi.UserStore) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {io.usher.core.spi.UserStore.class}, (proxy, m, args) -> {
                    if (m.getName().equals("apply")) {
                        List<io.usher.core.spi.StoreOperation.Outcome> out = new java.util.ArrayList<>();
                        for (Object o : (List<?>) args[0]) {
                            io.usher.core.spi.StoreOperation op = (io.usher.core.spi.StoreOperation) o;
                            if (op instanceof io.usher.core.spi.StoreOperation.CreateUser
                                    && ((io.usher.core.spi.StoreOperation.CreateUser) op).user().username()
                                    .equals("mallory")) {
                                out.add(io.usher.core.spi.StoreOperation.Outcome.failure(new UsherException(
                                        UsherException.Code.STORE, "the host's user table is read-only")));
                            } else {
                                out.add(store.apply(List.of(op)).get(0));
                            }
                        }
                        return out;
                    }
                    try {
                        return m.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        ListConnector c = new ListConnector().user("1", "alice").user("2", "mallory");
        ProvisioningEngine e = ProvisioningEngine.builder().store(failing).audit(trail)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).source(Source.builder("corp").connector(c).build()).build();
        SyncReport r = e.synchronize("corp");
        assertThat(r.failureCount()).isEqualTo(1);
        reconcile(r, trail.events);
        AuditEvent failed = trail.of(r.runId()).stream().filter(ev -> ev.outcome() == AuditOutcome.FAILED)
                .findFirst().orElseThrow();
        assertThat(failed.kind()).isEqualTo(ChangeKind.USER_CREATED);
        assertThat(failed.name()).isEqualTo("mallory");
        assertThat(failed.externalId()).isEqualTo("2");
        assertThat(failed.code()).isEqualTo(UsherException.Code.STORE);
        assertThat(failed.reason()).contains("read-only");
        assertThat(failed.values()).isEmpty();
    }

    @Test
    void eventsDescribeEachChange() {
        ListConnector corp = new ListConnector().user("1", "alice").group("g1", "staff", List.of("1"), List.of());
        ProvisioningEngine e = engineBuilder(Source.builder("corp").connector(corp).build()).build();
        SyncReport r = e.synchronize("corp");
        List<AuditEvent> ev = trail.of(r.runId());
        assertThat(ev).extracting(AuditEvent::kind).containsExactly(ChangeKind.USER_CREATED,
                ChangeKind.GROUP_CREATED, ChangeKind.MEMBER_ADDED);
        AuditEvent created = ev.get(0);
        assertThat(created.eventId()).isEqualTo(r.runId() + "#1");
        assertThat(created.externalId()).isEqualTo("1");
        assertThat(created.key()).isEqualTo(store.findUserByUsername("alice").orElseThrow().key());
        assertThat(created.fields()).containsExactly("username", "displayName", "active");
        assertThat(created.values()).containsExactly(Map.entry("username", "alice"),
                Map.entry("displayName", "User alice"), Map.entry("active", true));
        AuditEvent member = ev.get(2);
        assertThat(member.name()).isEqualTo("staff");
        assertThat(member.memberKind()).isEqualTo(MemberKind.USER);
        assertThat(member.memberName()).isEqualTo("alice");
        assertThat(member.values()).isEmpty();
        assertThat(member.aboutGroup()).isTrue();
    }

    @Test
    void aGuardRefusalIsOneRefusedEventPerWithheldRemovalAndReconciles() {
        ListConnector c = new ListConnector();
        for (int i = 0; i < 50; i++) {
            c.user("u" + i, "user" + i);
        }
        ProvisioningEngine e = engineBuilder(Source.builder("corp").connector(c)
                .guard(new DeletionGuard(10, 0.2, 20)).build()).build();
        e.synchronize("corp");
        for (int i = 0; i < 15; i++) {
            c.removeUser("u" + i);
        }
        SyncReport r = e.synchronize("corp", SyncOptions.fullSnapshot());
        assertThat(r.guardTripped()).isTrue();
        reconcile(r, trail.events);
        List<AuditEvent> refused = trail.of(r.runId());
        assertThat(refused).hasSize(15).allMatch(ev -> ev.outcome() == AuditOutcome.REFUSED
                && ev.kind() == ChangeKind.USER_DEACTIVATED && ev.code() == UsherException.Code.GUARD
                && ev.reason().contains("would remove 15 users"));
        assertThat(store.allUsers()).allMatch(User::active);

        SyncReport confirmed = e.synchronize("corp", SyncOptions.fullSnapshot().withOverrideGuard());
        reconcile(confirmed, trail.events);
        assertThat(trail.of(confirmed.runId())).hasSize(15)
                .allMatch(ev -> ev.outcome() == AuditOutcome.APPLIED && ev.kind() == ChangeKind.USER_DEACTIVATED
                        && Boolean.FALSE.equals(ev.values().get("active")));
    }

    @Test
    void anIncrementalGuardRefusalReconcilesToo() {
        ListConnector c = ListConnector.everyone(30);
        ProvisioningEngine e = engineBuilder(Source.builder("corp").connector(c)
                .guard(DeletionGuard.maxCount(5)).build()).build();
        e.synchronize("corp");
        int before = c.log.size();
        for (int i = 0; i < 10; i++) {
            c.removeUser("u" + i);
        }
        assertThat(c.log.size()).isGreaterThan(before);
        SyncReport r = e.synchronize("corp");
        assertThat(r.mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(r.guardTripped()).isTrue();
        reconcile(r, trail.events);
        assertThat(trail.of(r.runId())).filteredOn(ev -> ev.outcome() == AuditOutcome.REFUSED).isNotEmpty();
    }

    @Test
    void aPlanWritesNoTrail() {
        ProvisioningEngine e = engineBuilder(Source.builder("corp").connector(ListConnector.everyone(3)).build())
                .build();
        ChangeSet plan = e.plan("corp");
        assertThat(plan.report().totalChanges()).isEqualTo(7);
        assertThat(trail.events).isEmpty();
    }

    @Test
    void everyPushCallCarriesItsContextAndEveryKindIsAudited() {
        ProvisioningEngine e = engineBuilder(Source.builder("scim").collisions(CollisionPolicy.LINK)
                .deprovision(DeprovisionPolicy.DELETE).build()).build();
        store.createUser(User.builder("linda").build());
        AuditContext ctx = AuditContext.scim("entra-2026", "req-1");
        SourcePush p = e.push("scim", ctx);
        p.upsertUser(SourceUser.builder("u1").loginName("alice").attribute("password", PASSWORD).build());
        p.upsertUser(SourceUser.builder("u1").loginName("alice").displayName("Alice").build());
        p.upsertUser(SourceUser.builder("u1").loginName("alicia").displayName("Alice").build());
        p.upsertUser(SourceUser.builder("u2").loginName("linda").build());
        p.deactivateUser("u1");
        p.reactivateUser("u1");
        p.upsertGroup(SourceGroup.of("g1", "staff", null, List.of("u1"), List.of()));
        p.updateGroupFields(SourceGroup.of("g1", "people", "all of us", List.of(), List.of()));
        p.addMember("g1", MemberKind.USER, "u2");
        p.removeMember("g1", MemberKind.USER, "u1");
        p.removeGroup("g1");
        p.removeUser("u2");

        assertThat(trail.events).allMatch(ev -> ev.context().equals(ctx) && ev.route() == AuditRoute.SCIM
                && ev.outcome() == AuditOutcome.APPLIED && ev.sourceId().equals("scim"));
        assertThat(trail.events.stream().map(AuditEvent::kind).collect(Collectors.toCollection(
                () -> EnumSet.noneOf(ChangeKind.class)))).containsExactlyInAnyOrder(ChangeKind.USER_CREATED,
                ChangeKind.USER_UPDATED, ChangeKind.USER_RENAMED, ChangeKind.USER_LINKED,
                ChangeKind.USER_DEACTIVATED, ChangeKind.USER_REACTIVATED, ChangeKind.GROUP_CREATED,
                ChangeKind.GROUP_UPDATED, ChangeKind.MEMBER_ADDED, ChangeKind.MEMBER_REMOVED,
                ChangeKind.GROUP_DELETED, ChangeKind.USER_DELETED);
        // each call is a run of its own
        Set<String> runIds = new HashSet<>();
        trail.events.forEach(ev -> runIds.add(ev.runId()));
        assertThat(runIds.size()).isGreaterThanOrEqualTo(12);
        AuditEvent renamed = trail.events.stream().filter(ev -> ev.kind() == ChangeKind.USER_RENAMED).findFirst()
                .orElseThrow();
        assertThat(renamed.previousName()).isEqualTo("alice");
        assertThat(renamed.values()).containsEntry("username", "alicia");
        AuditEvent created = trail.events.get(0);
        assertThat(created.fields()).contains("attributes.password");
        assertThat(created.toJson()).doesNotContain(PASSWORD);
        assertThat(created.toJson()).contains("\"tokenId\":\"entra-2026\"").contains("\"requestId\":\"req-1\"");
    }

    @Test
    void aPushRefusedByTheRulesIsARefusedEventWithTheChangeItAskedFor() {
        ProvisioningEngine e = engineBuilder(Source.builder("scim").build(), Source.builder("other").build())
                .build();
        e.push("other").upsertUser(SourceUser.builder("x").loginName("xavier").build());
        trail.events.clear();
        SourcePush p = e.push("scim", AuditContext.scim("okta", "req-9"));
        assertThatThrownBy(() -> p.deactivateUser("nobody")).isInstanceOf(UsherException.class);
        assertThatThrownBy(() -> p.removeGroup("no-group")).isInstanceOf(UsherException.class);
        p.upsertGroup(SourceGroup.of("g1", "staff", null, List.of(), List.of()));
        assertThatThrownBy(() -> p.addMember("g1", MemberKind.USER, "x")).isInstanceOf(UsherException.class);
        assertThatThrownBy(() -> p.upsertUser(SourceUser.builder("y").loginName("xavier").build()))
                .isInstanceOf(UsherException.class);

        List<AuditEvent> ev = trail.events;
        assertThat(ev).extracting(AuditEvent::kind, AuditEvent::outcome, AuditEvent::code).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ChangeKind.USER_DEACTIVATED, AuditOutcome.REFUSED,
                        UsherException.Code.NOT_FOUND),
                org.assertj.core.groups.Tuple.tuple(ChangeKind.GROUP_DELETED, AuditOutcome.REFUSED,
                        UsherException.Code.NOT_FOUND),
                org.assertj.core.groups.Tuple.tuple(ChangeKind.GROUP_CREATED, AuditOutcome.APPLIED, null),
                org.assertj.core.groups.Tuple.tuple(ChangeKind.MEMBER_ADDED, AuditOutcome.REFUSED,
                        UsherException.Code.NOT_FOUND),
                // the collision policy (default SKIP) refuses the taken name: a refusal about the record
                org.assertj.core.groups.Tuple.tuple(null, AuditOutcome.REFUSED, UsherException.Code.CONFLICT));
        assertThat(ev.get(4).name()).isEqualTo("xavier");
        assertThat(ev.get(4).reason()).contains("already held by a user of source 'other'");
        assertThat(ev.get(0).externalId()).isEqualTo("nobody");
        assertThat(ev.get(3).name()).isEqualTo("staff");
        assertThat(ev.get(3).memberKind()).isEqualTo(MemberKind.USER);
        assertThat(ev).allMatch(x -> x.context().detail("tokenId").equals("okta"));
    }

    @Test
    void aRouteRecordsARefusalOfItsOwnWithoutChangingAnything() {
        ProvisioningEngine e = engineBuilder(Source.builder("sso").build()).build();
        e.push("sso", AuditContext.oidc("https://op.example", "j-1")).refused(ChangeKind.USER_CREATED, "sub-1",
                "ann", UsherException.Code.INVALID, "NOT_PROVISIONED: creation is off");
        assertThat(store.userCount()).isZero();
        assertThat(trail.events).singleElement().satisfies(ev -> {
            assertThat(ev.outcome()).isEqualTo(AuditOutcome.REFUSED);
            assertThat(ev.kind()).isEqualTo(ChangeKind.USER_CREATED);
            assertThat(ev.externalId()).isEqualTo("sub-1");
            assertThat(ev.name()).isEqualTo("ann");
            assertThat(ev.code()).isEqualTo(UsherException.Code.INVALID);
            assertThat(ev.reason()).isEqualTo("NOT_PROVISIONED: creation is off");
            assertThat(ev.context().detail("jti")).isEqualTo("j-1");
        });
        assertThatThrownBy(() -> e.push("sso").refused(null, "x", null, UsherException.Code.INVALID, "r"))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void thePlainPushCallKeepsWorkingWithTheGenericContext() {
        ProvisioningEngine e = engineBuilder(Source.builder("api").build()).build();
        PushResult r = e.push("api").upsertUser(SourceUser.builder("a").loginName("ann").build());
        assertThat(r.kind()).isEqualTo(ChangeKind.USER_CREATED);
        assertThat(trail.events).singleElement().satisfies(ev -> {
            assertThat(ev.route()).isEqualTo(AuditRoute.API);
            assertThat(ev.context().details()).isEmpty();
        });
        e.push("api").withContext(AuditContext.api("nightly-import")).deactivateUser("a");
        assertThat(trail.events.get(1).context().detail("caller")).isEqualTo("nightly-import");
    }

    @Test
    void aThrowingListenerBreaksNeitherASyncNorAPushAndOthersStillHear() {
        AuditListener broken = ev -> {
            throw new IllegalStateException("disk full");
        };
        ProvisioningEngine e = ProvisioningEngine.builder().store(store).audit(broken).audit(trail)
                .source(Source.builder("corp").connector(ListConnector.everyone(3)).build())
                .source(Source.builder("api").build()).build();
        SyncReport r = e.synchronize("corp");
        assertThat(r.isClean()).isTrue();
        assertThat(store.userCount()).isEqualTo(3);
        reconcile0(r);
        PushResult p = e.push("api").upsertUser(SourceUser.builder("a").loginName("ann").build());
        assertThat(p.changed()).isTrue();
        assertThat(trail.events).hasSize((int) r.totalChanges() + 1);
    }

    private void reconcile0(SyncReport r) {
        assertThat(trail.of(r.runId())).hasSize((int) r.totalChanges());
    }

    @Test
    void theAllowListDecidesWhichValuesAreWritten() {
        ListConnector c = new ListConnector().user(SourceUser.builder("1").loginName("alice").displayName("Alice")
                .email("alice@corp.example").attribute("department", "R&D").attribute("password", PASSWORD).build());
        ProvisioningEngine e = engineBuilder(Source.builder("corp").connector(c).build())
                .auditFields(AuditFields.allow("user.emails", "user.attributes.department")).build();
        e.synchronize("corp");
        AuditEvent created = trail.events.get(0);
        assertThat(created.fields()).contains("username", "displayName", "emails", "attributes.department",
                "attributes.password");
        assertThat(created.values()).containsOnly(Map.entry("emails", List.of("alice@corp.example")),
                Map.entry("attributes.department", List.of("R&D")));
    }

    @Test
    void noneWritesNoValues() {
        ProvisioningEngine e = engineBuilder(Source.builder("corp").connector(ListConnector.everyone(2)).build())
                .auditFields(AuditFields.none()).build();
        e.synchronize("corp");
        assertThat(trail.events).isNotEmpty().allMatch(ev -> ev.values().isEmpty());
        assertThat(trail.events.get(0).fields()).contains("username");
    }

    @Test
    void theAllowListRefusesCredentialsUnknownAndRepeatedNames() {
        assertThatThrownBy(() -> AuditFields.allow("user.attributes.password"))
                .hasMessageContaining("looks like a credential");
        assertThatThrownBy(() -> AuditFields.allow("user.attributes.userPassword"))
                .hasMessageContaining("looks like a credential");
        assertThatThrownBy(() -> AuditFields.allow("group.attributes.api_token"))
                .hasMessageContaining("looks like a credential");
        assertThatThrownBy(() -> AuditFields.allow("user.secretQuestion")).hasMessageContaining("unknown");
        assertThatThrownBy(() -> AuditFields.allow("username")).hasMessageContaining("must start with");
        assertThatThrownBy(() -> AuditFields.allow("user.active", "user.active")).hasMessageContaining("twice");
        assertThatThrownBy(() -> AuditFields.allow("user.attributes.")).hasMessageContaining("names no attribute");
        assertThat(AuditFields.defaults().allowed()).containsExactlyInAnyOrder("user.username",
                "user.displayName", "user.active", "group.name");
        assertThatThrownBy(() -> ProvisioningEngine.builder().auditFields(AuditFields.none())
                .auditFields(AuditFields.defaults())).hasMessageContaining("'auditFields': is already set");
    }

    @Test
    void withoutAuditListenersNothingIsBuilt() {
        ProvisioningEngine e = ProvisioningEngine.builder().store(store)
                .source(Source.builder("corp").connector(ListConnector.everyone(3)).build()).build();
        SyncReport r = e.synchronize("corp");
        assertThat(r.count(ChangeKind.MEMBER_ADDED)).isEqualTo(3);
    }

    @Test
    void jsonIsOneParsableLineWithTheRecordsNames() throws Exception {
        AuditEvent ev = new AuditEvent(NOW, "r#1", "corp", "r", AuditContext.saml("https://idp.example/\"x\"",
                "_abc\n{\"injected\":true}"), ChangeKind.USER_UPDATED, AuditOutcome.APPLIED, null, null, "1", "k1",
                "alice", null, null, null, new java.util.LinkedHashSet<>(List.of("displayName", "active")),
                mapOf("displayName", "Line1\nLine2 \"quoted\" \u2028", "active", false));
        String json = ev.toJson();
        assertThat(json).doesNotContain("\n").doesNotContain("\r");
        JsonNode n = new ObjectMapper().readTree(json);
        assertThat(n.get("time").asText()).isEqualTo("2026-11-29T10:00:00Z");
        assertThat(n.get("route").asText()).isEqualTo("JIT");
        assertThat(n.get("context").get("protocol").asText()).isEqualTo("SAML");
        assertThat(n.get("context").get("assertionId").asText()).isEqualTo("_abc?{\"injected\":true}");
        assertThat(n.has("injected")).isFalse();
        assertThat(n.get("kind").asText()).isEqualTo("USER_UPDATED");
        assertThat(n.get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(n.get("values").get("displayName").asText()).isEqualTo("Line1\nLine2 \"quoted\" \u2028");
        assertThat(n.get("values").get("active").asBoolean(true)).isFalse();
        assertThat(n.get("fields").get(1).asText()).isEqualTo("active");
        assertThat(n.has("code")).isFalse();
    }

    private static Map<String, Object> mapOf(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
