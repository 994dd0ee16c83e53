package io.usher.testkit.ldap;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.RDN;
import io.usher.core.spi.SourceUser;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Where entries live and what they hold, for one {@link LdapDirectoryServer.Flavour}. Builds DNs only with
 * the SDK's {@link DN} and {@link RDN} (which escape values) and entries as plain {@link Entry} objects;
 * has no state besides the DNs, so it is immutable and thread-safe.
 */
abstract class Layout {
    /** Attribute names a directory attribute must have to be served (LDAP descriptors: a letter, then letters, digits, hyphens). */
    static final Pattern DESCRIPTOR = Pattern.compile("[A-Za-z][A-Za-z0-9-]*");
    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter AD_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss'.0Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    final DN base;
    final DN users;
    final DN groups;
    final DN admin;

    Layout(DN base, DN users, DN groups, DN admin) {
        this.base = base;
        this.users = users;
        this.groups = groups;
        this.admin = admin;
    }

    static Layout of(LdapDirectoryServer.Flavour flavour) {
        return flavour == LdapDirectoryServer.Flavour.OPENLDAP ? new OpenLdap() : new ActiveDirectory();
    }

    /**
     * The DN of a user. {@code unique} asks for a DN that cannot collide: directories may hold
     * {@code jdoe} and {@code JDoe} as two people, which one LDAP server cannot name apart (RDN values
     * compare ignoring case), so the later one gets a DN that includes its id.
     */
    abstract DN userDn(DirectoryUser user, boolean unique);

    /** The DN of a group; {@code unique} as for {@link #userDn}. */
    abstract DN groupDn(DirectoryGroup group, boolean unique);

    /** The base and container entries, parents first. */
    abstract List<Entry> containers(byte[] invocationId);

    /**
     * A user's entry without {@code memberOf} (the replicator adds it from its membership mirror).
     *
     * @param stamp the entry's creation and last change
     */
    abstract Entry userEntry(DN dn, DirectoryUser user, Stamp stamp);

    /** A group's entry without {@code member} and {@code memberOf}. */
    abstract Entry groupEntry(DN dn, DirectoryGroup group, Stamp stamp);

    /** The attributes that say when an entry changed (and with which USN), to replace on every change. */
    abstract List<Attribute> changeStamp(Stamp stamp);

    /** Names this layout sets itself, in lower case; directory attributes with these names are not served. */
    abstract Set<String> reservedNames();

    /** Whether the layout keeps {@code memberOf} back-links on members (Active Directory). */
    abstract boolean memberOf();

    /** When an entry was created and last changed, with the USNs of both (0 for OpenLDAP). */
    record Stamp(Instant created, long usnCreated, Instant changed, long usnChanged) {
        Stamp changedAt(Instant when, long usn) {
            return new Stamp(created, usnCreated, when, usn);
        }
    }

    /** Adds the user's directory attributes that have a valid, non-reserved name. */
    void addExtraAttributes(Entry e, DirectoryUser user) {
        Set<String> reserved = reservedNames();
        for (Map.Entry<String, List<String>> a : user.attributes().entrySet()) {
            if (!a.getValue().isEmpty() && servable(a.getKey(), reserved)) {
                e.addAttribute(new Attribute(a.getKey(), a.getValue()));
            }
        }
    }

    static boolean servable(String name, Set<String> reserved) {
        return DESCRIPTOR.matcher(name).matches() && !reserved.contains(name.toLowerCase(Locale.ROOT));
    }

    static String seconds(Instant t) {
        return SECONDS.format(t);
    }

    static String adTime(Instant t) {
        return AD_TIME.format(t);
    }

    static DN child(String attr, String value, DN parent) {
        return new DN(new RDN(attr, value), parent);
    }

    private static Set<String> lower(String... names) {
        Set<String> s = new TreeSet<>();
        for (String n : names) {
            s.add(n.toLowerCase(Locale.ROOT));
        }
        return Set.copyOf(s);
    }

    private static void put(Entry e, String name, String value) {
        if (value != null) {
            e.addAttribute(name, value);
        }
    }

    // ------------------------------------------------------------------ OpenLDAP

    static final class OpenLdap extends Layout {
        static final String LOCKED = "000001010000Z";
        private static final Set<String> RESERVED = lower("objectClass", "uid", "cn", "sn", "givenName", "mail",
                "entryUUID", "createTimestamp", "modifyTimestamp", "pwdAccountLockedTime", "employeeType", "member",
                "memberOf", "description", "entryDN", "creatorsName", "modifiersName", "subschemaSubentry");

        OpenLdap() {
            super(dn("dc=usher,dc=test"), dn("ou=people,dc=usher,dc=test"), dn("ou=groups,dc=usher,dc=test"),
                    dn("cn=admin,dc=usher,dc=test"));
        }

        @Override
        DN userDn(DirectoryUser user, boolean unique) {
            return unique ? new DN(new RDN(new String[] {"uid", "entryUUID"}, new String[] {user.loginName(), user.id()}),
                    users) : child("uid", user.loginName(), users);
        }

