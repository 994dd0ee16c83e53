package io.usher.ldap.servers;

import com.unboundid.ldap.sdk.AddRequest;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes a running slapd hold what an {@link InMemoryDirectory} holds now, in the {@link OpenLdapLdif} layout:
 * adds (with entryUUID set through the Relax Rules control, as a replication consumer would), renames by
 * modrdn, attribute replaces and deletes, found by comparing entryUUIDs. For test-sized directories; the
 * slapd contract test calls it before every read. Thread-safe (synchronized).
 */
public final class SlapdMirror {
    private static final String RELAX_OID = "1.3.6.1.4.1.4203.666.5.12";
    private static final List<String> COMPARED = List.of("uid", "cn", "sn", "givenName", "mail", "employeeType",
            "pwdAccountLockedTime", "description", "member");

    private final Slapd slapd;
    private final InMemoryDirectory directory;

    public SlapdMirror(Slapd slapd, InMemoryDirectory directory) {
        this.slapd = slapd;
        this.directory = directory;
    }

    public synchronized void sync() throws LDAPException {
        Map<String, Entry> wantUsers = new LinkedHashMap<>();
        for (Iterator<DirectoryUser> it = directory.users().iterator(); it.hasNext(); ) {
            DirectoryUser u = it.next();
            wantUsers.put(u.id(), OpenLdapLdif.userEntry(u));
        }
        Map<String, Entry> wantGroups = new LinkedHashMap<>();
        for (Iterator<DirectoryGroup> it = directory.groups().iterator(); it.hasNext(); ) {
            DirectoryGroup g = it.next();
            Entry e = OpenLdapLdif.groupEntry(directory, g);
            if (e != null) {
                wantGroups.put(g.id(), e);
            }
        }
        try (LDAPConnection c = slapd.connection()) {
            Map<String, SearchResultEntry> haveUsers = current(c, Slapd.PEOPLE_DN);
            Map<String, SearchResultEntry> haveGroups = current(c, Slapd.GROUPS_DN);
            // groups that go away first (they may name users that go away)
            for (Map.Entry<String, SearchResultEntry> g : haveGroups.entrySet()) {
                if (!wantGroups.containsKey(g.getKey())) {
                    c.delete(g.getValue().getDN());
                }
            }
            reconcile(c, wantUsers, haveUsers);
            reconcile(c, wantGroups, haveGroups);
            for (Map.Entry<String, SearchResultEntry> u : haveUsers.entrySet()) {
                if (!wantUsers.containsKey(u.getKey())) {
                    c.delete(u.getValue().getDN());
                }
            }
        }
    }

    private static Map<String, SearchResultEntry> current(LDAPConnection c, String base) throws LDAPException {
        Map<String, SearchResultEntry> out = new HashMap<>();
        for (SearchResultEntry e : c.search(base, SearchScope.ONE, "(objectClass=*)", "*", "entryUUID",
                "pwdAccountLockedTime").getSearchEntries()) {
            out.put(e.getAttributeValue("entryUUID"), e);
        }
        return out;
    }

    private static void reconcile(LDAPConnection c, Map<String, Entry> want, Map<String, SearchResultEntry> have)
            throws LDAPException {
        // renames first, so member values written below name the new DNs
        for (Map.Entry<String, Entry> w : want.entrySet()) {
            SearchResultEntry h = have.get(w.getKey());
            if (h != null && !new DN(h.getDN()).equals(new DN(w.getValue().getDN()))) {
                c.modifyDN(h.getDN(), w.getValue().getParsedDN().getRDN().toString(), true);
            }
        }
        for (Map.Entry<String, Entry> w : want.entrySet()) {
            Entry wanted = w.getValue();
            SearchResultEntry h = have.get(w.getKey());
            if (h == null) {
                AddRequest add = new AddRequest(wanted);
                add.addControl(new Control(RELAX_OID, true));
                c.add(add);
                continue;
            }
            List<Modification> mods = new java.util.ArrayList<>();
            for (String name : COMPARED) {
                Set<String> a = values(wanted.getAttribute(name));
                Set<String> b = values(h.getAttribute(name));
                if (!a.equals(b)) {
                    mods.add(a.isEmpty() ? new Modification(ModificationType.DELETE, name)
                            : new Modification(ModificationType.REPLACE, name, wanted.getAttributeValues(name)));
                }
            }
            if (!mods.isEmpty()) {
                c.modify(wanted.getDN(), mods);
            }
        }
    }

    private static Set<String> values(Attribute a) {
        Set<String> out = new HashSet<>();
        if (a != null) {
            for (String v : a.getValues()) {
                out.add(v.toLowerCase(java.util.Locale.ROOT));
            }
        }
        return out;
    }
}
