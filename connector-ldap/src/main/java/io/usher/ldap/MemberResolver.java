package io.usher.ldap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * DN → id of what a read has seen, and login → id for posixGroup memberUid: how {@link LdapSourceConnector} turns
 * member values into ids. A snapshot fills it as it reads (users, then each group from its own entry on) and
 * resolves member values from their bytes ({@link DnIndex}); a value it cannot place is a group read later
 * ({@link #deferUnknown}) or outside the bases. Incremental reads, which have no full maps, look a DN up on the
 * server ({@link #lookup}, cached). Not thread-safe: one thread at a time (the page reader while reading, then
 * the caller).
 */
final class MemberResolver {
    /** Looks a DN up on the server: {"u" or "g", id}, or null (incremental reads only). */
    private final java.util.function.Function<String, String[]> server;

    MemberResolver(java.util.function.Function<String, String[]> server) {
        this.server = server;
    }

    final DnIndex users = new DnIndex();
    final DnIndex groups = new DnIndex();
    /** Lower-case login → id, packed like the DNs (a million logins as a HashMap took ~90 MB). */
    final DnIndex logins = DnIndex.deferred();
    long outside;
    /** Incremental reads resolve by looking the DN up (cached), having no full maps. */
    boolean lookup;
    /**
     * While a snapshot reads groups: a member value that names no DN read so far is kept aside (see
     * {@code LdapSourceConnector.PendingGroup}) instead of being counted as outside — it may name a group read later.
     */
    boolean deferUnknown;
    /** Incremental reads: lower-case memberUid → user id, or "" for none (see {@code LdapSourceConnector.lookupLogin}). */
    final Map<String, String> loginLookups = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > 50_000;
        }
    };
    final Map<String, String[]> cache = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String[]> eldest) {
            return size() > 50_000;
        }
    };

    /**
     * Normalized DN → id for the entries whose lower-case DN is not already its normalized form (built on
     * the first lookup that needs it). The other keys, {@link #plain} ones, are their own normalized form,
     * so a normalized member DN is looked up in the lower-case maps directly: a dangling member value
     * costs one DN parse, not a parse of every DN read.
     */
    private Map<String, String> normalizedUsers;
    private Map<String, String> normalizedGroups;
    private final List<String> irregularUsers = new ArrayList<>();
    private final List<String> irregularGroups = new ArrayList<>();

    /**
     * Records an entry's DN as the server printed it (the index compares ignoring case; member values
     * usually repeat this very form); normalized forms are derived only if needed.
     */
    void put(DnIndex map, String dn, String id) {
        map.put(dn, id);
        String key = dn.toLowerCase(Locale.ROOT);
        if (plain(key)) {
            return;
        }
        // once a normalized map is built it is kept up to date (a snapshot's group read puts and looks up
        // by turns: rebuilding it on each would cost irregular groups × unknown values)
        if (map == users) {
            if (normalizedUsers != null) {
                normalizedUsers.put(LdapSourceConnector.normalize(key), id);
            } else {
                irregularUsers.add(key);
            }
        } else if (map == groups) {
            if (normalizedGroups != null) {
                normalizedGroups.put(LdapSourceConnector.normalize(key), id);
            } else {
                irregularGroups.add(key);
            }
        }
    }

    private Map<String, String> normalized(List<String> keys, DnIndex byLower) {
        Map<String, String> out = new HashMap<>(keys.size() * 2);
        keys.forEach(k -> out.put(LdapSourceConnector.normalize(k), byLower.get(k)));
        keys.clear(); // from now on put adds to the map itself
        return out;
    }

    /**
     * The id of the user or group a member DN names ({@link #lastWasGroup} says which), or null for outside.
     * Member values usually repeat the entry's DN as the server printed it, so a lower-case lookup answers
     * most of them without parsing any DN.
     */
    String resolve(String dn) {
        String lower = dn.toLowerCase(Locale.ROOT); // the same string when already lower case
        String u = users.get(lower);
        if (u != null) {
            lastWasGroup = false;
            return u;
        }
        String g = groups.get(lower);
        if (g != null) {
            lastWasGroup = true;
            return g;
        }
        return parsed(dn);
    }

    /** {@link #resolve(String)} for a member value as the server sent it, without decoding it first. */
    String resolve(byte[] value) {
        String u = users.get(value);
        if (u != null && u != DnIndex.NON_ASCII) {
            lastWasGroup = false;
            return u;
        }
        return resolveNotUser(value, u == DnIndex.NON_ASCII);
    }

    /**
     * {@link #resolve(byte[])} for a value that names no user by its bytes: a group's by its bytes; else, with
     * non-ASCII bytes, looked up again lower-cased as a string; else parsed.
     */
    private String resolveNotUser(byte[] value, boolean nonAscii) {
        String g = groups.get(value);
        if (g != null && g != DnIndex.NON_ASCII) {
            lastWasGroup = true;
            return g;
        }
        String dn = new String(value, StandardCharsets.UTF_8);
        return nonAscii ? resolve(dn) /* lower-cased as a string */ : parsed(dn);
    }

    /** The id of what a DN names once parsed and normalized ({@link #resolveSlowly}), or null. */
    private String parsed(String dn) {
        String[] slow = resolveSlowly(dn);
        if (slow == null) {
            return null;
        }
        lastWasGroup = slow[0].equals("g");
        return slow[1];
    }

    /** Scratch for {@link #resolveAll}: the users index's answers for one attribute's values. */
    private String[] batch = new String[64];

    /**
     * {@link #resolve(byte[])} for all of one attribute's values, calling {@code each} with the value, its
     * id (null for none) and whether it is a group's. Users, by far the most members, are looked up as a
     * batch ({@link DnIndex#getAll}); the rest one by one.
     */
    void resolveAll(List<byte[]> values, ResolvedMember each) {
        if (batch.length < values.size()) {
            batch = new String[Math.max(values.size(), batch.length * 2)];
        }
        String[] found = batch;
        users.getAll(values, found);
        for (int i = 0; i < values.size(); i++) {
            String u = found[i];
            found[i] = null;
            if (u != null && u != DnIndex.NON_ASCII) {
                each.accept(values.get(i), u, false);
            } else {
                // no user by these bytes: straight to the groups (not the users again)
                String r = resolveNotUser(values.get(i), u == DnIndex.NON_ASCII);
                each.accept(values.get(i), r, r != null && lastWasGroup);
            }
        }
    }

    /** Whether the last id {@link #resolve} returned is a group's (a user's otherwise). */
    boolean lastWasGroup;

    private String[] resolveSlowly(String dn) {
        String n = LdapSourceConnector.normalize(dn);
        String u = users.get(n);
        if (u == null) {
            if (normalizedUsers == null) {
                normalizedUsers = normalized(irregularUsers, users);
            }
            u = normalizedUsers.get(n);
        }
        if (u != null) {
            return new String[] {"u", u};
        }
        String g = groups.get(n);
        if (g == null) {
            if (normalizedGroups == null) {
                normalizedGroups = normalized(irregularGroups, groups);
            }
            g = normalizedGroups.get(n);
        }
        if (g != null) {
            return new String[] {"g", g};
        }
        if (lookup) {
            return cache.computeIfAbsent(n, k -> server.apply(dn));
        }
        return null;
    }

    /** What {@link #resolveAll} hands on for each value: the value, its id (null for none), whether a group's. */
    @FunctionalInterface
    interface ResolvedMember {
        void accept(byte[] raw, String id, boolean group);
    }

    /**
     * Whether a lower-case DN is certainly its own normalized form: only {@code attr=value} parts of letters,
     * digits, {@code . - _ @}, joined by commas without spaces (nothing to trim, unescape or reorder).
     */
    static boolean plain(String lowerDn) {
        boolean sawEquals = false;
        boolean empty = true;
        for (int i = 0; i < lowerDn.length(); i++) {
            char c = lowerDn.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_' || c == '@') {
                empty = false;
            } else if (c == '=') {
                if (sawEquals || empty) {
                    return false;
                }
                sawEquals = true;
                empty = true;
            } else if (c == ',') {
                if (!sawEquals || empty) {
                    return false;
                }
                sawEquals = false;
                empty = true;
            } else {
                return false;
            }
        }
        return sawEquals && !empty;
    }
}
