package io.usher.core.spi;

import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The host's user directory, as Usher sees it. The host implements it over its own tables; Usher ships
 * {@link io.usher.core.store.InMemoryUserStore}. Testkit has a contract test every implementation should
 * extend.
 *
 * <p>Rules an implementation keeps:
 * <ul>
 *   <li>Keys are assigned by the store on create and never change; a rename is an update of the username.
 *   <li>Usernames and group names are unique case-insensitively; a create or update that would break this
 *       throws {@link ConflictException}. "Ignoring case" means comparing {@code toLowerCase(Locale.ROOT)}
 *       (so {@code Zoë}/{@code ZOË} match; full Unicode case folding such as {@code ſ}/{@code s} is not
 *       required).
 *   <li>An origin belongs to at most one user and one group; a create or update that would give a second
 *       record the same origin throws {@link ConflictException}.
 *   <li>Every field of a {@link User} is kept as given, {@link User#credentials()} included (the host's login
 *       reads it); a store that dropped a field would make every sync see, and rewrite, a change.
 *   <li>Lookups by origin are exact; lookups by username or group name ignore case.
 *   <li>Misuse fails at once: a create with a non-null key throws {@link IllegalArgumentException}; an
 *       update of an unknown key, or a membership naming an unknown group or member, throws
 *       {@link io.usher.core.UsherException} with code {@code NOT_FOUND}; a group member on a store without
 *       nested groups, or a group containing itself, throws code {@code INVALID}.
 *   <li>Memberships change one at a time (or a group's new members at once, {@link #addMembers}); deleting a
 *       user or group removes its memberships.
 *   <li>Streams returned by {@code *OwnedBy} must be closed by the caller (use try-with-resources); they may
 *       be lazy cursors over a database.
 *   <li>Implementations must be safe for use from several threads.
 * </ul>
 */
public interface UserStore {

    Optional<User> findUser(String key);

    Optional<User> findUserByOrigin(Origin origin);

    /** Case-insensitive. */
    Optional<User> findUserByUsername(String username);

    /** Every user the source owns. Close the stream. */
    Stream<User> usersOwnedBy(String sourceId);

    /**
     * The external ids (the origins' {@link Origin#externalId()}) of every user the source owns, in the order
     * {@link #usersOwnedBy} gives. Close the stream. A sync's end asks this to find the users a source no longer
     * has, and then reads only those; the default maps {@link #usersOwnedBy}, and a store that can list the
     * ids without building each user (a column, a packed form) should override it.
     */
    default Stream<String> userExternalIdsOwnedBy(String sourceId) {
        return usersOwnedBy(sourceId).map(u -> u.origin().externalId());
    }

    /** Creates the user (its key must be null) and returns it with the assigned key. */
    User createUser(User user);

    /** Replaces the stored user with the same key (fields, origin, username). Returns the stored value. */
    User updateUser(User user);

    /** Deletes the user and its memberships. Returns whether it existed. */
    boolean deleteUser(String key);

    Optional<Group> findGroup(String key);

    Optional<Group> findGroupByOrigin(Origin origin);

    /** Case-insensitive. */
    Optional<Group> findGroupByName(String name);

    /** Every group the source owns. Close the stream. */
    Stream<Group> groupsOwnedBy(String sourceId);

    Group createGroup(Group group);

    Group updateGroup(Group group);

    /** Deletes the group, its memberships, and its place as a member of other groups. */
    boolean deleteGroup(String key);

    /** The keys of the group's direct members of one kind. */
    Set<String> members(String groupKey, MemberKind kind);

    /** The keys of the groups that directly contain this user or group. */
    Set<String> groupsOf(MemberKind kind, String memberKey);

    /** Adds one membership; returns false if it was already there. */
    boolean addMember(String groupKey, MemberKind kind, String memberKey);

    /** Removes one membership; returns false if it was not there. */
    boolean removeMember(String groupKey, MemberKind kind, String memberKey);

    /**
     * Adds many members of one kind to one group; returns how many were not already there. The engine calls
     * it with a group's new members after a snapshot (a new group of 50,000 members is one call, not 50,000).
     * Each key must name an existing user or group; when one does not, this throws like {@link #addMember}
     * and the engine adds the members one by one to find and report the bad ones, so a store may leave the
     * ones before it added. The default calls {@link #addMember} per key; stores that can do better (one
     * lookup of the group, one statement) override it, ideally all or nothing.
     */
    default int addMembers(String groupKey, MemberKind kind, java.util.Collection<String> memberKeys) {
        int added = 0;
        for (String m : memberKeys) {
            if (addMember(groupKey, kind, m)) {
                added++;
            }
        }
        return added;
    }

    /**
     * Whether the group's direct members of one kind are exactly these keys (no more, no fewer). The keys are
     * distinct (the engine never repeats one), so a count and a containment check answer it. The engine asks
     * it for every group on every snapshot; most answers are "yes", so stores that can answer without building
     * the member set (a count and a containment check, or a digest) should override it.
     */
    default boolean hasExactly(String groupKey, MemberKind kind, java.util.Collection<String> memberKeys) {
        Set<String> current = members(groupKey, kind);
        return current.size() == memberKeys.size() && current.containsAll(memberKeys);
    }

    /**
     * The users the source owns whose field equals {@code value} ignoring case, for protocol layers that look
     * users up by something other than username or origin (SCIM's {@code displayName eq}, {@code externalId eq}).
     * {@code field} is {@code "displayName"} or {@code "attributes.NAME"} (any value of a multi-valued attribute
     * matches). A store may answer a superset (callers check each result); the default scans
     * {@link #usersOwnedBy}, stores with an index override it. Close the stream.
     */
    default Stream<User> findUsersByField(String sourceId, String field, String value) {
        java.util.function.Predicate<User> p = fieldMatcher(field, value, User::displayName, User::attributes);
        return usersOwnedBy(sourceId).filter(p);
    }

    /**
     * The groups the source owns whose field equals {@code value} ignoring case; {@code field} is
     * {@code "attributes.NAME"}. Same rules as {@link #findUsersByField}. Close the stream.
     */
    default Stream<Group> findGroupsByField(String sourceId, String field, String value) {
        java.util.function.Predicate<Group> p = fieldMatcher(field, value, g -> null, Group::attributes);
        return groupsOwnedBy(sourceId).filter(p);
    }

    /** How many direct members of one kind the group has (the default counts {@link #members}). */
    default int memberCount(String groupKey, MemberKind kind) {
        return members(groupKey, kind).size();
    }

    /** Whether the member is a direct member of the group (the default asks {@link #groupsOf}). */
    default boolean isMember(String groupKey, MemberKind kind, String memberKey) {
        return groupsOf(kind, memberKey).contains(groupKey);
    }

    private static <T> java.util.function.Predicate<T> fieldMatcher(String field, String value,
            java.util.function.Function<T, String> displayName,
            java.util.function.Function<T, java.util.Map<String, List<String>>> attributes) {
        java.util.Objects.requireNonNull(value, "value");
        String wanted = value.toLowerCase(java.util.Locale.ROOT);
        if ("displayName".equals(field)) {
            return t -> {
                String v = displayName.apply(t);
                return v != null && v.toLowerCase(java.util.Locale.ROOT).equals(wanted);
            };
        }
        if (field != null && field.startsWith("attributes.") && field.length() > "attributes.".length()) {
            String name = field.substring("attributes.".length());
            return t -> {
                List<String> vs = attributes.apply(t).get(name);
                if (vs == null) {
                    return false;
                }
                for (String v : vs) {
                    if (v.toLowerCase(java.util.Locale.ROOT).equals(wanted)) {
                        return true;
                    }
                }
                return false;
            };
        }
        throw new IllegalArgumentException("field must be 'displayName' or 'attributes.NAME', not '" + field + "'");
    }

    /** Whether groups may contain groups. When false, the engine flattens nested groups. */
    default boolean supportsNestedGroups() {
        return false;
    }

    /**
     * Applies a batch of operations, each on its own: one failure does not stop the rest. Stores that can
     * do better (one transaction per batch, one round trip) override it; the outcome list must match the
     * operation list index by index.
     */
    default List<StoreOperation.Outcome> apply(List<StoreOperation> operations) {
        List<StoreOperation.Outcome> out = new ArrayList<>(operations.size());
        for (StoreOperation op : operations) {
            try {
                out.add(StoreOperation.Outcome.success(op.applyTo(this)));
            } catch (RuntimeException e) {
                out.add(StoreOperation.Outcome.failure(e));
            }
        }
        return out;
    }
}
