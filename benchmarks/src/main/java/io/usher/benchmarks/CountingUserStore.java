package io.usher.benchmarks;

import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.core.spi.UserStore;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A write-only {@link UserStore} for benchmarks of a first sync at a scale whose store would not fit the
 * heap: it issues keys and counts what it is given, and keeps nothing (every lookup answers "none", as an
 * empty store would). It stands in for a host's database in another process, so a run through it measures
 * the connector and the engine — and the engine's own memory — not a store. Only a first full sync into it
 * is meaningful: a second would find nothing and create everything again.
 *
 * <p>Thread-safe (atomic counters).
 */
final class CountingUserStore implements UserStore {
    private final AtomicLong sequence = new AtomicLong();
    final AtomicLong users = new AtomicLong();
    final AtomicLong groups = new AtomicLong();
    final AtomicLong userMemberships = new AtomicLong();
    final AtomicLong groupMemberships = new AtomicLong();

    /** Nested groups are kept (as in {@code InMemoryUserStore}), so the engine does not flatten them. */
    @Override
    public boolean supportsNestedGroups() {
        return true;
    }

    @Override
    public Optional<User> findUser(String key) {
        return Optional.empty();
    }

    @Override
    public Optional<User> findUserByOrigin(Origin origin) {
        return Optional.empty();
    }

    @Override
    public Optional<User> findUserByUsername(String username) {
        return Optional.empty();
    }

    @Override
    public Stream<User> usersOwnedBy(String sourceId) {
        return Stream.empty();
    }

    @Override
    public User createUser(User user) {
        users.incrementAndGet();
        return user.withKey("u" + sequence.incrementAndGet());
    }

    @Override
    public User updateUser(User user) {
        return user;
    }

    @Override
    public boolean deleteUser(String key) {
        return false;
    }

    @Override
    public Optional<Group> findGroup(String key) {
        return Optional.empty();
    }

    @Override
    public Optional<Group> findGroupByOrigin(Origin origin) {
        return Optional.empty();
    }

    @Override
    public Optional<Group> findGroupByName(String name) {
        return Optional.empty();
    }

    @Override
    public Stream<Group> groupsOwnedBy(String sourceId) {
        return Stream.empty();
    }

    @Override
    public Group createGroup(Group group) {
        groups.incrementAndGet();
        return group.withKey("g" + sequence.incrementAndGet());
    }

    @Override
    public Group updateGroup(Group group) {
        return group;
    }

    @Override
    public boolean deleteGroup(String key) {
        return false;
    }

    @Override
    public Set<String> members(String groupKey, MemberKind kind) {
        return Set.of();
    }

    @Override
    public Set<String> groupsOf(MemberKind kind, String memberKey) {
        return Set.of();
    }

    @Override
    public boolean addMember(String groupKey, MemberKind kind, String memberKey) {
        (kind == MemberKind.USER ? userMemberships : groupMemberships).incrementAndGet();
        return true;
    }

    @Override
    public int addMembers(String groupKey, MemberKind kind, Collection<String> memberKeys) {
        (kind == MemberKind.USER ? userMemberships : groupMemberships).addAndGet(memberKeys.size());
        return memberKeys.size();
    }

    @Override
    public boolean removeMember(String groupKey, MemberKind kind, String memberKey) {
        return false;
    }
}
