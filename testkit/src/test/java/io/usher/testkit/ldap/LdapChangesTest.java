package io.usher.testkit.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import io.usher.core.model.MemberKind;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ldap.LdapDirectoryServer.Flavour;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Changes made to the directory after the server started appear over LDAP on the next search. */
class LdapChangesTest {
    private final io.usher.testkit.ManualClock clock = new io.usher.testkit.ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final InMemoryDirectory dir = InMemoryDirectory.create(5);
    private final DirectoryUser jane = dir.addUser(DirectoryUser.builder("jane").email("jane@example.com").build());
    private final DirectoryUser bob = dir.addUser(DirectoryUser.of("bob"));
    private final DirectoryGroup staff = dir.addGroup("staff");
    private final DirectoryGroup eng = dir.addGroup("eng");

    {
        dir.addMember(staff.id(), MemberKind.USER, jane.id());
        dir.addMember(staff.id(), MemberKind.USER, bob.id());
        dir.addMember(staff.id(), MemberKind.GROUP, eng.id());
    }

    @Test
    void openLdapSeesRenameDisableMoveAndDeleteOnTheNextSearch() throws Exception {
        try (LdapDirectoryServer s = LdapDirectoryServer.start(dir, Flavour.OPENLDAP, clock);
             LDAPConnection c = Ldap.connect(s)) {
            clock.advance(Duration.ofMinutes(5));
            dir.renameUser(jane.id(), "jane.doe");
            dir.disableUser(bob.id());
            dir.moveUser(bob.id(), staff.id(), eng.id());
            dir.renameGroup(eng.id(), "engineering");

            assertThat(c.getEntry("uid=jane,ou=people,dc=usher,dc=test")).isNull();
            SearchResultEntry j = c.getEntry("uid=jane.doe,ou=people,dc=usher,dc=test", "*", "+");
            assertThat(j.getAttributeValue("entryUUID")).isEqualTo(jane.id());
            assertThat(j.getAttributeValue("uid")).isEqualTo("jane.doe");
            assertThat(j.getAttributeValue("modifyTimestamp")).isEqualTo("20260301100500Z");
            assertThat(j.getAttributeValue("createTimestamp")).isEqualTo("20260301100000Z");

            SearchResultEntry b = c.getEntry("uid=bob,ou=people,dc=usher,dc=test", "*", "+");
            assertThat(b.getAttributeValue("pwdAccountLockedTime")).isEqualTo("000001010000Z");

            assertThat(c.getEntry("cn=eng,ou=groups,dc=usher,dc=test")).isNull();
            SearchResultEntry e = c.getEntry("cn=engineering,ou=groups,dc=usher,dc=test", "*", "+");
            assertThat(e.getAttributeValue("entryUUID")).isEqualTo(eng.id());
            assertThat(e.getAttributeValues("member")).containsExactly("uid=bob,ou=people,dc=usher,dc=test");
            SearchResultEntry st = c.getEntry("cn=staff,ou=groups,dc=usher,dc=test", "*", "+");
            assertThat(dns(st.getAttributeValues("member"))).containsExactlyInAnyOrder(
                    new DN("uid=jane.doe,ou=people,dc=usher,dc=test"), new DN("cn=engineering,ou=groups,dc=usher,dc=test"));
            assertThat(st.getAttributeValue("modifyTimestamp")).isEqualTo("20260301100500Z");

            // modifyTimestamp>= finds exactly what changed after a point
            clock.advance(Duration.ofMinutes(5));
            dir.enableUser(bob.id());
            List<SearchResultEntry> changed = c.search(s.baseDn(), SearchScope.SUB,
                    Filter.createGreaterOrEqualFilter("modifyTimestamp", "20260301100800Z"), "entryUUID")
                    .getSearchEntries();
            assertThat(changed).extracting(x -> x.getAttributeValue("entryUUID")).containsExactly(bob.id());

            dir.deleteUser(jane.id());
            dir.deleteGroup(eng.id());
            assertThat(c.getEntry("uid=jane.doe,ou=people,dc=usher,dc=test")).isNull();
            assertThat(c.getEntry("cn=engineering,ou=groups,dc=usher,dc=test")).isNull();
            assertThat(c.getEntry("cn=staff,ou=groups,dc=usher,dc=test").hasAttribute("member")).isFalse();
            assertThat(s.appliedSequence()).isEqualTo(dir.currentSequence());
        }
    }

