package io.usher.ldap.servers;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.RDN;
import io.usher.core.model.MemberKind;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;

/**
 * Writes an {@link InMemoryDirectory} as LDIF in the OpenLDAP layout the slapd fixture serves (users
 * {@code uid=…,ou=people}, {@code groupOfNames} groups under {@code ou=groups}, entryUUID = the directory's
 * ids, ppolicy lock for disabled users), for {@link Slapd#slapadd}. Streams entry by entry, so a 1M-user
 * directory needs no more memory than the directory itself. Empty groups are left out: OpenLDAP's
 * {@code groupOfNames} requires a member. Logins must be unique ignoring case (they become RDNs).
 * Stateless and thread-safe.
 */
public final class OpenLdapLdif {
    private static final DN PEOPLE = dn(Slapd.PEOPLE_DN);
    private static final DN GROUPS = dn(Slapd.GROUPS_DN);

    private OpenLdapLdif() {}

    public static String userDn(DirectoryUser u) {
        return new DN(new RDN("uid", u.loginName()), PEOPLE).toString();
    }

    public static String groupDn(DirectoryGroup g) {
        return new DN(new RDN("cn", g.name()), GROUPS).toString();
    }

    /** The entry a directory user becomes (entryUUID = its id; a locked password policy when disabled). */
    public static Entry userEntry(DirectoryUser u) {
        Entry e = new Entry(userDn(u));
        e.addAttribute("objectClass", "top", "person", "organizationalPerson", "inetOrgPerson");
        e.addAttribute("uid", u.loginName());
        e.addAttribute("cn", u.displayName() == null ? u.loginName() : u.displayName());
        e.addAttribute("sn", u.familyName() == null ? u.loginName() : u.familyName());
        if (u.givenName() != null) {
            e.addAttribute("givenName", u.givenName());
        }
        if (!u.emails().isEmpty()) {
            e.addAttribute("mail", u.emails());
        }
        if (u.kind() != io.usher.core.spi.SourceUser.Kind.MEMBER) {
            e.addAttribute("employeeType", u.kind().name().toLowerCase(java.util.Locale.ROOT));
        }
        e.addAttribute("entryUUID", u.id());
        if (!u.enabled()) {
            e.addAttribute("pwdAccountLockedTime", "000001010000Z");
        }
        return e;
    }

    /** The entry a directory group becomes, or null for an empty group (groupOfNames needs a member). */
    public static Entry groupEntry(InMemoryDirectory dir, DirectoryGroup g) {
        Set<String> users = dir.members(g.id(), MemberKind.USER);
        Set<String> groups = dir.members(g.id(), MemberKind.GROUP);
        if (users.isEmpty() && groups.isEmpty()) {
            return null;
        }
        Entry e = new Entry(groupDn(g));
        e.addAttribute("objectClass", "top", "groupOfNames");
        e.addAttribute("cn", g.name());
        if (g.description() != null) {
            e.addAttribute("description", g.description());
        }
        e.addAttribute("entryUUID", g.id());
        java.util.List<String> members = new java.util.ArrayList<>(users.size() + groups.size());
        for (String id : users) {
            members.add(userDn(dir.user(id).orElseThrow()));
        }
        for (String id : groups) {
            members.add(groupDn(dir.group(id).orElseThrow()));
        }
        e.addAttribute("member", members); // once: adding value by value copies the attribute each time
        return e;
    }

    /** Writes the directory to a new temp file (deleted on exit) and returns it. */
    public static Path write(InMemoryDirectory dir) throws IOException {
        Path file = Files.createTempFile("usher-slapd-", ".ldif");
        file.toFile().deleteOnExit();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Iterator<DirectoryUser> it = dir.users().iterator(); it.hasNext(); ) {
                out.write(userEntry(it.next()).toLDIFString());
                out.write('\n');
            }
            for (Iterator<DirectoryGroup> it = dir.groups().iterator(); it.hasNext(); ) {
                Entry e = groupEntry(dir, it.next());
                if (e != null) {
                    out.write(e.toLDIFString());
                    out.write('\n');
                }
            }
        }
        return file;
    }

    private static DN dn(String s) {
        try {
            return new DN(s);
        } catch (com.unboundid.ldap.sdk.LDAPException e) {
            throw new IllegalStateException(e);
        }
    }
}
