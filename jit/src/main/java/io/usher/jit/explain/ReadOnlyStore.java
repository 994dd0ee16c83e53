package io.usher.jit.explain;

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
import java.util.stream.Stream;

/**
 * The host's store as the explainer sees it: every read passes through, every write is refused with an
 * {@link UnsupportedOperationException} before it reaches the host's store. Explaining a login reads the store
 * only through this view, so a bug in the explainer cannot change the host's users. Thread-safe if the store is.
 */
final class ReadOnlyStore implements UserStore {
    private final UserStore store;

    ReadOnlyStore(UserStore store) {
        this.store = store;
    }

    private static UnsupportedOperationException refused(String what) {
        return new UnsupportedOperationException("explaining a login never writes to the store (" + what + ")");
    }

    @Override
    public Optional<User> findUser(String key) {
        return store.findUser(key);
    }

    @Override
    public Optional<User> findUserByOrigin(Origin origin) {
        return store.findUserByOrigin(origin);
    }

    @Override
    public Optional<User> findUserByUsername(String username) {
        return store.findUserByUsername(username);
    }

    @Override
    public Stream<User> usersOwnedBy(String sourceId) {
        return store.usersOwnedBy(sourceId);
    }

    @Override
    public Stream<String> userExternalIdsOwnedBy(String sourceId) {
        return store.userExternalIdsOwnedBy(sourceId);
    }

    @Override
    public User createUser(User user) {
        throw refused("createUser");
    }

    @Override
    public User updateUser(User user) {
        throw refused("updateUser");
    }

    @Override
    public boolean deleteUser(String key) {
        throw refused("deleteUser");
    }

    @Override
    public Optional<Group> findGroup(String key) {
        return store.findGroup(key);
    }

    @Override
    public Optional<Group> findGroupByOrigin(Origin origin) {
        return store.findGroupByOrigin(origin);
    }

    @Override
    public Optional<Group> findGroupByName(String name) {
        return store.findGroupByName(name);
    }

    @Override
    public Stream<Group> groupsOwnedBy(String sourceId) {
        return store.groupsOwnedBy(sourceId);
    }

    @Override
    public Group createGroup(Group group) {
        throw refused("createGroup");
    }

    @Override
    public Group updateGroup(Group group) {
        throw refused("updateGroup");
    }

    @Override
    public boolean deleteGroup(String key) {
        throw refused("deleteGroup");
    }

    @Override
    public Set<String> members(String groupKey, MemberKind kind) {
        return store.members(groupKey, kind);
    }

    @Override
    public Set<String> groupsOf(MemberKind kind, String memberKey) {
        return store.groupsOf(kind, memberKey);
    }

    @Override
    public boolean addMember(String groupKey, MemberKind kind, String memberKey) {
        throw refused("addMember");
    }

    @Override
    public boolean removeMember(String groupKey, MemberKind kind, String memberKey) {
        throw refused("removeMember");
    }

    @Override
    public int addMembers(String groupKey, MemberKind kind, Collection<String> memberKeys) {
        throw refused("addMembers");
    }

    @Override
    public List<StoreOperation.Outcome> apply(List<StoreOperation> operations) {
        throw refused("apply");
    }

    @Override
    public boolean supportsNestedGroups() {
        return store.supportsNestedGroups();
    }
}