    @Test
    void activeDirectoryUsnRisesOnEachChangedEntryAndMatchesTheRootDse() throws Exception {
        for (int i = 0; i < 10; i++) {
            dir.addUser(DirectoryUser.of("filler" + i)); // so that USNs reach two digits at load
        }
        try (LdapDirectoryServer s = LdapDirectoryServer.start(dir, Flavour.ACTIVE_DIRECTORY, clock);
             LDAPConnection c = Ldap.connect(s)) {
            long before = c.getRootDSE().getAttributeValueAsLong("highestCommittedUSN");
            SearchResultEntry j0 = c.getEntry("CN=jane,OU=Users,DC=usher,DC=test");
            SearchResultEntry b0 = c.getEntry("CN=bob,OU=Users,DC=usher,DC=test");

            dir.renameUser(jane.id(), "jane.doe");
            dir.disableUser(bob.id());
            dir.moveUser(bob.id(), staff.id(), eng.id());

            long after = c.getRootDSE().getAttributeValueAsLong("highestCommittedUSN");
            assertThat(after).isEqualTo(before + 4).isEqualTo(s.highestCommittedUsn());
            SearchResultEntry j = c.getEntry("CN=jane.doe,OU=Users,DC=usher,DC=test");
            assertThat(AdGuid.toString(j.getAttributeValueBytes("objectGUID"))).isEqualTo(jane.id());
            assertThat(j.getAttributeValue("sAMAccountName")).isEqualTo("jane.doe");
            assertThat(j.getAttributeValue("userPrincipalName")).isEqualTo("jane.doe@usher.test");
            assertThat(j.getAttributeValueAsLong("uSNChanged")).isGreaterThan(j0.getAttributeValueAsLong("uSNChanged"));
            assertThat(j.getAttributeValueAsLong("uSNCreated")).isEqualTo(j0.getAttributeValueAsLong("uSNCreated"));
            SearchResultEntry b = c.getEntry("CN=bob,OU=Users,DC=usher,DC=test");
            assertThat(b.getAttributeValue("userAccountControl")).isEqualTo("514");
            assertThat(b.getAttributeValues("memberOf")).containsExactly("CN=eng,OU=Groups,DC=usher,DC=test");
            assertThat(b.getAttributeValueAsLong("uSNChanged")).isGreaterThan(b0.getAttributeValueAsLong("uSNChanged"));

            // uSNChanged compares as an integer: (uSNChanged>=N) finds exactly the entries changed since N,
            // also when N has fewer digits than other USNs
            List<SearchResultEntry> since = c.search(s.baseDn(), SearchScope.SUB,
                    Filter.createGreaterOrEqualFilter("uSNChanged", Long.toString(before + 1)), "cn", "uSNChanged")
                    .getSearchEntries();
            assertThat(since).extracting(x -> x.getAttributeValue("cn"))
                    .containsExactlyInAnyOrder("jane.doe", "bob", "staff", "eng");
            assertThat(since).allSatisfy(x -> assertThat(x.getAttributeValueAsLong("uSNChanged")).isLessThanOrEqualTo(after));
            long atLeastNine = c.search(s.baseDn(), SearchScope.SUB, Filter.createPresenceFilter("uSNChanged"),
                    "uSNChanged").getSearchEntries().stream()
                    .filter(x -> x.getAttributeValueAsLong("uSNChanged") >= 9).count();
            assertThat(atLeastNine).isGreaterThan(5);
            assertThat(c.search(s.baseDn(), SearchScope.SUB, Filter.createGreaterOrEqualFilter("uSNChanged", "9"),
                    "cn").getEntryCount()).isEqualTo((int) atLeastNine);
        }
    }

