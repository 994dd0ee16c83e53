package io.usher.testkit.okta;

import io.usher.core.model.MemberKind;
import io.usher.testkit.ChangeBatch;
import io.usher.testkit.DirectoryChange;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * What Okta keeps about each object besides the directory's values — {@code created}, {@code lastUpdated},
 * {@code lastMembershipUpdated}, status — and its System Log, derived from the directory's change log. The
 * fake follows the log lazily: {@link #catchUp()} (called at the start of every request) stamps each change
 * not yet seen with the fake's time, which never repeats a millisecond (Okta's timestamps have millisecond
 * precision, and a record changed twice shows two different {@code lastUpdated} values), and appends the
 * System Log events Okta would publish. If the directory's log was trimmed past the fake's place, every object
 * is stamped as changed now (a lost change log cannot be replayed) and deletions are found by comparison.
 *
 * <p>Thread-safe: every method synchronises on this object.
 */
final class OktaState {
    /** What is known of one user or group. */
    static final class Meta {
        final Instant created;
        Instant lastUpdated;
        Instant lastMembershipUpdated;
        Instant statusChanged;
        boolean enabled;

        Meta(Instant at, boolean enabled) {
            this.created = at;
            this.lastUpdated = at;
            this.lastMembershipUpdated = at;
            this.statusChanged = at;
            this.enabled = enabled;
        }
    }

    /** One System Log event, with its targets (type, id, alternateId, displayName). */
    record Event(String uuid, Instant published, String eventType, String displayMessage, List<Target> targets) {}

    record Target(String type, String id, String alternateId, String displayName) {}

    private final InMemoryDirectory directory;
    private final Clock clock;
    private final Predicate<DirectoryGroup> appGroup;
    private final Map<String, Meta> users = new HashMap<>();
    private final Map<String, Meta> groups = new HashMap<>();
    private final List<Event> log = new ArrayList<>();
    private final java.util.SplittableRandom uuids;
    private long sequence;
    private Instant last = Instant.EPOCH;

    OktaState(InMemoryDirectory directory, Clock clock, Predicate<DirectoryGroup> appGroup, long seed) {
        this.directory = directory;
        this.clock = clock;
        this.appGroup = appGroup;
        this.uuids = new java.util.SplittableRandom(seed);
        synchronized (this) {
            sequence = directory.currentSequence();
            Instant at = stamp();
            directory.users().forEach(u -> users.put(u.id(), new Meta(at, u.enabled())));
            directory.groups().forEach(g -> groups.put(g.id(), new Meta(at, true)));
        }
    }

    /** A time after every earlier stamp, by at least a millisecond; the clock's time when it is later. */
    private Instant stamp() {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        last = now.isAfter(last) ? now : last.plusMillis(1);
        return last;
    }

    /** The time of the latest stamp: the fake's "now" never runs behind its own records. */
    synchronized Instant now() {
        Instant c = clock.instant();
        return c.isAfter(last) ? c : last;
    }

    synchronized void catchUp() {
        Optional<ChangeBatch> batch = directory.changesSince(sequence);
        if (batch.isEmpty()) {
            rescan();
            return;
        }
        for (DirectoryChange c : batch.get().changes()) {
            apply(c);
        }
        sequence = batch.get().toSequence();
    }

    private void rescan() {
        Instant at = stamp();
        Set<String> seenUsers = new HashSet<>();
        directory.users().forEach(u -> {
            seenUsers.add(u.id());
            Meta m = users.computeIfAbsent(u.id(), id -> new Meta(at, u.enabled()));
            m.lastUpdated = at;
            m.enabled = u.enabled();
        });
        for (String id : new ArrayList<>(users.keySet())) {
            if (!seenUsers.contains(id)) {
                users.remove(id);
                event(at, "user.lifecycle.delete.completed", "Delete user", new Target("User", id, id, id));
            }
        }
        Set<String> seenGroups = new HashSet<>();
        directory.groups().forEach(g -> {
            seenGroups.add(g.id());
            Meta m = groups.computeIfAbsent(g.id(), id -> new Meta(at, true));
            m.lastUpdated = at;
            m.lastMembershipUpdated = at;
        });
        for (String id : new ArrayList<>(groups.keySet())) {
            if (!seenGroups.contains(id)) {
                groups.remove(id);
                event(at, "group.lifecycle.delete", "Delete Okta group", new Target("UserGroup", id, id, id));
            }
        }
        sequence = directory.currentSequence();
    }

