package io.usher.core.store;

import io.usher.core.UsherException;
import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.core.spi.ConflictException;
import io.usher.core.spi.StoreOperation;
import io.usher.core.spi.UserStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

/**
 * The embedded default {@link UserStore}: everything in memory, indexed by key, by origin, by
 * case-insensitive username or group name, and by owning source.
 *
 * <p>Thread-safe: one read-write lock guards all indexes, so every operation (and every batch given to
 * {@link #apply}) is atomic with respect to the others. The {@code *OwnedBy} streams iterate over a copy
 * taken under the lock. Supports nested groups unless built with {@link #flat()}.
 */
public final class InMemoryUserStore implements UserStore {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final AtomicLong sequence = new AtomicLong();
    private final boolean nested;

    private final Map<String, User> users = new LinkedHashMap<>();
    private final Map<Origin, String> userByOrigin = new HashMap<>();
    private final Map<String, String> userByName = new HashMap<>();
    private final Map<String, Set<String>> usersBySource = new HashMap<>();

    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<Origin, String> groupByOrigin = new HashMap<>();
    private final Map<String, String> groupByName = new HashMap<>();
    private final Map<String, Set<String>> groupsBySource = new HashMap<>();

    /**
     * Indexes for {@link #findUsersByField} / {@link #findGroupsByField}: field -> folded value -> keys. A field
     * is indexed from the first time it is asked for, and kept up to date from then on.
     */
    private final Map<String, Map<String, Set<String>>> userFieldIndex = new HashMap<>();
    private final Map<String, Map<String, Set<String>>> groupFieldIndex = new HashMap<>();

    /** group key -> member keys, per kind; member key -> group keys, per kind. */
    private final Map<MemberKind, Map<String, Set<String>>> members = new HashMap<>();
    private final Map<MemberKind, Map<String, Set<String>>> memberOf = new HashMap<>();

    private InMemoryUserStore(boolean nested) {
        this.nested = nested;
        for (MemberKind k : MemberKind.values()) {
            members.put(k, new HashMap<>());
            memberOf.put(k, new HashMap<>());
        }
    }

    /** A store that keeps nested groups. */
    public InMemoryUserStore() {
        this(true);
    }

    /** A store without nested groups: the engine flattens memberships into it. */
    public static InMemoryUserStore flat() {
        return new InMemoryUserStore(false);
    }

    @Override
    public boolean supportsNestedGroups() {
        return nested;
    }