    @Test
    void activeDirectoryDeletesBecomeTombstonesSeenOnlyWithShowDeleted() throws Exception {
        try (LdapDirectoryServer s = LdapDirectoryServer.start(dir, Flavour.ACTIVE_DIRECTORY, clock);
             LDAPConnection c = Ldap.connect(s)) {
            long before = s.highestCommittedUsn();
            dir.deleteUser(jane.id());
            dir.deleteGroup(eng.id());
            Filter byGuid = Filter.createEqualityFilter("objectGUID", AdGuid.toBytes(jane.id()));

            assertThat(c.search(s.baseDn(), SearchScope.SUB, byGuid).getEntryCount()).isZero();
            assertThat(c.search(s.deletedObjectsDn(), SearchScope.SUB, Filter.createPresenceFilter("objectClass"))
                    .getEntryCount()).isZero();
            assertThat(c.getEntry("CN=staff,OU=Groups,DC=usher,DC=test").getAttributeValues("member"))
                    .containsExactly("CN=bob,OU=Users,DC=usher,DC=test");
            assertThat(c.getEntry("CN=bob,OU=Users,DC=usher,DC=test").getAttributeValues("memberOf"))
                    .containsExactly("CN=staff,OU=Groups,DC=usher,DC=test");

            SearchRequest withControl = new SearchRequest(s.baseDn(), SearchScope.SUB, byGuid, "*");
            withControl.addControl(Ldap.showDeleted());
            List<SearchResultEntry> found = c.search(withControl).getSearchEntries();
            assertThat(found).hasSize(1);
            SearchResultEntry t = found.get(0);
            RDN expectedRdn = new RDN("CN", "jane\nDEL:" + jane.id());
            assertThat(t.getParsedDN()).isEqualTo(new DN(expectedRdn, new DN(s.deletedObjectsDn())));
            // the SDK writes the escaped newline as \0a; AD shows \0A: the same DN
            assertThat(t.getDN()).startsWithIgnoringCase("CN=jane\\0ADEL:" + jane.id() + ",CN=Deleted Objects,");
            assertThat(t.getAttributeValue("isDeleted")).isEqualTo("TRUE");
            assertThat(t.getAttributeValueBytes("objectGUID")).containsExactly(AdGuid.toBytes(jane.id()));
            assertThat(t.getAttributeValueAsLong("uSNChanged")).isGreaterThan(before);
            assertThat(t.hasAttribute("mail")).isFalse();
            assertThat(t.hasAttribute("memberOf")).isFalse();

            SearchRequest deletedGroups = new SearchRequest(s.deletedObjectsDn(), SearchScope.ONE,
                    Filter.createEqualityFilter("isDeleted", "TRUE"), "objectGUID", "objectClass");
            deletedGroups.addControl(Ldap.showDeleted());
            assertThat(c.search(deletedGroups).getSearchEntries())
                    .extracting(e -> AdGuid.toString(e.getAttributeValueBytes("objectGUID")))
                    .containsExactlyInAnyOrder(jane.id(), eng.id());
        }
    }

    @Test
    void openLdapRefusesTheShowDeletedControlAsAnUnknownCriticalControl() throws Exception {
        try (LdapDirectoryServer s = LdapDirectoryServer.start(dir, Flavour.OPENLDAP);
             LDAPConnection c = Ldap.connect(s)) {
            SearchRequest r = new SearchRequest(s.baseDn(), SearchScope.SUB, Filter.createPresenceFilter("objectClass"));
            r.addControl(Ldap.showDeleted());
            try {
                c.search(r);
                org.assertj.core.api.Assertions.fail("expected unavailableCriticalExtension");
            } catch (LDAPException e) {
                assertThat(e.getResultCode()).isEqualTo(ResultCode.UNAVAILABLE_CRITICAL_EXTENSION);
            }
        }
    }

    @Test
    void aTrimmedChangeLogMakesTheServerRebuildEverything() throws Exception {
        InMemoryDirectory small = InMemoryDirectory.create(9, 2);
        DirectoryUser a = small.addUser(DirectoryUser.of("a"));
        DirectoryGroup g = small.addGroup("g");
        small.addMember(g.id(), MemberKind.USER, a.id());
        for (Flavour f : Flavour.values()) {
            try (LdapDirectoryServer s = LdapDirectoryServer.start(small, f); LDAPConnection c = Ldap.connect(s)) {
                long applied = s.appliedSequence();
                for (int i = 0; i < 10; i++) {
                    small.addUser(DirectoryUser.of("u" + f + i));
                }
                small.renameUser(a.id(), "a-" + f);
                assertThat(small.changesSince(applied)).isEmpty();
                List<SearchResultEntry> users = Ldap.paged(c, s.usersBase(), Filter.createPresenceFilter("objectClass"), 5,
                        null, "*");
                users.removeIf(e -> e.getDN().equalsIgnoreCase(s.usersBase()));
                assertThat(users).hasSize(small.userCount());
                String rdnAttr = f == Flavour.OPENLDAP ? "uid" : "CN";
                SearchResultEntry group = c.getEntry(new DN(new RDN("cn", "g"), new DN(s.groupsBase())).toString());
                assertThat(group.getAttributeValues("member")).containsExactly(
                        new DN(new RDN(rdnAttr, "a-" + f), new DN(s.usersBase())).toString());
            }
        }
    }

    @Test
    void attributeNamesFirstSeenAfterStartAreServed() throws Exception {
        try (LdapDirectoryServer s = LdapDirectoryServer.start(dir, Flavour.OPENLDAP);
             LDAPConnection c = Ldap.connect(s)) {
            dir.updateUser(jane.toBuilder().attribute("costCentre", "C-42").attribute("title", "Boss")
                    .attribute("departmentNumber", "7").attribute("bad name", "not served").build());
            SearchResultEntry j = c.getEntry("uid=jane,ou=people,dc=usher,dc=test");
            assertThat(j.getAttributeValue("costCentre")).isEqualTo("C-42");
            assertThat(j.getAttributeValue("title")).isEqualTo("Boss");
            assertThat(j.getAttributeValue("departmentNumber")).isEqualTo("7");
            assertThat(j.getAttributes()).noneMatch(a -> a.getName().contains(" "));
            assertThat(c.search(s.usersBase(), SearchScope.SUB, Filter.createEqualityFilter("costcentre", "c-42"))
                    .getEntryCount()).isEqualTo(1);
            dir.updateUser(jane.toBuilder().attributes(java.util.Map.of()).build());
            assertThat(c.getEntry("uid=jane,ou=people,dc=usher,dc=test").hasAttribute("costCentre")).isFalse();
        }
    }

