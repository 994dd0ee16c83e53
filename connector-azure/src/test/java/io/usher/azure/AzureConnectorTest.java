package io.usher.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.UsherException;
import io.usher.core.http.RestException;
import io.usher.core.model.MemberKind;
import io.usher.core.spi.ConnectionTest;
import io.usher.core.spi.SourceException;
import io.usher.core.spi.SourceUser;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.RecordingSink;
import io.usher.testkit.graph.GraphServer;
import io.usher.testkit.graph.SelfSignedCertificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Auth, filters, username rules, scoping and the connection test, against the fake Graph. */
class AzureConnectorTest {
    private final InMemoryDirectory dir = InMemoryDirectory.create(7);
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
        return fixture(GraphServer.builder(dir));
    }

    private static RecordingSink snapshot(AzureSourceConnector c) {
        RecordingSink sink = RecordingSink.create();
        c.snapshot(sink);
        return sink;
    }

    private DirectoryUser user(String upn, String mail, SourceUser.Kind kind) {
        DirectoryUser.Builder b = DirectoryUser.builder(upn).displayName(upn).givenName("Given").familyName("Family")
                .kind(kind);
        if (mail != null) {
            b.email(mail);
        }
        return dir.addUser(b.build());
    }

    // ---------------------------------------------------------------- auth and test()

    @Test
    void testPassesWithThePermissionsItNeeds() {
        dir.addMember(dir.addGroup("g").id(), MemberKind.USER, user("a@corp.example", null, SourceUser.Kind.MEMBER).id());
        Fixture f = fixture();

        ConnectionTest.Result r = f.connector().test();

        assertThat(r.ok()).as(r.steps().toString()).isTrue();
        assertThat(r.steps()).hasSize(4).anyMatch(s -> s.contains("read group members"));
    }

    @Test
    void testNamesTheMissingPermission() {
        dir.addGroup("g");
        Fixture f = fixture(GraphServer.builder(dir).clientSecret("limited-app", "pw-limited", Set.of("User.Read.All")));
        AzureSourceConnector c = new AzureSourceConnector(f.config().clientId("limited-app").clientSecret("pw-limited")
                .build());

        ConnectionTest.Result r = c.test();

        assertThat(r.ok()).isFalse();
        assertThat(r.steps()).anyMatch(s -> s.equals("read users"))
                .anyMatch(s -> s.contains("Authorization_RequestDenied") && s.contains("missing permission Group.Read.All"));
    }

    @Test
    void testWithAWrongSecretSaysInvalidClientAndNeverShowsTheSecret() {
        Fixture f = fixture();
        AzureSourceConnector c = new AzureSourceConnector(f.config().clientSecret("wrong-Secret-123").build());

        ConnectionTest.Result r = c.test();

        assertThat(r.ok()).isFalse();
        assertThat(String.join("\n", r.steps())).contains("invalid_client").contains("clientId")
                .doesNotContain("wrong-Secret-123").doesNotContain(Fixture.SECRET);
    }

    @Test
    void aRefusedSecretFailsTheSnapshotWithSourceAuth() {
        Fixture f = fixture();
        AzureSourceConnector c = new AzureSourceConnector(f.config().clientSecret("wrong-Secret-123").build());

        assertThatThrownBy(() -> snapshot(c)).isInstanceOfSatisfying(RestException.class, e -> {
            assertThat(e.code()).isEqualTo(UsherException.Code.SOURCE_AUTH);
            assertThat(e.vendorCode()).contains("invalid_client");
            assertThat(e.getMessage()).doesNotContain("wrong-Secret-123");
        });
    }

    @Test
    void aCertificateWithRs256Authenticates() {
        user("a@corp.example", null, SourceUser.Kind.MEMBER);
        Fixture f = fixture();

        RecordingSink sink = snapshot(new AzureSourceConnector(
                f.certificateConfig(AzureConfig.SigningAlgorithm.RS256).build()));

        assertThat(sink.users()).hasSize(1);
    }

    @Test
    void anUnregisteredCertificateIsRefused() {
        Fixture f = fixture();
        SelfSignedCertificate other = SelfSignedCertificate.create("not-registered");
        AzureSourceConnector c = new AzureSourceConnector(f.certificateConfig(AzureConfig.SigningAlgorithm.PS256)
                .certificate(other.certificate(), other.keyPair().getPrivate()).build());

        assertThatThrownBy(() -> snapshot(c)).isInstanceOfSatisfying(SourceException.class,
                e -> assertThat(e.code()).isEqualTo(UsherException.Code.SOURCE_AUTH));
    }

    // ---------------------------------------------------------------- mapping and filters

    @Test
    void usersAreMappedWithKindActiveAndAttributes() {
        DirectoryUser guest = dir.addUser(DirectoryUser.builder("ext_partner.example#EXT#@corp.example")
                .displayName("Guest").email("g@partner.example").kind(SourceUser.Kind.GUEST).enabled(false)
                .attribute("department", "Sales").build());
        Fixture f = fixture();

        SourceUser u = snapshot(new AzureSourceConnector(f.config().extraAttributes(List.of("department")).build()))
                .users().get(guest.id());

        assertThat(u.kind()).isEqualTo(SourceUser.Kind.GUEST);
        assertThat(u.active()).isFalse();
        assertThat(u.emails()).containsExactly("g@partner.example");
        assertThat(u.attribute("department")).containsExactly("Sales");
        assertThat(u.attribute("userType")).containsExactly("Guest");
        assertThat(u.loginName()).isEqualTo("ext_partner.example#EXT#@corp.example");
    }

    @Test
    void guestsAreLeftOutWhenOnlyMembersAreWantedAndAMemberTurnedGuestLeaves() {
        DirectoryUser m = user("m@corp.example", null, SourceUser.Kind.MEMBER);
        user("g@corp.example", null, SourceUser.Kind.GUEST);
        Fixture f = fixture();
        AzureSourceConnector c = new AzureSourceConnector(f.config().userTypes(Set.of(SourceUser.Kind.MEMBER)).build());
        RecordingSink sink = snapshot(c);
        assertThat(sink.users().keySet()).containsExactly(m.id());
        String cursor = sink.cursor().orElseThrow();
        sink.clearCalls();

        dir.updateUser(m.toBuilder().kind(SourceUser.Kind.GUEST).build());
        c.changes(cursor, sink);

        assertThat(sink.calls(RecordingSink.Method.USER_DELETED)).extracting(RecordingSink.Call::id)
                .containsExactly(m.id());
    }

    @Test
    void aUsernameFromMailFallsBackToTheUpnWhenTheMailIsShared() {
        DirectoryUser a = user("a@corp.example", "shared@corp.example", SourceUser.Kind.MEMBER);
        DirectoryUser b = user("b@corp.example", "SHARED@corp.example", SourceUser.Kind.MEMBER);
        DirectoryUser c = user("c@corp.example", "c.mail@corp.example", SourceUser.Kind.MEMBER);
        DirectoryUser d = user("d@corp.example", null, SourceUser.Kind.MEMBER);
        Fixture f = fixture();
        AzureSourceConnector conn = new AzureSourceConnector(f.config()
                .usernameFrom(List.of(AzureConfig.UsernameSource.MAIL, AzureConfig.UsernameSource.USER_PRINCIPAL_NAME))
                .build());

        RecordingSink sink = snapshot(conn);

        assertThat(sink.users().get(a.id()).loginName()).isEqualTo("a@corp.example");
        assertThat(sink.users().get(b.id()).loginName()).isEqualTo("b@corp.example");
        assertThat(sink.users().get(c.id()).loginName()).isEqualTo("c.mail@corp.example");
        assertThat(sink.users().get(d.id()).loginName()).isEqualTo("d@corp.example");

        String cursor = sink.cursor().orElseThrow();
        DirectoryUser e = user("e@corp.example", "c.mail@corp.example", SourceUser.Kind.MEMBER);
        conn.changes(cursor, sink);
        assertThat(sink.users().get(e.id()).loginName()).as("the new user's mail is now shared").isEqualTo("e@corp.example");
    }

    @Test
    void aUsernameFromOnPremisesSamAccountNameFallsBackForCloudOnlyUsers() {
        DirectoryUser synced = dir.addUser(DirectoryUser.builder("jdoe@corp.example")
                .attribute("onPremisesSamAccountName", "JDOE").build());
        DirectoryUser cloud = user("cloud@corp.example", null, SourceUser.Kind.MEMBER);
        Fixture f = fixture();

        RecordingSink sink = snapshot(new AzureSourceConnector(f.config().usernameFrom(List.of(
                AzureConfig.UsernameSource.ON_PREMISES_SAM_ACCOUNT_NAME, AzureConfig.UsernameSource.USER_PRINCIPAL_NAME))
                .build()));

        assertThat(sink.users().get(synced.id()).loginName()).isEqualTo("JDOE");
        assertThat(sink.users().get(cloud.id()).loginName()).isEqualTo("cloud@corp.example");
    }

    @Test
    void scopedToAGroupReadsItsNestedGroupsAndTheirUsersOnlyAndNoCursor() {
        DirectoryUser u1 = user("u1@corp.example", null, SourceUser.Kind.MEMBER);
        DirectoryUser u2 = user("u2@corp.example", null, SourceUser.Kind.MEMBER);
        user("outsider@corp.example", null, SourceUser.Kind.MEMBER);
        DirectoryGroup top = dir.addGroup("top");
        DirectoryGroup inner = dir.addGroup("inner");
        dir.addGroup("elsewhere");
        dir.addMember(top.id(), MemberKind.USER, u1.id());
        dir.addMember(top.id(), MemberKind.GROUP, inner.id());
        dir.addMember(inner.id(), MemberKind.USER, u2.id());
        Fixture f = fixture();

        RecordingSink sink = snapshot(new AzureSourceConnector(f.config().groups(List.of(top.id())).build()));

        assertThat(sink.users().keySet()).containsExactlyInAnyOrder(u1.id(), u2.id());
        assertThat(sink.groups().keySet()).containsExactlyInAnyOrder(top.id(), inner.id());
        assertThat(sink.groups().get(top.id()).memberGroupIds()).containsExactly(inner.id());
        assertThat(sink.cursor()).isEmpty();
    }

    @Test
    void aScopeNamingAMissingGroupFailsAndSaysWhichSetting() {
        Fixture f = fixture();

        assertThatThrownBy(() -> snapshot(new AzureSourceConnector(f.config()
                .groups(List.of("00000000-0000-4000-8000-000000000000")).build())))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.code()).isEqualTo(UsherException.Code.SOURCE_DATA);
                    assertThat(e.getMessage()).contains("'groups' setting");
                });
    }

    @Test
    void transitiveMembersGiveEffectiveUsersWithoutNestedGroups() {
        DirectoryUser u1 = user("u1@corp.example", null, SourceUser.Kind.MEMBER);
        DirectoryUser u2 = user("u2@corp.example", null, SourceUser.Kind.MEMBER);
        DirectoryGroup top = dir.addGroup("top");
        DirectoryGroup inner = dir.addGroup("inner");
        dir.addMember(top.id(), MemberKind.USER, u1.id());
        dir.addMember(top.id(), MemberKind.GROUP, inner.id());
        dir.addMember(inner.id(), MemberKind.USER, u2.id());
        Fixture f = fixture();

        RecordingSink sink = snapshot(new AzureSourceConnector(f.config().transitiveMembers(true).build()));

        assertThat(sink.groups().get(top.id()).memberUserIds()).containsExactlyInAnyOrder(u1.id(), u2.id());
        assertThat(sink.groups().get(top.id()).memberGroupIds()).isEmpty();
        assertThat(sink.cursor()).isEmpty();
    }

    // ---------------------------------------------------------------- delta details

    @Test
    void partialDeltaObjectsAreReadAgainWholeSoNoFieldIsBlanked() {
        DirectoryUser u = user("u@corp.example", "u@corp.example", SourceUser.Kind.MEMBER);
        Fixture f = fixture();
        f.server.partialDeltaUsers(true);
        AzureSourceConnector c = f.connector();
        RecordingSink sink = snapshot(c);
        String cursor = sink.cursor().orElseThrow();

        dir.updateUser(u.toBuilder().displayName("New Display").build());
        c.changes(cursor, sink);

        SourceUser after = sink.users().get(u.id());
        assertThat(after.displayName()).isEqualTo("New Display");
        assertThat(after.loginName()).isEqualTo("u@corp.example");
        assertThat(after.givenName()).isEqualTo("Given");
        assertThat(after.emails()).containsExactly("u@corp.example");
    }

    @Test
    void aMemberChangeSpreadOverManyObjectsAndPagesArrivesWhole() {
        DirectoryGroup g = dir.addGroup("big");
        Fixture f = fixture(GraphServer.builder(dir).deltaPageSize(2).membersPerDeltaObject(3));
        AzureSourceConnector c = f.connector();
        RecordingSink sink = snapshot(c);
        String cursor = sink.cursor().orElseThrow();
        sink.clearCalls();

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            DirectoryUser u = user("m" + i + "@corp.example", null, SourceUser.Kind.MEMBER);
            dir.addMember(g.id(), MemberKind.USER, u.id());
            ids.add(u.id());
        }
        dir.removeMember(g.id(), MemberKind.USER, ids.get(0));
        c.changes(cursor, sink);

        assertThat(sink.groups().get(g.id()).memberUserIds()).containsExactlyInAnyOrderElementsOf(ids.subList(1, 20));
        assertThat(sink.calls(RecordingSink.Method.MEMBER_REMOVED)).extracting(RecordingSink.Call::memberId)
                .containsExactly(ids.get(0));
    }

    @Test
    void aCursorPointingAtAnotherHostIsRefusedAsInvalid() {
        Fixture f = fixture();

        assertThatThrownBy(() -> f.connector().changes("graph-delta https://evil.example/v1.0/users/delta?$deltatoken=x "
                + "https://evil.example/v1.0/groups/delta?$deltatoken=y", RecordingSink.create()))
                .isInstanceOfSatisfying(SourceException.class,
                        e -> assertThat(e.code()).isEqualTo(UsherException.Code.CURSOR_INVALID));
        assertThat(f.server.graphRequests()).isZero();
    }

    @Test
    void stripDeletedItemsUpnPrefixUndoesEntrasRenameOnly() {
        String id = "4a3b2c1d-0000-4000-8000-000000000001";
        assertThat(UserMapper.stripDeletedItemsUpnPrefix(id, "4a3b2c1d000040008000000000000001jdoe@corp.example"))
                .isEqualTo("jdoe@corp.example");
        assertThat(UserMapper.stripDeletedItemsUpnPrefix(id, "jdoe@corp.example")).isEqualTo("jdoe@corp.example");
        assertThat(UserMapper.stripDeletedItemsUpnPrefix(id, null)).isNull();
    }
}
