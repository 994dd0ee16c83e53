package io.usher.testkit.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.RootDSE;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import io.usher.core.model.MemberKind;
import io.usher.core.spi.SourceUser;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ldap.LdapDirectoryServer.Flavour;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The exact entries of both flavours, attribute by attribute. */
class LdapLayoutTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    private final InMemoryDirectory dir = InMemoryDirectory.create(3);
    private final DirectoryUser jane = dir.addUser(DirectoryUser.builder("jane").displayName("Jane Doe")
            .givenName("Jane").familyName("Doe").email("jane@example.com").email("jd@example.com")
            .attribute("department", "Sales").attribute("title", "Engineer").build());
    private final DirectoryUser bob = dir.addUser(DirectoryUser.builder("bob").enabled(false).build());
    private final DirectoryUser guest = dir.addUser(DirectoryUser.builder("g_partner#EXT#")
            .kind(SourceUser.Kind.GUEST).build());
    private final DirectoryUser svc = dir.addUser(DirectoryUser.builder("svc-backup")
            .kind(SourceUser.Kind.SERVICE).build());
    private final DirectoryUser odd = dir.addUser(DirectoryUser.of("a,b+c=\"d\"\\ #"));
    private final DirectoryGroup staff = dir.addGroup(DirectoryGroup.of("staff", "Everyone"));
    private final DirectoryGroup eng = dir.addGroup("eng");

    {
        dir.addMember(staff.id(), MemberKind.USER, jane.id());
        dir.addMember(staff.id(), MemberKind.USER, bob.id());
        dir.addMember(staff.id(), MemberKind.GROUP, eng.id());
        dir.addMember(eng.id(), MemberKind.USER, svc.id());
    }

    @Test
    void openLdapUsersAndGroups() throws Exception {
        try (LdapDirectoryServer s = LdapDirectoryServer.start(dir, Flavour.OPENLDAP, CLOCK);
             LDAPConnection c = Ldap.connect(s)) {
            SearchResultEntry j = c.getEntry("uid=jane,ou=people,dc=usher,dc=test", "*", "+");
            assertThat(j.getObjectClassValues()).containsExactlyInAnyOrder("top", "person", "organizationalPerson",
                    "inetOrgPerson");
            assertThat(j.getAttributeValue("uid")).isEqualTo("jane");
            assertThat(j.getAttributeValue("cn")).isEqualTo("Jane Doe");
            assertThat(j.getAttributeValue("sn")).isEqualTo("Doe");
            assertThat(j.getAttributeValue("givenName")).isEqualTo("Jane");
            assertThat(j.getAttributeValues("mail")).containsExactly("jane@example.com", "jd@example.com");
            assertThat(j.getAttributeValue("entryUUID")).isEqualTo(jane.id());
            assertThat(j.getAttributeValue("createTimestamp")).isEqualTo("20260102030405Z");
            assertThat(j.getAttributeValue("modifyTimestamp")).isEqualTo("20260102030405Z");
            assertThat(j.getAttributeValue("department")).isEqualTo("Sales");
            assertThat(j.getAttributeValue("title")).isEqualTo("Engineer");
            assertThat(j.hasAttribute("pwdAccountLockedTime")).isFalse();
            assertThat(j.hasAttribute("employeeType")).isFalse();

            SearchResultEntry b = c.getEntry("uid=bob,ou=people,dc=usher,dc=test", "*", "+");
            assertThat(b.getAttributeValue("cn")).isEqualTo("bob");
            assertThat(b.getAttributeValue("sn")).isEqualTo("bob");
            assertThat(b.getAttributeValue("pwdAccountLockedTime")).isEqualTo("000001010000Z");
            assertThat(c.getEntry(s.usersBase(), "*").getDN()).isEqualTo("ou=people,dc=usher,dc=test");

            assertThat(byUuid(c, s, guest.id()).getAttributeValue("employeeType")).isEqualTo("guest");
            assertThat(byUuid(c, s, svc.id()).getAttributeValue("employeeType")).isEqualTo("service");
            SearchResultEntry o = byUuid(c, s, odd.id());
            assertThat(o.getParsedDN()).isEqualTo(new DN(new RDN("uid", odd.loginName()), new DN(s.usersBase())));
            assertThat(o.getAttributeValue("uid")).isEqualTo(odd.loginName());
            assertThat(c.getEntry(o.getDN())).isNotNull();

            SearchResultEntry st = c.getEntry("cn=staff,ou=groups,dc=usher,dc=test", "*", "+");
            assertThat(st.getObjectClassValues()).containsExactlyInAnyOrder("top", "groupOfNames");
            assertThat(st.getAttributeValue("cn")).isEqualTo("staff");
            assertThat(st.getAttributeValue("description")).isEqualTo("Everyone");
            assertThat(st.getAttributeValue("entryUUID")).isEqualTo(staff.id());
            assertThat(dns(st.getAttributeValues("member"))).containsExactlyInAnyOrder(
                    new DN("uid=jane,ou=people,dc=usher,dc=test"), new DN("uid=bob,ou=people,dc=usher,dc=test"),
                    new DN("cn=eng,ou=groups,dc=usher,dc=test"));
            assertThat(c.getEntry("cn=eng,ou=groups,dc=usher,dc=test").getAttributeValues("member"))
                    .containsExactly("uid=svc-backup,ou=people,dc=usher,dc=test");
            assertThat(j.hasAttribute("memberOf")).isFalse();
        }
    }

    @Test
    void activeDirectoryUsersGroupsAndRootDse() throws Exception {
        try (LdapDirectoryServer s = LdapDirectoryServer.start(dir, Flavour.ACTIVE_DIRECTORY, CLOCK);
             LDAPConnection c = Ldap.connect(s)) {
            SearchResultEntry j = c.getEntry("CN=jane,OU=Users,DC=usher,DC=test");
            assertThat(j.getDN()).isEqualTo("CN=jane,OU=Users,DC=usher,DC=test");
            assertThat(j.getObjectClassValues()).containsExactlyInAnyOrder("top", "person", "organizationalPerson",
                    "user");
            assertThat(j.getAttributeValue("cn")).isEqualTo("jane");
            assertThat(j.getAttributeValue("sAMAccountName")).isEqualTo("jane");
            assertThat(j.getAttributeValue("userPrincipalName")).isEqualTo("jane@usher.test");
            assertThat(j.getAttributeValue("displayName")).isEqualTo("Jane Doe");
            assertThat(j.getAttributeValue("givenName")).isEqualTo("Jane");
            assertThat(j.getAttributeValue("sn")).isEqualTo("Doe");
            assertThat(j.getAttributeValues("mail")).containsExactly("jane@example.com");
            assertThat(AdGuid.toString(j.getAttributeValueBytes("objectGUID"))).isEqualTo(jane.id());
            assertThat(j.getAttributeValue("userAccountControl")).isEqualTo("512");
            assertThat(j.getAttributeValues("memberOf")).containsExactly("CN=staff,OU=Groups,DC=usher,DC=test");
            assertThat(j.getAttributeValueAsLong("uSNChanged")).isPositive();
            assertThat(j.getAttributeValueAsLong("uSNCreated")).isEqualTo(j.getAttributeValueAsLong("uSNChanged"));
            assertThat(j.getAttributeValue("whenChanged")).isEqualTo("20260102030405.0Z");
            assertThat(j.getAttributeValue("department")).isEqualTo("Sales");

            SearchResultEntry b = c.getEntry("CN=bob,OU=Users,DC=usher,DC=test");
            assertThat(b.getAttributeValue("userAccountControl")).isEqualTo("514");
            assertThat(b.hasAttribute("sn")).isFalse();
            assertThat(b.hasAttribute("displayName")).isFalse();
            SearchResultEntry g = c.getEntry(new DN(new RDN("CN", guest.loginName()), new DN(s.usersBase())).toString());
            assertThat(g.getAttributeValue("employeeType")).isEqualTo("guest");
            assertThat(g.getAttributeValue("userAccountControl")).isEqualTo("512");

            SearchResultEntry st = c.getEntry("CN=staff,OU=Groups,DC=usher,DC=test");
            assertThat(st.getObjectClassValues()).containsExactlyInAnyOrder("top", "group");
            assertThat(st.getAttributeValue("cn")).isEqualTo("staff");
            assertThat(st.getAttributeValue("sAMAccountName")).isEqualTo("staff");
            assertThat(st.getAttributeValue("description")).isEqualTo("Everyone");
            assertThat(st.getAttributeValue("groupType")).isEqualTo("-2147483646");
            assertThat(AdGuid.toString(st.getAttributeValueBytes("objectGUID"))).isEqualTo(staff.id());
            assertThat(dns(st.getAttributeValues("member"))).containsExactlyInAnyOrder(
                    new DN("CN=jane,OU=Users,DC=usher,DC=test"), new DN("CN=bob,OU=Users,DC=usher,DC=test"),
                    new DN("CN=eng,OU=Groups,DC=usher,DC=test"));
            assertThat(c.getEntry("CN=eng,OU=Groups,DC=usher,DC=test").getAttributeValues("memberOf"))
                    .containsExactly("CN=staff,OU=Groups,DC=usher,DC=test");

            RootDSE root = c.getRootDSE();
            assertThat(root.getAttributeValue("defaultNamingContext")).isEqualTo("DC=usher,DC=test");
            assertThat(root.getAttributeValue("dsServiceName")).isEqualTo(
                    "CN=NTDS Settings,CN=DC1,CN=Servers,CN=Default-First-Site-Name,CN=Sites,CN=Configuration,DC=usher,DC=test");
            assertThat(root.getAttributeValueAsLong("highestCommittedUSN")).isEqualTo(s.highestCommittedUsn())
                    .isGreaterThanOrEqualTo(j.getAttributeValueAsLong("uSNChanged"));
            assertThat(root.getSupportedControlOIDs()).contains(LdapDirectoryServer.PAGED_RESULTS_OID,
                    LdapDirectoryServer.SHOW_DELETED_OID);
            SearchResultEntry ntds = c.getEntry(root.getAttributeValue("dsServiceName"), "invocationId");
            assertThat(ntds.getAttributeValueBytes("invocationId")).hasSize(16);
            assertThat(AdGuid.toString(ntds.getAttributeValueBytes("invocationId"))).isEqualTo(s.invocationId());
        }
    }

    @Test
    void everyGeneratedEntryMatchesItsDirectoryRecordInBothFlavours() throws Exception {
        InMemoryDirectory gen = DirectoryGenerator.builder().seed(11).users(300).groups(40).caseCollisions(2)
                .build().generate();
        for (Flavour f : Flavour.values()) {
            try (LdapDirectoryServer s = LdapDirectoryServer.start(gen, f); LDAPConnection c = Ldap.connect(s)) {
                boolean ad = f == Flavour.ACTIVE_DIRECTORY;
                List<SearchResultEntry> users = Ldap.paged(c, s.usersBase(),
                        Filter.createEqualityFilter("objectClass", ad ? "user" : "inetOrgPerson"), 100, null, "*", "+");
                assertThat(users).hasSize(gen.userCount());
                Set<String> seen = new HashSet<>();
                for (SearchResultEntry e : users) {
                    String id = ad ? AdGuid.toString(e.getAttributeValueBytes("objectGUID"))
                            : e.getAttributeValue("entryUUID");
                    DirectoryUser u = gen.user(id).orElseThrow();
                    assertThat(seen.add(id)).isTrue();
                    assertThat(e.getAttributeValue(ad ? "sAMAccountName" : "uid")).isEqualTo(u.loginName());
                    assertThat(e.getParsedDN().getParent()).isEqualTo(new DN(s.usersBase()));
                    if (ad) {
                        assertThat(e.getAttributeValueAsInteger("userAccountControl") & 2).isEqualTo(u.enabled() ? 0 : 2);
                        assertThat(e.getAttributeValue("mail")).isEqualTo(u.emails().isEmpty() ? null : u.emails().get(0));
                        Set<String> groupNames = gen.groupsOf(MemberKind.USER, id).stream()
                                .map(g -> gen.group(g).orElseThrow().name()).collect(Collectors.toSet());
                        assertThat(e.hasAttribute("memberOf") ? List.of(e.getAttributeValues("memberOf")) : List.<String>of())
                                .hasSize(groupNames.size());
                    } else {
                        assertThat(e.hasAttribute("pwdAccountLockedTime")).isEqualTo(!u.enabled());
                        assertThat(e.hasAttribute("mail") ? List.of(e.getAttributeValues("mail")) : List.of())
                                .containsExactlyElementsOf(u.emails());
                    }
                }
                List<SearchResultEntry> groups = Ldap.paged(c, s.groupsBase(), Filter.createPresenceFilter("objectClass"),
                        100, null, "*", "+");
                groups.removeIf(e -> e.getDN().equalsIgnoreCase(s.groupsBase()));
                assertThat(groups).hasSize(gen.groupCount());
                for (SearchResultEntry e : groups) {
                    String id = ad ? AdGuid.toString(e.getAttributeValueBytes("objectGUID"))
                            : e.getAttributeValue("entryUUID");
                    DirectoryGroup g = gen.group(id).orElseThrow();
                    assertThat(e.getAttributeValue("cn")).isEqualTo(g.name());
                    int members = gen.members(id, MemberKind.USER).size() + gen.members(id, MemberKind.GROUP).size();
                    int served = e.hasAttribute("member") ? e.getAttributeValues("member").length : 0;
                    if (!ad || members <= LdapDirectoryServer.MAX_VAL_RANGE) {
                        assertThat(served).as("members of %s", g.name()).isEqualTo(members);
                    }
                }
            }
        }
    }

    private static SearchResultEntry byUuid(LDAPConnection c, LdapDirectoryServer s, String id) throws Exception {
        List<SearchResultEntry> found = c.search(s.usersBase(), SearchScope.SUB,
                Filter.createEqualityFilter("entryUUID", id), "*", "+").getSearchEntries();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private static List<DN> dns(String[] values) throws Exception {
        List<DN> out = new java.util.ArrayList<>();
        for (String v : values) {
            out.add(new DN(v));
        }
        return out;
    }
}