    @Test
    void aCaseOnlyRenameChangesTheRdn() throws Exception {
        for (Flavour f : Flavour.values()) {
            InMemoryDirectory d = InMemoryDirectory.create(1);
            DirectoryUser u = d.addUser(DirectoryUser.of("jdoe"));
            try (LdapDirectoryServer s = LdapDirectoryServer.start(d, f); LDAPConnection c = Ldap.connect(s)) {
                d.renameUser(u.id(), "JDoe");
                String attr = f == Flavour.OPENLDAP ? "uid" : "CN";
                SearchResultEntry e = c.getEntry(new DN(new RDN(attr, "JDoe"), new DN(s.usersBase())).toString());
                assertThat(e.getParsedDN().getRDN().getAttributeValues()[0]).isEqualTo("JDoe");
                assertThat(e.getAttributeValue(f == Flavour.OPENLDAP ? "uid" : "sAMAccountName")).isEqualTo("JDoe");
            }
        }
    }

    @Test
    void resetInvocationIdChangesTheNtdsSettingsValue() throws Exception {
        try (LdapDirectoryServer s = LdapDirectoryServer.start(dir, Flavour.ACTIVE_DIRECTORY);
             LDAPConnection c = Ldap.connect(s)) {
            String dsService = c.getRootDSE().getAttributeValue("dsServiceName");
            byte[] first = c.getEntry(dsService, "invocationId").getAttributeValueBytes("invocationId");
            assertThat(c.getEntry(dsService, "invocationId").getAttributeValueBytes("invocationId")).containsExactly(first);
            s.resetInvocationId();
            byte[] second = c.getEntry(dsService, "invocationId").getAttributeValueBytes("invocationId");
            assertThat(second).hasSize(16).isNotEqualTo(first);
            assertThat(AdGuid.toString(second)).isEqualTo(s.invocationId());
        }
    }

    @Test
    void concurrentSearchesWhileTheDirectoryChangesEndConsistent() throws Exception {
        InMemoryDirectory d = io.usher.testkit.DirectoryGenerator.builder().seed(8).users(500).groups(30).build()
                .generate();
        List<DirectoryUser> users = d.users().limit(100).collect(java.util.stream.Collectors.toList());
        try (LdapDirectoryServer s = LdapDirectoryServer.start(d, Flavour.ACTIVE_DIRECTORY)) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.CountDownLatch someRounds = new java.util.concurrent.CountDownLatch(6);
            List<java.util.concurrent.Future<Integer>> readers = new java.util.ArrayList<>();
            for (int t = 0; t < 3; t++) {
                readers.add(pool.submit(() -> {
                    int rounds = 0;
                    try (LDAPConnection c = Ldap.connect(s)) {
                        while (!stop.get()) {
                            Ldap.paged(c, s.usersBase(), Filter.createEqualityFilter("objectClass", "user"), 200, null,
                                    "sAMAccountName");
                            rounds++;
                            someRounds.countDown();
                        }
                    }
                    return rounds;
                }));
            }
            for (int i = 0; i < users.size(); i++) {
                if (i == users.size() / 2) {
                    assertThat(someRounds.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                }
                d.renameUser(users.get(i).id(), users.get(i).loginName() + "-renamed");
            }
            stop.set(true);
            for (java.util.concurrent.Future<Integer> r : readers) {
                assertThat(r.get(60, java.util.concurrent.TimeUnit.SECONDS)).isPositive();
            }
            pool.shutdown();
            try (LDAPConnection c = Ldap.connect(s)) {
                List<SearchResultEntry> all = Ldap.paged(c, s.usersBase(),
                        Filter.createEqualityFilter("objectClass", "user"), 1000, null, "sAMAccountName");
                assertThat(all).hasSize(d.userCount());
                assertThat(all.stream().filter(e -> e.getAttributeValue("sAMAccountName").endsWith("-renamed")))
                        .hasSize(users.size());
            }
        }
    }

    private static List<DN> dns(String[] values) throws Exception {
        List<DN> out = new java.util.ArrayList<>();
        for (String v : values) {
            out.add(new DN(v));
        }
        return out;
    }
}