    private static String fold(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    // ---------------------------------------------------------------- users

    @Override
    public Optional<User> findUser(String key) {
        return read(() -> Optional.ofNullable(users.get(key)));
    }

    @Override
    public Optional<User> findUserByOrigin(Origin origin) {
        return read(() -> Optional.ofNullable(userByOrigin.get(origin)).map(users::get));
    }

    @Override
    public Optional<User> findUserByUsername(String username) {
        return read(() -> Optional.ofNullable(userByName.get(fold(username))).map(users::get));
    }

    @Override
    public Stream<User> usersOwnedBy(String sourceId) {
        List<User> copy = read(() -> {
            Set<String> keys = usersBySource.getOrDefault(sourceId, Set.of());
            List<User> out = new ArrayList<>(keys.size());
            keys.forEach(k -> out.add(users.get(k)));
            return out;
        });
        return copy.stream();
    }

    @Override
    public User createUser(User user) {
        Objects.requireNonNull(user, "user");
        if (user.key() != null) {
            throw new IllegalArgumentException("createUser: key must be null, the store assigns it");
        }
        return write(() -> {
            String holder = userByName.get(fold(user.username()));
            if (holder != null) {
                throw new ConflictException("username", holder);
            }
            if (user.origin() != null && userByOrigin.containsKey(user.origin())) {
                throw new ConflictException("origin", userByOrigin.get(user.origin()));
            }
            User stored = user.withKey("u" + sequence.incrementAndGet());
            index(stored);
            return stored;
        });
    }

    @Override
    public User updateUser(User user) {
        Objects.requireNonNull(user, "user");
        return write(() -> {
            User old = users.get(user.key());
            if (old == null) {
                throw new UsherException(UsherException.Code.NOT_FOUND, "no user with the given key");
            }
            String holder = userByName.get(fold(user.username()));
            if (holder != null && !holder.equals(user.key())) {
                throw new ConflictException("username", holder);
            }
            if (user.origin() != null) {
                String originHolder = userByOrigin.get(user.origin());
                if (originHolder != null && !originHolder.equals(user.key())) {
                    throw new ConflictException("origin", originHolder);
                }
            }
            unindex(old);
            index(user);
            return user;
        });
    }

    @Override
    public boolean deleteUser(String key) {
        return write(() -> {
            User old = users.get(key);
            if (old == null) {
                return false;
            }
            unindex(old);
            dropMemberships(MemberKind.USER, key);
            return true;
        });
    }

    private void index(User u) {
        users.put(u.key(), u);
        userFieldIndex.forEach((field, idx) -> fieldValues(field, u.displayName(), u.attributes())
                .forEach(v -> idx.computeIfAbsent(v, x -> new HashSet<>()).add(u.key())));
        userByName.put(fold(u.username()), u.key());
        if (u.origin() != null) {
            userByOrigin.put(u.origin(), u.key());
            usersBySource.computeIfAbsent(u.origin().sourceId(), s -> new java.util.LinkedHashSet<>()).add(u.key());
        }
    }

    private void unindex(User u) {
        users.remove(u.key());
        userFieldIndex.forEach((field, idx) -> fieldValues(field, u.displayName(), u.attributes())
                .forEach(v -> removeFromIndex(idx, v, u.key())));
        userByName.remove(fold(u.username()));
        if (u.origin() != null) {
            userByOrigin.remove(u.origin());
            Set<String> owned = usersBySource.get(u.origin().sourceId());
            if (owned != null) {
                owned.remove(u.key());
            }
        }
    }

    // ---------------------------------------------------------------- groups

    @Override
    public Optional<Group> findGroup(String key) {
        return read(() -> Optional.ofNullable(groups.get(key)));
    }

    @Override
    public Optional<Group> findGroupByOrigin(Origin origin) {
        return read(() -> Optional.ofNullable(groupByOrigin.get(origin)).map(groups::get));
    }

    @Override
    public Optional<Group> findGroupByName(String name) {
        return read(() -> Optional.ofNullable(groupByName.get(fold(name))).map(groups::get));
    }

    @Override
    public Stream<Group> groupsOwnedBy(String sourceId) {
        List<Group> copy = read(() -> {
            Set<String> keys = groupsBySource.getOrDefault(sourceId, Set.of());
            List<Group> out = new ArrayList<>(keys.size());
            keys.forEach(k -> out.add(groups.get(k)));
            return out;
        });
        return copy.stream();
    }

    @Override
    public Group createGroup(Group group) {
        Objects.requireNonNull(group, "group");
        if (group.key() != null) {
            throw new IllegalArgumentException("createGroup: key must be null, the store assigns it");
        }
        return write(() -> {
            String holder = groupByName.get(fold(group.name()));
            if (holder != null) {
                throw new ConflictException("group name", holder);
            }
            if (group.origin() != null && groupByOrigin.containsKey(group.origin())) {
                throw new ConflictException("origin", groupByOrigin.get(group.origin()));
            }
            Group stored = group.withKey("g" + sequence.incrementAndGet());
            index(stored);
            return stored;
        });
    }

    @Override
    public Group updateGroup(Group group) {
        Objects.requireNonNull(group, "group");
        return write(() -> {
            Group old = groups.get(group.key());
            if (old == null) {
                throw new UsherException(UsherException.Code.NOT_FOUND, "no group with the given key");
            }
            String holder = groupByName.get(fold(group.name()));
            if (holder != null && !holder.equals(group.key())) {
                throw new ConflictException("group name", holder);
            }
            if (group.origin() != null) {
                String originHolder = groupByOrigin.get(group.origin());
                if (originHolder != null && !originHolder.equals(group.key())) {
                    throw new ConflictException("origin", originHolder);
                }
            }
            unindex(old);
            index(group);
            return group;
        });
    }

    @Override
    public boolean deleteGroup(String key) {
        return write(() -> {
            Group old = groups.get(key);
            if (old == null) {
                return false;
            }
            unindex(old);
            for (MemberKind kind : MemberKind.values()) {
                Set<String> ms = members.get(kind).remove(key);
                if (ms != null) {
                    for (String m : ms) {
                        Set<String> of = memberOf.get(kind).get(m);
                        if (of != null) {
                            of.remove(key);
                        }
                    }
                }
            }
            dropMemberships(MemberKind.GROUP, key);
            return true;
        });
    }

    private void index(Group g) {
        groups.put(g.key(), g);
        groupFieldIndex.forEach((field, idx) -> fieldValues(field, null, g.attributes())
                .forEach(v -> idx.computeIfAbsent(v, x -> new HashSet<>()).add(g.key())));
        groupByName.put(fold(g.name()), g.key());
        if (g.origin() != null) {
            groupByOrigin.put(g.origin(), g.key());
            groupsBySource.computeIfAbsent(g.origin().sourceId(), s -> new java.util.LinkedHashSet<>()).add(g.key());
        }
    }

    private void unindex(Group g) {
        groups.remove(g.key());
        groupFieldIndex.forEach((field, idx) -> fieldValues(field, null, g.attributes())
                .forEach(v -> removeFromIndex(idx, v, g.key())));
        groupByName.remove(fold(g.name()));
        if (g.origin() != null) {
            groupByOrigin.remove(g.origin());
            Set<String> owned = groupsBySource.get(g.origin().sourceId());
            if (owned != null) {
                owned.remove(g.key());
            }
        }
    }

    // ---------------------------------------------------------------- memberships

    /** Removes the member from every group that holds it. Caller holds the write lock. */
    private void dropMemberships(MemberKind kind, String memberKey) {
        Set<String> of = memberOf.get(kind).remove(memberKey);
        if (of != null) {
            for (String g : of) {
                Set<String> ms = members.get(kind).get(g);
                if (ms != null) {
                    ms.remove(memberKey);
                }
            }
        }
    }

    @Override
    public Set<String> members(String groupKey, MemberKind kind) {
        return read(() -> Set.copyOf(members.get(kind).getOrDefault(groupKey, Set.of())));
    }

    /** Answered under the read lock without copying the member set. */
    @Override
    public boolean hasExactly(String groupKey, MemberKind kind, java.util.Collection<String> memberKeys) {
        return read(() -> {
            Set<String> current = members.get(kind).getOrDefault(groupKey, Set.of());
            if (current.size() != memberKeys.size()) {
                return false;
            }
            for (String k : memberKeys) {
                if (!current.contains(k)) {
                    return false;
                }
            }
            return true;
        });
    }

    @Override
    public Set<String> groupsOf(MemberKind kind, String memberKey) {
        return read(() -> Set.copyOf(memberOf.get(kind).getOrDefault(memberKey, Set.of())));
    }

    @Override
    public boolean addMember(String groupKey, MemberKind kind, String memberKey) {
        return write(() -> {
            if (!groups.containsKey(groupKey)) {
                throw new UsherException(UsherException.Code.NOT_FOUND, "no group with the given key");
            }
            if (kind == MemberKind.USER ? !users.containsKey(memberKey) : !groups.containsKey(memberKey)) {
                throw new UsherException(UsherException.Code.NOT_FOUND, "no " + kind.name().toLowerCase(Locale.ROOT)
                        + " with the given member key");
            }
            if (kind == MemberKind.GROUP && !nested) {
                throw new UsherException(UsherException.Code.INVALID, "this store does not support nested groups");
            }
            if (kind == MemberKind.GROUP && groupKey.equals(memberKey)) {
                throw new UsherException(UsherException.Code.INVALID, "a group cannot contain itself");
            }
            boolean added = members.get(kind).computeIfAbsent(groupKey, k -> new KeySet(4)).add(memberKey);
            memberOf.get(kind).computeIfAbsent(memberKey, k -> new SmallKeySet()).add(groupKey);
            return added;
        });
    }

    /**
     * All or nothing: every key is checked before any is added, under one write lock, with one lookup of the
     * group's member set.
     */
    @Override
    public int addMembers(String groupKey, MemberKind kind, java.util.Collection<String> memberKeys) {
        Objects.requireNonNull(kind, "kind");
        return write(() -> {
            if (!groups.containsKey(groupKey)) {
                throw new UsherException(UsherException.Code.NOT_FOUND, "no group with the given key");
            }
            Map<String, ?> known = kind == MemberKind.USER ? users : groups;
            Map<String, Set<String>> of = memberOf.get(kind);
            // one pass checks every key (all or nothing) and keeps each member's group set for the second: a
            // member already in some group exists (its entry goes when it is deleted), so for most keys the
            // set is the check and one lookup does for both
            @SuppressWarnings("unchecked")
            Set<String>[] sets = new Set[memberKeys.size()];
            int i = 0;
            for (String m : memberKeys) {
                Set<String> groupsOfM = of.get(m);
                if (groupsOfM == null && !known.containsKey(m)) {
                    throw new UsherException(UsherException.Code.NOT_FOUND, "no "
                            + kind.name().toLowerCase(Locale.ROOT) + " with the given member key");
                }
                if (kind == MemberKind.GROUP && groupKey.equals(m)) {
                    throw new UsherException(UsherException.Code.INVALID, "a group cannot contain itself");
                }
                sets[i++] = groupsOfM;
            }
            if (kind == MemberKind.GROUP && !nested && !memberKeys.isEmpty()) {
                throw new UsherException(UsherException.Code.INVALID, "this store does not support nested groups");
            }
            Set<String> ms = members.get(kind).get(groupKey);
            if (ms == null) {
                ms = new KeySet(memberKeys.size());
                members.get(kind).put(groupKey, ms);
            }
            int added = 0;
            i = 0;
            for (String m : memberKeys) {
                if (ms.add(m)) {
                    added++;
                }
                Set<String> groupsOfM = sets[i++];
                if (groupsOfM == null) {
                    groupsOfM = of.computeIfAbsent(m, k -> new SmallKeySet()); // a key may repeat in the list
                }
                groupsOfM.add(groupKey);
            }
            return added;
        });
    }

    @Override
    public boolean removeMember(String groupKey, MemberKind kind, String memberKey) {
        return write(() -> {
            Set<String> ms = members.get(kind).get(groupKey);
            boolean removed = ms != null && ms.remove(memberKey);
            Set<String> of = memberOf.get(kind).get(memberKey);
            if (of != null) {
                of.remove(groupKey);
            }
            return removed;
        });
    }

    /** Applies the batch under one write lock; each operation still succeeds or fails on its own. */
    @Override
    public List<StoreOperation.Outcome> apply(List<StoreOperation> operations) {
        return write(() -> UserStore.super.apply(operations));
    }

    // ---------------------------------------------------------------- lookups by field

    /** Answered from an index built the first time a field is asked for (then kept current by every write). */
    @Override
    public Stream<User> findUsersByField(String sourceId, String field, String value) {
        checkField(field, true);
        String wanted = fold(Objects.requireNonNull(value, "value"));
        List<User> out = indexed(userFieldIndex, field, wanted, () -> {
            Map<String, Set<String>> idx = new HashMap<>();
            users.values().forEach(u -> fieldValues(field, u.displayName(), u.attributes())
                    .forEach(v -> idx.computeIfAbsent(v, x -> new HashSet<>()).add(u.key())));
            return idx;
        }, users::get);
        return out.stream().filter(u -> u.isOwnedBy(sourceId));
    }

    @Override
    public Stream<Group> findGroupsByField(String sourceId, String field, String value) {
        checkField(field, false);
        String wanted = fold(Objects.requireNonNull(value, "value"));
        List<Group> out = indexed(groupFieldIndex, field, wanted, () -> {
            Map<String, Set<String>> idx = new HashMap<>();
            groups.values().forEach(g -> fieldValues(field, null, g.attributes())
                    .forEach(v -> idx.computeIfAbsent(v, x -> new HashSet<>()).add(g.key())));
            return idx;
        }, groups::get);
        return out.stream().filter(g -> g.isOwnedBy(sourceId));
    }

    private <T> List<T> indexed(Map<String, Map<String, Set<String>>> indexes, String field, String wanted,
                                java.util.function.Supplier<Map<String, Set<String>>> build,
                                java.util.function.Function<String, T> byKey) {
        List<T> hit = read(() -> {
            Map<String, Set<String>> idx = indexes.get(field);
            return idx == null ? null : resolve(idx.get(wanted), byKey);
        });
        if (hit != null) {
            return hit;
        }
        return write(() -> resolve(indexes.computeIfAbsent(field, f -> build.get()).get(wanted), byKey));
    }

    private static <T> List<T> resolve(Set<String> keys, java.util.function.Function<String, T> byKey) {
        if (keys == null || keys.isEmpty()) {
            return List.of();
        }
        List<T> out = new ArrayList<>(keys.size());
        for (String k : keys) {
            out.add(byKey.apply(k));
        }
        return out;
    }

    private static void checkField(String field, boolean users) {
        boolean ok = field != null && (field.startsWith("attributes.") && field.length() > 11
                || users && field.equals("displayName"));
        if (!ok) {
            throw new IllegalArgumentException("field must be " + (users ? "'displayName' or " : "")
                    + "'attributes.NAME', not '" + field + "'");
        }
    }

    /** The folded values of a field of one record. */
    private static List<String> fieldValues(String field, String displayName, Map<String, List<String>> attributes) {
        if (field.equals("displayName")) {
            return displayName == null ? List.of() : List.of(fold(displayName));
        }
        List<String> vs = attributes.get(field.substring("attributes.".length()));
        if (vs == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(vs.size());
        vs.forEach(v -> out.add(fold(v)));
        return out;
    }

    private static void removeFromIndex(Map<String, Set<String>> idx, String value, String key) {
        Set<String> keys = idx.get(value);
        if (keys != null) {
            keys.remove(key);
            if (keys.isEmpty()) {
                idx.remove(value);
            }
        }
    }

    @Override
    public int memberCount(String groupKey, MemberKind kind) {
        return read(() -> members.get(kind).getOrDefault(groupKey, Set.of()).size());
    }

    @Override
    public boolean isMember(String groupKey, MemberKind kind, String memberKey) {
        return read(() -> members.get(kind).getOrDefault(groupKey, Set.of()).contains(memberKey));
    }

    // ---------------------------------------------------------------- extras for tests and demos

    /** How many users the store holds. */
    public int userCount() {
        return read(users::size);
    }

    /** How many groups the store holds. */
    public int groupCount() {
        return read(groups::size);
    }

    /** A snapshot copy of every user, in creation order. */
    public List<User> allUsers() {
        return read(() -> Collections.unmodifiableList(new ArrayList<>(users.values())));
    }

    /** A snapshot copy of every group, in creation order. */
    public List<Group> allGroups() {
        return read(() -> Collections.unmodifiableList(new ArrayList<>(groups.values())));
    }

    private <T> T read(java.util.function.Supplier<T> body) {
        lock.readLock().lock();
        try {
            return body.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private <T> T write(java.util.function.Supplier<T> body) {
        lock.writeLock().lock();
        try {
            return body.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The groups one member is in: usually a handful, so an array scanned in place (one object where a
     * HashSet takes eight: 100,000 users made 800,000 objects for the collector to copy), turning into a
     * HashSet past {@value #ARRAY_MAX} keys. Guarded by the store's lock like everything else.
     */
    private static final class SmallKeySet extends java.util.AbstractSet<String> {
        private static final int ARRAY_MAX = 16;
        private String[] keys = new String[4];
        private int size;
        private Set<String> large;

        @Override
        public boolean contains(Object o) {
            if (large != null) {
                return large.contains(o);
            }
            for (int i = 0; i < size; i++) {
                if (keys[i].equals(o)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean add(String k) {
            Objects.requireNonNull(k);
            if (large != null) {
                return large.add(k);
            }
            if (contains(k)) {
                return false;
            }
            if (size == ARRAY_MAX) {
                large = new HashSet<>(java.util.Arrays.asList(keys).subList(0, size));
                keys = null;
                return large.add(k);
            }
            if (size == keys.length) {
                keys = java.util.Arrays.copyOf(keys, size * 2);
            }
            keys[size++] = k;
            return true;
        }

        @Override
        public boolean remove(Object o) {
            if (large != null) {
                return large.remove(o);
            }
            for (int i = 0; i < size; i++) {
                if (keys[i].equals(o)) {
                    keys[i] = keys[--size];
                    keys[size] = null;
                    return true;
                }
            }
            return false;
        }

        @Override
        public int size() {
            return large != null ? large.size() : size;
        }

        @Override
        public java.util.Iterator<String> iterator() {
            if (large != null) {
                return large.iterator();
            }
            return java.util.Arrays.asList(keys).subList(0, size).iterator(); // read-only use: see callers
        }
    }

    /**
     * The direct members of one group: a hash set of keys in one array (open addressing, linear probing,
     * removal by backward shift), where a {@code HashSet} keeps a node object per member: at 500,000
     * memberships, half a million objects fewer for every collection to copy. Guarded by the store's lock;
     * its iterator is read-only (nothing removes through it).
     */
    static final class KeySet extends java.util.AbstractSet<String> {
        private String[] table;
        private int size;

        KeySet(int expected) {
            int capacity = 8;
            while (capacity * 3 < expected * 5) { // load factor at most 0.6
                capacity <<= 1;
            }
            table = new String[capacity];
        }

        private static int slot(Object key, int mask) {
            int h = key.hashCode() * 0x9E3779B9;
            return (h ^ h >>> 16) & mask;
        }

        @Override
        public boolean contains(Object o) {
            if (o == null) {
                return false;
            }
            int mask = table.length - 1;
            for (int i = slot(o, mask); ; i = (i + 1) & mask) {
                String t = table[i];
                if (t == null) {
                    return false;
                }
                if (t.equals(o)) {
                    return true;
                }
            }
        }

        @Override
        public boolean add(String key) {
            Objects.requireNonNull(key);
            if ((size + 1) * 5 > table.length * 3) {
                resize(table.length * 2);
            }
            int mask = table.length - 1;
            for (int i = slot(key, mask); ; i = (i + 1) & mask) {
                String t = table[i];
                if (t == null) {
                    table[i] = key;
                    size++;
                    return true;
                }
                if (t.equals(key)) {
                    return false;
                }
            }
        }

        @Override
        public boolean remove(Object o) {
            if (o == null) {
                return false;
            }
            int mask = table.length - 1;
            int i = slot(o, mask);
            while (true) {
                String t = table[i];
                if (t == null) {
                    return false;
                }
                if (t.equals(o)) {
                    break;
                }
                i = (i + 1) & mask;
            }
            // backward shift: move later keys of the run into the gap when their home slot allows it
            int gap = i;
            for (int j = (gap + 1) & mask; table[j] != null; j = (j + 1) & mask) {
                int home = slot(table[j], mask);
                boolean homeInGapToJ = gap <= j ? gap < home && home <= j : gap < home || home <= j;
                if (!homeInGapToJ) {
                    table[gap] = table[j];
                    gap = j;
                }
            }
            table[gap] = null;
            size--;
            return true;
        }

        private void resize(int capacity) {
            String[] old = table;
            table = new String[capacity];
            int mask = capacity - 1;
            for (String k : old) {
                if (k != null) {
                    int i = slot(k, mask);
                    while (table[i] != null) {
                        i = (i + 1) & mask;
                    }
                    table[i] = k;
                }
            }
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public java.util.Iterator<String> iterator() {
            return new java.util.Iterator<>() {
                private int next = advance(0);

                private int advance(int from) {
                    while (from < table.length && table[from] == null) {
                        from++;
                    }
                    return from;
                }

                @Override
                public boolean hasNext() {
                    return next < table.length;
                }

                @Override
                public String next() {
                    if (next >= table.length) {
                        throw new java.util.NoSuchElementException();
                    }
                    String k = table[next];
                    next = advance(next + 1);
                    return k;
                }
            };
        }
    }
}
