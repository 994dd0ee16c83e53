package io.usher.scim.http;

import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.core.spi.StoreOperation;
import io.usher.core.spi.UserStore;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** A store that counts how often a group's user members are enumerated (members, hasExactly), delegating the rest. */
final class CountingStore implements UserStore {
    private final UserStore inner;
    final AtomicLong memberEnumerations = new AtomicLong();
    /** When set, every user or group write fails as a broken database would. */
    volatile boolean failWrites;

    private void maybeFail() {
        if (failWrites) {
            throw new IllegalStateException("connection to jdbc:secret://db refused");
        }
    }

    CountingStore(UserStore inner) {
        this.inner = inner;
    }

    @Override public Optional<User> findUser(String key) { return inner.findUser(key); }
    @Override public Optional<User> findUserByOrigin(Origin origin) { return inner.findUserByOrigin(origin); }
    @Override public Optional<User> findUserByUsername(String username) { return inner.findUserByUsername(username); }
    @Override public Stream<User> usersOwnedBy(String sourceId) { return inner.usersOwnedBy(sourceId); }
    @Override public User createUser(User user) { maybeFail(); return inner.createUser(user); }
    @Override public User updateUser(User user) { maybeFail(); return inner.updateUser(user); }
    @Override public boolean deleteUser(String key) { return inner.deleteUser(key); }
    @Override public Optional<Group> findGroup(String key) { return inner.findGroup(key); }
    @Override public Optional<Group> findGroupByOrigin(Origin origin) { return inner.findGroupByOrigin(origin); }
    @Override public Optional<Group> findGroupByName(String name) { return inner.findGroupByName(name); }
    @Override public Stream<Group> groupsOwnedBy(String sourceId) { return inner.groupsOwnedBy(sourceId); }
    @Override public Group createGroup(Group group) { maybeFail(); return inner.createGroup(group); }
    @Override public Group updateGroup(Group group) { return inner.updateGroup(group); }
    @Override public boolean deleteGroup(String key) { return inner.deleteGroup(key); }
    @Override public Set<String> groupsOf(MemberKind kind, String memberKey) { return inner.groupsOf(kind, memberKey); }
    @Override public boolean addMember(String g, MemberKind kind, String m) { return inner.addMember(g, kind, m); }
    @Override public boolean removeMember(String g, MemberKind kind, String m) { return inner.removeMember(g, kind, m); }
    @Override public boolean supportsNestedGroups() { return inner.supportsNestedGroups(); }
    @Override public Stream<User> findUsersByField(String s, String f, String v) { return inner.findUsersByField(s, f, v); }
    @Override public Stream<Group> findGroupsByField(String s, String f, String v) { return inner.findGroupsByField(s, f, v); }
    @Override public int memberCount(String g, MemberKind kind) { return inner.memberCount(g, kind); }
    @Override public boolean isMember(String g, MemberKind kind, String m) { return inner.isMember(g, kind, m); }

    @Override
    public Set<String> members(String groupKey, MemberKind kind) {
        if (kind == MemberKind.USER) {
            memberEnumerations.incrementAndGet();
        }
        return inner.members(groupKey, kind);
    }

    @Override
    public boolean hasExactly(String groupKey, MemberKind kind, Collection<String> memberKeys) {
        if (kind == MemberKind.USER) {
            memberEnumerations.incrementAndGet();
        }
        return inner.hasExactly(groupKey, kind, memberKeys);
    }

    @Override
    public List<StoreOperation.Outcome> apply(List<StoreOperation> operations) {
        // run each operation against this store, so that nothing bypasses the counters
        return UserStore.super.apply(operations);
    }
}
