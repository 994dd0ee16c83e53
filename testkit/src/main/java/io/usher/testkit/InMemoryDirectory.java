package io.usher.testkit;

import io.usher.core.model.MemberKind;
import io.usher.core.spi.SourceException;
import io.usher.core.spi.SourceGroup;
import io.usher.core.spi.SourceUser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model of an identity provider's directory: users, groups, nested groups (cycles allowed), and a change
 * log with sequence numbers for incremental reads. Tests mutate it; connectors and the faces built on it
 * (LDAP, Graph, Okta, Google, SAML/OIDC) serve it.
 *
 * <p>Three kinds of methods:
 * <ul>
 *   <li><b>Mutations</b> ({@link #addUser}, {@link #renameUser}, {@link #addMember}, {@link #moveUser}, …):
 *       each appends one or more {@link DirectoryChange}s with strictly increasing sequence numbers. Unknown
 *       ids, taken names and other misuse throw {@link IllegalArgumentException}. Every mutation costs
 *       O(1) or O(memberships it removes); none scans the directory.
 *   <li><b>Inspection</b> ({@link #users()}, {@link #user}, {@link #members}, {@link #changesSince}, …):
 *       for test assertions; never subject to fault injection.
 *   <li><b>Serving reads</b> ({@link #readUserPage}, {@link #readGroupPage}, {@link #readChanges}): what a
 *       connector or face calls. They are counted ({@link #recordsServed()}) and subject to fault injection
 *       ({@link #failAfter}, {@link #failNextRead}, {@link #invalidateNextCursor}), in the manner of the
 *       interceptors of UnboundID's in-memory directory server.
 * </ul>
 *
 * <p>Users and groups are ordered by id, which is stable: pages continue after the last id seen, so a page
 * read is O(log n + page size) and nothing is copied whole.
 *
 * <p>Ids are UUID-shaped and drawn from a seeded generator, so two directories built by the same steps
 * from the same seed are identical.
 *
 * <p>Thread-safe: one read-write lock guards the data and the change log, so each mutation is atomic and
 * readers see a consistent state. The streams of {@link #users()} and {@link #groups()} read page by page
 * and are weakly consistent (like {@link java.util.concurrent.ConcurrentHashMap} iterators). Fault
 * settings have their own monitor.
 */
public final class InMemoryDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(InMemoryDirectory.class);
    private static final int STREAM_PAGE = 1024;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final SplittableRandom ids;
    private final int changeLogRetention;

    private final TreeMap<String, DirectoryUser> users = new TreeMap<>();
    private final Map<String, String> userByLogin = new HashMap<>();
    private final TreeMap<String, DirectoryGroup> groups = new TreeMap<>();
    /** The same groups by id in a hash map: O(1) lookups for the hot paths (paging needs the tree). */
    private final Map<String, DirectoryGroup> groupsById = new HashMap<>();
    private final Map<String, String> groupByName = new HashMap<>();

    /** group id -> direct member user ids / member group ids; and the reverse indexes. */
    private final Map<String, Set<String>> groupUsers = new HashMap<>();
    private final Map<String, Set<String>> groupGroups = new HashMap<>();
    private final Map<String, Set<String>> userGroups = new HashMap<>();
    private final Map<String, Set<String>> groupParents = new HashMap<>();
    private long membershipCount;
    /** Soft-deleted users by id (see {@link #softDeleteUser}). */
    private final Map<String, Deleted> recycleBin = new HashMap<>();

    /** Entry i of the log has sequence {@code trimmedThrough + 1 + i}. */
    private final ArrayList<DirectoryChange> log = new ArrayList<>();
    private long sequence;
    private long trimmedThrough;

    private final Object faultMonitor = new Object();
    private long failAfterRemaining = -1;
    private SourceException failNext;
    private boolean invalidateNextCursor;
    private long recordsServed;

    private InMemoryDirectory(long idSeed, int changeLogRetention) {
        this.ids = new SplittableRandom(idSeed);
        this.changeLogRetention = changeLogRetention;
    }

    /** An empty directory whose generated ids come from seed 0, keeping its whole change log. */
    public static InMemoryDirectory create() {
        return new InMemoryDirectory(0, Integer.MAX_VALUE);
    }

    /** An empty directory whose generated ids come from the given seed, keeping its whole change log. */
    public static InMemoryDirectory create(long idSeed) {
        return new InMemoryDirectory(idSeed, Integer.MAX_VALUE);
    }

    /**
     * An empty directory that keeps at least the last {@code retainedChanges} log entries (and at most twice
     * as many); older cursors become invalid, as expired DirSync cookies or delta links do.
     */
    public static InMemoryDirectory create(long idSeed, int retainedChanges) {
        if (retainedChanges < 1) {
            throw new IllegalArgumentException("retainedChanges must be at least 1");
        }
        return new InMemoryDirectory(idSeed, retainedChanges);
    }

    // ------------------------------------------------------------------ registry

    /**
     * Makes this directory findable by name for the {@code memory} {@link io.usher.core.spi.ConnectorProvider}
     * (whose flat configuration cannot carry an object). Close the registration when the test ends.
     *
     * <p>The registry is the one piece of static mutable state in testkit: a process-wide concurrent map, so
     * use names unique to the test (or close registrations in {@code @AfterEach}).
     *
     * @throws IllegalStateException if another directory holds the name
     */
    public Registration register(String name) {
        DirectoryRegistry.register(name, this);
        return new Registration(name, this);
    }

    /** The directory registered under this name, if any. */
    public static Optional<InMemoryDirectory> registered(String name) {
        return DirectoryRegistry.lookup(name);
    }

    /**
     * A directory's registration under a name; {@link #close()} removes it (idempotent). Immutable and
     * thread-safe.
     */
    public record Registration(String name, InMemoryDirectory directory) implements AutoCloseable {
        @Override
        public void close() {
            DirectoryRegistry.unregister(name, directory);
        }
    }

    // ------------------------------------------------------------------ user mutations

    /**
     * Adds a user. A {@code null} id is replaced by a generated one.
     *
     * @return the stored user, with its id
     * @throws IllegalArgumentException if the id or the login name (exactly) is taken
     */
    public DirectoryUser addUser(DirectoryUser user) {
        Objects.requireNonNull(user, "user");
        return write(() -> {
            DirectoryUser stored = user.id() == null ? user.withId(newId(users)) : user;
            if (users.containsKey(stored.id())) {
                throw new IllegalArgumentException("user id " + stored.id() + " is taken");
            }
            requireLoginFree(stored.loginName(), null);
            users.put(stored.id(), stored);
            userByLogin.put(stored.loginName(), stored.id());
            append(seq -> new DirectoryChange.UserUpserted(seq, stored));
            return stored;
        });
    }

    /** Changes a user's login name; the id stays (a rename, not a delete and create). */
    public DirectoryUser renameUser(String userId, String newLoginName) {
        return write(() -> replaceUser(requireUser(userId).withLoginName(newLoginName)));
    }

    /** Replaces every field of the user with the same id. */
    public DirectoryUser updateUser(DirectoryUser user) {
        Objects.requireNonNull(user, "user");
        if (user.id() == null) {
            throw new IllegalArgumentException("updateUser needs the user's id");
        }
        return write(() -> {
            requireUser(user.id());
            return replaceUser(user);
        });
    }

    public DirectoryUser disableUser(String userId) {
        return write(() -> replaceUser(requireUser(userId).withEnabled(false)));
    }

    public DirectoryUser enableUser(String userId) {
        return write(() -> replaceUser(requireUser(userId).withEnabled(true)));
    }

    /** Deletes the user and its memberships. Returns whether it existed. */
    public boolean deleteUser(String userId) {
        return write(() -> {
            DirectoryUser old = users.remove(userId);
            if (old == null) {
                return false;
            }
            userByLogin.remove(old.loginName());
            Set<String> in = userGroups.remove(userId);
            if (in != null) {
                for (String g : in) {
                    groupUsers.get(g).remove(userId);
                }
                membershipCount -= in.size();
            }
            append(seq -> new DirectoryChange.UserDeleted(seq, userId));
            return true;
        });
    }

    /**
     * Soft-deletes a user, as Entra ID does: the user leaves the directory (one {@link DirectoryChange.UserDeleted}
     * entry, so every face sees a deletion) and waits in a recycle bin, with the ids of the groups it was in,
     * until {@link #restoreUser} brings it back or {@link #purgeDeletedUser} removes it for good. Faces that can
     * tell a soft from a permanent deletion (Microsoft Graph's {@code @removed} reasons {@code changed} and
     * {@code deleted}) ask {@link #deletedUser}.
     *
     * @return false if no such user is in the directory
     */
    public boolean softDeleteUser(String userId) {
        return write(() -> {
            DirectoryUser old = users.get(userId);
            if (old == null) {
                return false;
            }
            Set<String> in = copy(userGroups.get(userId));
            deleteUser(userId);
            recycleBin.put(userId, new Deleted(old, in));
            return true;
        });
    }

    /**
     * Brings a soft-deleted user back with its id, fields and the memberships it had in groups that still
     * exist: a {@link DirectoryChange.UserUpserted} entry, then one {@link DirectoryChange.MemberAdded} per
     * membership.
     *
     * @throws IllegalArgumentException if the user is not in the recycle bin or its login name is taken
     */
    public DirectoryUser restoreUser(String userId) {
        return write(() -> {
            Deleted d = recycleBin.get(userId);
            if (d == null) {
                throw new IllegalArgumentException("no soft-deleted user with id " + userId);
            }
            DirectoryUser restored = addUser(d.user());
            recycleBin.remove(userId);
            for (String g : d.groups()) {
                if (groupsById.containsKey(g)) {
                    link(g, MemberKind.USER, userId);
                }
            }
            return restored;
        });
    }

    /**
     * Removes a soft-deleted user from the recycle bin for good. Nothing is logged: the user already left
     * the directory when it was soft-deleted. Returns whether it was in the bin.
     */
    public boolean purgeDeletedUser(String userId) {
        return write(() -> recycleBin.remove(userId) != null);
    }

    /** The soft-deleted user with this id, as it was when deleted, if it is in the recycle bin. */
    public Optional<DirectoryUser> deletedUser(String userId) {
        return read(() -> Optional.ofNullable(recycleBin.get(userId)).map(Deleted::user));
    }

    /** A user in the recycle bin and the groups it was in. */
    private record Deleted(DirectoryUser user, Set<String> groups) {}

    private DirectoryUser replaceUser(DirectoryUser updated) {
        DirectoryUser old = users.get(updated.id());
        requireLoginFree(updated.loginName(), updated.id());
        userByLogin.remove(old.loginName());
        userByLogin.put(updated.loginName(), updated.id());
        users.put(updated.id(), updated);
        append(seq -> new DirectoryChange.UserUpserted(seq, updated));
        return updated;
    }

    private void requireLoginFree(String loginName, String exceptId) {
        String holder = userByLogin.get(loginName);
        if (holder != null && !holder.equals(exceptId)) {
            throw new IllegalArgumentException("login name is taken by user " + holder);
        }
    }

    private DirectoryUser requireUser(String userId) {
        DirectoryUser u = userId == null ? null : users.get(userId);
        if (u == null) {
            throw new IllegalArgumentException("no user with id " + userId);
        }
        return u;
    }

    // ------------------------------------------------------------------ group mutations

    /**
     * Adds a group without members. A {@code null} id is replaced by a generated one.
     *
     * @throws IllegalArgumentException if the id or the name (exactly) is taken
     */
    public DirectoryGroup addGroup(DirectoryGroup group) {
        Objects.requireNonNull(group, "group");
        return write(() -> {
            DirectoryGroup stored = group.id() == null ? group.withId(newId(groups)) : group;
            if (groups.containsKey(stored.id())) {
                throw new IllegalArgumentException("group id " + stored.id() + " is taken");
            }
            requireGroupNameFree(stored.name(), null);
            groups.put(stored.id(), stored);
            groupsById.put(stored.id(), stored);
            groupByName.put(stored.name(), stored.id());
            append(seq -> new DirectoryChange.GroupAdded(seq, stored));
            return stored;
        });
    }

    /** Adds a group with this name and no description. */
    public DirectoryGroup addGroup(String name) {
        return addGroup(DirectoryGroup.of(name));
    }

    /** Changes a group's name; the id and the members stay. */
    public DirectoryGroup renameGroup(String groupId, String newName) {
        return write(() -> replaceGroup(requireGroup(groupId).withName(newName)));
    }

    /** Replaces the name and description of the group with the same id; members stay. */
    public DirectoryGroup updateGroup(DirectoryGroup group) {
        Objects.requireNonNull(group, "group");
        return write(() -> {
            requireGroup(group.id());
            return replaceGroup(group);
        });
    }

    /** Deletes the group, its memberships, and its place in other groups. Returns whether it existed. */
    public boolean deleteGroup(String groupId) {
        return write(() -> {
            DirectoryGroup old = groups.remove(groupId);
            groupsById.remove(groupId);
            if (old == null) {
                return false;
            }
            groupByName.remove(old.name());
            membershipCount -= unlinkAll(groupUsers.remove(groupId), userGroups, groupId);
            membershipCount -= unlinkAll(groupGroups.remove(groupId), groupParents, groupId);
            membershipCount -= unlinkAll(groupParents.remove(groupId), groupGroups, groupId);
            append(seq -> new DirectoryChange.GroupDeleted(seq, groupId));
            return true;
        });
    }

    private static int unlinkAll(Set<String> others, Map<String, Set<String>> reverse, String groupId) {
        if (others == null) {
            return 0;
        }
        for (String o : others) {
            reverse.get(o).remove(groupId);
        }
        return others.size();
    }

    private DirectoryGroup replaceGroup(DirectoryGroup updated) {
        DirectoryGroup old = groups.get(updated.id());
        requireGroupNameFree(updated.name(), updated.id());
        groupByName.remove(old.name());
        groupByName.put(updated.name(), updated.id());
        groups.put(updated.id(), updated);
        groupsById.put(updated.id(), updated);
        append(seq -> new DirectoryChange.GroupUpdated(seq, updated));
        return updated;
    }

    private void requireGroupNameFree(String name, String exceptId) {
        String holder = groupByName.get(name);
        if (holder != null && !holder.equals(exceptId)) {
            throw new IllegalArgumentException("group name is taken by group " + holder);
        }
    }

    private DirectoryGroup requireGroup(String groupId) {
        DirectoryGroup g = groupId == null ? null : groupsById.get(groupId);
        if (g == null) {
            throw new IllegalArgumentException("no group with id " + groupId);
        }
        return g;
    }

    // ------------------------------------------------------------------ membership mutations

    /**
     * Makes a user or group a direct member of a group. Group members may form cycles (real directories
     * allow them); only a group containing itself directly is refused.
     *
     * @return false if the membership was already there (nothing is logged then)
     */
    public boolean addMember(String groupId, MemberKind kind, String memberId) {
        Objects.requireNonNull(kind, "kind");
        return write(() -> {
            requireGroup(groupId);
            if (kind == MemberKind.USER) {
                requireUser(memberId);
            } else {
                requireGroup(memberId);
                if (groupId.equals(memberId)) {
                    throw new IllegalArgumentException("a group cannot contain itself directly");
                }
            }
            return link(groupId, kind, memberId);
        });
    }

    /** Ends a direct membership. Returns false if it was not there (nothing is logged then). */
    public boolean removeMember(String groupId, MemberKind kind, String memberId) {
        Objects.requireNonNull(kind, "kind");
        return write(() -> unlink(groupId, kind, memberId));
    }

    /**
     * Moves a user from one group to another: two log entries, a removal then an addition.
     *
     * @throws IllegalArgumentException if the user is not a direct member of {@code fromGroupId}
     */
    public void moveUser(String userId, String fromGroupId, String toGroupId) {
        write(() -> {
            requireUser(userId);
            requireGroup(fromGroupId);
            requireGroup(toGroupId);
            if (!unlink(fromGroupId, MemberKind.USER, userId)) {
                throw new IllegalArgumentException("user " + userId + " is not a member of group " + fromGroupId);
            }
            link(toGroupId, MemberKind.USER, userId);
            return null;
        });
    }

    private boolean link(String groupId, MemberKind kind, String memberId) {
        boolean added = forward(kind).computeIfAbsent(groupId, k -> new HashSet<>()).add(memberId);
        if (added) {
            reverse(kind).computeIfAbsent(memberId, k -> new HashSet<>()).add(groupId);
            membershipCount++;
            append(seq -> new DirectoryChange.MemberAdded(seq, groupId, kind, memberId));
        }
        return added;
    }

    private boolean unlink(String groupId, MemberKind kind, String memberId) {
        Set<String> ms = forward(kind).get(groupId);
        if (ms == null || !ms.remove(memberId)) {
            return false;
        }
        reverse(kind).get(memberId).remove(groupId);
        membershipCount--;
        append(seq -> new DirectoryChange.MemberRemoved(seq, groupId, kind, memberId));
        return true;
    }

    private Map<String, Set<String>> forward(MemberKind kind) {
        return kind == MemberKind.USER ? groupUsers : groupGroups;
    }

    private Map<String, Set<String>> reverse(MemberKind kind) {
        return kind == MemberKind.USER ? userGroups : groupParents;
    }

    // ------------------------------------------------------------------ inspection

    public Optional<DirectoryUser> user(String userId) {
        return read(() -> Optional.ofNullable(users.get(userId)));
    }

    /** Exact (case-sensitive) lookup by login name. */
    public Optional<DirectoryUser> userByLoginName(String loginName) {
        return read(() -> Optional.ofNullable(userByLogin.get(loginName)).map(users::get));
    }

    public Optional<DirectoryGroup> group(String groupId) {
        return read(() -> Optional.ofNullable(groupsById.get(groupId)));
    }

    /** Exact (case-sensitive) lookup by group name. */
    public Optional<DirectoryGroup> groupByName(String name) {
        return read(() -> Optional.ofNullable(groupByName.get(name)).map(groups::get));
    }

    public int userCount() {
        return read(users::size);
    }

    public int groupCount() {
        return read(groups::size);
    }

    /** Direct memberships of both kinds. */
    public long membershipCount() {
        return read(() -> membershipCount);
    }

    /** Every user in id order, read lazily page by page (weakly consistent). */
    public Stream<DirectoryUser> users() {
        return paged(users);
    }

    /** Every group in id order, read lazily page by page (weakly consistent). */
    public Stream<DirectoryGroup> groups() {
        return paged(groups);
    }

    /** The ids of the group's direct members of one kind (a copy; empty for an unknown group). */
    public Set<String> members(String groupId, MemberKind kind) {
        Objects.requireNonNull(kind, "kind");
        return read(() -> copy(forward(kind).get(groupId)));
    }

    /** The ids of the groups that directly contain this user or group (a copy). */
    public Set<String> groupsOf(MemberKind kind, String memberId) {
        Objects.requireNonNull(kind, "kind");
        return read(() -> copy(reverse(kind).get(memberId)));
    }

    private static Set<String> copy(Set<String> s) {
        return s == null || s.isEmpty() ? Set.of() : Collections.unmodifiableSet(new HashSet<>(s));
    }

    /**
     * The user as a source reports it: {@code enabled} becomes {@code active}, and {@code groups} holds the
     * current names of the user's direct groups (like AD memberOf; empty if the user is no longer here).
     */
    public SourceUser toSourceUser(DirectoryUser user) {
        Objects.requireNonNull(user, "user");
        return read(() -> sourceUser(user));
    }

    /** The group as a source reports it, with its current direct members of both kinds. */
    public SourceGroup toSourceGroup(DirectoryGroup group) {
        Objects.requireNonNull(group, "group");
        return read(() -> sourceGroup(group));
    }

    private SourceUser sourceUser(DirectoryUser u) {
        Set<String> groupIds = u.id() == null ? null : userGroups.get(u.id());
        if (groupIds == null || groupIds.isEmpty()) {
            return new SourceUser(u.id(), u.loginName(), u.displayName(), u.givenName(), u.familyName(), u.emails(),
                    u.enabled(), u.kind(), Set.of(), u.attributes());
        }
        List<String> names = new ArrayList<>(groupIds.size());
        for (String g : groupIds) {
            names.add(groupsById.get(g).name());
        }
        return new SourceUser(u.id(), u.loginName(), u.displayName(), u.givenName(), u.familyName(), u.emails(),
                u.enabled(), u.kind(), Set.copyOf(names), u.attributes());
    }

    private SourceGroup sourceGroup(DirectoryGroup g) {
        Set<String> us = g.id() == null ? null : groupUsers.get(g.id());
        Set<String> gs = g.id() == null ? null : groupGroups.get(g.id());
        return new SourceGroup(g.id(), g.name(), g.description(), us == null ? Set.of() : us,
                gs == null ? Set.of() : gs, Map.of());
    }

    // ------------------------------------------------------------------ change log

    /** The sequence number of the latest change (0 for a new directory). */
    public long currentSequence() {
        return read(() -> sequence);
    }

    /** The lowest sequence from which {@link #changesSince} can still replay. */
    public long oldestReplayableSequence() {
        return read(() -> trimmedThrough);
    }

    /** How many entries the change log holds now. */
    public int changeLogSize() {
        return read(log::size);
    }

    /**
     * The changes after {@code sinceSequence}, read atomically, or empty if that point is no longer (or not
     * yet) in the log: below {@link #oldestReplayableSequence()} or above {@link #currentSequence()}.
     * Inspection only: never subject to fault injection.
     */
    public Optional<ChangeBatch> changesSince(long sinceSequence) {
        return read(() -> {
            if (sinceSequence < trimmedThrough || sinceSequence > sequence) {
                return Optional.empty();
            }
            int from = (int) (sinceSequence - trimmedThrough);
            return Optional.of(new ChangeBatch(sinceSequence, sequence, new ArrayList<>(log.subList(from, log.size()))));
        });
    }

    /**
     * Forgets log entries up to and including {@code throughSequence} (capped at the current sequence), so
     * that older cursors become invalid. The generator calls it so that a generated directory starts with an
     * empty log.
     */
    public void trimChangeLog(long throughSequence) {
        write(() -> {
            long through = Math.min(throughSequence, sequence);
            if (through > trimmedThrough) {
                log.subList(0, (int) (through - trimmedThrough)).clear();
                log.trimToSize();
                trimmedThrough = through;
            }
            return null;
        });
    }

    private void append(java.util.function.LongFunction<DirectoryChange> change) {
        sequence++;
        log.add(change.apply(sequence));
        if (log.size() > 2L * changeLogRetention) {
            int drop = log.size() - changeLogRetention;
            log.subList(0, drop).clear();
            trimmedThrough += drop;
        }
    }

    // ------------------------------------------------------------------ serving reads

    /**
     * Up to {@code limit} users with ids after {@code afterId} ({@code null}: from the start), in id order.
     * Counted and subject to fault injection.
     *
     * @throws SourceException an injected fault ({@code SOURCE_UNAVAILABLE} by default)
     */
    public List<DirectoryUser> readUserPage(String afterId, int limit) throws SourceException {
        List<DirectoryUser> page = read(() -> page(users, afterId, limit));
        charge(page.size());
        return page;
    }

    /** As {@link #readUserPage}, for groups. */
    public List<DirectoryGroup> readGroupPage(String afterId, int limit) throws SourceException {
        List<DirectoryGroup> page = read(() -> page(groups, afterId, limit));
        charge(page.size());
        return page;
    }

    /**
     * As {@link #changesSince}, but counted (one record per change) and subject to fault injection: after
     * {@link #invalidateNextCursor()} it answers empty once, as if the log had expired.
     */
    public Optional<ChangeBatch> readChanges(long sinceSequence) throws SourceException {
        synchronized (faultMonitor) {
            if (invalidateNextCursor) {
                invalidateNextCursor = false;
                LOG.info("injected fault: treating cursor {} as expired", sinceSequence);
                return Optional.empty();
            }
        }
        Optional<ChangeBatch> batch = changesSince(sinceSequence);
        charge(batch.map(b -> b.changes().size()).orElse(0));
        return batch;
    }

    private static <V> List<V> page(NavigableMap<String, V> map, String afterId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        Map<String, V> tail = afterId == null ? map : map.tailMap(afterId, false);
        // not tail.size(): on a TreeMap view it walks the whole tail, which made paged reads quadratic
        List<V> out = new ArrayList<>(Math.min(limit, 1024));
        for (V v : tail.values()) {
            if (out.size() == limit) {
                break;
            }
            out.add(v);
        }
        return out;
    }

    private <V> Stream<V> paged(NavigableMap<String, V> map) {
        Spliterator<V> split = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE,
                Spliterator.ORDERED | Spliterator.NONNULL) {
            private List<V> buffer = List.of();
            private int next;
            private String lastKey;
            private boolean done;

            @Override
            public boolean tryAdvance(Consumer<? super V> action) {
                if (next == buffer.size()) {
                    if (done) {
                        return false;
                    }
                    List<Map.Entry<String, V>> entries = read(() -> {
                        Map<String, V> tail = lastKey == null ? map : map.tailMap(lastKey, false);
                        List<Map.Entry<String, V>> out = new ArrayList<>(STREAM_PAGE);
                        for (Map.Entry<String, V> e : tail.entrySet()) {
                            if (out.size() == STREAM_PAGE) {
                                break;
                            }
                            out.add(Map.entry(e.getKey(), e.getValue()));
                        }
                        return out;
                    });
                    if (entries.isEmpty()) {
                        done = true;
                        return false;
                    }
                    done = entries.size() < STREAM_PAGE;
                    lastKey = entries.get(entries.size() - 1).getKey();
                    List<V> values = new ArrayList<>(entries.size());
                    entries.forEach(e -> values.add(e.getValue()));
                    buffer = values;
                    next = 0;
                }
                action.accept(buffer.get(next++));
                return true;
            }
        };
        return StreamSupport.stream(split, false);
    }

    // ------------------------------------------------------------------ fault injection

    /**
     * Arms a one-shot fault: serving reads may hand out {@code records} more records, and the read that would
     * pass that count throws {@link SourceException} with code {@code SOURCE_UNAVAILABLE} instead of
     * answering, as a directory that drops the connection mid-search. The fault then disarms itself.
     */
    public void failAfter(int records) {
        if (records < 0) {
            throw new IllegalArgumentException("records must not be negative");
        }
        synchronized (faultMonitor) {
            failAfterRemaining = records;
        }
    }

    /** Arms a one-shot fault: the next serving read throws this exception (any code). */
    public void failNextRead(SourceException exception) {
        Objects.requireNonNull(exception, "exception");
        synchronized (faultMonitor) {
            failNext = exception;
        }
    }

    /** Arms a one-shot fault: the next {@link #readChanges} answers as if the cursor had expired. */
    public void invalidateNextCursor() {
        synchronized (faultMonitor) {
            invalidateNextCursor = true;
        }
    }

    /** Disarms every fault. */
    public void clearFaults() {
        synchronized (faultMonitor) {
            failAfterRemaining = -1;
            failNext = null;
            invalidateNextCursor = false;
        }
    }

    /** How many records the serving reads have handed out so far. */
    public long recordsServed() {
        synchronized (faultMonitor) {
            return recordsServed;
        }
    }

    private void charge(int records) throws SourceException {
        synchronized (faultMonitor) {
            if (failNext != null) {
                SourceException e = failNext;
                failNext = null;
                LOG.info("injected fault: failing a read with code {}", e.code());
                throw e;
            }
            if (failAfterRemaining >= 0 && records > failAfterRemaining) {
                long allowed = failAfterRemaining;
                failAfterRemaining = -1;
                LOG.info("injected fault: failing the read after {} more records", allowed);
                throw SourceException.unavailable("injected fault: the directory stopped answering", null);
            }
            if (failAfterRemaining >= 0) {
                failAfterRemaining -= records;
            }
            recordsServed += records;
        }
    }

    // ------------------------------------------------------------------ internals

    private String newId(Map<String, ?> taken) {
        String id;
        do {
            long msb = (ids.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
            long lsb = (ids.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
            id = new UUID(msb, lsb).toString();
        } while (taken.containsKey(id));
        return id;
    }

    private <T> T read(Supplier<T> body) {
        lock.readLock().lock();
        try {
            return body.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private <T> T write(Supplier<T> body) {
        lock.writeLock().lock();
        try {
            return body.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return read(() -> "InMemoryDirectory[users=" + users.size() + ", groups=" + groups.size()
                + ", memberships=" + membershipCount + ", sequence=" + sequence + "]");
    }
}
