package io.usher.ldap.servers;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ModifyDNRequest;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.RootDSE;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchResultListener;
import com.unboundid.ldap.sdk.SearchResultReference;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.ContentSyncDoneControl;
import com.unboundid.ldap.sdk.controls.ContentSyncInfoIntermediateResponse;
import com.unboundid.ldap.sdk.controls.ContentSyncRequestControl;
import com.unboundid.ldap.sdk.controls.ContentSyncRequestMode;
import com.unboundid.ldap.sdk.controls.ContentSyncState;
import com.unboundid.ldap.sdk.controls.ContentSyncStateControl;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import com.unboundid.util.StaticUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The private slapd fixture against the UnboundID SDK only (not the connector): what a connector
 * can rely on from a real OpenLDAP server. One server per class (SlapdExtension); tests that need
 * their own (slapadd before start, close) create one. Each test uses its own names/OU, so order does not matter.
 */
@ExtendWith(SlapdExtension.class)
class SlapdTest {

    static final String PAGED_RESULTS_OID = "1.2.840.113556.1.4.319";
    static final String CONTENT_SYNC_OID = ContentSyncRequestControl.SYNC_REQUEST_OID;

    // ------------------------------------------------------------------ basics

    @Test
    void startsAndBindsAsAdminAndAdvertisesPagingAndContentSync(Slapd slapd) throws Exception {
        assertThat(slapd.isRunning()).isTrue();
        assertThat(slapd.url()).isEqualTo("ldap://127.0.0.1:" + slapd.port() + "/");
        assertThat(slapd.baseDn()).isEqualTo("dc=usher,dc=test");
        assertThat(slapd.bindDn()).isEqualTo("cn=admin,dc=usher,dc=test");
        try (LDAPConnection c = slapd.connection()) {
            RootDSE dse = c.getRootDSE();
            assertThat(dse.getNamingContextDNs()).contains(slapd.baseDn());
            assertThat(dse.getSupportedControlOIDs()).contains(PAGED_RESULTS_OID, CONTENT_SYNC_OID);
            assertThat(c.getEntry(Slapd.PEOPLE_DN)).isNotNull();
            assertThat(c.getEntry(Slapd.GROUPS_DN)).isNotNull();
        }
        // wrong password
        assertThatThrownBy(() -> new LDAPConnection("127.0.0.1", slapd.port(), slapd.bindDn(), "wrong").close())
                .isInstanceOfSatisfying(LDAPException.class,
                        e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.INVALID_CREDENTIALS));
    }

    @Test
    void anonymousBindIsRefusedAndUnauthenticatedReadsSeeOnlyTheRootDse(Slapd slapd) throws Exception {
        try (LDAPConnection c = slapd.anonymousConnection()) {
            assertThatThrownBy(() -> c.bind("", ""))
                    .isInstanceOfSatisfying(LDAPException.class,
                            e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.INAPPROPRIATE_AUTHENTICATION));
        }
        try (LDAPConnection c = slapd.anonymousConnection()) {
            assertThat(c.getRootDSE()).isNotNull(); // discovery works without a bind
            SearchResult r;
            try {
                r = c.search(slapd.baseDn(), SearchScope.SUB, "(objectClass=*)");
            } catch (LDAPException e) {
                r = new SearchResult(e.toLDAPResult());
            }
            assertThat(r.getEntryCount()).isZero();
        }
    }

    // ------------------------------------------------------------------ users, groups, paging

    @Test
    void usersAndNestedGroupsReadBackWithPagedResultsEachExactlyOnce(Slapd slapd) throws Exception {
        int users = 250;
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            entries.add(user("pg-" + i));
        }
        Entry teamA = group("pg-team-a", userDn("pg-0"), userDn("pg-1"));
        Entry teamB = group("pg-team-b", userDn("pg-2"));
        Entry all = group("pg-all", groupDn("pg-team-a"), groupDn("pg-team-b"), userDn("pg-3")); // nested
        entries.add(teamA);
        entries.add(teamB);
        entries.add(all);
        slapd.add(entries.toArray(Entry[]::new));

        try (LDAPConnection c = slapd.connection()) {
            List<SearchResultEntry> people = pagedSearch(c, Slapd.PEOPLE_DN,
                    Filter.createANDFilter(Filter.createEqualityFilter("objectClass", "inetOrgPerson"),
                            Filter.createSubstringFilter("uid", "pg-", null, null)), 100, e -> { });
            List<SearchResultEntry> groups = pagedSearch(c, Slapd.GROUPS_DN,
                    Filter.createANDFilter(Filter.createEqualityFilter("objectClass", "groupOfNames"),
                            Filter.createSubstringFilter("cn", "pg-", null, null)), 100, e -> { });

            assertExactlyOnce(people, entries.subList(0, users));
            assertExactlyOnce(groups, List.of(teamA, teamB, all));
            for (SearchResultEntry e : people) {
                assertThat(e.getAttributeValue("entryUUID")).as("entryUUID requested as '+'").isNotNull();
                assertThat(e.getAttributeValue("mail")).isEqualTo(e.getAttributeValue("uid") + "@usher.test");
            }
            SearchResultEntry allRead = groups.stream().filter(g -> g.getDN().equals(groupDn("pg-all"))).findFirst().orElseThrow();
            assertThat(allRead.getAttributeValues("member"))
                    .containsExactlyInAnyOrder(groupDn("pg-team-a"), groupDn("pg-team-b"), userDn("pg-3"));
        }
    }

    @Test
    void entryUuidIsStableAcrossModrdnRenameAndMove(Slapd slapd) throws Exception {
        slapd.add(user("mv-1"), new Entry("ou=moved," + slapd.baseDn(),
                new Attribute("objectClass", "organizationalUnit"), new Attribute("ou", "moved")));
        try (LDAPConnection c = slapd.connection()) {
            String before = c.getEntry(userDn("mv-1"), "entryUUID").getAttributeValue("entryUUID");
            assertThat(before).isNotNull();
            assertThat(UUID.fromString(before)).isNotNull();
            // entryUUID is operational: not returned unless asked for by name or with "+"
            assertThat(c.getEntry(userDn("mv-1")).getAttributeValue("entryUUID")).isNull();

            c.modifyDN(userDn("mv-1"), "uid=mv-1-renamed", true);
            assertThat(c.getEntry(userDn("mv-1"))).isNull();
            SearchResultEntry renamed = c.getEntry(userDn("mv-1-renamed"), "entryUUID", "uid");
            assertThat(renamed.getAttributeValue("entryUUID")).isEqualTo(before);
            assertThat(renamed.getAttributeValues("uid")).containsExactly("mv-1-renamed"); // deleteOldRDN

            String moved = "uid=mv-1-renamed,ou=moved," + slapd.baseDn();
            c.modifyDN(new ModifyDNRequest(userDn("mv-1-renamed"), "uid=mv-1-renamed", true, "ou=moved," + slapd.baseDn()));
            assertThat(c.getEntry(moved, "entryUUID").getAttributeValue("entryUUID")).isEqualTo(before);
            // and it is searchable by entryUUID (indexed)
            SearchResult byUuid = c.search(slapd.baseDn(), SearchScope.SUB, Filter.createEqualityFilter("entryUUID", before));
            assertThat(byUuid.getSearchEntries()).extracting(Entry::getDN).containsExactly(moved);
        }
    }

    @Test
    void modifyTimestampUpdatesOnChange(Slapd slapd) throws Exception {
        slapd.add(user("ts-1"));
        try (LDAPConnection c = slapd.connection()) {
            Date created = c.getEntry(userDn("ts-1"), "modifyTimestamp", "createTimestamp")
                    .getAttributeValueAsDate("modifyTimestamp");
            assertThat(created).isNotNull();
            Thread.sleep(1_100); // modifyTimestamp has one-second resolution
            c.modify(userDn("ts-1"), new Modification(ModificationType.REPLACE, "title", "changed"));
            SearchResultEntry e = c.getEntry(userDn("ts-1"), "modifyTimestamp", "createTimestamp");
            Date modified = e.getAttributeValueAsDate("modifyTimestamp");
            assertThat(modified).isAfter(created);
            assertThat(e.getAttributeValueAsDate("createTimestamp")).isEqualTo(created);
            // the modifyTimestamp incremental filter finds it (and only what changed since)
            SearchResult since = c.search(Slapd.PEOPLE_DN, SearchScope.SUB, Filter.createANDFilter(
                    Filter.createSubstringFilter("uid", "ts-", null, null),
                    Filter.createGreaterOrEqualFilter("modifyTimestamp", StaticUtils.encodeGeneralizedTime(modified))));
            assertThat(since.getSearchEntries()).extracting(Entry::getDN).containsExactly(userDn("ts-1"));
        }
    }

    // ------------------------------------------------------------------ syncprov (RFC 4533)

    @Test
    void syncprovRefreshOnlyReturnsCookieAndThenOnlyTheChanges(Slapd slapd) throws Exception {
        String ou = "ou=sync," + slapd.baseDn();
        slapd.add(new Entry(ou, new Attribute("objectClass", "organizationalUnit"), new Attribute("ou", "sync")));
        List<Entry> initial = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            initial.add(user("sy-" + i, ou));
        }
        slapd.add(initial.toArray(Entry[]::new));

        try (LDAPConnection c = slapd.connection()) {
            Sync first = refreshOnly(c, ou, null);
            assertThat(first.cookie).as("sync done cookie").isNotNull();
            assertThat(first.entries.keySet()).containsAll(initial.stream().map(Entry::getDN).toList());
            assertThat(first.entries).hasSize(21); // the OU itself + 20 users
            assertThat(first.states).containsOnly(ContentSyncState.ADD);
            Map<String, UUID> uuidByDn = new HashMap<>();
            first.entries.forEach((dn, e) -> uuidByDn.put(dn, first.uuidByDn.get(dn)));

            // nothing changed: nothing (or only "present" markers) comes back
            Sync idle = refreshOnly(c, ou, first.cookie);
            assertThat(idle.changedDns()).isEmpty();
            assertThat(idle.deletedUuids).isEmpty();

            // changes: add, modify, rename, delete
            c.add(user("sy-new", ou));
            c.modify("uid=sy-1," + ou, new Modification(ModificationType.REPLACE, "title", "boss"));
            c.modifyDN("uid=sy-2," + ou, "uid=sy-2-renamed", true);
            c.delete("uid=sy-3," + ou);

            Sync second = refreshOnly(c, ou, first.cookie);
            assertThat(second.cookie).isNotNull().isNotEqualTo(first.cookie);
            assertThat(second.changedDns()).containsExactlyInAnyOrder(
                    "uid=sy-new," + ou, "uid=sy-1," + ou, "uid=sy-2-renamed," + ou);
            assertThat(second.uuidByDn.get("uid=sy-2-renamed," + ou))
                    .as("a rename arrives with the same entryUUID").isEqualTo(uuidByDn.get("uid=sy-2," + ou));
            assertThat(second.deletedUuids).containsExactly(uuidByDn.get("uid=sy-3," + ou));
            System.out.printf("slapd syncprov: second refresh states=%s deleted via %s%n", second.states, second.deleteVia);

            // and the new cookie again reports nothing
            Sync third = refreshOnly(c, ou, second.cookie);
            assertThat(third.changedDns()).isEmpty();
            assertThat(third.deletedUuids).isEmpty();
        }
    }

    // ------------------------------------------------------------------ ppolicy

    @Test
    void ppolicyLocksAccountsWithPwdAccountLockedTime(Slapd slapd) throws Exception {
        assertThat(slapd.ppolicy()).isTrue();
        Entry u = user("pp-1");
        u.addAttribute("userPassword", "pp-secret-1");
        slapd.add(u);
        try (LDAPConnection user = new LDAPConnection("127.0.0.1", slapd.port(), userDn("pp-1"), "pp-secret-1")) {
            assertThat(user.getEntry(userDn("pp-1"), "uid").getAttributeValue("uid")).isEqualTo("pp-1");
        }
        try (LDAPConnection c = slapd.connection()) {
            // 000001010000Z = locked until an administrator unlocks (permanent lock)
            c.modify(userDn("pp-1"), new Modification(ModificationType.ADD, "pwdAccountLockedTime", "000001010000Z"));
            SearchResultEntry e = c.getEntry(userDn("pp-1"), "pwdAccountLockedTime");
            assertThat(e.getAttributeValue("pwdAccountLockedTime")).isEqualTo("000001010000Z");
            assertThat(c.getEntry(userDn("pp-1")).getAttributeValue("pwdAccountLockedTime"))
                    .as("operational: only when asked for").isNull();
        }
        assertThatThrownBy(() -> new LDAPConnection("127.0.0.1", slapd.port(), userDn("pp-1"), "pp-secret-1").close())
                .isInstanceOfSatisfying(LDAPException.class,
                        e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.INVALID_CREDENTIALS));
    }

    // ------------------------------------------------------------------ own servers

    @Test
    void slapaddBulkLoadsTenThousandEntriesAndAPagedReadSeesThemAll(@TempDir Path tmp) throws Exception {
        int n = 10_000;
        Path ldif = tmp.resolve("bulk.ldif");
        try (BufferedWriter w = Files.newBufferedWriter(ldif)) {
            for (int i = 0; i < n; i++) {
                String uid = "bulk-" + i;
                w.write("dn: uid=" + uid + "," + Slapd.PEOPLE_DN + "\n"
                        + "objectClass: inetOrgPerson\n"
                        + "uid: " + uid + "\ncn: Bulk User " + i + "\nsn: User" + i + "\ngivenName: Bulk\n"
                        + "mail: " + uid + "@usher.test\nemployeeNumber: " + i + "\n\n");
            }
        }
        try (Slapd s = Slapd.create()) {
            long t0 = System.nanoTime();
            s.slapadd(ldif);
            long t1 = System.nanoTime();
            s.start();
            long t2 = System.nanoTime();
            try (LDAPConnection c = s.connection()) {
                for (int page : new int[] {100, 1000}) {
                    Set<String> dns = new HashSet<>();
                    long r0 = System.nanoTime();
                    List<SearchResultEntry> read = pagedSearch(c, Slapd.PEOPLE_DN,
                            Filter.createEqualityFilter("objectClass", "inetOrgPerson"), page, e -> dns.add(e.getDN()));
                    long r1 = System.nanoTime();
                    assertThat(read).hasSize(n);
                    assertThat(dns).hasSize(n);
                    assertThat(read.get(0).getAttributeValue("entryUUID")).isNotNull();
                    double secs = (r1 - r0) / 1e9;
                    System.out.printf("slapd figures: paged read (page %d) of %d entries in %.3f s = %.0f entries/s%n",
                            page, n, secs, n / secs);
                }
            }
            System.out.printf("slapd figures: slapadd of %d entries %.3f s; start (until admin bind) %.3f s%n",
                    n, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        }
    }

    @Test
    void closeStopsItsOwnProcessAndDeletesTheDirectory() throws Exception {
        long pid;
        Path dir;
        long t0 = System.nanoTime();
        try (Slapd s = Slapd.started()) {
            System.out.printf("slapd figures: create + start (until admin bind) %.3f s%n", (System.nanoTime() - t0) / 1e9);
            pid = s.pid();
            dir = s.directory();
            assertThat(pid).isPositive();
            assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
            assertThat(ProcessHandle.of(pid).flatMap(p -> p.info().command())).hasValue(Slapd.SLAPD.toString());
            try (LDAPConnection c = s.connection()) {
                assertThat(c.getEntry(s.baseDn())).isNotNull();
            }
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d gone", pid).isFalse();
        assertThat(dir).doesNotExist();
    }

    @Test
    void slapaddAfterStartIsRefused(Slapd slapd, @TempDir Path tmp) throws Exception {
        Path ldif = Files.writeString(tmp.resolve("x.ldif"), "");
        assertThatThrownBy(() -> slapd.slapadd(ldif)).isInstanceOf(IllegalStateException.class);
        assertThat(slapd.loadLdif(String.join("\n",
                "dn: uid=ld-1," + Slapd.PEOPLE_DN, "objectClass: inetOrgPerson", "uid: ld-1", "cn: L", "sn: D", "",
                "dn: uid=ld-2," + Slapd.PEOPLE_DN, "objectClass: inetOrgPerson", "uid: ld-2", "cn: L", "sn: D", "")))
                .isEqualTo(2);
        try (LDAPConnection c = slapd.connection()) {
            assertThat(c.getEntry("uid=ld-2," + Slapd.PEOPLE_DN)).isNotNull();
        }
    }

    // ------------------------------------------------------------------ helpers

    static String userDn(String uid) {
        return "uid=" + uid + "," + Slapd.PEOPLE_DN;
    }

    static String groupDn(String cn) {
        return "cn=" + cn + "," + Slapd.GROUPS_DN;
    }

    static Entry user(String uid) {
        return user(uid, Slapd.PEOPLE_DN);
    }

    static Entry user(String uid, String parent) {
        return new Entry("uid=" + uid + "," + parent,
                new Attribute("objectClass", "top", "person", "organizationalPerson", "inetOrgPerson"),
                new Attribute("uid", uid),
                new Attribute("cn", "User " + uid),
                new Attribute("sn", uid),
                new Attribute("givenName", "Given"),
                new Attribute("mail", uid + "@usher.test"));
    }

    /** groupOfNames needs at least one member (schema MUST). */
    static Entry group(String cn, String... memberDns) {
        return new Entry(groupDn(cn),
                new Attribute("objectClass", "top", "groupOfNames"),
                new Attribute("cn", cn),
                new Attribute("member", memberDns));
    }

    static void assertExactlyOnce(List<SearchResultEntry> read, List<Entry> expected) {
        List<String> dns = read.stream().map(e -> e.getDN().toLowerCase()).toList();
        assertThat(dns).doesNotHaveDuplicates();
        assertThat(dns).containsExactlyInAnyOrderElementsOf(expected.stream().map(e -> e.getDN().toLowerCase()).toList());
    }

    /** Simple Paged Results, all user attributes plus entryUUID and modifyTimestamp. */
    static List<SearchResultEntry> pagedSearch(LDAPConnection c, String base, Filter filter, int pageSize,
                                               Consumer<SearchResultEntry> each) throws LDAPException {
        List<SearchResultEntry> all = new ArrayList<>();
        ASN1OctetString cookie = null;
        int pages = 0;
        do {
            SearchRequest req = new SearchRequest(base, SearchScope.SUB, filter, "*", "entryUUID", "modifyTimestamp");
            req.setControls(new SimplePagedResultsControl(pageSize, cookie, true));
            SearchResult r = c.search(req);
            assertThat(r.getEntryCount()).isLessThanOrEqualTo(pageSize);
            for (SearchResultEntry e : r.getSearchEntries()) {
                all.add(e);
                each.accept(e);
            }
            pages++;
            SimplePagedResultsControl resp = SimplePagedResultsControl.get(r);
            assertThat(resp).as("paged results response control").isNotNull();
            cookie = resp.moreResultsToReturn() ? resp.getCookie() : null;
        } while (cookie != null);
        assertThat(pages).isGreaterThanOrEqualTo(all.size() / pageSize);
        return all;
    }

    /** What one refreshOnly content-sync search returned. */
    static final class Sync {
        final Map<String, SearchResultEntry> entries = new HashMap<>();
        final Map<String, UUID> uuidByDn = new HashMap<>();
        final Map<String, ContentSyncState> stateByDn = new HashMap<>();
        final Set<ContentSyncState> states = new HashSet<>();
        final Set<UUID> deletedUuids = new HashSet<>();
        final Set<String> deleteVia = new HashSet<>();
        ASN1OctetString cookie;

        Set<String> changedDns() {
            Set<String> s = new HashSet<>();
            stateByDn.forEach((dn, st) -> {
                if (st == ContentSyncState.ADD || st == ContentSyncState.MODIFY) s.add(dn);
            });
            return s;
        }
    }

    static Sync refreshOnly(LDAPConnection c, String base, ASN1OctetString cookie) throws LDAPException {
        return refreshOnlyFiltered(c, base, "(objectClass=*)", cookie);
    }

    static Sync refreshOnlyFiltered(LDAPConnection c, String base, String filter, ASN1OctetString cookie)
            throws LDAPException {
        Sync sync = new Sync();
        SearchResultListener listener = new SearchResultListener() {
            @Override
            public void searchEntryReturned(SearchResultEntry e) {
                try {
                    ContentSyncStateControl st = ContentSyncStateControl.get(e);
                    assertThat(st).as("sync state control on %s", e.getDN()).isNotNull();
                    sync.states.add(st.getState());
                    if (st.getState() == ContentSyncState.DELETE) {
                        sync.deletedUuids.add(st.getEntryUUID());
                        sync.deleteVia.add("entry state DELETE");
                    } else {
                        sync.entries.put(e.getDN(), e);
                        sync.uuidByDn.put(e.getDN(), st.getEntryUUID());
                        sync.stateByDn.put(e.getDN(), st.getState());
                    }
                } catch (LDAPException ex) {
                    throw new AssertionError(ex);
                }
            }

            @Override
            public void searchReferenceReturned(SearchResultReference r) {
            }
        };
        SearchRequest req = new SearchRequest(listener, base, SearchScope.SUB, Filter.create(filter), "*", "+");
        req.setControls(new ContentSyncRequestControl(true, ContentSyncRequestMode.REFRESH_ONLY, cookie, false));
        req.setIntermediateResponseListener(ir -> {
            try {
                ContentSyncInfoIntermediateResponse info = ContentSyncInfoIntermediateResponse.decode(ir);
                if (info.getCookie() != null) sync.cookie = info.getCookie();
                if (info.getEntryUUIDs() != null && info.refreshDeletes()) {
                    sync.deletedUuids.addAll(info.getEntryUUIDs());
                    sync.deleteVia.add("syncIdSet refreshDeletes");
                } else if (info.getEntryUUIDs() != null) {
                    sync.deleteVia.add("syncIdSet present(" + info.getEntryUUIDs().size() + ")");
                }
            } catch (LDAPException ex) {
                throw new AssertionError(ex);
            }
        });
        SearchResult r = c.search(req);
        assertThat(r.getResultCode()).isEqualTo(ResultCode.SUCCESS);
        ContentSyncDoneControl done = ContentSyncDoneControl.get(r);
        assertThat(done).as("sync done control").isNotNull();
        if (done.getCookie() != null) sync.cookie = done.getCookie();
        return sync;
    }
}
