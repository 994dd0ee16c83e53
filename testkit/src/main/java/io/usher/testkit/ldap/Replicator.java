package io.usher.testkit.ldap;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.schema.Schema;
import io.usher.core.model.MemberKind;
import io.usher.testkit.ChangeBatch;
import io.usher.testkit.DirectoryChange;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the in-memory LDAP server's entries equal to an {@link InMemoryDirectory}: a bulk load at start,
 * then, before each search, the directory's change log since the applied high-water mark, as LDAP adds,
 * modifies, modify-DNs and deletes (and, for Active Directory, tombstones). If the log was trimmed past the
 * mark, everything is rebuilt.
 *
 * <p>It mirrors what it has served (each entry's DN, stamps, members and parents) so that it never scans
 * the server: a change costs O(entries it touches). Replay is idempotent, so a snapshot read while the
 * directory moves, followed by the log since the snapshot began, converges to the directory's state.
 *
 * <p>Thread-safe: every public method holds this object's monitor.
 */
final class Replicator {
    private static final Logger LOG = LoggerFactory.getLogger(Replicator.class);
    private static final Set<String> NOT_COMPARED = Set.of("member", "memberof", "entrydn", "subschemasubentry",
            "hassubordinates", "numsubordinates", "creatorsname", "modifiersname");

    private final InMemoryDirectory directory;
    private final Layout layout;
    private final LdapSchema schema;
    private final Clock clock;
    private InMemoryDirectoryServer ds;

    private final Map<String, Node> nodes = new HashMap<>();
    /** Which node holds each DN (DN equality ignores case, as LDAP does). */
    private final Map<DN, String> owners = new HashMap<>();
    private final Map<DN, Entry> tombstones = new HashMap<>();
    private byte[] invocationId;
    private long applied;
    private long usn;
    private Snapshot pending;

    /** One served user or group. */
    private static final class Node {
        final String key;
        DirectoryUser user;
        DirectoryGroup group;
        DN dn;
        Layout.Stamp stamp;
        /** member keys, in the order their DNs were added to the entry */
        final LinkedHashSet<String> members = new LinkedHashSet<>();
        final Set<String> parents = new HashSet<>();

        Node(String key) {
            this.key = key;
        }

        boolean isGroup() {
            return group != null;
        }
    }

    /** The directory as read at one point, before the log since that point is replayed. */
    private record Snapshot(long sequence, List<DirectoryUser> users, List<DirectoryGroup> groups,
            Map<String, Set<String>> userMembers, Map<String, Set<String>> groupMembers, Set<String> extraNames) {}

    Replicator(InMemoryDirectory directory, Layout layout, LdapSchema schema, Clock clock, byte[] invocationId) {
        this.directory = directory;
        this.layout = layout;
        this.schema = schema;
        this.clock = clock;
        this.invocationId = invocationId.clone();
    }

    /** Reads the directory and returns the schema the server must be configured with. */
    synchronized Schema prepare() {
        pending = snapshot();
        return schema.initial(pending.extraNames());
    }

    /** Loads the prepared snapshot into the server, then replays what changed meanwhile. */
    synchronized void load(InMemoryDirectoryServer server) throws LDAPException {
        this.ds = server;
        write(pending);
        pending = null;
        catchUp();
    }

    /** Applies the directory's changes since the last call; rebuilds if the log no longer reaches back. */
    synchronized void catchUp() throws LDAPException {
        if (directory.currentSequence() == applied) {
            return;
        }
        Optional<ChangeBatch> batch = directory.changesSince(applied);
        if (batch.isEmpty()) {
            LOG.info("change log trimmed past sequence {}: rebuilding the LDAP entries", applied);
            rebuild();
            return;
        }
        for (DirectoryChange c : batch.get().changes()) {
            apply(c);
        }
        applied = batch.get().toSequence();
    }

    synchronized long usn() {
        return usn;
    }

    synchronized long appliedSequence() {
        return applied;
    }

    synchronized byte[] invocationId() {
        return invocationId.clone();
    }

    synchronized void resetInvocationId(byte[] id) throws LDAPException {
        invocationId = id.clone();
        ds.modify(Layout.ActiveDirectory.NTDS_SETTINGS.toString(),
                new Modification(ModificationType.REPLACE, "invocationId", invocationId));
    }

    // ------------------------------------------------------------------ snapshot and bulk load

    private Snapshot snapshot() {
        long seq = directory.currentSequence();
        List<DirectoryUser> users = new ArrayList<>();
        Set<String> extras = new LinkedHashSet<>();
        Set<String> reserved = layout.reservedNames();
        directory.users().forEach(u -> {
            users.add(u);
            for (String n : u.attributes().keySet()) {
                if (Layout.servable(n, reserved)) {
                    extras.add(n);
                }
            }
        });
        List<DirectoryGroup> groups = new ArrayList<>();
        Map<String, Set<String>> um = new HashMap<>();
        Map<String, Set<String>> gm = new HashMap<>();
        directory.groups().forEach(g -> {
            groups.add(g);
            um.put(g.id(), directory.members(g.id(), MemberKind.USER));
            gm.put(g.id(), directory.members(g.id(), MemberKind.GROUP));
        });
        return new Snapshot(seq, users, groups, um, gm, dedupe(extras));
    }

    private static Set<String> dedupe(Set<String> names) {
        Map<String, String> byLower = new HashMap<>();
        Set<String> out = new LinkedHashSet<>();
        for (String n : names) {
            if (byLower.putIfAbsent(n.toLowerCase(Locale.ROOT), n) == null) {
                out.add(n);
            }
        }
        return out;
    }

    private void write(Snapshot s) throws LDAPException {
        long started = System.nanoTime();
        Instant now = clock.instant();
        for (Entry c : layout.containers(invocationId)) {
            ds.add(c);
        }
        for (Entry t : tombstones.values()) {
            ds.add(t);
        }
        for (DirectoryUser u : s.users()) {
            Node n = new Node(userKey(u.id()));
            n.user = u;
            n.stamp = new Layout.Stamp(now, ++usn, now, usn);
            place(n, layout.userDn(u, false), layout.userDn(u, true));
            nodes.put(n.key, n);
        }
        for (DirectoryGroup g : s.groups()) {
            Node n = new Node(groupKey(g.id()));
            n.group = g;
            n.stamp = new Layout.Stamp(now, ++usn, now, usn);
            place(n, layout.groupDn(g, false), layout.groupDn(g, true));
            nodes.put(n.key, n);
        }
        for (DirectoryGroup g : s.groups()) {
            Node gn = nodes.get(groupKey(g.id()));
            link(gn, s.userMembers().get(g.id()), MemberKind.USER);
            link(gn, s.groupMembers().get(g.id()), MemberKind.GROUP);
        }
        for (DirectoryUser u : s.users()) {
            ds.add(entryOf(nodes.get(userKey(u.id()))));
        }
        for (DirectoryGroup g : s.groups()) {
            ds.add(entryOf(nodes.get(groupKey(g.id()))));
        }
        applied = s.sequence();
        LOG.debug("loaded {} users and {} groups into LDAP in {} ms", s.users().size(), s.groups().size(),
                (System.nanoTime() - started) / 1_000_000);
    }

    private void link(Node group, Set<String> memberIds, MemberKind kind) {
        for (String id : memberIds) {
            Node m = nodes.get(kind == MemberKind.USER ? userKey(id) : groupKey(id));
            if (m != null) {
                group.members.add(m.key);
                m.parents.add(group.key);
            }
        }
    }

    private void rebuild() throws LDAPException {
        Snapshot s = snapshot();
        extendSchema(s.extraNames());
        ds.clear();
        nodes.clear();
        owners.clear();
        write(s);
        catchUp();
    }

    // ------------------------------------------------------------------ entries

    private Entry entryOf(Node n) {
        Entry e = n.isGroup() ? layout.groupEntry(n.dn, n.group, n.stamp) : layout.userEntry(n.dn, n.user, n.stamp);
        if (n.isGroup() && !n.members.isEmpty()) {
            List<String> dns = new ArrayList<>(n.members.size());
            for (String k : n.members) {
                dns.add(nodes.get(k).dn.toString());
            }
            e.addAttribute(new Attribute("member", dns));
        }
        if (layout.memberOf() && !n.parents.isEmpty()) {
            List<String> dns = new ArrayList<>(n.parents.size());
            for (String k : n.parents) {
                dns.add(nodes.get(k).dn.toString());
            }
            e.addAttribute(new Attribute("memberOf", dns));
        }
        return e;
    }

    private void place(Node n, DN natural, DN unique) {
        String holder = owners.get(natural);
        DN dn = holder == null || holder.equals(n.key) ? natural : unique;
        if (n.dn != null) {
            owners.remove(n.dn, n.key);
        }
        n.dn = dn;
        owners.put(dn, n.key);
    }

    // ------------------------------------------------------------------ changes

    private void apply(DirectoryChange change) throws LDAPException {
        if (change instanceof DirectoryChange.UserUpserted c) {
            upsert(userKey(c.user().id()), c.user(), null);
        } else if (change instanceof DirectoryChange.GroupAdded c) {
            upsert(groupKey(c.group().id()), null, c.group());
        } else if (change instanceof DirectoryChange.GroupUpdated c) {
            upsert(groupKey(c.group().id()), null, c.group());
        } else if (change instanceof DirectoryChange.UserDeleted c) {
            delete(userKey(c.userId()));
        } else if (change instanceof DirectoryChange.GroupDeleted c) {
            delete(groupKey(c.groupId()));
        } else if (change instanceof DirectoryChange.MemberAdded c) {
            membership(c.groupId(), c.kind(), c.memberId(), true);
        } else if (change instanceof DirectoryChange.MemberRemoved c) {
            membership(c.groupId(), c.kind(), c.memberId(), false);
        }
    }

    private void upsert(String key, DirectoryUser user, DirectoryGroup group) throws LDAPException {
        if (user != null) {
            extendSchema(servableNames(user));
        }
        Instant now = clock.instant();
        long stampUsn = ++usn;
        Node n = nodes.get(key);
        DN natural = user != null ? layout.userDn(user, false) : layout.groupDn(group, false);
        DN unique = user != null ? layout.userDn(user, true) : layout.groupDn(group, true);
        if (n == null) {
            n = new Node(key);
            n.user = user;
            n.group = group;
            n.stamp = new Layout.Stamp(now, stampUsn, now, stampUsn);
            place(n, natural, unique);
            nodes.put(key, n);
            ds.add(entryOf(n));
            return;
        }
        n.user = user;
        n.group = group;
        n.stamp = n.stamp.changedAt(now, stampUsn);
        DN old = n.dn;
        boolean sameName = natural.toString().equals(old.toString()) || unique.toString().equals(old.toString());
        if (!sameName) {
            place(n, natural, unique);
            if (n.dn.equals(old)) {
                // a change of case only: the server refuses a modify-DN to an equal DN, so go through the unique one
                ds.modifyDN(old.toString(), unique.getRDNString(), true);
                ds.modifyDN(unique.toString(), n.dn.getRDNString(), true);
            } else {
                ds.modifyDN(old.toString(), n.dn.getRDNString(), true);
            }
            relink(n, old);
        }
        Entry target = entryOf(n);
        Entry current = ds.getEntry(n.dn.toString(), "*", "+");
        Set<String> names = new HashSet<>();
        for (Attribute a : current.getAttributes()) {
            names.add(a.getBaseName().toLowerCase(Locale.ROOT));
        }
        for (Attribute a : target.getAttributes()) {
            names.add(a.getBaseName().toLowerCase(Locale.ROOT));
        }
        names.removeAll(NOT_COMPARED);
        // byte for byte: a case-only change (jdoe -> JDoe) is a change
        List<Modification> mods = Entry.diff(current, target, true, false, true, names.toArray(String[]::new));
        if (!mods.isEmpty()) {
            ds.modify(n.dn.toString(), mods);
        }
    }

    /** After a DN change: rewrite the DN in the groups that hold the node and, for AD, in its members' memberOf. */
    private void relink(Node n, DN old) throws LDAPException {
        for (String p : n.parents) {
            ds.modify(nodes.get(p).dn.toString(),
                    new Modification(ModificationType.DELETE, "member", old.toString()),
                    new Modification(ModificationType.ADD, "member", n.dn.toString()));
        }
        if (layout.memberOf()) {
            for (String m : n.members) {
                ds.modify(nodes.get(m).dn.toString(),
                        new Modification(ModificationType.DELETE, "memberOf", old.toString()),
                        new Modification(ModificationType.ADD, "memberOf", n.dn.toString()));
            }
        }
    }

    private void delete(String key) throws LDAPException {
        Node n = nodes.remove(key);
        if (n == null) {
            return;
        }
        long stampUsn = ++usn;
        for (String p : n.parents) {
            Node g = nodes.get(p);
            g.members.remove(key);
            ds.modify(g.dn.toString(), new Modification(ModificationType.DELETE, "member", n.dn.toString()));
        }
        for (String m : n.members) {
            Node member = nodes.get(m);
            member.parents.remove(key);
            if (layout.memberOf()) {
                ds.modify(member.dn.toString(),
                        new Modification(ModificationType.DELETE, "memberOf", n.dn.toString()));
            }
        }
        owners.remove(n.dn, key);
        Entry live = ds.getEntry(n.dn.toString());
        ds.delete(n.dn.toString());
        if (layout instanceof Layout.ActiveDirectory ad && live != null) {
            Entry tomb = ad.tombstone(live, key.substring(2), n.stamp.changedAt(clock.instant(), stampUsn));
            if (tombstones.remove(tomb.getParsedDN()) != null) {
                ds.delete(tomb.getDN());
            }
            tombstones.put(tomb.getParsedDN(), tomb);
            ds.add(tomb);
        }
    }

    private void membership(String groupId, MemberKind kind, String memberId, boolean add) throws LDAPException {
        Node g = nodes.get(groupKey(groupId));
        Node m = nodes.get(kind == MemberKind.USER ? userKey(memberId) : groupKey(memberId));
        if (g == null || m == null || g.members.contains(m.key) == add) {
            return; // replaying onto a newer snapshot: already so
        }
        if (add) {
            g.members.add(m.key);
            m.parents.add(g.key);
        } else {
            g.members.remove(m.key);
            m.parents.remove(g.key);
        }
        g.stamp = g.stamp.changedAt(clock.instant(), ++usn);
        ModificationType type = add ? ModificationType.ADD : ModificationType.DELETE;
        List<Modification> mods = new ArrayList<>();
        mods.add(new Modification(type, "member", m.dn.toString()));
        for (Attribute a : layout.changeStamp(g.stamp)) {
            mods.add(new Modification(ModificationType.REPLACE, a.getName(), a.getValues()));
        }
        ds.modify(g.dn.toString(), mods);
        if (layout.memberOf()) {
            // a back-link: real AD does not change the member's uSNChanged for it, and neither do we
            ds.modify(m.dn.toString(), new Modification(type, "memberOf", g.dn.toString()));
        }
    }

    private Set<String> servableNames(DirectoryUser u) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : u.attributes().keySet()) {
            if (Layout.servable(n, layout.reservedNames())) {
                out.add(n);
            }
        }
        return dedupe(out);
    }

    private void extendSchema(Set<String> names) throws LDAPException {
        List<Modification> mods = schema.extend(names);
        if (!mods.isEmpty()) {
            ds.modify("cn=schema", mods);
            Schema now = ds.getSchema();
            if (now == null) {
                throw new LDAPException(ResultCode.OTHER, "the server lost its schema");
            }
            schema.applied(now);
        }
    }

    private static String userKey(String id) {
        return "u:" + id;
    }

    private static String groupKey(String id) {
        return "g:" + id;
    }
}
