package io.usher.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.UsherException;
import io.usher.core.model.MemberKind;
import io.usher.core.spi.ConnectionTest;
import io.usher.core.spi.SourceException;
import io.usher.core.spi.SourceUser;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.RecordingSink;
import io.usher.testkit.google.GoogleDirectoryServer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The connector against the fake: auth, test(), filters, username rules, scoping, settings, throttling. */
class GoogleConnectorTest {
    private final InMemoryDirectory dir = InMemoryDirectory.create(5);
    private Fixture fixture;
    private DirectoryUser ann;
    private DirectoryUser bob;
    private DirectoryUser cat;
    private DirectoryUser dan;
    private DirectoryGroup staff;
    private DirectoryGroup eng;
    private DirectoryGroup other;

    @BeforeEach
    void seed() {
        ann = dir.addUser(DirectoryUser.builder("ann").displayName("Ann A").givenName("Ann").familyName("A")
                .email("ann@example.com").email("ann.alias@example.com").attribute("orgUnitPath", "/Engineering/Web")
                .build());
        bob = dir.addUser(DirectoryUser.builder("bob").attribute("orgUnitPath", "/Sales").enabled(false).build());
        cat = dir.addUser(DirectoryUser.builder("cat").attribute("orgUnitPath", "/Engineering")
                .attribute("archived", "true").build());
        dan = dir.addUser(DirectoryUser.builder("dan").attribute("orgUnitPath", "/EngineeringOld").build());
        staff = dir.addGroup(DirectoryGroup.of("Staff", "everyone"));
        eng = dir.addGroup("Engineering Team");
        other = dir.addGroup("Other");
        dir.addMember(staff.id(), MemberKind.GROUP, eng.id());
        dir.addMember(eng.id(), MemberKind.USER, ann.id());
        dir.addMember(eng.id(), MemberKind.USER, cat.id());
        dir.addMember(staff.id(), MemberKind.USER, bob.id());
        dir.addMember(other.id(), MemberKind.USER, dan.id());
        fixture = Fixture.start(dir);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private RecordingSink snapshot(GoogleConfig.Builder b) {
        RecordingSink sink = RecordingSink.create();
        new GoogleSourceConnector(b.build()).snapshot(sink);
        return sink;
    }

    @Test
    void usersMapPrimaryEmailNamesAndStatesAndIgnoreAliases() {
        RecordingSink sink = snapshot(fixture.config().username(GoogleConfig.Username.PRIMARY_EMAIL));

        SourceUser a = sink.users().get(ann.id());
        assertThat(a.loginName()).isEqualTo("ann@example.com");
        assertThat(a.displayName()).isEqualTo("Ann A");
        assertThat(a.givenName()).isEqualTo("Ann");
        assertThat(a.familyName()).isEqualTo("A");
        assertThat(a.emails()).containsExactly("ann@example.com");
        assertThat(a.firstValue("orgUnitPath")).isEqualTo("/Engineering/Web");
        assertThat(sink.users().get(bob.id()).active()).as("suspended").isFalse();
        assertThat(sink.users().get(cat.id()).active()).as("archived, default inactive").isFalse();
    }

    @Test
    void usernameFromTheLocalPartOfPrimaryEmail() {
        RecordingSink sink = snapshot(fixture.config().username(GoogleConfig.Username.LOCAL_PART));

        assertThat(sink.users().get(ann.id()).loginName()).isEqualTo("ann");
    }

    @Test
    void archivedUsersPerTheSetting() {
        assertThat(snapshot(fixture.config().archived(GoogleConfig.Archived.ACTIVE)).users().get(cat.id()).active())
                .isTrue();
        assertThat(snapshot(fixture.config().archived(GoogleConfig.Archived.EXCLUDE)).users()).doesNotContainKey(cat.id())
                .containsKey(ann.id());
    }

    @Test
    void orgUnitScopingTakesTheUnitAndItsChildrenButNotASiblingWithTheSamePrefix() {
        RecordingSink sink = snapshot(fixture.config().orgUnits(List.of("/Engineering")));

        assertThat(sink.users().keySet()).containsExactlyInAnyOrder(ann.id(), cat.id());
    }

    @Test
    void groupScopingReadsTheGroupTheGroupsNestedInItAndTheirUsers() {
        RecordingSink sink = snapshot(fixture.config().groups(List.of(fixture.server.groupEmail(staff.id()))));

        assertThat(sink.groups().keySet()).containsExactlyInAnyOrder(staff.id(), eng.id());
        assertThat(sink.users().keySet()).containsExactlyInAnyOrder(ann.id(), bob.id(), cat.id());
        assertThat(sink.groups().get(staff.id()).memberGroupIds()).containsExactly(eng.id());
        assertThat(sink.groups().get(staff.id()).attributes().get("email"))
                .containsExactly(fixture.server.groupEmail(staff.id()));
    }

    @Test
    void anUnknownScopedGroupIsAClearError() {
        assertThatThrownBy(() -> snapshot(fixture.config().groups(List.of("nope@example.com"))))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.code()).isEqualTo(UsherException.Code.SOURCE_DATA);
                    assertThat(e.getMessage()).contains("nope@example.com").contains("does not exist");
                });
    }

    @Test
    void includeDerivedMembershipGivesEffectiveUsersAndNoNestedGroups() {
        RecordingSink sink = snapshot(fixture.config().includeDerivedMembership(true));

        assertThat(sink.groups().get(staff.id()).memberUserIds()).containsExactlyInAnyOrder(ann.id(), bob.id(), cat.id());
        assertThat(sink.groups().get(staff.id()).memberGroupIds()).isEmpty();
    }

    @Test
    void nestedGroupsAreGroupInGroupEdgesByDefault() {
        RecordingSink sink = snapshot(fixture.config());

        assertThat(sink.groups().get(staff.id()).memberUserIds()).containsExactly(bob.id());
        assertThat(sink.groups().get(staff.id()).memberGroupIds()).containsExactly(eng.id());
        assertThat(sink.groups().get(staff.id()).description()).isEqualTo("everyone");
    }

    @Test
    void testPassesWithDelegationAndReadsOnePageOfEach() {
        ConnectionTest.Result r = fixture.connector().test();

        assertThat(r.ok()).as(r.steps().toString()).isTrue();
        assertThat(r.steps()).anyMatch(s -> s.contains("acting as " + Fixture.ADMIN))
                .anyMatch(s -> s.contains("one page of users")).anyMatch(s -> s.contains("one page of groups"));
    }

    @Test
    void testNamesAMissingDelegationInPlainWords() {
        try (GoogleDirectoryServer s = GoogleDirectoryServer.builder(dir)
                .serviceAccount(Fixture.SA_EMAIL, Fixture.SA_CLIENT_ID, Fixture.keys().getPublic())
                .delegate(Fixture.SA_CLIENT_ID, Set.of("https://www.googleapis.com/auth/admin.directory.user.readonly"))
                .admin(Fixture.ADMIN).start()) {
            ConnectionTest.Result r = new GoogleSourceConnector(GoogleConfig.builder()
                    .keyJson(s.keyFile(Fixture.SA_EMAIL, Fixture.keys().getPrivate())).adminEmail(Fixture.ADMIN)
                    .apiBaseUrl(s.apiUri()).sleeper(d -> { }).build()).test();

            assertThat(r.ok()).isFalse();
            assertThat(String.join("\n", r.steps())).contains("unauthorized_client")
                    .contains("domain-wide delegation is not set up").contains(Fixture.SA_CLIENT_ID)
                    .contains("admin.directory.group.member.readonly").doesNotContain("PRIVATE KEY");
        }
    }

    @Test
    void testNamesAnImpersonatedUserWhoIsNotAnAdmin() {
        ConnectionTest.Result r = new GoogleSourceConnector(fixture.config().adminEmail("ann@example.com").build())
                .test();

        assertThat(r.ok()).isFalse();
        assertThat(String.join("\n", r.steps())).contains("ann@example.com is not an administrator");
    }

    @Test
    void testNamesAnUnknownAdmin() {
        ConnectionTest.Result r = new GoogleSourceConnector(fixture.config().adminEmail("ghost@example.com").build())
                .test();

        assertThat(r.ok()).isFalse();
        assertThat(String.join("\n", r.steps())).contains("invalid_grant").contains("ghost@example.com");
    }

    @Test
    void aKeyTheServerDoesNotKnowIsRefusedWithoutShowingIt() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        String stranger = fixture.server.keyFile(Fixture.SA_EMAIL, g.generateKeyPair().getPrivate());
        GoogleSourceConnector c = new GoogleSourceConnector(fixture.config().build());
        GoogleSourceConnector bad = new GoogleSourceConnector(GoogleConfig.builder().keyJson(stranger)
                .adminEmail(Fixture.ADMIN).apiBaseUrl(fixture.server.apiUri()).sleeper(d -> { }).build());

        assertThat(c.test().ok()).isTrue();
        assertThatThrownBy(() -> bad.snapshot(RecordingSink.create())).isInstanceOfSatisfying(SourceException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(UsherException.Code.SOURCE_AUTH);
                    assertThat(e.getMessage()).contains("invalid_grant").doesNotContain("PRIVATE KEY");
                });
    }

    @Test
    void rateLimit403sAreRetriedWithGrowingJitteredBackoff() {
        fixture.server.throttleNext(3, GoogleDirectoryServer.Throttle.USER_RATE_LIMIT);
        GoogleSourceConnector c = fixture.connector();

        RecordingSink sink = RecordingSink.create();
        c.snapshot(sink);

        assertThat(sink.users()).hasSize(4);
        assertThat(fixture.waits).hasSize(3);
        // equal jitter: half of min(64 s, 1 s * 2^(n-1)) plus a random share of the other half
        assertThat(fixture.waits.get(0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(fixture.waits.get(1)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(fixture.waits.get(2)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void aQuotaThatNeverClearsGivesUpAsUnavailableNamingTheReason() {
        fixture.server.throttleNext(100, GoogleDirectoryServer.Throttle.QUOTA);
        GoogleSourceConnector c = new GoogleSourceConnector(fixture.config().maxAttempts(3).build());

        assertThatThrownBy(() -> c.snapshot(RecordingSink.create())).isInstanceOfSatisfying(SourceException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(UsherException.Code.SOURCE_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("HTTP 403").contains("quotaExceeded")
                            .contains("gave up after 3 attempts");
                });
    }

    @Test
    void aForbiddenReasonIsNotRetried() {
        GoogleSourceConnector c = new GoogleSourceConnector(fixture.config().adminEmail("ann@example.com").build());

        assertThatThrownBy(() -> c.snapshot(RecordingSink.create())).isInstanceOfSatisfying(SourceException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(UsherException.Code.SOURCE_AUTH);
                    assertThat(e.getMessage()).contains("forbidden");
                });
        assertThat(fixture.waits).isEmpty();
    }

    @Test
    void aSecondSnapshotTakesUnchangedUsersFromMemoryAndStillHandsThemAllOn() {
        GoogleSourceConnector c = fixture.connector();
        c.snapshot(RecordingSink.create());
        assertThat(c.lastUnchangedUsers()).isZero();

        RecordingSink second = RecordingSink.create();
        c.snapshot(second);

        assertThat(c.lastUnchangedUsers()).isEqualTo(4);
        assertThat(second.users()).hasSize(4);
        assertThat(second.users().get(ann.id()).displayName()).isEqualTo("Ann A");
        assertThat(second.users().get(bob.id()).active()).isFalse();
    }

    @Test
    void theConnectorRegistersUnderTypeGoogle() {
        assertThat(java.util.ServiceLoader.load(io.usher.core.spi.ConnectorProvider.class).stream()
                .map(p -> p.get().type())).contains("google");
    }
}
