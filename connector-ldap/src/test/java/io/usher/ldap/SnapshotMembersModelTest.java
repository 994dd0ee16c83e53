package io.usher.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import io.usher.core.spi.SourceGroup;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A snapshot's group members against the directory itself, for random small organisations in UnboundID's
 * in-memory server: entry DNs with mixed case, non-ASCII letters, escaped commas and plus signs, inner and
 * trailing spaces; member values naming users, groups read before or after (or the group itself, or a cycle),
 * entries outside the bases and nothing at all, each written as the server printed it or in another case,
 * with spaces after the commas, upper-case attribute types or a hex-escaped character; posixGroup memberUid in
 * any case; page sizes from one entry up. The truth is UnboundID's own DN equality: a member value names the
 * entry whose DN equals it, else it is reported as {@code dn:<value>} ({@code uid:<value>} for memberUid).
 */
class SnapshotMembersModelTest {
    private static final String PASSWORD = "t3st-Secret";
    private static final String PEOPLE = "ou=People,dc=usher,dc=test";
    private static final String GROUPS = "ou=Groups,dc=usher,dc=test";
    private static final String ELSEWHERE = "ou=elsewhere,dc=usher,dc=test";
    private static final String[] PIECES = {"a", "B", "x", "Z", "7", " ", ",", "+", "-", "\u00c4", "\u00e4", "\u00c9",
        "\u00e9", "\u00df", "\u20ac", "\u00f8", "Jo", "SMITH"};

    private static InMemoryDirectoryServer server;

