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

    /*
     * Users by key number (see keyBySeq below; numbers grow, so this is creation order), and the per-user
     * indexes as numbers: folded username → number, origin → number, source → numbers. No map node, entry or
     * set element per user: at 100,000 users these were ~400,000 objects the collector copied and traced
     * during a first sync, and most of the store's share of it.
     */
    private User[] userBySeq = new User[64];
    private int userCount;
    private final ObjIntMap<Origin> userByOrigin = new ObjIntMap<>();
    private final ObjIntMap<String> userByName = new ObjIntMap<>();
    private final Map<String, java.util.BitSet> usersBySource = new HashMap<>();

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

    /**
     * Memberships by number, not by key: every key this store issues is {@code u<n>} or {@code g<n>} with
     * {@code n} from {@link #sequence}, so a key finds its slot by parsing, with no hash lookup, and the sets
     * hold ints (no string to load, hash or compare per member). {@code keyBySeq[n]} is the live key numbered
     * {@code n} (null once deleted, and numbers are never reused), so a parsed number counts only when the
     * whole key matches. Per group number: its direct user members and group members ({@link IntKeySet});
     * per member number: the groups it is directly in ({@link #groupsOf}).
     */
    private String[] keyBySeq = new String[64];
    private IntKeySet[] userMembers = new IntKeySet[64];
    private IntKeySet[] groupMembers = new IntKeySet[64];
    /** Per member number: null, an {@code int[]} (element 0 the count, then the group numbers), or an IntKeySet. */
    private Object[] groupsOf = new Object[64];

    private InMemoryUserStore(boolean nested) {
        this.nested = nested;
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
        return read(() -> Optional.ofNullable(user(key)));
    }

    @Override
    public Optional<User> findUserByOrigin(Origin origin) {
        return read(() -> Optional.ofNullable(userAt(userByOrigin.get(origin))));
    }

    @Override
    public Optional<User> findUserByUsername(String username) {
        return read(() -> Optional.ofNullable(userAt(userByName.get(fold(username)))));
    }

    @Override
    public Stream<User> usersOwnedBy(String sourceId) {
        return owned(sourceId, u -> u).stream();
    }

    /** The ids straight from the users, without a list of users in between. */
    @Override
    public Stream<String> userExternalIdsOwnedBy(String sourceId) {
        return owned(sourceId, u -> u.origin().externalId()).stream();
    }

    /** What {@code f} gives for each user the source owns, copied under the read lock, in creation order. */
    private <T> List<T> owned(String sourceId, java.util.function.Function<User, T> f) {
        return read(() -> {
            java.util.BitSet numbers = usersBySource.get(sourceId);
            List<T> out = new ArrayList<>(numbers == null ? 0 : numbers.cardinality());
            if (numbers != null) {
                numbers.stream().forEach(n -> out.add(f.apply(userBySeq[n])));
            }
            return out;
        });
    }

    @Override
    public User createUser(User user) {
        Objects.requireNonNull(user, "user");
        if (user.key() != null) {
            throw new IllegalArgumentException("createUser: key must be null, the store assigns it");
        }
        return write(() -> {
            int holder = userByName.get(fold(user.username()));
            if (holder >= 0) {
                throw new ConflictException("username", keyBySeq[holder]);
            }
            int originHolder = user.origin() == null ? -1 : userByOrigin.get(user.origin());
            if (originHolder >= 0) {
                throw new ConflictException("origin", keyBySeq[originHolder]);
            }
            User stored = user.withKey(newKey('u'));
            index(stored);
            return stored;
        });
    }

    @Override
    public User updateUser(User user) {
        Objects.requireNonNull(user, "user");
        return write(() -> {
            User old = user(user.key());
            if (old == null) {
                throw new UsherException(UsherException.Code.NOT_FOUND, "no user with the given key");
            }
            int n = seq(old.key(), 'u');
            int holder = userByName.get(fold(user.username()));
            if (holder >= 0 && holder != n) {
                throw new ConflictException("username", keyBySeq[holder]);
            }
            if (user.origin() != null) {
                int originHolder = userByOrigin.get(user.origin());
                if (originHolder >= 0 && originHolder != n) {
                    throw new ConflictException("origin", keyBySeq[originHolder]);
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
            User old = user(key);
            if (old == null) {
                return false;
            }
            unindex(old);
            int n = seq(key, 'u');
            dropMemberships(MemberKind.USER, n);
            keyBySeq[n] = null;
            return true;
        });
    }

    /** The live user with this key, or null. */
    private User user(String key) {
        int n = seq(key, 'u');
        return n < 0 ? null : userBySeq[n];
    }

    /** The user numbered {@code n}, or null for -1. */
    private User userAt(int n) {
        return n < 0 ? null : userBySeq[n];
    }

    /** Indexes a user whose key this store issued and which is live ({@code keyBySeq} holds it). */
    private void index(User u) {
        int n = seq(u.key(), 'u');
        if (userBySeq[n] == null) {
            userCount++;
        }
        userBySeq[n] = u;
        userFieldIndex.forEach((field, idx) -> fieldValues(field, u.displayName(), u.attributes())
                .forEach(v -> idx.computeIfAbsent(v, x -> new HashSet<>()).add(u.key())));
        userByName.put(fold(u.username()), n);
        if (u.origin() != null) {
            userByOrigin.put(u.origin(), n);
            usersBySource.computeIfAbsent(u.origin().sourceId(), s -> new java.util.BitSet()).set(n);
        }
    }

    private void unindex(User u) {
        int n = seq(u.key(), 'u');
        if (userBySeq[n] != null) {
            userCount--;
        }
        userBySeq[n] = null;
        userFieldIndex.forEach((field, idx) -> fieldValues(field, u.displayName(), u.attributes())
                .forEach(v -> removeFromIndex(idx, v, u.key())));
        userByName.remove(fold(u.username()));
        if (u.origin() != null) {
            userByOrigin.remove(u.origin());
            java.util.BitSet owned = usersBySource.get(u.origin().sourceId());
            if (owned != null) {
                owned.clear(n);
            }
        }
    }

    /** Every live user, in creation order. */
    private List<User> usersInOrder() {
        List<User> out = new ArrayList<>(userCount);
        for (User u : userBySeq) {
            if (u != null) {
                out.add(u);
            }
        }
        return out;
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
            Group stored = group.withKey(newKey('g'));
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
            int g = seq(key, 'g');
            for (IntKeySet[] byGroup : new IntKeySet[][] {userMembers, groupMembers}) {
                IntKeySet ms = byGroup[g];
                byGroup[g] = null;
                if (ms != null) {
                    ms.forEach(m -> removeGroupOf(m, g));
                }
            }
            dropMemberships(MemberKind.GROUP, g);
            keyBySeq[g] = null;
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

    /** A new key: its kind's letter and the next number, with room for the number's slots. */
    private String newKey(char kind) {
        long n = sequence.incrementAndGet();
        if (n >= Integer.MAX_VALUE - 8) {
            throw new UsherException(UsherException.Code.STORE, "this in-memory store has issued all its keys");
        }
        int i = (int) n;
        if (i >= keyBySeq.length) {
            int len = Math.max(i + 1, keyBySeq.length * 2);
            keyBySeq = java.util.Arrays.copyOf(keyBySeq, len);
            userMembers = java.util.Arrays.copyOf(userMembers, len);
            groupMembers = java.util.Arrays.copyOf(groupMembers, len);
            groupsOf = java.util.Arrays.copyOf(groupsOf, len);
            userBySeq = java.util.Arrays.copyOf(userBySeq, len);
        }
        String key = kind + Integer.toString(i);
        keyBySeq[i] = key;
        return key;
    }

    /**
     * The number of a live key of this kind ({@code 'u'} or {@code 'g'}), or -1: parsed, then checked against
     * the key issued under that number, so a deleted, foreign or malformed key finds nothing.
     */
    private int seq(String key, char kind) {
        int n = number(key, kind);
        if (n < 0) {
            return -1;
        }
        String live = keyBySeq[n];
        return live != null && live.equals(key) ? n : -1;
    }

    /** How many keys {@link #seqs} and addMembers take side by side. */
    private static final int BATCH = 32;
    /**
     * Counts batches whose read-ahead sum came out as {@code Integer.MIN_VALUE}: a test the compiler cannot
     * decide, so the read-ahead loads must happen; in practice never written (readers under the shared read
     * lock would otherwise race on it, harmlessly). Never read.
     */
    private int touched;

    /**
     * {@link #seq} of many keys: the same numbers (-1 for a key that is not live), fewer stalls. Each key costs
     * cache misses on its string, its characters and its {@code keyBySeq} slot, one after the other; a batch
     * goes stage by stage (every key's characters, then every number's slot), so the misses of one stage are
     * independent and overlap.
     */
    private int[] seqs(String[] keys, char kind) {
        int[] out = new int[keys.length];
        for (int from = 0; from < keys.length; from += BATCH) {
            int to = Math.min(keys.length, from + BATCH);
            int sum = 0;
            for (int j = from; j < to; j++) {
                sum += keys[j] == null ? 0 : keys[j].length(); // the string and its characters
            }
            for (int j = from; j < to; j++) {
                out[j] = number(keys[j], kind);
                sum += out[j] >= 0 && keyBySeq[out[j]] != null ? 1 : 0; // the live key's slot
            }
            if (sum == Integer.MIN_VALUE) {
                touched++;
            }
            for (int j = from; j < to; j++) {
                int n = out[j];
                if (n >= 0) {
                    String live = keyBySeq[n];
                    out[j] = live != null && (live == keys[j] || live.equals(keys[j])) ? n : -1;
                }
            }
        }
        return out;
    }

    /** The number a key of this kind carries if it is well-formed and within range (not yet checked live), or -1. */
    private int number(String key, char kind) {
        if (key == null) {
            return -1;
        }
        int len = key.length();
        if (len < 2 || len > 11 || key.charAt(0) != kind) {
            return -1;
        }
        long n = 0;
        for (int i = 1; i < len; i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n < keyBySeq.length ? (int) n : -1;
    }

    private static char letter(MemberKind kind) {
        return kind == MemberKind.USER ? 'u' : 'g';
    }

    private IntKeySet[] membersOf(MemberKind kind) {
        return kind == MemberKind.USER ? userMembers : groupMembers;
    }

    /** Removes the member from every group that holds it. Caller holds the write lock. */
    private void dropMemberships(MemberKind kind, int member) {
        Object of = groupsOf[member];
        groupsOf[member] = null;
        IntKeySet[] byGroup = membersOf(kind);
        forEachGroupOf(of, g -> {
            IntKeySet ms = byGroup[g];
            if (ms != null) {
                ms.remove(member);
            }
        });
    }

    private static void forEachGroupOf(Object of, java.util.function.IntConsumer action) {
        if (of instanceof int[]) {
            int[] a = (int[]) of;
            for (int i = 1; i <= a[0]; i++) {
                action.accept(a[i]);
            }
        } else if (of != null) {
            ((IntKeySet) of).forEach(action);
        }
    }

    /** Records that {@code member} is in {@code group}; false if it already was. */
    private boolean addGroupOf(int member, int group) {
        Object of = groupsOf[member];
        if (of instanceof IntKeySet) {
            return ((IntKeySet) of).add(group);
        }
        int[] a = (int[]) of;
        if (a == null) {
            a = new int[5];
            groupsOf[member] = a;
        }
        int size = a[0];
        for (int i = 1; i <= size; i++) {
            if (a[i] == group) {
                return false;
            }
        }
        if (size == SMALL_MAX) {
            IntKeySet large = new IntKeySet(size * 2);
            for (int i = 1; i <= size; i++) {
                large.add(a[i]);
            }
            large.add(group);
            groupsOf[member] = large;
            return true;
        }
        if (size + 1 == a.length) {
            a = java.util.Arrays.copyOf(a, Math.min(SMALL_MAX + 1, a.length * 2));
            groupsOf[member] = a;
        }
        a[size + 1] = group;
        a[0] = size + 1;
        return true;
    }

    /** The groups of one member are an array scanned in place up to this many, an {@link IntKeySet} beyond. */
    private static final int SMALL_MAX = 16;

    private void removeGroupOf(int member, int group) {
        Object of = groupsOf[member];
        if (of instanceof IntKeySet) {
            ((IntKeySet) of).remove(group);
        } else if (of != null) {
            int[] a = (int[]) of;
            for (int i = 1; i <= a[0]; i++) {
                if (a[i] == group) {
                    a[i] = a[a[0]];
                    a[0]--;
                    return;
                }
            }
        }
    }

    private Set<String> keysOf(IntKeySet numbers) {
        if (numbers == null || numbers.size() == 0) {
            return Set.of();
        }
        String[] out = new String[numbers.size()];
        int[] i = {0};
        numbers.forEach(n -> out[i[0]++] = keyBySeq[n]);
        return Set.of(out);
    }

    @Override
    public Set<String> members(String groupKey, MemberKind kind) {
        Objects.requireNonNull(kind, "kind");
        return read(() -> {
            int g = seq(groupKey, 'g');
            return g < 0 ? Set.of() : keysOf(membersOf(kind)[g]);
        });
    }

    /** Answered under the read lock without building the member set. */
    @Override
    public boolean hasExactly(String groupKey, MemberKind kind, java.util.Collection<String> memberKeys) {
        Objects.requireNonNull(kind, "kind");
        return read(() -> {
            int g = seq(groupKey, 'g');
            IntKeySet current = g < 0 ? null : membersOf(kind)[g];
            int size = current == null ? 0 : current.size();
            if (size != memberKeys.size()) {
                return false;
            }
            if (size == 0) {
                return true;
            }
            for (int m : seqs(memberKeys.toArray(new String[0]), letter(kind))) { // batched, as addMembers
                if (m < 0 || !current.contains(m)) {
                    return false;
                }
            }
            return true;
        });
    }

    @Override
    public Set<String> groupsOf(MemberKind kind, String memberKey) {
        Objects.requireNonNull(kind, "kind");
        return read(() -> {
            int m = seq(memberKey, letter(kind));
            if (m < 0 || groupsOf[m] == null) {
                return Set.of();
            }
            List<String> out = new ArrayList<>();
            forEachGroupOf(groupsOf[m], g -> out.add(keyBySeq[g]));
            return Set.copyOf(out);
        });
    }

    @Override
    public boolean addMember(String groupKey, MemberKind kind, String memberKey) {
        Objects.requireNonNull(kind, "kind");
        return write(() -> {
            int g = seq(groupKey, 'g');
            if (g < 0) {
                throw new UsherException(UsherException.Code.NOT_FOUND, "no group with the given key");
            }
            int m = seq(memberKey, letter(kind));
            if (m < 0) {
                throw new UsherException(UsherException.Code.NOT_FOUND, "no " + kind.name().toLowerCase(Locale.ROOT)
                        + " with the given member key");
            }
            if (kind == MemberKind.GROUP && !nested) {
                throw new UsherException(UsherException.Code.INVALID, "this store does not support nested groups");
            }
            if (kind == MemberKind.GROUP && g == m) {
                throw new UsherException(UsherException.Code.INVALID, "a group cannot contain itself");
            }
            IntKeySet[] byGroup = membersOf(kind);
            if (byGroup[g] == null) {
                byGroup[g] = new IntKeySet(4);
            }
            boolean added = byGroup[g].add(m);
            addGroupOf(m, g);
            return added;
        });
    }

    /**
     * All or nothing: every key is checked before any is added, under one write lock, with one lookup of the
     * group's member set. Keys are checked by parsing their numbers, not looked up in a map.
     */
    @Override
    public int addMembers(String groupKey, MemberKind kind, java.util.Collection<String> memberKeys) {
        Objects.requireNonNull(kind, "kind");
        return write(() -> {
            int g = seq(groupKey, 'g');
            if (g < 0) {
                throw new UsherException(UsherException.Code.NOT_FOUND, "no group with the given key");
            }
            char letter = letter(kind);
            int[] numbers = seqs(memberKeys.toArray(new String[0]), letter);
            for (int m : numbers) {
                if (m < 0) {
                    throw new UsherException(UsherException.Code.NOT_FOUND, "no "
                            + kind.name().toLowerCase(Locale.ROOT) + " with the given member key");
                }
                if (kind == MemberKind.GROUP && m == g) {
                    throw new UsherException(UsherException.Code.INVALID, "a group cannot contain itself");
                }
            }
            if (kind == MemberKind.GROUP && !nested && numbers.length > 0) {
                throw new UsherException(UsherException.Code.INVALID, "this store does not support nested groups");
            }
            IntKeySet[] byGroup = membersOf(kind);
            IntKeySet ms = byGroup[g];
            if (ms == null) {
                ms = new IntKeySet(numbers.length);
                byGroup[g] = ms;
            }
            int added = 0;
            for (int from = 0; from < numbers.length; from += BATCH) {
                int to = Math.min(numbers.length, from + BATCH);
                int sum = 0;
                for (int j = from; j < to; j++) { // each member's group list, loaded side by side (see seqs)
                    Object of = groupsOf[numbers[j]];
                    sum += of instanceof int[] ? ((int[]) of)[0] : 0;
                }
                if (sum == Integer.MIN_VALUE) {
                    touched++;
                }
                for (int j = from; j < to; j++) {
                    int m = numbers[j];
                    if (ms.add(m)) {
                        added++;
                        addGroupOf(m, g);
                    }
                }
            }
            return added;
        });
    }

    @Override
    public boolean removeMember(String groupKey, MemberKind kind, String memberKey) {
        Objects.requireNonNull(kind, "kind");
        return write(() -> {
            int g = seq(groupKey, 'g');
            int m = seq(memberKey, letter(kind));
            if (g < 0 || m < 0) {
                return false;
            }
            IntKeySet ms = membersOf(kind)[g];
            boolean removed = ms != null && ms.remove(m);
            removeGroupOf(m, g);
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
            usersInOrder().forEach(u -> fieldValues(field, u.displayName(), u.attributes())
                    .forEach(v -> idx.computeIfAbsent(v, x -> new HashSet<>()).add(u.key())));
            return idx;
        }, this::user);
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
        Objects.requireNonNull(kind, "kind");
        return read(() -> {
            int g = seq(groupKey, 'g');
            IntKeySet ms = g < 0 ? null : membersOf(kind)[g];
            return ms == null ? 0 : ms.size();
        });
    }

    @Override
    public boolean isMember(String groupKey, MemberKind kind, String memberKey) {
        Objects.requireNonNull(kind, "kind");
        return read(() -> {
            int g = seq(groupKey, 'g');
            int m = seq(memberKey, letter(kind));
            IntKeySet ms = g < 0 || m < 0 ? null : membersOf(kind)[g];
            return ms != null && ms.contains(m);
        });
    }

    // ---------------------------------------------------------------- extras for tests and demos

    /** How many users the store holds. */
    public int userCount() {
        return read(() -> userCount);
    }

    /** How many groups the store holds. */
    public int groupCount() {
        return read(groups::size);
    }

    /** A snapshot copy of every user, in creation order. */
    public List<User> allUsers() {
        return read(() -> Collections.unmodifiableList(usersInOrder()));
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
     * A set of positive ints in one array (open addressing, linear probing, 0 for empty, removal by backward
     * shift): the direct members of one group, or the groups of a member in many. A {@code HashSet<String>}
     * kept a node per member and made every add load, hash and compare key strings; at 500,000 memberships
     * this is half a million objects fewer for every collection to copy. Guarded by the store's lock.
     */
    static final class IntKeySet {
        private int[] table;
        private int size;

        IntKeySet(int expected) {
            int capacity = 4;
            while (capacity * 3 < expected * 5) { // load factor at most 0.6
                capacity <<= 1;
            }
            table = new int[capacity];
        }

        private static int slot(int key, int mask) {
            int h = key * 0x9E3779B9;
            return (h ^ h >>> 16) & mask;
        }

        int size() {
            return size;
        }

        boolean contains(int key) {
            if (key <= 0) {
                return false;
            }
            int mask = table.length - 1;
            for (int i = slot(key, mask); ; i = (i + 1) & mask) {
                int t = table[i];
                if (t == 0) {
                    return false;
                }
                if (t == key) {
                    return true;
                }
            }
        }

        boolean add(int key) {
            if (key <= 0) {
                throw new IllegalArgumentException("keys are positive");
            }
            if ((size + 1) * 5 > table.length * 3) {
                resize(table.length * 2);
            }
            int mask = table.length - 1;
            for (int i = slot(key, mask); ; i = (i + 1) & mask) {
                int t = table[i];
                if (t == 0) {
                    table[i] = key;
                    size++;
                    return true;
                }
                if (t == key) {
                    return false;
                }
            }
        }

        boolean remove(int key) {
            if (key <= 0) {
                return false;
            }
            int mask = table.length - 1;
            int i = slot(key, mask);
            while (true) {
                int t = table[i];
                if (t == 0) {
                    return false;
                }
                if (t == key) {
                    break;
                }
                i = (i + 1) & mask;
            }
            // backward shift: move later keys of the run into the gap when their home slot allows it
            int gap = i;
            for (int j = (gap + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
                int home = slot(table[j], mask);
                boolean homeInGapToJ = gap <= j ? gap < home && home <= j : gap < home || home <= j;
                if (!homeInGapToJ) {
                    table[gap] = table[j];
                    gap = j;
                }
            }
            table[gap] = 0;
            size--;
            return true;
        }

        private void resize(int capacity) {
            int[] old = table;
            table = new int[capacity];
            int mask = capacity - 1;
            for (int k : old) {
                if (k != 0) {
                    int i = slot(k, mask);
                    while (table[i] != 0) {
                        i = (i + 1) & mask;
                    }
                    table[i] = k;
                }
            }
        }

        void forEach(java.util.function.IntConsumer action) {
            for (int k : table) {
                if (k != 0) {
                    action.accept(k);
                }
            }
        }
    }
}
