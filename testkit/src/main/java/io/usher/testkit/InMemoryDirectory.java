package io.usher.testkit;

import io.usher.core.model.MemberKind;
import io.usher.core.model.Values;
import io.usher.core.spi.SourceGroup;
import io.usher.core.spi.SourceUser;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A model of an identity provider's directory for tests: users with immutable ids, groups, nested groups
 * (cycles allowed — the engine must cope), disabled users and guests. Tests change it (add, rename,
 * disable, delete, move between groups) and every face built on it — {@link InMemorySourceConnector}
 * today, LDAP and fake REST APIs later — serves the new state.
 *
 * <p>Every mutation is appended to a change log with a rising sequence number, so incremental reads can
 * replay what changed since a cursor; {@link #expireChangeLog()} forgets the log, as real sources do, so
 * old cursors become invalid.
 *
 * <p>Thread-safe: one read-write lock guards all state. Reads by page ({@link #usersAfter}) cost
 * O(log n + page); membership changes are O(1): members are indexed from both sides.
 */
public final class InMemoryDirectory {

    /** A user as the directory holds it. Immutable. */
    public record DirUser(String id, String loginName, String displayName, String givenName, String familyName,
                          List<String> emails, boolean enabled, SourceUser.Kind kind,
                          Map<String, List<String>> attributes) {
        public DirUser {
            id = Values.requireText(id, "id");
            loginName = Values.requireText(loginName, "loginName");
            emails = Values.copyList(emails, "emails");
            kind = kind == null ? SourceUser.Kind.MEMBER : kind;
            attributes = Values.copyAttributes(attributes);
        }

        /** A member user with a random id and the given login. */
        public static DirUser of(String loginName) {
            return new DirUser(UUID.randomUUID().toString(), loginName, loginName, null, null,
                    List.of(loginName + "@example.test"), true, SourceUser.Kind.MEMBER, Map.of());
        }

        public DirUser withLoginName(String v) {
            return new DirUser(id, v, displayName, givenName, familyName, emails, enabled, kind, attributes);
        }

        public DirUser withEnabled(boolean v) {
            return new DirUser(id, loginName, displayName, givenName, familyName, emails, v, kind, attributes);
        }

        public DirUser withDisplayName(String v) {
            return new DirUser(id, loginName, v, givenName, familyName, emails, enabled, kind, attributes);
        }
    }

    /** A group as the directory holds it (members are kept apart, indexed both ways). Immutable. */
    public record DirGroup(String id, String name, String description) {
        public DirGroup {
            id = Values.requireText(id, "id");
            name = Values.requireText(name, "name");
        }
    }

    /** What a change-log entry records. */
    public enum ChangeType { USER_UPSERTED, USER_DELETED, GROUP_UPSERTED, GROUP_DELETED, MEMBER_ADDED, MEMBER_REMOVED }

    /**
     * One change-log entry: the sequence number, what changed, the user or group id, and for memberships
     * the member's kind and id.
     */
    public record LoggedChange(long sequence, ChangeType type, String id, MemberKind memberKind, String memberId) {}

    /** Thrown by {@link #changesSince} when the log no longer reaches back to the cursor. */
    public static final class ChangeLogExpired extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ChangeLogExpired(String message) {
            super(message);
        }
    }

    private static final Map<String, InMemoryDirectory> REGISTRY = new ConcurrentHashMap<>();

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final TreeMap<String, DirUser> users = new TreeMap<>();
    private final TreeMap<String, DirGroup> groups = new TreeMap<>();
    private final Map<String, Set<String>> groupUsers = new HashMap<>();
    private final Map<String, Set<String>> groupGroups = new HashMap<>();
    private final Map<String, Set<String>> userGroups = new HashMap<>();
    private final Map<String, Set<String>> groupParents = new HashMap<>();
    private final List<LoggedChange> log = new ArrayList<>();
    private long sequence;
    private long logStart;
    private boolean logging = true;

    // ------------------------------------------------------------------ registry for flat configuration

    /**
     * Makes this directory reachable by name from flat configuration ({@code connector.directory=NAME} for
     * the {@code memory} connector type). Close the registration when the test ends. The registry is a
     * static map because a {@code ServiceLoader}-created provider has no other way to reach a test's
     * object; names must be unique while registered.
     */
    public AutoCloseable register(String name) {
        Objects.requireNonNull(name, "name");
        if (REGISTRY.putIfAbsent(name, this) != null) {
            throw new IllegalStateException("a directory named '" + name + "' is already registered");
        }
        return () -> REGISTRY.remove(name, this);
    }

    /** The directory registered under the name, if any. */
    public static Optional<InMemoryDirectory> registered(String name) {
        return Optional.ofNullable(REGISTRY.get(name));
    }

    // ------------------------------------------------------------------ users

    /** Adds a user; returns its id. */
    public String addUser(DirUser user) {
        return write(() -> {
            if (users.containsKey(user.id())) {
                throw new IllegalArgumentException("a user with this id exists");
            }
            users.put(user.id(), user);
            userGroups.put(user.id(), new LinkedHashSet<>());
            record(ChangeType.USER_UPSERTED, user.id(), null, null);
            return user.id();
        });
    }

    /** Adds a member user with a random id and the given login; returns the id. */
    public String addUser(String loginName) {
        return addUser(DirUser.of(loginName));
    }

    public Optional<DirUser> user(String id) {
        return read(() -> Optional.ofNullable(users.get(id)));
    }

    /** Replaces a user's values (the id stays). */
    public void updateUser(String id, UnaryOperator<DirUser> change) {
        write(() -> {
            DirUser old = requireUser(id);
            DirUser now = change.apply(old);
            if (!now.id().equals(id)) {
                throw new IllegalArgumentException("a user's id never changes");
            }
            users.put(id, now);
            record(ChangeType.USER_UPSERTED, id, null, null);
            return null;
        });
    }

    /** Changes the login name; the id stays (a rename, not a new user). */
    public void renameUser(String id, String newLoginName) {
        updateUser(id, u -> u.withLoginName(newLoginName));
    }

    public void disableUser(String id) {
        updateUser(id, u -> u.withEnabled(false));
    }

    public void enableUser(String id) {
        updateUser(id, u -> u.withEnabled(true));
    }

    /** Deletes the user and its memberships (each logged as a removal first). */
    public void deleteUser(String id) {
        write(() -> {
            requireUser(id);
            for (String g : List.copyOf(userGroups.get(id))) {
                unlink(g, MemberKind.USER, id);
            }
            users.remove(id);
            userGroups.remove(id);
            record(ChangeType.USER_DELETED, id, null, null);
            return null;
        });
    }

    // ------------------------------------------------------------------ groups

    public String addGroup(DirGroup group) {
        return write(() -> {
            if (groups.containsKey(group.id())) {
                throw new IllegalArgumentException("a group with this id exists");
            }
            groups.put(group.id(), group);
            groupUsers.put(group.id(), new LinkedHashSet<>());
            groupGroups.put(group.id(), new LinkedHashSet<>());
            groupParents.put(group.id(), new LinkedHashSet<>());
            record(ChangeType.GROUP_UPSERTED, group.id(), null, null);
            return group.id();
        });
    }

    /** Adds a group with a random id; returns the id. */
    public String addGroup(String name) {
        return addGroup(new DirGroup(UUID.randomUUID().toString(), name, null));
    }

    public Optional<DirGroup> group(String id) {
        return read(() -> Optional.ofNullable(groups.get(id)));
    }

    public void renameGroup(String id, String newName) {
        write(() -> {
            DirGroup g = requireGroup(id);
            groups.put(id, new DirGroup(id, newName, g.description()));
            record(ChangeType.GROUP_UPSERTED, id, null, null);
            return null;
        });
    }

    /** Deletes the group, its memberships, and its place in parent groups. */
    public void deleteGroup(String id) {
        write(() -> {
            requireGroup(id);
            for (String u : List.copyOf(groupUsers.get(id))) {
                unlink(id, MemberKind.USER, u);
            }
            for (String c : List.copyOf(groupGroups.get(id))) {
                unlink(id, MemberKind.GROUP, c);
            }
            for (String p : List.copyOf(groupParents.get(id))) {
                unlink(p, MemberKind.GROUP, id);
            }
            groups.remove(id);
            groupUsers.remove(id);
            groupGroups.remove(id);
            groupParents.remove(id);
            record(ChangeType.GROUP_DELETED, id, null, null);
            return null;
        });
    }

    /** Adds a user or group to a group; returns false if it was already a member. */
    public boolean addMember(String groupId, MemberKind kind, String memberId) {
        return write(() -> {
            requireGroup(groupId);
            if (kind == MemberKind.USER) {
                requireUser(memberId);
            } else {
                requireGroup(memberId);
            }
            boolean added = (kind == MemberKind.USER ? groupUsers : groupGroups).get(groupId).add(memberId);
            if (added) {
                (kind == MemberKind.USER ? userGroups : groupParents).get(memberId).add(groupId);
                record(ChangeType.MEMBER_ADDED, groupId, kind, memberId);
            }
            return added;
        });
    }

    public boolean removeMember(String groupId, MemberKind kind, String memberId) {
        return write(() -> {
            requireGroup(groupId);
            return unlink(groupId, kind, memberId);
        });
    }

    /** Moves a user from one group to another. */
    public void moveUser(String userId, String fromGroupId, String toGroupId) {
        write(() -> {
            removeMember(fromGroupId, MemberKind.USER, userId);
            addMember(toGroupId, MemberKind.USER, userId);
            return null;
        });
    }

    private boolean unlink(String groupId, MemberKind kind, String memberId) {
        boolean removed = (kind == MemberKind.USER ? groupUsers : groupGroups).get(groupId).remove(memberId);
        if (removed) {
            Set<String> back = (kind == MemberKind.USER ? userGroups : groupParents).get(memberId);
            if (back != null) {
                back.remove(groupId);
            }
            record(ChangeType.MEMBER_REMOVED, groupId, kind, memberId);
        }
        return removed;
    }

    // ------------------------------------------------------------------ reading

    public int userCount() {
        return read(users::size);
    }

    public int groupCount() {
        return read(groups::size);
    }

    /** Direct user memberships in all groups. */
    public long membershipCount() {
        return read(() -> groupUsers.values().stream().mapToLong(Set::size).sum());
    }

    /** Up to {@code limit} users in id order after {@code afterId} ({@code null}: from the start). */
    public List<DirUser> usersAfter(String afterId, int limit) {
        return read(() -> page(afterId == null ? users : users.tailMap(afterId, false), limit));
    }

    /** Up to {@code limit} groups in id order after {@code afterId} ({@code null}: from the start). */
    public List<DirGroup> groupsAfter(String afterId, int limit) {
        return read(() -> page(afterId == null ? groups : groups.tailMap(afterId, false), limit));
    }

    private static <T> List<T> page(Map<String, T> from, int limit) {
        // not from.size(): on a TreeMap view that walks the whole tail, making a paged read quadratic
        List<T> out = new ArrayList<>(Math.min(limit, 1024));
        for (T v : from.values()) {
            if (out.size() == limit) {
                break;
            }
            out.add(v);
        }
        return out;
    }

    /** Every user id, in order (a copy). */
    public List<String> userIds() {
        return read(() -> new ArrayList<>(users.keySet()));
    }

    /** Every group id, in order (a copy). */
    public List<String> groupIds() {
        return read(() -> new ArrayList<>(groups.keySet()));
    }

    /** Direct members of one kind (a copy). */
    public Set<String> members(String groupId, MemberKind kind) {
        return read(() -> Set.copyOf((kind == MemberKind.USER ? groupUsers : groupGroups)
                .getOrDefault(groupId, Set.of())));
    }

    /** Whether the member is directly in the group. O(1). */
    public boolean isMember(String groupId, MemberKind kind, String memberId) {
        return read(() -> (kind == MemberKind.USER ? groupUsers : groupGroups).getOrDefault(groupId, Set.of())
                .contains(memberId));
    }

    /** The groups that directly contain the user or group (a copy). */
    public Set<String> groupsOf(MemberKind kind, String memberId) {
        return read(() -> Set.copyOf((kind == MemberKind.USER ? userGroups : groupParents)
                .getOrDefault(memberId, Set.of())));
    }

    /** The user as a connector reports it; {@code groups} holds its direct groups' names (like memberOf). */
    public SourceUser toSourceUser(DirUser u) {
        return read(() -> {
            List<String> groupNames = new ArrayList<>();
            for (String g : userGroups.getOrDefault(u.id(), Set.of())) {
                groupNames.add(groups.get(g).name());
            }
            return new SourceUser(u.id(), u.loginName(), u.displayName(), u.givenName(), u.familyName(), u.emails(),
                    u.enabled(), u.kind(), new LinkedHashSet<>(groupNames), u.attributes());
        });
    }

    /** The group as a connector reports it, with its direct members. */
    public SourceGroup toSourceGroup(DirGroup g) {
        return read(() -> new SourceGroup(g.id(), g.name(), g.description(), groupUsers.get(g.id()),
                groupGroups.get(g.id()), Map.of()));
    }

    // ------------------------------------------------------------------ change log

    /** The sequence number of the newest change (0 before any). */
    public long currentSequence() {
        return read(() -> sequence);
    }

    /** The changes after {@code since}, in order. */
    public List<LoggedChange> changesSince(long since) {
        return read(() -> {
            if (since < logStart || since > sequence) {
                throw new ChangeLogExpired("the change log does not reach back to sequence " + since);
            }
            return new ArrayList<>(log.subList((int) (since - logStart), log.size()));
        });
    }

    /** Forgets the change log: cursors from before now become invalid, as when a real source expires them. */
    public void expireChangeLog() {
        write(() -> {
            log.clear();
            logStart = sequence;
            return null;
        });
    }

    /**
     * Runs bulk loading without a change log (for generators and benchmarks); afterwards the log starts
     * at the current sequence.
     */
    public void withoutChangeLog(Runnable body) {
        write(() -> {
            logging = false;
            try {
                body.run();
            } finally {
                logging = true;
                log.clear();
                logStart = sequence;
            }
            return null;
        });
    }

    private void record(ChangeType type, String id, MemberKind kind, String memberId) {
        sequence++;
        if (logging) {
            log.add(new LoggedChange(sequence, type, id, kind, memberId));
        }
    }

    private DirUser requireUser(String id) {
        DirUser u = users.get(id);
        if (u == null) {
            throw new IllegalArgumentException("no user with id " + id);
        }
        return u;
    }

    private DirGroup requireGroup(String id) {
        DirGroup g = groups.get(id);
        if (g == null) {
            throw new IllegalArgumentException("no group with id " + id);
        }
        return g;
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

    /** Adds many members at once without per-call locking (for generators). */
    void bulkMembers(String groupId, MemberKind kind, Collection<String> memberIds) {
        write(() -> {
            for (String m : memberIds) {
                addMember(groupId, kind, m);
            }
            return null;
        });
    }
}