        @Override
        DN groupDn(DirectoryGroup group, boolean unique) {
            return unique ? new DN(new RDN(new String[] {"cn", "entryUUID"}, new String[] {group.name(), group.id()}),
                    groups) : child("cn", group.name(), groups);
        }

        @Override
        List<Entry> containers(byte[] invocationId) {
            return List.of(
                    new Entry(base, new Attribute("objectClass", "top", "domain"), new Attribute("dc", "usher")),
                    new Entry(users, new Attribute("objectClass", "top", "organizationalUnit"),
                            new Attribute("ou", "people")),
                    new Entry(groups, new Attribute("objectClass", "top", "organizationalUnit"),
                            new Attribute("ou", "groups")));
        }

        @Override
        Entry userEntry(DN dn, DirectoryUser u, Stamp stamp) {
            Entry e = new Entry(dn);
            e.addAttribute("objectClass", "top", "person", "organizationalPerson", "inetOrgPerson");
            e.addAttribute("uid", u.loginName());
            e.addAttribute("cn", u.displayName() != null ? u.displayName() : u.loginName());
            e.addAttribute("sn", u.familyName() != null ? u.familyName() : u.loginName());
            put(e, "givenName", u.givenName());
            if (!u.emails().isEmpty()) {
                e.addAttribute(new Attribute("mail", u.emails()));
            }
            e.addAttribute("entryUUID", u.id());
            e.addAttribute("createTimestamp", seconds(stamp.created()));
            e.addAttribute("modifyTimestamp", seconds(stamp.changed()));
            if (!u.enabled()) {
                e.addAttribute("pwdAccountLockedTime", LOCKED);
            }
            kind(e, u.kind());
            addExtraAttributes(e, u);
            return e;
        }

        @Override
        Entry groupEntry(DN dn, DirectoryGroup g, Stamp stamp) {
            Entry e = new Entry(dn);
            e.addAttribute("objectClass", "top", "groupOfNames");
            e.addAttribute("cn", g.name());
            put(e, "description", g.description());
            e.addAttribute("entryUUID", g.id());
            e.addAttribute("createTimestamp", seconds(stamp.created()));
            e.addAttribute("modifyTimestamp", seconds(stamp.changed()));
            return e;
        }

        @Override
        List<Attribute> changeStamp(Stamp stamp) {
            return List.of(new Attribute("modifyTimestamp", seconds(stamp.changed())));
        }

        @Override
        Set<String> reservedNames() {
            return RESERVED;
        }

        @Override
        boolean memberOf() {
            return false;
        }
    }

    static void kind(Entry e, SourceUser.Kind kind) {
        if (kind == SourceUser.Kind.GUEST) {
            e.addAttribute("employeeType", "guest");
        } else if (kind == SourceUser.Kind.SERVICE) {
            e.addAttribute("employeeType", "service");
        }
    }

    // ------------------------------------------------------------------ Active Directory

    static final class ActiveDirectory extends Layout {
        static final int NORMAL_ACCOUNT = 512;
        static final int ACCOUNTDISABLE = 0x2;
        static final String GLOBAL_SECURITY_GROUP = "-2147483646";
        static final String UPN_SUFFIX = "@usher.test";
        static final DN DELETED_OBJECTS = dn("CN=Deleted Objects,DC=usher,DC=test");
        static final DN NTDS_SETTINGS = dn(
                "CN=NTDS Settings,CN=DC1,CN=Servers,CN=Default-First-Site-Name,CN=Sites,CN=Configuration,DC=usher,DC=test");
        private static final Set<String> RESERVED = lower("objectClass", "cn", "sAMAccountName", "userPrincipalName",
                "displayName", "givenName", "sn", "mail", "objectGUID", "userAccountControl", "memberOf", "member",
                "uSNCreated", "uSNChanged", "whenCreated", "whenChanged", "employeeType", "isDeleted",
                "lastKnownParent", "description", "groupType", "name");

        ActiveDirectory() {
            super(dn("DC=usher,DC=test"), dn("OU=Users,DC=usher,DC=test"), dn("OU=Groups,DC=usher,DC=test"),
                    dn("CN=Administrator,CN=Users,DC=usher,DC=test"));
        }

        @Override
        DN userDn(DirectoryUser user, boolean unique) {
            return child("CN", unique ? user.loginName() + " (" + user.id() + ")" : user.loginName(), users);
        }

        @Override
        DN groupDn(DirectoryGroup group, boolean unique) {
            return child("CN", unique ? group.name() + " (" + group.id() + ")" : group.name(), groups);
        }

