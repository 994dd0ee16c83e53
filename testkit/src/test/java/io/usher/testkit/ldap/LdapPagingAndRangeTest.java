package io.usher.testkit.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchResultEntry;
import io.usher.core.model.MemberKind;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ldap.LdapDirectoryServer.Flavour;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Simple Paged Results over both flavours, and AD's ranged retrieval of big groups. */
class LdapPagingAndRangeTest {
    private static final int BIG = 5_000;
    private static final InMemoryDirectory DIRECTORY = bigGroupDirectory();

    @RegisterExtension
    static final LdapDirectoryExtension AD = LdapDirectoryExtension.activeDirectory(() -> DIRECTORY);

    private static InMemoryDirectory bigGroupDirectory() {
        InMemoryDirectory d = InMemoryDirectory.create(77);
        DirectoryGroup big = d.addGroup("big");
        DirectoryGroup small = d.addGroup("small");
        for (int i = 0; i < BIG; i++) {
            DirectoryUser u = d.addUser(DirectoryUser.of(String.format("user%05d", i)));
            d.addMember(big.id(), MemberKind.USER, u.id());
            if (i < 10) {
                d.addMember(small.id(), MemberKind.USER, u.id());
            }
        }
        return d;
    }

    @Test
    void pagedSearchReturnsEveryEntryExactlyOnceInBothFlavours() throws Exception {
        InMemoryDirectory gen = DirectoryGenerator.builder().seed(5).users(1_000).groups(120).build().generate();
        for (Flavour f : Flavour.values()) {
            try (LdapDirectoryServer s = LdapDirectoryServer.start(gen, f); LDAPConnection c = Ldap.connect(s)) {
                boolean ad = f == Flavour.ACTIVE_DIRECTORY;
                String idAttr = ad ? "objectGUID" : "entryUUID";
                List<SearchResultEntry> all = Ldap.paged(c, s.baseDn(), Filter.createORFilter(
                        Filter.createEqualityFilter("objectClass", ad ? "user" : "inetOrgPerson"),
                        Filter.createEqualityFilter("objectClass", ad ? "group" : "groupOfNames")), 97, null, idAttr);
                List<String> ids = all.stream().map(e -> ad ? AdGuid.toString(e.getAttributeValueBytes(idAttr))
                        : e.getAttributeValue(idAttr)).collect(Collectors.toList());
                Set<String> expected = new HashSet<>();
                gen.users().forEach(u -> expected.add(u.id()));
                gen.groups().forEach(g -> expected.add(g.id()));
                assertThat(ids).doesNotHaveDuplicates().hasSize(expected.size());
                assertThat(new HashSet<>(ids)).isEqualTo(expected);
            }
        }
    }

    @Test
    void aFiveThousandMemberGroupArrivesWholeThroughRepeatedRangeRequests() throws Exception {
        LdapDirectoryServer s = AD.server();
        String bigDn = new DN(new com.unboundid.ldap.sdk.RDN("CN", "big"), new DN(s.groupsBase())).toString();
        try (LDAPConnection c = Ldap.connect(s)) {
            SearchResultEntry first = c.getEntry(bigDn, "member");
            assertThat(first.hasAttribute("member")).isFalse();
            Attribute chunk = rangedMember(first);
            assertThat(chunk.getName()).isEqualTo("member;range=0-1499");
            assertThat(chunk.getValues()).hasSize(1500);

            List<String> all = new ArrayList<>(List.of(chunk.getValues()));
            int next = 1500;
            List<String> names = new ArrayList<>(List.of(chunk.getName()));
            while (!chunk.getName().endsWith("-*")) {
                chunk = rangedMember(c.getEntry(bigDn, "member;range=" + next + "-*"));
                names.add(chunk.getName());
                all.addAll(List.of(chunk.getValues()));
                next += chunk.getValues().length;
            }
            assertThat(names).containsExactly("member;range=0-1499", "member;range=1500-2999",
                    "member;range=3000-4499", "member;range=4500-*");
            assertThat(all).hasSize(BIG).doesNotHaveDuplicates();
            Set<DN> expected = new HashSet<>();
            for (DirectoryUser u : DIRECTORY.users().collect(Collectors.toList())) {
                expected.add(new DN(new com.unboundid.ldap.sdk.RDN("CN", u.loginName()), new DN(s.usersBase())));
            }
            Set<DN> got = new HashSet<>();
            for (String v : all) {
                got.add(new DN(v));
            }
            assertThat(got).isEqualTo(expected);
        }
    }

    @Test
    void explicitRangesAllAttributesAndSmallGroupsBehaveAsActiveDirectory() throws Exception {
        LdapDirectoryServer s = AD.server();
        String bigDn = new DN(new com.unboundid.ldap.sdk.RDN("CN", "big"), new DN(s.groupsBase())).toString();
        String smallDn = new DN(new com.unboundid.ldap.sdk.RDN("CN", "small"), new DN(s.groupsBase())).toString();
        try (LDAPConnection c = Ldap.connect(s)) {
            Attribute explicit = rangedMember(c.getEntry(bigDn, "member;range=1500-2999"));
            assertThat(explicit.getName()).isEqualTo("member;range=1500-2999");
            assertThat(explicit.getValues()).hasSize(1500);
            Attribute capped = rangedMember(c.getEntry(bigDn, "member;range=0-4999"));
            assertThat(capped.getName()).isEqualTo("member;range=0-1499");
            Attribute last = rangedMember(c.getEntry(bigDn, "member;range=4990-*"));
            assertThat(last.getName()).isEqualTo("member;range=4990-*");
            assertThat(last.getValues()).hasSize(10);

            SearchResultEntry star = c.getEntry(bigDn);
            assertThat(rangedMember(star).getName()).isEqualTo("member;range=0-1499");
            assertThat(star.getAttributeValue("cn")).isEqualTo("big");

            assertThat(c.getEntry(smallDn, "member").getAttributeValues("member")).hasSize(10);
            Attribute smallRanged = rangedMember(c.getEntry(smallDn, "member;range=0-*"));
            assertThat(smallRanged.getName()).isEqualTo("member;range=0-*");
            assertThat(smallRanged.getValues()).hasSize(10);
        }
    }

    @Test
    void openLdapServesBigGroupsWhole() throws Exception {
        try (LdapDirectoryServer s = LdapDirectoryServer.start(DIRECTORY, Flavour.OPENLDAP);
             LDAPConnection c = Ldap.connect(s)) {
            assertThat(c.getEntry("cn=big," + s.groupsBase(), "member").getAttributeValues("member")).hasSize(BIG);
        }
    }

    private static Attribute rangedMember(SearchResultEntry e) {
        List<Attribute> ranged = e.getAttributes().stream()
                .filter(a -> a.getBaseName().equalsIgnoreCase("member") && a.hasOptions())
                .collect(Collectors.toList());
        assertThat(ranged).hasSize(1);
        return ranged.get(0);
    }
}