    @BeforeContainer
    static void start() throws Exception {
        InMemoryDirectoryServerConfig cfg = new InMemoryDirectoryServerConfig("dc=usher,dc=test");
        cfg.addAdditionalBindCredentials("cn=admin,dc=usher,dc=test", PASSWORD);
        cfg.setSchema(null);
        cfg.setGenerateOperationalAttributes(false);
        cfg.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0,
                null));
        server = new InMemoryDirectoryServer(cfg);
        server.startListening();
    }

    @AfterContainer
    static void stop() {
        server.shutDown(true);
    }

    private static String tricky(Random rnd, int i) {
        StringBuilder b = new StringBuilder();
        if (rnd.nextInt(5) == 0) {
            b.append(' '); // a leading space (escaped in the DN)
        }
        int n = 1 + rnd.nextInt(10);
        for (int j = 0; j < n; j++) {
            b.append(PIECES[rnd.nextInt(PIECES.length)]);
        }
        b.append('#').append(i); // unique whatever the pieces
        if (rnd.nextInt(4) == 0) {
            b.append(' '); // a trailing space (escaped in the DN)
        }
        return b.toString();
    }

    /** One way a directory may write a DN in a member value: each names the same entry. */
    private static String variant(String dn, Random rnd) throws LDAPException {
        switch (rnd.nextInt(7)) {
            case 0:
            case 1:
                return dn; // as the server printed it: the common case
            case 2: { // other ASCII case
                StringBuilder b = new StringBuilder();
                for (char c : dn.toCharArray()) {
                    b.append(c < 0x80 && rnd.nextBoolean() ? (Character.isUpperCase(c) ? Character.toLowerCase(c)
                            : Character.toUpperCase(c)) : c);
                }
                return b.toString();
            }
            case 3: // other case for the non-ASCII letters
                return swapNonAscii(dn);
            case 4: { // spaces after the separators, attribute types in upper case
                StringBuilder b = new StringBuilder();
                for (RDN r : new DN(dn).getRDNs()) {
                    if (b.length() > 0) {
                        b.append(", ");
                    }
                    String s = r.toString();
                    int eq = s.indexOf('=');
                    b.append(s.substring(0, eq).toUpperCase(Locale.ROOT)).append(s.substring(eq));
                }
                return b.toString();
            }
            case 5: // an escaped comma or plus hex-escaped, else the first letter of the value
                if (dn.contains("\\,")) {
                    return dn.replaceFirst("\\\\,", "\\\\2C");
                }
                if (dn.contains("\\+")) {
                    return dn.replaceFirst("\\\\\\+", "\\\\2b");
                }
                int eq = dn.indexOf('=');
                char c = dn.charAt(eq + 1);
                return c < 0x80 && Character.isLetterOrDigit(c)
                        ? dn.substring(0, eq + 1) + String.format("\\%02x", (int) c) + dn.substring(eq + 2) : dn;
            default:
                return dn.toLowerCase(Locale.ROOT);
        }
    }

    private static String swapNonAscii(String dn) {
        StringBuilder b = new StringBuilder();
        for (char c : dn.toCharArray()) {
            if (c == '\u00c4') {
                c = '\u00e4';
            } else if (c == '\u00e4') {
                c = '\u00c4';
            } else if (c == '\u00c9') {
                c = '\u00e9';
            } else if (c == '\u00e9') {
                c = '\u00c9';
            }
            b.append(c);
        }
        return b.toString();
    }

    private static void add(Entry e) {
        try {
            server.add(e);
        } catch (LDAPException x) {
            if (x.getResultCode() != ResultCode.ENTRY_ALREADY_EXISTS) {
                throw new IllegalStateException(x);
            }
        }
    }

    @Property(tries = 40)
    void groupMembersAreWhatTheDirectorySays(@ForAll long seed) throws Exception {
        Random rnd = new Random(seed);
        server.clear();
        server.add("dn: dc=usher,dc=test", "objectClass: domain", "dc: usher");
        server.add("dn: " + PEOPLE, "objectClass: organizationalUnit", "ou: People");
        server.add("dn: " + GROUPS, "objectClass: organizationalUnit", "ou: Groups");
        server.add("dn: " + ELSEWHERE, "objectClass: organizationalUnit", "ou: elsewhere");

        Map<String, String> userIdByDn = new LinkedHashMap<>(); // DN as added → id
        Map<String, String> loginToId = new LinkedHashMap<>();
        int users = rnd.nextInt(12);
        for (int i = 0; i < users; i++) {
            String dn = new RDN("cn", tricky(rnd, i)).toString() + "," + PEOPLE;
            String id = new UUID(1, i).toString();
            String login = "User" + i;
            Entry e = new Entry(dn);
            e.addAttribute("objectClass", "inetOrgPerson");
            e.addAttribute("uid", login);
            e.addAttribute("cn", "n" + i);
            e.addAttribute("sn", "s");
            e.addAttribute("entryUUID", id);
            add(e);
            userIdByDn.put(dn, id);
            loginToId.put(login.toLowerCase(Locale.ROOT), id);
        }
        // outside the bases: a person elsewhere, and a group-like entry elsewhere
        List<String> outside = List.of("uid=stranger,ou=elsewhere,dc=usher,dc=test",
                "cn=Other Team,ou=elsewhere,dc=usher,dc=test", "cn=gone,ou=Groups,dc=usher,dc=test",
                "cn=n\u00f6body,ou=People,dc=usher,dc=test");
        server.add("dn: " + outside.get(0), "objectClass: inetOrgPerson", "uid: stranger", "cn: s", "sn: s",
                "entryUUID: " + new UUID(9, 1));
        server.add("dn: " + outside.get(1), "objectClass: groupOfNames", "cn: Other Team",
                "entryUUID: " + new UUID(9, 2));

        int groups = 1 + rnd.nextInt(10);
        List<String> groupDns = new ArrayList<>();
        List<String> groupIds = new ArrayList<>();
        for (int j = 0; j < groups; j++) {
            groupDns.add(new RDN("cn", tricky(rnd, 100 + j)).toString() + "," + GROUPS);
            groupIds.add(new UUID(2, j).toString());
        }
        Map<String, Set<String>> wantUsers = new LinkedHashMap<>();
        Map<String, Set<String>> wantGroups = new LinkedHashMap<>();
        List<String> userDns = new ArrayList<>(userIdByDn.keySet());
        for (int j = 0; j < groups; j++) {
            String id = groupIds.get(j);
            Set<String> wu = new HashSet<>();
            Set<String> wg = new HashSet<>();
            boolean posix = rnd.nextInt(4) == 0;
            String attr = posix ? "memberUid" : rnd.nextBoolean() ? "member" : "uniqueMember";
            Entry e = new Entry(groupDns.get(j));
            e.addAttribute("objectClass", posix ? "posixGroup" : attr.equals("member") ? "groupOfNames"
                    : "groupOfUniqueNames");
            e.addAttribute("cn", "g" + j);
            e.addAttribute("entryUUID", id);
            Set<String> values = new java.util.LinkedHashSet<>();
            int n = rnd.nextInt(8);
            for (int k = 0; k < n; k++) {
                int what = rnd.nextInt(10);
                if (posix) {
                    if (what < 7 && users > 0) {
                        int u = rnd.nextInt(users);
                        String login = rnd.nextBoolean() ? "USER" + u : "user" + u;
                        if (values.add(login)) {
                            wu.add(loginToId.get(login.toLowerCase(Locale.ROOT)));
                        }
                    } else if (values.add("nobody" + k)) {
                        wu.add("uid:nobody" + k);
                    }
                    continue;
                }
                String target;
                if (what < 5 && users > 0) {
                    target = userDns.get(rnd.nextInt(users));
                } else if (what < 8) {
                    target = groupDns.get(rnd.nextInt(groups)); // earlier, later, or this very group
                } else {
                    target = outside.get(rnd.nextInt(outside.size()));
                }
                String value = variant(target, rnd);
                assertThat(new DN(value)).as("variant %s of %s", value, target).isEqualTo(new DN(target));
                if (!values.add(value)) {
                    continue;
                }
                if (userIdByDn.containsKey(target)) {
                    wu.add(userIdByDn.get(target));
                } else if (groupDns.contains(target)) {
                    String gid = groupIds.get(groupDns.indexOf(target));
                    if (!gid.equals(id)) {
                        wg.add(gid);
                    }
                } else {
                    wu.add("dn:" + value);
                }
            }
            if (!values.isEmpty()) {
                e.addAttribute(attr, values);
            }
            add(e);
            wantUsers.put(id, wu);
            wantGroups.put(id, wg);
        }

        LdapSourceConnectorTest.Collected c = new LdapSourceConnectorTest.Collected();
        int pageSize = 1 + rnd.nextInt(4);
        try (LdapSourceConnector conn = new LdapSourceConnector(LdapConfig.builder()
                .url("ldap://127.0.0.1:" + server.getListenPort()).preset(Preset.OPENLDAP)
                .bind("cn=admin,dc=usher,dc=test", PASSWORD).usersBase(PEOPLE).groupsBase(GROUPS)
                .pageSize(pageSize).build())) {
            conn.snapshot(c);
        }
        assertThat(c.unreadable).isEmpty();
        assertThat(c.users).hasSize(users);
        assertThat(c.groups.keySet()).containsExactlyInAnyOrderElementsOf(groupIds);
        for (String id : groupIds) {
            SourceGroup g = c.groups.get(id);
            assertThat(g.memberUserIds()).as("users of %s (%s)", id, groupDns.get(groupIds.indexOf(id)))
                    .containsExactlyInAnyOrderElementsOf(wantUsers.get(id));
            assertThat(g.memberGroupIds()).as("groups of %s (%s)", id, groupDns.get(groupIds.indexOf(id)))
                    .containsExactlyInAnyOrderElementsOf(wantGroups.get(id));
        }
    }
}
