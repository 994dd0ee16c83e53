package io.usher.core.spi;

import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.User;
import java.util.Objects;

/** One write to a {@link UserStore}, for batch application. Immutable. */
public interface StoreOperation {

    /** Performs this operation on the store, one call. Returns the stored value or a Boolean. */
    Object applyTo(UserStore store);

    static StoreOperation createUser(User user) {
        return new CreateUser(user);
    }

    static StoreOperation updateUser(User user) {
        return new UpdateUser(user);
    }

    static StoreOperation deleteUser(String key) {
        return new DeleteUser(key);
    }

    static StoreOperation createGroup(Group group) {
        return new CreateGroup(group);
    }

    static StoreOperation updateGroup(Group group) {
        return new UpdateGroup(group);
    }

    static StoreOperation deleteGroup(String key) {
        return new DeleteGroup(key);
    }

    static StoreOperation addMember(String groupKey, MemberKind kind, String memberKey) {
        return new Membership(true, groupKey, kind, memberKey);
    }

    static StoreOperation removeMember(String groupKey, MemberKind kind, String memberKey) {
        return new Membership(false, groupKey, kind, memberKey);
    }

    /** Many new members of one kind for one group ({@link UserStore#addMembers}); the result is an Integer. */
    static StoreOperation addMembers(String groupKey, MemberKind kind, java.util.Collection<String> memberKeys) {
        return new AddMembers(groupKey, kind, memberKeys == null ? null : java.util.List.copyOf(memberKeys));
    }

    record CreateUser(User user) implements StoreOperation {
        public CreateUser { Objects.requireNonNull(user, "user"); }
        @Override public Object applyTo(UserStore store) { return store.createUser(user); }
    }

    record UpdateUser(User user) implements StoreOperation {
        public UpdateUser { Objects.requireNonNull(user, "user"); }
        @Override public Object applyTo(UserStore store) { return store.updateUser(user); }
    }

    record DeleteUser(String key) implements StoreOperation {
        public DeleteUser { Objects.requireNonNull(key, "key"); }
        @Override public Object applyTo(UserStore store) { return store.deleteUser(key); }
    }

    record CreateGroup(Group group) implements StoreOperation {
        public CreateGroup { Objects.requireNonNull(group, "group"); }
        @Override public Object applyTo(UserStore store) { return store.createGroup(group); }
    }

    record UpdateGroup(Group group) implements StoreOperation {
        public UpdateGroup { Objects.requireNonNull(group, "group"); }
        @Override public Object applyTo(UserStore store) { return store.updateGroup(group); }
    }

    record DeleteGroup(String key) implements StoreOperation {
        public DeleteGroup { Objects.requireNonNull(key, "key"); }
        @Override public Object applyTo(UserStore store) { return store.deleteGroup(key); }
    }

    record Membership(boolean add, String groupKey, MemberKind kind, String memberKey) implements StoreOperation {
        public Membership {
            Objects.requireNonNull(groupKey, "groupKey");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(memberKey, "memberKey");
        }

        @Override
        public Object applyTo(UserStore store) {
            return add ? store.addMember(groupKey, kind, memberKey) : store.removeMember(groupKey, kind, memberKey);
        }
    }

    record AddMembers(String groupKey, MemberKind kind, java.util.List<String> memberKeys) implements StoreOperation {
        public AddMembers {
            Objects.requireNonNull(groupKey, "groupKey");
            Objects.requireNonNull(kind, "kind");
            memberKeys = java.util.List.copyOf(memberKeys);
        }

        @Override
        public Object applyTo(UserStore store) {
            return store.addMembers(groupKey, kind, memberKeys);
        }
    }

    /** What became of one operation: its result, or the exception it threw. */
    record Outcome(Object result, RuntimeException error) {
        public static Outcome success(Object result) {
            return new Outcome(result, null);
        }

        public static Outcome failure(RuntimeException error) {
            return new Outcome(null, Objects.requireNonNull(error));
        }

        public boolean ok() {
            return error == null;
        }
    }
}
