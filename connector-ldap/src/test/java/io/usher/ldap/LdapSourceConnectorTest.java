package io.usher.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.RDN;
import io.usher.core.ChangeKind;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SyncReport;
import io.usher.core.UsherException;
import io.usher.core.model.MemberKind;
import io.usher.core.spi.ConnectionTest;
import io.usher.core.spi.SnapshotSink;
import io.usher.core.spi.SourceException;
import io.usher.core.spi.SourceGroup;
import io.usher.core.spi.SourceUser;
import io.usher.core.store.InMemoryUserStore;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The connector against hand-made entries in UnboundID's in-memory server (OpenLDAP- and AD-like). */
class LdapSourceConnectorTest {
    private static final String PASSWORD = "t3st-Secret";
    private InMemoryDirectoryServer server;

    @BeforeEach
    void start() throws Exception {
        InMemoryDirectoryServerConfig cfg = new InMemoryDirectoryServerConfig("dc=usher,dc=test", "DC=corp,DC=test");
        cfg.addAdditionalBindCredentials("cn=admin,dc=usher,dc=test", PASSWORD);
        cfg.setSchema(null);
        cfg.setGenerateOperationalAttributes(false);
        cfg.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0, null));
        server = new InMemoryDirectoryServer(cfg);
        server.startListening();
        server.add("dn: dc=usher,dc=test", "objectClass: domain", "dc: usher");
        server.add("dn: ou=people,dc=usher,dc=test", "objectClass: organizationalUnit", "ou: people");
        server.add("dn: ou=groups,dc=usher,dc=test", "objectClass: organizationalUnit", "ou: groups");
        server.add("dn: ou=elsewhere,dc=usher,dc=test", "objectClass: organizationalUnit", "ou: elsewhere");
        server.add("dn: DC=corp,DC=test", "objectClass: domain", "dc: corp");
    }

    @AfterEach
    void stop() {
        server.shutDown(true);
    }

    private String url() {
        return "ldap://127.0.0.1:" + server.getListenPort();
    }

    private LdapSourceConnector openldap(int pageSize) {
        return new LdapSourceConnector(LdapConfig.builder().url(url()).preset(Preset.OPENLDAP)
                .bind("cn=admin,dc=usher,dc=test", PASSWORD).usersBase("ou=people,dc=usher,dc=test")
                .groupsBase("ou=groups,dc=usher,dc=test").pageSize(pageSize).build());
    }

    private void person(String uid, String uuid, String... extra) throws Exception {
        Entry e = new Entry(new RDN("uid", uid).toString() + ",ou=people,dc=usher,dc=test");
        e.addAttribute("objectClass", "top", "person", "organizationalPerson", "inetOrgPerson");
        e.addAttribute("uid", uid);
        e.addAttribute("cn", "Name of " + uid);
        e.addAttribute("sn", "Family");
        e.addAttribute("mail", uid + "@usher.test");
        e.addAttribute("entryUUID", uuid);
        for (int i = 0; i + 1 < extra.length; i += 2) {
            e.addAttribute(extra[i], extra[i + 1]);
        }
        server.add(e);
    }

    /** Everything a snapshot delivered. */
    static final class Collected implements SnapshotSink {
        final Map<String, SourceUser> users = new TreeMap<>();
        final Map<String, SourceGroup> groups = new TreeMap<>();
        final List<String> unreadable = new ArrayList<>();
        String cursor;

        @Override public void user(SourceUser u) { users.put(u.externalId(), u); }
        @Override public void group(SourceGroup g) { groups.put(g.externalId(), g); }
        @Override public void cursor(String c) { cursor = c; }
        @Override public void unreadable(MemberKind k, String id, String reason) { unreadable.add(k + " " + id + " " + reason); }
    }

    /**
     * A directory closes connections idle past its limit (AD's MaxConnIdleTime, slapd's idletimeout). In the
     * SDK's synchronous mode nothing reads an idle pooled connection, so the next sync got the closed one from the
     * pool and failed with SERVER_DOWN; it now reads again on a new connection.
     */
    @Test
    void aSnapshotAfterTheServerClosedTheIdlePooledConnectionsReadsEverything() throws Exception {
        person("alice", "00000000-0000-0000-0000-00000000000a");
        person("bob", "00000000-0000-0000-0000-00000000000b");
        person("carol", "00000000-0000-0000-0000-00000000000c");
        server.add("dn: cn=staff,ou=groups,dc=usher,dc=test", "objectClass: groupOfNames", "cn: staff",
                "entryUUID: 10000000-0000-0000-0000-000000000001", "member: uid=bob,ou=people,dc=usher,dc=test");
        try (LdapSourceConnector conn = openldap(2)) {
            Collected first = new Collected();
            conn.snapshot(first);
            assertThat(first.users).hasSize(3);
            server.closeAllConnections(false);
            Collected second = new Collected();
            conn.snapshot(second);
            assertThat(second.users).isEqualTo(first.users);
            assertThat(second.groups).containsOnlyKeys("10000000-0000-0000-0000-000000000001");
            server.closeAllConnections(true); // with a notice of disconnection this time
            Collected third = new Collected();
            conn.snapshot(third);
            assertThat(third.users).isEqualTo(first.users);
        }
    }

    @Test
    void openLdapSnapshotMapsUsersGroupsAndMembers() throws Exception {
        person("alice", "00000000-0000-0000-0000-00000000000a", "givenName", "Alice");
        person("bob", "00000000-0000-0000-0000-00000000000b", "pwdAccountLockedTime", "000001010000Z");
        person("guest1", "00000000-0000-0000-0000-00000000000c", "employeeType", "guest");
        server.add("dn: uid=stranger,ou=elsewhere,dc=usher,dc=test", "objectClass: inetOrgPerson", "uid: stranger",
                "cn: s", "sn: s", "entryUUID: 00000000-0000-0000-0000-0000000000ff");
        server.add("dn: cn=inner,ou=groups,dc=usher,dc=test", "objectClass: groupOfNames", "cn: inner",
                "entryUUID: 10000000-0000-0000-0000-000000000001", "member: uid=bob,ou=people,dc=usher,dc=test");
        server.add("dn: cn=outer,ou=groups,dc=usher,dc=test", "objectClass: groupOfNames", "cn: outer",
                "description: the outer one", "entryUUID: 10000000-0000-0000-0000-000000000002",
                "member: UID=Alice, OU=People, DC=usher, DC=test",
                "member: cn=inner,ou=groups,dc=usher,dc=test",
                "member: uid=stranger,ou=elsewhere,dc=usher,dc=test");
        server.add("dn: cn=posix,ou=groups,dc=usher,dc=test", "objectClass: posixGroup", "cn: posix",
                "gidNumber: 100", "entryUUID: 10000000-0000-0000-0000-000000000003", "memberUid: guest1");

        Collected c = new Collected();
        try (LdapSourceConnector conn = openldap(2)) {
            conn.snapshot(c);
        }
        assertThat(c.users).containsOnlyKeys("00000000-0000-0000-0000-00000000000a",
                "00000000-0000-0000-0000-00000000000b", "00000000-0000-0000-0000-00000000000c");
        SourceUser alice = c.users.get("00000000-0000-0000-0000-00000000000a");
        assertThat(alice.loginName()).isEqualTo("alice");
        assertThat(alice.displayName()).isEqualTo("Name of alice");
        assertThat(alice.givenName()).isEqualTo("Alice");
        assertThat(alice.emails()).containsExactly("alice@usher.test");
        assertThat(alice.active()).isTrue();
        assertThat(c.users.get("00000000-0000-0000-0000-00000000000b").active()).isFalse();
        assertThat(c.users.get("00000000-0000-0000-0000-00000000000c").kind()).isEqualTo(SourceUser.Kind.GUEST);

        SourceGroup outer = c.groups.get("10000000-0000-0000-0000-000000000002");
        assertThat(outer.name()).isEqualTo("outer");
        assertThat(outer.description()).isEqualTo("the outer one");
        assertThat(outer.memberUserIds()).containsExactlyInAnyOrder("00000000-0000-0000-0000-00000000000a",
                "dn:uid=stranger,ou=elsewhere,dc=usher,dc=test");
        assertThat(outer.memberGroupIds()).containsExactly("10000000-0000-0000-0000-000000000001");
        assertThat(c.groups.get("10000000-0000-0000-0000-000000000003").memberUserIds())
                .containsExactly("00000000-0000-0000-0000-00000000000c");
        assertThat(c.cursor).startsWith("ts:");
    }

    /**
     * Groups are read once: a member value naming a group the read has not reached yet (the server returns
     * parents before their children here, one per page) waits with its group for the read's end, and is then
     * a nested group, whatever its case; a value naming nothing read is still reported as outside.
     */
    @Test
    void nestedGroupsReadBeforeTheirChildrenStillResolve() throws Exception {
        person("alice", "00000000-0000-0000-0000-00000000000a");
        person("bob", "00000000-0000-0000-0000-00000000000b");
        server.add("dn: cn=top,ou=groups,dc=usher,dc=test", "objectClass: groupOfNames", "cn: top",
                "entryUUID: 10000000-0000-0000-0000-000000000001", "member: uid=alice,ou=people,dc=usher,dc=test",
                "member: CN=Middle,OU=Groups,DC=usher,DC=test",
                "member: uid=stranger,ou=elsewhere,dc=usher,dc=test");
        server.add("dn: cn=middle,ou=groups,dc=usher,dc=test", "objectClass: groupOfNames", "cn: middle",
                "entryUUID: 10000000-0000-0000-0000-000000000002", "member: cn=bottom, ou=groups, dc=usher, dc=test",
                "member: cn=top,ou=groups,dc=usher,dc=test");
        server.add("dn: cn=bottom,ou=groups,dc=usher,dc=test", "objectClass: groupOfNames", "cn: bottom",
                "entryUUID: 10000000-0000-0000-0000-000000000003", "member: uid=bob,ou=people,dc=usher,dc=test",
                "member: cn=bottom,ou=groups,dc=usher,dc=test");
        Collected c = new Collected();
        try (LdapSourceConnector conn = openldap(1)) {
            conn.snapshot(c);
        }
        assertThat(c.unreadable).isEmpty();
        assertThat(c.groups).hasSize(3);
        SourceGroup top = c.groups.get("10000000-0000-0000-0000-000000000001");
        assertThat(top.memberUserIds()).containsExactlyInAnyOrder("00000000-0000-0000-0000-00000000000a",
                "dn:uid=stranger,ou=elsewhere,dc=usher,dc=test");
        assertThat(top.memberGroupIds()).containsExactly("10000000-0000-0000-0000-000000000002");
        SourceGroup middle = c.groups.get("10000000-0000-0000-0000-000000000002");
        assertThat(middle.memberUserIds()).isEmpty();
        assertThat(middle.memberGroupIds()).containsExactlyInAnyOrder("10000000-0000-0000-0000-000000000003",
                "10000000-0000-0000-0000-000000000001"); // a cycle: the engine reports it
        SourceGroup bottom = c.groups.get("10000000-0000-0000-0000-000000000003");
        assertThat(bottom.memberUserIds()).containsExactly("00000000-0000-0000-0000-00000000000b");
        assertThat(bottom.memberGroupIds()).isEmpty(); // itself, dropped

        InMemoryUserStore store = new InMemoryUserStore();
        SyncReport r = ProvisioningEngine.builder().store(store)
                .source(Source.builder("ldap").connector(openldap(1)).build()).build().synchronize("ldap");
        assertThat(r.count(ChangeKind.GROUP_CREATED)).isEqualTo(3);
        // alice in top, bob in bottom, middle in top, bottom in middle; of the cycle top → middle → top one edge is cut
        assertThat(r.count(ChangeKind.MEMBER_ADDED)).isEqualTo(4);
        assertThat(r.warnings()).anyMatch(w -> w.contains("cycle"));
    }

    /** Members are collected in a list and made a set once; a user named twice must not fail the group. */
    @Test
    void aUserNamedTwiceInOneGroupIsOneMember() throws Exception {
        person("alice", "00000000-0000-0000-0000-00000000000a");
        person("bob", "00000000-0000-0000-0000-00000000000b");
        server.add("dn: cn=twice,ou=groups,dc=usher,dc=test", "objectClass: groupOfNames",
                "objectClass: groupOfUniqueNames", "cn: twice", "entryUUID: 10000000-0000-0000-0000-000000000009",
                "member: uid=alice,ou=people,dc=usher,dc=test",
                "member: UID=Alice, OU=People, DC=usher, DC=test",
                "uniqueMember: uid=alice,ou=people,dc=usher,dc=test",
                "uniqueMember: uid=bob,ou=people,dc=usher,dc=test");
        Collected c = new Collected();
        try (LdapSourceConnector conn = openldap(10)) {
            conn.snapshot(c);
        }
        assertThat(c.unreadable).isEmpty();
        assertThat(c.groups.get("10000000-0000-0000-0000-000000000009").memberUserIds())
                .containsExactlyInAnyOrder("00000000-0000-0000-0000-00000000000a", "00000000-0000-0000-0000-00000000000b");
    }

    /**
     * Regression: an incremental read (modifyTimestamp here) knows only the logins of the users it read in the
     * same window, and dropped every other memberUid value of a changed posixGroup: the group came with no
     * members but those, and the engine removed everybody else from it. A memberUid naming no user read in the
     * window is now looked up on the server, as a member DN is.
     */
    @Test
    void incrementalReadOfAPosixGroupKeepsMembersWhoseUsersDidNotChange() throws Exception {
        String longAgo = "20200101000000Z"; // unchanged since long before the snapshot
        person("alice", "00000000-0000-0000-0000-00000000000a", "modifyTimestamp", longAgo);
        person("bob", "00000000-0000-0000-0000-00000000000b", "modifyTimestamp", longAgo);
        server.add("dn: cn=posix,ou=groups,dc=usher,dc=test", "objectClass: posixGroup", "cn: posix",
                "gidNumber: 100", "entryUUID: 10000000-0000-0000-0000-000000000003", "memberUid: alice",
                "modifyTimestamp: " + longAgo);
        InMemoryUserStore store = new InMemoryUserStore();
        ProvisioningEngine engine = ProvisioningEngine.builder().store(store)
                .source(Source.builder("ldap").connector(openldap(100)).build()).build();
        SyncReport first = engine.synchronize("ldap");
        assertThat(first.count(ChangeKind.MEMBER_ADDED)).isEqualTo(1);

        server.modify("cn=posix,ou=groups,dc=usher,dc=test",
                new com.unboundid.ldap.sdk.Modification(com.unboundid.ldap.sdk.ModificationType.ADD, "memberUid",
                        "BOB", "nobody"),
                new com.unboundid.ldap.sdk.Modification(com.unboundid.ldap.sdk.ModificationType.REPLACE,
                        "modifyTimestamp", com.unboundid.util.StaticUtils.encodeGeneralizedTime(
                                System.currentTimeMillis() + 60_000)));
        SyncReport second = engine.synchronize("ldap");
        assertThat(second.mode()).isEqualTo(io.usher.core.SyncMode.INCREMENTAL);
        assertThat(second.count(ChangeKind.MEMBER_REMOVED)).isZero();
        assertThat(second.count(ChangeKind.MEMBER_ADDED)).isEqualTo(1);
        String group = store.findGroupByName("posix").orElseThrow().key();
        assertThat(store.members(group, MemberKind.USER)).containsExactlyInAnyOrder(
                store.findUserByUsername("alice").orElseThrow().key(),
                store.findUserByUsername("bob").orElseThrow().key());
    }

    /**
     * A group that waits for the read's end (a member value naming nothing read) and then proves unreadable (a
     * control character in its name) is reported as unreadable once, with its id, never delivered; a group
     * naming it still has it as a member group, as before groups were read once.
     */
    @Test
    void aWaitingGroupThatIsUnreadableIsReportedOnceAndStillNamedByOthers() throws Exception {
        person("alice", "00000000-0000-0000-0000-00000000000a");
        server.add("dn: cn=bad,ou=groups,dc=usher,dc=test", "objectClass: groupOfNames", "cn:: YQBi",
                "entryUUID: 10000000-0000-0000-0000-000000000001", "member: uid=alice,ou=people,dc=usher,dc=test",
                "member: uid=nobody,ou=elsewhere,dc=usher,dc=test");
        server.add("dn: cn=names-bad,ou=groups,dc=usher,dc=test", "objectClass: groupOfNames", "cn: names-bad",
                "entryUUID: 10000000-0000-0000-0000-000000000002", "member: CN=Bad,OU=Groups,DC=usher,DC=test");
        Collected c = new Collected();
        try (LdapSourceConnector conn = openldap(1)) {
            conn.snapshot(c);
        }
        assertThat(c.unreadable).hasSize(1);
        assertThat(c.unreadable.get(0)).startsWith("GROUP 10000000-0000-0000-0000-000000000001 ")
                .contains("control character").doesNotContain("a\u0000b");
        assertThat(c.groups).containsOnlyKeys("10000000-0000-0000-0000-000000000002");
        assertThat(c.groups.get("10000000-0000-0000-0000-000000000002").memberGroupIds())
                .containsExactly("10000000-0000-0000-0000-000000000001");
    }

    @Test
    void membersOutsideTheBasesAreReportedByTheEngine() throws Exception {
        person("alice", "00000000-0000-0000-0000-00000000000a");
        server.add("dn: uid=stranger,ou=elsewhere,dc=usher,dc=test", "objectClass: inetOrgPerson", "uid: stranger",
                "cn: s", "sn: s", "entryUUID: 00000000-0000-0000-0000-0000000000ff");
        server.add("dn: cn=team,ou=groups,dc=usher,dc=test", "objectClass: groupOfNames", "cn: team",
                "entryUUID: 10000000-0000-0000-0000-000000000001", "member: uid=alice,ou=people,dc=usher,dc=test",
                "member: uid=stranger,ou=elsewhere,dc=usher,dc=test");
        InMemoryUserStore store = new InMemoryUserStore();
        SyncReport r = ProvisioningEngine.builder().store(store)
                .source(Source.builder("ldap").connector(openldap(100)).build()).build().synchronize("ldap");
        assertThat(r.count(ChangeKind.MEMBER_ADDED)).isEqualTo(1);
        assertThat(r.warnings()).anyMatch(w -> w.startsWith("1 group memberships name users outside"));
    }

    @Test
    void injectionCharactersSurviveAndControlCharactersAreReportedNotLost() throws Exception {
        String odd = "a*b(c)\\d";
        person(odd, "00000000-0000-0000-0000-0000000000a1");
        person("nul", "00000000-0000-0000-0000-0000000000a2");
        Collected c = new Collected();
        try (LdapSourceConnector conn = openldap(10)) {
            conn.snapshot(c);
        }
        assertThat(c.users.get("00000000-0000-0000-0000-0000000000a1").loginName()).isEqualTo(odd);

        server.modify("dn: uid=nul,ou=people,dc=usher,dc=test", "changetype: modify", "replace: cn", "cn:: YQBi");
        InMemoryUserStore store = new InMemoryUserStore();
        ProvisioningEngine engine = ProvisioningEngine.builder().store(store)
                .source(Source.builder("ldap").connector(openldap(10)).build()).build();
        SyncReport r = engine.synchronize("ldap");
        assertThat(r.failureCount()).isEqualTo(1);
        assertThat(r.failures().get(0).message()).contains("control character").doesNotContain("a\u0000b");
        assertThat(store.findUserByUsername(odd)).isPresent();
    }

    @Test
    void activeDirectoryGuidsDisabledBitMemberOfAndUpn() throws Exception {
        byte[] guid = Guids.toBytes("00112233-4455-6677-8899-aabbccddeeff");
        Entry u = new Entry("CN=John Doe,DC=corp,DC=test");
        u.addAttribute("objectClass", "top", "person", "organizationalPerson", "user");
        u.addAttribute("sAMAccountName", "jdoe");
        u.addAttribute("userPrincipalName", "jdoe@corp.test");
        u.addAttribute("displayName", "John Doe");
        u.addAttribute("userAccountControl", "514");
        u.addAttribute("memberOf", "CN=Admins,DC=corp,DC=test");
        u.addAttribute(new com.unboundid.ldap.sdk.Attribute("objectGUID", guid));
        server.add(u);
        Entry computer = new Entry("CN=PC1,DC=corp,DC=test");
        computer.addAttribute("objectClass", "top", "person", "user", "computer");
        computer.addAttribute("sAMAccountName", "PC1$");
        computer.addAttribute(new com.unboundid.ldap.sdk.Attribute("objectGUID", Guids.toBytes(
                "00000000-4455-6677-8899-aabbccddeeff")));
        server.add(computer);
        Collected c = new Collected();
        try (LdapSourceConnector conn = new LdapSourceConnector(LdapConfig.builder().url(url())
                .preset(Preset.ACTIVE_DIRECTORY).bind("cn=admin,dc=usher,dc=test", PASSWORD)
                .usersBase("DC=corp,DC=test").build())) {
            conn.snapshot(c);
        }
        assertThat(c.users).containsOnlyKeys("00112233-4455-6677-8899-aabbccddeeff");
        SourceUser jdoe = c.users.values().iterator().next();
        assertThat(jdoe.loginName()).isEqualTo("jdoe");
        assertThat(jdoe.active()).isFalse();
        assertThat(jdoe.groups()).containsExactly("Admins");
        assertThat(jdoe.attribute("userPrincipalName")).containsExactly("jdoe@corp.test");
        assertThat(c.cursor).as("no highestCommittedUSN/invocationId here: no incremental cursor").isNull();
    }

    @Test
    void wrongPasswordAndDeadServerAreNamedWithoutThePassword() {
        LdapSourceConnector wrong = new LdapSourceConnector(LdapConfig.builder().url(url()).preset(Preset.OPENLDAP)
                .bind("cn=admin,dc=usher,dc=test", "not-" + PASSWORD).usersBase("ou=people,dc=usher,dc=test").build());
        assertThatThrownBy(() -> wrong.snapshot(new Collected())).isInstanceOf(SourceException.class)
                .satisfies(e -> {
                    assertThat(((UsherException) e).code()).isEqualTo(UsherException.Code.SOURCE_AUTH);
                    assertThat(e.getMessage()).contains("127.0.0.1").contains("invalid credentials")
                            .doesNotContain(PASSWORD);
                });
        ConnectionTest.Result t = wrong.test();
        assertThat(t.ok()).isFalse();
        assertThat(String.join("\n", t.steps())).contains("failed").doesNotContain(PASSWORD);

        int port = server.getListenPort();
        server.shutDown(true);
        LdapSourceConnector dead = new LdapSourceConnector(LdapConfig.builder().url("ldap://127.0.0.1:" + port)
                .preset(Preset.OPENLDAP).bind("cn=admin,dc=usher,dc=test", PASSWORD)
                .connectTimeout(java.time.Duration.ofSeconds(2)).usersBase("ou=people,dc=usher,dc=test").build());
        assertThatThrownBy(() -> dead.snapshot(new Collected()))
                .satisfies(e -> assertThat(((UsherException) e).code()).isEqualTo(UsherException.Code.SOURCE_UNAVAILABLE))
                .satisfies(e -> assertThat(((UsherException) e).isRetryable()).isTrue());
    }

    @Test
    void connectionTestReportsWhatItFound() throws Exception {
        person("alice", "00000000-0000-0000-0000-00000000000a");
        try (LdapSourceConnector conn = openldap(10)) {
            ConnectionTest.Result t = conn.test();
            assertThat(t.ok()).isTrue();
            assertThat(t.steps()).anyMatch(s -> s.contains("paged results: supported"))
                    .anyMatch(s -> s.contains("ou=people,dc=usher,dc=test: 1 users"))
                    .anyMatch(s -> s.contains("0 groups"));
        }
    }

    @Test
    void discoveredByTypeName() {
        var providers = io.usher.core.Connectors.discover();
        assertThat(providers.types()).contains("ldap");
        var conn = providers.create("ldap", Map.of("url", url(), "preset", "openldap",
                "bindDn", "cn=admin,dc=usher,dc=test", "bindPassword", PASSWORD, "usersBase", "ou=people,dc=usher,dc=test"));
        assertThat(conn).isInstanceOf(LdapSourceConnector.class);
        conn.close();
    }
}