        @Override
        List<Entry> containers(byte[] invocationId) {
            List<Entry> out = new ArrayList<>();
            out.add(new Entry(base, new Attribute("objectClass", "top", "domain"), new Attribute("dc", "usher")));
            out.add(new Entry(users, new Attribute("objectClass", "top", "organizationalUnit"),
                    new Attribute("ou", "Users")));
            out.add(new Entry(groups, new Attribute("objectClass", "top", "organizationalUnit"),
                    new Attribute("ou", "Groups")));
            out.add(new Entry(DELETED_OBJECTS, new Attribute("objectClass", "top", "container"),
                    new Attribute("cn", "Deleted Objects"), new Attribute("isDeleted", "TRUE")));
            // the configuration chain down to the NTDS Settings entry that dsServiceName names
            List<DN> chain = new ArrayList<>();
            for (DN d = NTDS_SETTINGS.getParent(); !d.equals(base); d = d.getParent()) {
                chain.add(0, d);
            }
            for (DN d : chain) {
                out.add(new Entry(d, new Attribute("objectClass", "top", "container"),
                        new Attribute("cn", d.getRDN().getAttributeValues()[0])));
            }
            out.add(new Entry(NTDS_SETTINGS, new Attribute("objectClass", "top", "nTDSDSA"),
                    new Attribute("cn", "NTDS Settings"), new Attribute("invocationId", invocationId)));
            return out;
        }

        @Override
        Entry userEntry(DN dn, DirectoryUser u, Stamp stamp) {
            Entry e = new Entry(dn);
            e.addAttribute("objectClass", "top", "person", "organizationalPerson", "user");
            e.addAttribute("cn", dn.getRDN().getAttributeValues()[0]);
            e.addAttribute("sAMAccountName", u.loginName());
            e.addAttribute("userPrincipalName", u.loginName() + UPN_SUFFIX);
            put(e, "displayName", u.displayName());
            put(e, "givenName", u.givenName());
            put(e, "sn", u.familyName());
            if (!u.emails().isEmpty()) {
                e.addAttribute("mail", u.emails().get(0));
            }
            e.addAttribute(new Attribute("objectGUID", guidBytes(u.id())));
            e.addAttribute("userAccountControl",
                    Integer.toString(u.enabled() ? NORMAL_ACCOUNT : NORMAL_ACCOUNT | ACCOUNTDISABLE));
            kind(e, u.kind());
            stamp(e, stamp);
            addExtraAttributes(e, u);
            return e;
        }

        @Override
        Entry groupEntry(DN dn, DirectoryGroup g, Stamp stamp) {
            Entry e = new Entry(dn);
            e.addAttribute("objectClass", "top", "group");
            e.addAttribute("cn", dn.getRDN().getAttributeValues()[0]);
            e.addAttribute("sAMAccountName", g.name());
            put(e, "description", g.description());
            e.addAttribute(new Attribute("objectGUID", guidBytes(g.id())));
            e.addAttribute("groupType", GLOBAL_SECURITY_GROUP);
            stamp(e, stamp);
            return e;
        }

        /** The tombstone of a deleted user or group: renamed under Deleted Objects, most attributes stripped. */
        Entry tombstone(Entry live, String id, Stamp stamp) throws com.unboundid.ldap.sdk.LDAPException {
            String name = live.getParsedDN().getRDN().getAttributeValues()[0];
            String guid = AdGuid.toString(guidBytes(id));
            String cn = name + "\nDEL:" + guid;
            Entry e = new Entry(child("CN", cn, DELETED_OBJECTS));
            e.addAttribute(live.getAttribute("objectClass"));
            e.addAttribute("cn", cn);
            e.addAttribute(new Attribute("objectGUID", guidBytes(id)));
            e.addAttribute("isDeleted", "TRUE");
            e.addAttribute("lastKnownParent", live.getParsedDN().getParent().toString());
            if (live.hasAttribute("sAMAccountName")) {
                e.addAttribute(live.getAttribute("sAMAccountName"));
            }
            stamp(e, stamp);
            return e;
        }

        private static void stamp(Entry e, Stamp stamp) {
            e.addAttribute("uSNCreated", Long.toString(stamp.usnCreated()));
            e.addAttribute("uSNChanged", Long.toString(stamp.usnChanged()));
            e.addAttribute("whenCreated", adTime(stamp.created()));
            e.addAttribute("whenChanged", adTime(stamp.changed()));
        }

        @Override
        List<Attribute> changeStamp(Stamp stamp) {
            return List.of(new Attribute("uSNChanged", Long.toString(stamp.usnChanged())),
                    new Attribute("whenChanged", adTime(stamp.changed())));
        }

        @Override
        Set<String> reservedNames() {
            return RESERVED;
        }

        @Override
        boolean memberOf() {
            return true;
        }
    }

    /**
     * The objectGUID bytes of a directory id: its own bytes when it is a canonical GUID (the directory
     * generates such ids), else a name-based UUID of the id's text, so that any id still has a stable GUID.
     */
    static byte[] guidBytes(String id) {
        try {
            return AdGuid.toBytes(id);
        } catch (IllegalArgumentException notAGuid) {
            return AdGuid.toBytes(UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString());
        }
    }

    static DN dn(String text) {
        try {
            return new DN(text);
        } catch (com.unboundid.ldap.sdk.LDAPException e) {
            throw new IllegalArgumentException("bad constant DN", e);
        }
    }
}