    private void apply(DirectoryChange change) {
        Instant at = stamp();
        if (change instanceof DirectoryChange.UserUpserted c) {
            DirectoryUser u = c.user();
            Meta m = users.get(u.id());
            Target t = userTarget(u);
            if (m == null) {
                users.put(u.id(), new Meta(at, u.enabled()));
                event(at, "user.lifecycle.create", "Create Okta user", t);
                if (u.enabled()) {
                    event(at, "user.lifecycle.activate", "Activate Okta user", t);
                }
                return;
            }
            m.lastUpdated = at;
            if (m.enabled != u.enabled()) {
                m.enabled = u.enabled();
                m.statusChanged = at;
                event(at, u.enabled() ? "user.lifecycle.reactivate" : "user.lifecycle.deactivate",
                        u.enabled() ? "Reactivate Okta user" : "Deactivate Okta user", t);
            } else {
                event(at, "user.account.update_profile", "Update user profile for Okta", t);
            }
        } else if (change instanceof DirectoryChange.UserDeleted c) {
            Meta m = users.remove(c.userId());
            Target t = new Target("User", c.userId(), c.userId(), c.userId());
            if (m != null && m.enabled) {
                event(at, "user.lifecycle.deactivate", "Deactivate Okta user", t); // Okta deletes only deactivated users
            }
            event(at, "user.lifecycle.delete.initiated", "Delete Okta user", t);
            event(at, "user.lifecycle.delete.completed", "Delete Okta user", t);
        } else if (change instanceof DirectoryChange.GroupAdded c) {
            groups.put(c.group().id(), new Meta(at, true));
            event(at, "group.lifecycle.create", "Create Okta group", groupTarget(c.group()));
        } else if (change instanceof DirectoryChange.GroupUpdated c) {
            Meta m = groups.get(c.group().id());
            if (m != null) {
                m.lastUpdated = at;
            }
            event(at, "group.profile.update", "Update Okta group profile", groupTarget(c.group()));
        } else if (change instanceof DirectoryChange.GroupDeleted c) {
            groups.remove(c.groupId());
            event(at, "group.lifecycle.delete", "Delete Okta group",
                    new Target("UserGroup", c.groupId(), c.groupId(), c.groupId()));
        } else if (change instanceof DirectoryChange.MemberAdded c && c.kind() == MemberKind.USER) {
            membership(at, c.groupId(), c.memberId(), true);
        } else if (change instanceof DirectoryChange.MemberRemoved c && c.kind() == MemberKind.USER) {
            membership(at, c.groupId(), c.memberId(), false);
        }
        // group-in-group changes: Okta has no nested groups, so nothing to publish
    }

    private void membership(Instant at, String groupId, String userId, boolean added) {
        Meta g = groups.get(groupId);
        if (g != null) {
            g.lastMembershipUpdated = at;
        }
        Target user = directory.user(userId).map(OktaState::userTarget)
                .orElse(new Target("User", userId, userId, userId));
        Target group = directory.group(groupId).map(OktaState::groupTarget)
                .orElse(new Target("UserGroup", groupId, groupId, groupId));
        event(at, added ? "group.user_membership.add" : "group.user_membership.remove",
                added ? "Add user to group membership" : "Remove user from group membership", user, group);
    }

    private static Target userTarget(DirectoryUser u) {
        return new Target("User", u.id(), u.loginName(), u.displayName() == null ? u.loginName() : u.displayName());
    }

    private static Target groupTarget(DirectoryGroup g) {
        return new Target("UserGroup", g.id(), g.id(), g.name());
    }

    private void event(Instant at, String type, String message, Target... targets) {
        String uuid = new UUID(uuids.nextLong(), uuids.nextLong()).toString();
        log.add(new Event(uuid, at, type, message, List.of(targets)));
    }

    synchronized Meta user(String id) {
        return users.get(id);
    }

    synchronized Meta group(String id) {
        return groups.get(id);
    }

    /** Whether a group is an {@code APP_GROUP} (imported from an app) rather than an {@code OKTA_GROUP}. */
    boolean isAppGroup(DirectoryGroup g) {
        return appGroup.test(g);
    }

    /**
     * Events published at or after {@code since} and before {@code until}, from log position {@code afterIndex},
     * in order, stopping at the first event published after {@code visibleUpTo}; {@code nextIndex[0]} is where
     * the next page starts.
     */
    synchronized List<Event> events(Instant since, Instant until, Instant visibleUpTo, int afterIndex, int limit,
                                    Predicate<Event> filter, int[] nextIndex) {
        List<Event> out = new ArrayList<>();
        int i = afterIndex;
        for (; i < log.size() && out.size() < limit; i++) {
            Event e = log.get(i);
            if (e.published().isBefore(since)) {
                continue;
            }
            if (until != null && !e.published().isBefore(until)) {
                break;
            }
            if (e.published().isAfter(visibleUpTo)) {
                break; // not searchable yet: the System Log is eventually consistent
            }
            if (filter.test(e)) {
                out.add(e);
            }
        }
        nextIndex[0] = i;
        return out;
    }

    synchronized int logSize() {
        return log.size();
    }
}
