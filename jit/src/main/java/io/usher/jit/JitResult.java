package io.usher.jit;

import io.usher.core.Change;
import java.util.List;
import java.util.Objects;

/**
 * What one JIT login did to the store. Immutable and thread-safe.
 *
 * @param userKey       the store key of the signed-in user
 * @param username      the user's username after the login
 * @param action        what happened to the user record
 * @param groupsAdded   names of the groups the user was added to
 * @param groupsRemoved names of the groups the user was removed from
 * @param changes       every change applied, in order (user, groups, memberships)
 * @param warnings      what was skipped and why (a claim naming a local group, too many groups, ...)
 */
public record JitResult(String userKey, String username, Action action, List<String> groupsAdded,
                        List<String> groupsRemoved, List<Change> changes, List<String> warnings) {

    /** What happened to the user record (LINKED: a local user of that name was taken over, per the source's collision policy). */
    public enum Action { CREATED, LINKED, UPDATED, RENAMED, REACTIVATED, UNCHANGED }

    public JitResult {
        Objects.requireNonNull(userKey, "userKey");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(action, "action");
        groupsAdded = List.copyOf(groupsAdded);
        groupsRemoved = List.copyOf(groupsRemoved);
        changes = List.copyOf(changes);
        warnings = List.copyOf(warnings);
    }
}
