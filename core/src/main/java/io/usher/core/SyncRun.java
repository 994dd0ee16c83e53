package io.usher.core;

import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.core.pipeline.Pipeline;
import io.usher.core.spi.ChangeSink;
import io.usher.core.spi.IncrementalSource;
import io.usher.core.spi.SourceConnector;
import io.usher.core.spi.SourceException;
import io.usher.core.spi.SourceGroup;
import io.usher.core.spi.SourceUser;
import io.usher.core.spi.StoreOperation;
import io.usher.core.spi.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of one source: read, filter, transform, reconcile against the store, guard, apply.
 *
 * <p>How it stays within bounded memory: source records stream through and are reconciled one at a time
 * against the store (looked up by origin). The run keeps only ids: external id to store key (and
 * username) for the source's users, and, per group, the store keys of its direct members as an array —
 * never the directory's records as objects. Creates and updates are applied in batches as they stream;
 * removals wait until the whole snapshot has been read, then pass the mass-deletion guard.
 *
 * <p>Phases of a snapshot: users (renames and collisions with this source's own users are retried once
 * at the end of the phase, so swaps converge), groups, then — after the read — the guard's count of
 * removals, memberships (group-in-group kept or flattened, cycles reported), and removals.
 *
 * <p>Not thread-safe: one run, one thread. The engine allows one run per source at a time.
 */
final class SyncRun implements ChangeSink {
    private static final Logger LOG = LoggerFactory.getLogger(SyncRun.class);
    private static final int PROGRESS_EVERY = 1000;
    /** Marks "no such external id in this run" apart from a seen id without a key (identity compared). */
    private static final String NOT_SEEN = new String("not seen");

    private final Source source;
    private final String sid;
    private final Pipeline pipeline;
    private final UserStore store;
    private final boolean dryRun;
    private final Listeners listeners;
    private final boolean flatten;
    private final int batchSize;
    private final SyncOptions options;
    private final Clock clock;
    final String runId;
    SyncMode mode;

    // report
    private final Instant started;
    private final EnumMap<ChangeKind, Long> counts = new EnumMap<>(ChangeKind.class);
    private long unchanged;
    private long excluded;
    private long read;
    private long total = -1;
    private long applied;
    private final List<Failure> failures = new ArrayList<>();
    private long failureCount;
    private final List<String> warnings = new ArrayList<>();
    private long warningCount;
    private boolean complete = true;
    private String incompleteReason;
    private boolean guardTripped;
    private String guardReason;
    private final List<Change> withheld = new ArrayList<>();
    private final List<List<String>> cycles = new ArrayList<>();
    private boolean cursorSaved;
    private String cursor;
    private final List<Change> planned;
    /** The last failure, which a push call turns into its exception. */
    Failure lastFailure;
    /** Where applied, refused and failed changes go for the audit trail; null when nobody audits. */
    private Auditing.Trail audit;

    // reconciliation state: ids only
    private final ExternalIdMap userKeys = new ExternalIdMap();
    /** Whether two external ids may share a store key (only through LINK): member lists then need dedup. */
    private boolean keysMayRepeat;
    /** Store key → username for this run's creates and renames (a dry run's planned users are in no store). */
    private final Map<String, String> usernames = new HashMap<>();
    private final List<SourceUser> deferred = new ArrayList<>();
    private final Map<String, GroupState> groups = new LinkedHashMap<>();
    private final Set<String> pendingUserNames = new HashSet<>();
    private final Set<String> pendingGroupNames = new HashSet<>();
    private final Set<String> freedUserNames = new HashSet<>();
    /** Removals an incremental read or push asked for, applied after the guard; a later upsert cancels one. */
    private final Set<String> pendingUserRemovals = new LinkedHashSet<>();
    private final Set<String> pendingGroupRemovals = new LinkedHashSet<>();
    /** Changes that failed to apply and will not be retried unless the cursor stays where it was. */
    private long retryLater;
    private Progress.Phase phase = Progress.Phase.READING_USERS;
    private boolean warnedLateUser;
    private long membersOutOfScope;

    // batching
    private final List<StoreOperation> ops = new ArrayList<>();
    private final List<Pending> pending = new ArrayList<>();

    private record Pending(Change change, String subject, Consumer<Object> onSuccess, MemberBatch members) {
        Pending(Change change, String subject, Consumer<Object> onSuccess) {
            this(change, subject, onSuccess, null);
        }
    }

    /** A group's new members of one kind, written with one {@link UserStore#addMembers} call. */
    private record MemberBatch(GroupState group, MemberKind kind, List<String> keys) {}

    /** What the run knows of one source group: its store key and direct members. */
    private static final class GroupState {
        final Origin origin;
        final String name;
        String key;
        boolean createdNow;
        /** Read but not understood: kept as it is, memberships untouched. */
        boolean unreadable;
        String[] userMembers = new String[0];
        /** Member ids not yet known when the group was read (null: none). */
        String[] unresolvedMembers;
        String[] childGroups = new String[0];
        /** Its user members were added while the read went on ({@link #addMembersEarly}): none are left to add. */
        boolean membersAdded;
        /** How many batches had been applied when it waited for its key ({@link #awaitingKey}). */
        long flushesBefore;

        GroupState(Origin origin, String name) {
            this.origin = origin;
            this.name = name;
        }
    }

    SyncRun(Source source, UserStore store, boolean dryRun, Listeners listeners, int batchSize, SyncOptions options,
            Clock clock, String runId, SyncMode mode) {
        this.source = source;
        this.sid = source.id();
        this.pipeline = source.pipeline();
        this.store = store;
        this.dryRun = dryRun;
        this.listeners = listeners;
        this.flatten = source.nestedGroups() == NestedGroups.FLATTEN
                || source.nestedGroups() == NestedGroups.AUTO && !store.supportsNestedGroups();
        this.batchSize = batchSize;
        this.options = options;
        this.clock = clock;
        this.runId = runId;
        this.mode = mode;
        this.started = clock.instant();
        this.planned = dryRun || mode == SyncMode.PUSH ? new ArrayList<>() : null;
    }

    /** Sends this run's changes to the audit trail (not for dry runs: a plan changes nothing). */
    void audit(Auditing.Trail trail) {
        this.audit = dryRun ? null : trail;
    }

    // ==================================================================== driving a run

    /** Reads the source (incrementally when a cursor is given and the connector can), reconciles, applies. */
    SyncReport execute(String storedCursor, Consumer<String> saveCursor, Runnable clearCursor) {
        SourceConnector connector = source.connector();
        listeners.each(l -> l.onStart(runId, sid, mode));
        if (mode == SyncMode.INCREMENTAL) {
            try {
                ((IncrementalSource) connector).changes(storedCursor, this);
                endOfIncremental();
            } catch (SourceException e) {
                if (e.code() == UsherException.Code.CURSOR_INVALID) {
                    LOG.info("source {}: stored cursor refused ({}); reading a full snapshot", sid, e.getMessage());
                    warn("the stored cursor was refused (" + e.getMessage() + "); a full snapshot was read instead");
                    flush();
                    clearCursor.run();
                    resetForSnapshot();
                    mode = SyncMode.SNAPSHOT_AFTER_INVALID_CURSOR;
                    snapshot(connector);
                } else {
                    incomplete(e);
                    flush();
                }
            } catch (RuntimeException e) {
                incomplete(e);
                flush();
            }
        } else {
            snapshot(connector);
        }
        if (!dryRun && complete && !guardTripped && cursor != null) {
            if (retryLater == 0) {
                saveCursor.accept(cursor);
                cursorSaved = true;
            } else {
                warn(retryLater + " changes could not be applied; the cursor was not advanced, so the next run "
                        + "reads them again");
            }
        }
        SyncReport report = report();
        listeners.each(l -> l.onProgress(new Progress(sid, Progress.Phase.DONE, read, total, applied)));
        listeners.each(l -> l.onFinish(report));
        return report;
    }

    private void snapshot(SourceConnector connector) {
        try {
            connector.snapshot(this);
        } catch (SourceException e) {
            incomplete(e);
        } catch (RuntimeException e) {
            if (e instanceof UsherException && ((UsherException) e).code() == UsherException.Code.INTERRUPTED) {
                incomplete(e);
            } else {
                LOG.warn("source {}: snapshot failed", sid, e);
                incomplete(e);
            }
        }
        endOfSnapshot();
    }

    private void incomplete(RuntimeException e) {
        complete = false;
        String why = e instanceof UsherException
                ? ((UsherException) e).code() + ": " + e.getMessage()
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        incompleteReason = why;
        LOG.warn("source {}: read did not complete ({}); nothing will be deleted or deactivated", sid, why);
    }

    private void resetForSnapshot() {
        userKeys.clear();
        usernames.clear();
        deferred.clear();
        groups.clear();
        pendingUserRemovals.clear();
        pendingGroupRemovals.clear();
        pendingMemberRemovals.clear();
        phase = Progress.Phase.READING_USERS;
        cursor = null;
    }

    SyncReport report() {
        Duration d = Duration.between(started, clock.instant());
        return new SyncReport(runId, sid, mode, dryRun, started, d.isNegative() ? Duration.ZERO : d, complete,
                incompleteReason, read, counts, unchanged, excluded, failures, failureCount, warnings, warningCount,
                guardTripped, guardReason, withheld, cycles, cursorSaved);
    }

    /** Where planned changes go in a dry run (default: the list behind {@link #planned()}, capped). */
    private Consumer<Change> planSink;
    private int planLimit = Integer.MAX_VALUE;
    private boolean planTruncated;

    /** A dry run sends each planned change here instead of keeping it. */
    void streamPlanTo(Consumer<Change> sink) {
        this.planSink = sink;
    }

    /** A dry run keeps at most this many changes in {@link #planned()}; counts stay complete. */
    void limitPlan(int limit) {
        this.planLimit = limit;
    }

    boolean planTruncated() {
        return planTruncated;
    }

    List<Change> planned() {
        return planned;
    }

    // ==================================================================== the sink

    @Override
    public void user(SourceUser user) {
        countRead();
        if (phase != Progress.Phase.READING_USERS && mode != SyncMode.INCREMENTAL && mode != SyncMode.PUSH
                && !warnedLateUser) {
            warnedLateUser = true;
            warn("the connector sent users after groups (the SPI asks for users first); their memberships are "
                    + "resolved at the end of the read");
        }
        handleUser(user, mode == SyncMode.PUSH);
    }

    @Override
    public void group(SourceGroup group) {
        countRead();
        if (phase == Progress.Phase.READING_USERS && mode != SyncMode.INCREMENTAL && mode != SyncMode.PUSH) {
            endOfUsers();
        }
        addMembersEarly();
        GroupState st = handleGroup(group, mode == SyncMode.PUSH);
        if (st != null && (mode == SyncMode.INCREMENTAL || mode == SyncMode.PUSH)) {
            flush();
            resolveOneGroupNow(st, group);
        } else if (st != null && mayAddMembersEarly(st)) {
            st.flushesBefore = flushes;
            awaitingKey.add(st);
        }
    }

    /**
     * New groups of a snapshot whose user members go to the store while the read goes on, in creation order:
     * each waits here until the batch that creates it has been applied and its key is known.
     */
    private final java.util.ArrayDeque<GroupState> awaitingKey = new java.util.ArrayDeque<>();
    /** How many batches {@link #flush} has applied. */
    private long flushes;

    /**
     * Whether a group just read may have its user members added before the read ends, instead of with every
     * other group's at the end: a group this run creates (no current members to compare or remove) whose
     * members are all known and distinct, in a snapshot that stores nested groups as they are (flattening needs
     * every group). Its nested groups still wait for the end (a child may come later, or close a cycle). The
     * store's work on memberships then overlaps with the reading of the next groups instead of following it.
     */
    private boolean mayAddMembersEarly(GroupState st) {
        return !dryRun && !flatten && !keysMayRepeat && !warnedLateUser && st.createdNow
                && phase == Progress.Phase.READING_GROUPS && st.unresolvedMembers == null
                && st.userMembers.length > 0 && (mode == SyncMode.SNAPSHOT
                || mode == SyncMode.SNAPSHOT_AFTER_INVALID_CURSOR);
    }

    /**
     * Queues the user members of each waiting group whose creating batch has been applied: with its key when
     * the store created it; a group whose create failed, or that a later record of the same group replaced,
     * drops out (the end of the snapshot reconciles it the usual way).
     */
    private void addMembersEarly() {
        while (!awaitingKey.isEmpty() && awaitingKey.peekFirst().flushesBefore < flushes) {
            GroupState st = awaitingKey.pollFirst();
            if (st.key != null && groups.get(st.origin.externalId()) == st && !keysMayRepeat) {
                st.membersAdded = true;
                addMembers(st, MemberKind.USER, Arrays.asList(st.userMembers));
            }
        }
    }

    @Override
    public void cursor(String value) {
        this.cursor = value;
    }

    @Override
    public void progress(long readSoFar, long expected) {
        this.total = expected;
    }

    @Override
    public void unreadable(MemberKind kind, String externalId, String reason) {
        countRead();
        Origin origin = Origin.of(sid, externalId);
        if (kind == MemberKind.USER) {
            keepSeen(origin);
        } else if (!groups.containsKey(externalId)) {
            GroupState st = new GroupState(origin, externalId);
            st.key = store.findGroupByOrigin(origin).map(Group::key).orElse(null);
            st.unreadable = true;
            groups.put(externalId, st);
        }
        fail(origin.toString(), UsherException.Code.SOURCE_DATA, "unreadable in the source: " + reason);
    }

    @Override
    public void userDeleted(String externalId) {
        countRead();
        pendingUserRemovals.add(externalId);
    }

    @Override
    public void groupFields(SourceGroup group) {
        countRead();
        handleGroup(group, mode == SyncMode.PUSH);
    }

    @Override
    public void groupDeleted(String externalId) {
        countRead();
        pendingGroupRemovals.add(externalId);
    }

    @Override
    public void memberAdded(String groupExternalId, MemberKind kind, String memberExternalId) {
        countRead();
        pendingMemberRemovals.remove(memberKey(groupExternalId, kind, memberExternalId)); // the last event wins
        membership(true, groupExternalId, kind, memberExternalId);
    }

    private static String memberKey(String groupExt, MemberKind kind, String memberExt) {
        return groupExt + "\n" + kind + "\n" + memberExt;
    }

    @Override
    public void memberRemoved(String groupExternalId, MemberKind kind, String memberExternalId) {
        countRead();
        if (mode == SyncMode.INCREMENTAL) {
            // removals wait for the guard, like deactivations: a mass leave must not strip groups first
            pendingMemberRemovals.put(memberKey(groupExternalId, kind, memberExternalId),
                    new String[] {groupExternalId, kind.name(), memberExternalId});
            return;
        }
        membership(false, groupExternalId, kind, memberExternalId);
    }

    private final Map<String, String[]> pendingMemberRemovals = new LinkedHashMap<>();

    private void countRead() {
        read++;
        if (read % PROGRESS_EVERY == 0) {
            progress();
        }
    }

    private void progress() {
        Progress p = new Progress(sid, phase, read, total, applied);
        listeners.each(l -> l.onProgress(p));
    }

    // ==================================================================== users

    private static String fold(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    void handleUser(SourceUser su, boolean finalAttempt) {
        String ext = su.externalId();
        Origin origin = Origin.of(sid, ext);
        String reason = pipeline.exclusionReason(su);
        if (reason != null) {
            excluded++;
            if (mode == SyncMode.INCREMENTAL || mode == SyncMode.PUSH) {
                pendingUserRemovals.add(ext);
            }
            return;
        }
        if (mode == SyncMode.INCREMENTAL || mode == SyncMode.PUSH) {
            pendingUserRemovals.remove(ext); // the last event about a user wins: deleted, then back
        }
        User desired;
        try {
            desired = pipeline.toUser(su, origin);
        } catch (UsherException | IllegalArgumentException e) {
            keepSeen(origin);
            fail(origin.toString(), UsherException.Code.INVALID, e.getMessage());
            return;
        }
        Optional<User> existing = store.findUserByOrigin(origin);
        if (existing.isEmpty() && !dryRun && !ops.isEmpty() && userKeys.containsKey(ext) && userKeys.get(ext) == null) {
            // a second record of a user this run is creating (a change log: created, then renamed): the create is
            // still queued, and creating it again would fail with the origin taken
            flush();
            existing = store.findUserByOrigin(origin);
        }
        if (existing.isPresent()) {
            User cur = existing.get();
            userKeys.put(ext, cur.key());
            if (desired.sameValuesAs(cur) && origin.equals(cur.origin())) {
                unchanged++;
                return;
            }
            Set<String> fields = desired.changedFields(cur);
            boolean renamed = fields.contains(User.USERNAME);
            if (renamed && !fold(desired.username()).equals(fold(cur.username()))) {
                Holder h = holderOf(desired.username(), cur.key());
                if (h != null) {
                    collision(su, desired.username(), h, finalAttempt);
                    return;
                }
                pendingUserNames.add(fold(desired.username()));
                freedUserNames.add(fold(cur.username()));
            }
            String previous = parkedNames.getOrDefault(cur.key(), cur.username());
            if (renamed && previous.equals(desired.username())) {
                fields.remove(User.USERNAME);
                renamed = false;
            }
            ChangeKind kind = renamed ? ChangeKind.USER_RENAMED
                    : fields.contains(User.ACTIVE) ? (desired.active() ? ChangeKind.USER_REACTIVATED
                    : ChangeKind.USER_DEACTIVATED) : ChangeKind.USER_UPDATED;
            Change ch = renamed ? Change.rename(origin, cur.key(), previous, desired.username(), fields)
                    : Change.of(kind, origin, cur.key(), desired.username(), fields, null);
            usernames.put(cur.key(), desired.username());
            write(StoreOperation.updateUser(desired.withKey(cur.key())), ch, desired.username(), null);
            return;
        }
        Holder h = holderOf(desired.username(), null);
        if (h != null) {
            if (h.user != null && h.user.isLocal() && source.collisions() == CollisionPolicy.LINK) {
                keysMayRepeat = true; // should the link fail, another id may link the same local user
                User linked = desired.withKey(h.user.key());
                userKeys.put(ext, h.user.key());
                usernames.put(h.user.key(), desired.username());
                write(StoreOperation.updateUser(linked), Change.of(ChangeKind.USER_LINKED, origin, h.user.key(),
                        desired.username(), desired.changedFields(h.user), "took over the local user of that name"),
                        desired.username(), null);
                return;
            }
            collision(su, desired.username(), h, finalAttempt);
            return;
        }
        userKeys.put(ext, null);
        pendingUserNames.add(fold(desired.username()));
        String username = desired.username();
        write(StoreOperation.createUser(desired), Change.of(ChangeKind.USER_CREATED, origin, null, username,
                Set.of(), null), username, result -> {
                    String key = ((User) result).key();
                    userKeys.put(ext, key);
                    if (dryRun || membersNamed()) {
                        // a planned user's name is not in the store; a created one's is, but the change
                        // events of its memberships would ask the store for it once per membership
                        usernames.put(key, username);
                    }
                });
    }

    /** Marks a user the source still has, so that it is not deprovisioned, even though it was not updated. */
    private void keepSeen(Origin origin) {
        if (!userKeys.containsKey(origin.externalId())) {
            userKeys.put(origin.externalId(), store.findUserByOrigin(origin).map(User::key).orElse(null));
        }
    }

    /** Who holds a name: a stored user, or (pending) a user of this run not yet in the store. */
    private static final class Holder {
        final User user;

        Holder(User user) {
            this.user = user;
        }
    }

    private Holder holderOf(String username, String selfKey) {
        String f = fold(username);
        if (pendingUserNames.contains(f)) {
            if (dryRun) {
                return new Holder(null);
            }
            flush();
        }
        Optional<User> u = store.findUserByUsername(username);
        if (u.isPresent() && !dryRun && !ops.isEmpty() && u.get().isOwnedBy(sid) && !u.get().key().equals(selfKey)) {
            flush(); // a rename queued in this batch may be what frees the name
            u = store.findUserByUsername(username);
        }
        if (u.isEmpty() || u.get().key().equals(selfKey)) {
            return null;
        }
        if (dryRun && freedUserNames.contains(f) && u.get().isOwnedBy(sid)) {
            return null;
        }
        return new Holder(u.get());
    }

    private void collision(SourceUser su, String username, Holder h, boolean finalAttempt) {
        Origin origin = Origin.of(sid, su.externalId());
        boolean sameSource = h.user == null || h.user.isOwnedBy(sid);
        keepSeen(origin);
        if (sameSource && !finalAttempt) {
            deferred.add(su);
            return;
        }
        String holder = h.user == null || h.user.isOwnedBy(sid) ? "another user of this source"
                : h.user.isLocal() ? "a local user" : "a user of source '" + h.user.origin().sourceId() + "'";
        refuseCollision(username, "username is already held by " + holder + " (usernames compare ignoring case)");
    }

    /** The collision policy's verdict on a name that stays with its holder: a failure, or a warning. */
    private void refuseCollision(String subject, String msg) {
        if (source.collisions() == CollisionPolicy.FAIL) {
            fail(subject, UsherException.Code.CONFLICT, msg);
            retryLater++;
        } else {
            warn(subject + ": " + msg + "; skipped");
            if (audit != null) {
                audit.refusedRecord(subject, UsherException.Code.CONFLICT, msg + "; skipped by the collision policy");
            }
            if (mode == SyncMode.PUSH) {
                lastFailure = new Failure(subject, UsherException.Code.CONFLICT, msg);
            }
        }
    }

    private void endOfUsers() {
        settleDeferredUsers();
        phase = Progress.Phase.READING_GROUPS;
        progress();
    }

    /**
     * Retries the users whose wanted name was held by another user of this source. A second pass settles
     * chains (b→c, then a→b); what is still blocked then may be a cycle of renames (a↔b): one user of each
     * cycle is parked under a temporary name so the others can move, and the last pass applies the
     * collision policy to what remains. A parked user whose own rename still cannot land gets its old name
     * back, so no temporary name outlives the run.
     */
    private void settleDeferredUsers() {
        flush();
        if (deferred.isEmpty()) {
            return;
        }
        List<SourceUser> retry = retryUsersUntilStuck(new ArrayList<>(deferred));
        if (retry.isEmpty()) {
            return;
        }
        Map<String, String> wantsNameOf = new LinkedHashMap<>();
        for (SourceUser su : retry) {
            String key = userKeys.get(su.externalId());
            String holder = holderKeyOfWantedName(su);
            if (key != null && holder != null) {
                wantsNameOf.put(key, holder);
            }
        }
        for (String key : oneKeyPerCycle(wantsNameOf)) {
            store.findUser(key).ifPresent(this::park);
        }
        flush();
        retry = retryUsersUntilStuck(retry);
        for (SourceUser su : retry) {
            handleUser(su, true);
        }
        flush();
        for (Map.Entry<String, String> p : parkedNames.entrySet()) {
            String temp = temporaryName(p.getKey());
            store.findUser(p.getKey()).filter(u -> u.username().equals(temp)).ifPresent(u -> {
                ops.add(StoreOperation.updateUser(u.toBuilder().username(p.getValue()).build()));
                pending.add(new Pending(null, p.getValue(), null));
            });
        }
        flush();
    }

    private final Map<String, String> parkedNames = new HashMap<>();

    /** Retries blocked users pass after pass while each pass unblocks some (chains settle); returns the rest. */
    private List<SourceUser> retryUsersUntilStuck(List<SourceUser> remaining) {
        deferred.clear();
        while (!remaining.isEmpty()) {
            for (SourceUser su : remaining) {
                handleUser(su, false);
            }
            flush();
            List<SourceUser> still = new ArrayList<>(deferred);
            deferred.clear();
            if (still.size() >= remaining.size()) {
                return still;
            }
            remaining = still;
        }
        return remaining;
    }

    private List<SourceGroup> retryGroupsUntilStuck(List<SourceGroup> remaining) {
        deferredGroups.clear();
        while (!remaining.isEmpty()) {
            for (SourceGroup sg : remaining) {
                handleGroup(sg, false);
            }
            flush();
            List<SourceGroup> still = new ArrayList<>(deferredGroups);
            deferredGroups.clear();
            if (still.size() >= remaining.size()) {
                return still;
            }
            remaining = still;
        }
        return remaining;
    }

    /** The store key of the user holding the name this record wants, or null. */
    private String holderKeyOfWantedName(SourceUser su) {
        try {
            User desired = pipeline.toUser(su, Origin.of(sid, su.externalId()));
            return store.findUserByUsername(desired.username()).map(User::key).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** One key from each cycle of "wants the name held by" edges (following the edges from every key). */
    static Set<String> oneKeyPerCycle(Map<String, String> wantsNameOf) {
        Set<String> out = new LinkedHashSet<>();
        Set<String> done = new HashSet<>();
        for (String start : wantsNameOf.keySet()) {
            List<String> path = new ArrayList<>();
            Set<String> onPath = new HashSet<>();
            String k = start;
            while (k != null && !done.contains(k) && onPath.add(k)) {
                path.add(k);
                k = wantsNameOf.get(k);
            }
            if (k != null && onPath.contains(k)) {
                out.add(k);
            }
            done.addAll(path);
        }
        return out;
    }

    private static String temporaryName(String key) {
        return "usher-renaming-" + key;
    }

    /** Moves a user out of the way under a temporary name, so that a cycle of renames can complete. */
    private void park(User cur) {
        parkedNames.put(cur.key(), cur.username());
        freedUserNames.add(fold(cur.username()));
        if (dryRun) {
            return;
        }
        ops.add(StoreOperation.updateUser(cur.toBuilder().username(temporaryName(cur.key())).build()));
        pending.add(new Pending(null, cur.username(), null));
    }

    // ==================================================================== groups

    private GroupState handleGroup(SourceGroup sg, boolean finalAttempt) {
        String ext = sg.externalId();
        Origin origin = Origin.of(sid, ext);
        String reason = pipeline.exclusionReason(sg);
        if (reason != null) {
            excluded++;
            if (mode == SyncMode.INCREMENTAL || mode == SyncMode.PUSH) {
                pendingGroupRemovals.add(ext);
            }
            return null;
        }
        if (mode == SyncMode.INCREMENTAL || mode == SyncMode.PUSH) {
            pendingGroupRemovals.remove(ext);
        }
        Group desired;
        try {
            desired = pipeline.toGroup(sg, origin);
        } catch (UsherException | IllegalArgumentException e) {
            GroupState st = new GroupState(origin, sg.name());
            st.key = store.findGroupByOrigin(origin).map(Group::key).orElse(null);
            st.unreadable = true; // kept as it is: its members are not reconciled
            groups.put(ext, st);
            fail(origin.toString(), UsherException.Code.INVALID, e.getMessage());
            return null;
        }
        GroupState st = new GroupState(origin, desired.name());
        groups.put(ext, st);
        Optional<Group> existing = store.findGroupByOrigin(origin);
        if (existing.isPresent()) {
            Group cur = existing.get();
            st.key = cur.key();
            Set<String> fields = desired.changedFields(cur);
            if (fields.isEmpty()) {
                unchanged++;
            } else {
                boolean nameFree = true;
                if (!fold(desired.name()).equals(fold(cur.name()))) {
                    Group holder = groupHolder(desired.name(), cur.key());
                    if (holder != null) {
                        nameFree = false;
                        if (holder.isOwnedBy(sid) && !finalAttempt) {
                            deferredGroups.add(sg);
                        } else {
                            groupCollision(desired.name(), holder);
                        }
                    } else {
                        pendingGroupNames.add(fold(desired.name()));
                    }
                }
                if (nameFree) {
                    write(StoreOperation.updateGroup(desired.withKey(cur.key())),
                            Change.of(ChangeKind.GROUP_UPDATED, origin, cur.key(), desired.name(), fields, null),
                            desired.name(), null);
                }
            }
        } else {
            // LINK takes over local users only: a local group stays the host's (the rule), so a
            // name clash with one is skipped or failed like any other
            Group holder = groupHolder(desired.name(), null);
            if (holder != null) {
                if (holder.isOwnedBy(sid) && !finalAttempt) {
                    deferredGroups.add(sg);
                } else {
                    groupCollision(desired.name(), holder);
                }
                return null;
            }
            pendingGroupNames.add(fold(desired.name()));
            st.createdNow = true;
            write(StoreOperation.createGroup(desired), Change.of(ChangeKind.GROUP_CREATED, origin, null,
                    desired.name(), Set.of(), null), desired.name(), result -> st.key = ((Group) result).key());
        }
        recordMembers(st, sg);
        return st;
    }

    private void recordMembers(GroupState st, SourceGroup sg) {
        if (mode == SyncMode.INCREMENTAL || mode == SyncMode.PUSH) {
            return; // resolved right away by resolveOneGroupNow
        }
        String[] ids = sg.memberUserIds().toArray(new String[0]);
        String[] keys = new String[ids.length];
        userKeys.getAll(ids, ids.length, keys, NOT_SEEN); // in one batch: the lookups' cache misses overlap
        int n = 0;
        List<String> unresolved = null;
        for (int i = 0; i < ids.length; i++) {
            String memberExt = ids[i];
            String key = keys[i];
            if (key == NOT_SEEN) {
                if (unresolved == null) {
                    unresolved = new ArrayList<>();
                }
                unresolved.add(memberExt); // perhaps a user the connector sends later: settled at the end
            } else if (key != null) {
                keys[n++] = key;
            }
        }
        st.userMembers = n == keys.length ? keys : Arrays.copyOf(keys, n);
        st.unresolvedMembers = unresolved == null ? null : unresolved.toArray(new String[0]);
        st.childGroups = sg.memberGroupIds().toArray(new String[0]);
    }

    /** Members that were not known when their group was read: users sent later, or outside the scope. */
    private void resolveLateMembers() {
        for (GroupState st : groups.values()) {
            if (st.unresolvedMembers == null) {
                continue;
            }
            List<String> keys = new ArrayList<>(List.of(st.userMembers));
            for (String ext : st.unresolvedMembers) {
                String key = userKeys.getOrDefault(ext, NOT_SEEN);
                if (key == NOT_SEEN) {
                    membersOutOfScope++;
                } else if (key != null) {
                    keys.add(key);
                }
            }
            st.userMembers = keys.toArray(new String[0]);
            st.unresolvedMembers = null;
        }
    }

    private Group groupHolder(String name, String selfKey) {
        if (pendingGroupNames.contains(fold(name))) {
            if (dryRun) {
                return new Group(null, Origin.of(sid, "pending"), name, null);
            }
            flush();
        }
        Optional<Group> g = store.findGroupByName(name);
        if (g.isPresent() && !dryRun && !ops.isEmpty() && g.get().isOwnedBy(sid) && !g.get().key().equals(selfKey)) {
            flush();
            g = store.findGroupByName(name);
        }
        if (g.isPresent() && dryRun && freedGroupNames.contains(fold(name)) && g.get().isOwnedBy(sid)) {
            return null;
        }
        return g.isPresent() && !g.get().key().equals(selfKey) ? g.get() : null;
    }

    private void groupCollision(String name, Group holder) {
        String who = holder.isOwnedBy(sid) ? "another group of this source"
                : holder.isLocal() ? "a local group" : "a group of source '" + holder.origin().sourceId() + "'";
        refuseCollision(name, "group name is already held by " + who + " (names compare ignoring case)");
    }

    private final List<SourceGroup> deferredGroups = new ArrayList<>();
    private final Map<String, String> parkedGroupNames = new HashMap<>();
    private final Set<String> freedGroupNames = new HashSet<>();

    /** The group counterpart of {@link #settleDeferredUsers()}: chains and swaps of group names converge. */
    private void settleDeferredGroups() {
        flush();
        if (deferredGroups.isEmpty()) {
            return;
        }
        List<SourceGroup> retry = retryGroupsUntilStuck(new ArrayList<>(deferredGroups));
        if (retry.isEmpty()) {
            return;
        }
        Map<String, String> wantsNameOf = new LinkedHashMap<>();
        for (SourceGroup sg : retry) {
            GroupState st = groups.get(sg.externalId());
            String holder = store.findGroupByName(sg.name()).map(Group::key).orElse(null);
            if (st != null && st.key != null && holder != null) {
                wantsNameOf.put(st.key, holder);
            }
        }
        for (String key : oneKeyPerCycle(wantsNameOf)) {
            store.findGroup(key).ifPresent(g -> {
                parkedGroupNames.put(g.key(), g.name());
                freedGroupNames.add(fold(g.name()));
                if (!dryRun) {
                    ops.add(StoreOperation.updateGroup(g.withName(temporaryName(g.key()))));
                    pending.add(new Pending(null, g.name(), null));
                }
            });
        }
        flush();
        retry = retryGroupsUntilStuck(retry);
        for (SourceGroup sg : retry) {
            handleGroup(sg, true);
        }
        flush();
        for (Map.Entry<String, String> p : parkedGroupNames.entrySet()) {
            String temp = temporaryName(p.getKey());
            store.findGroup(p.getKey()).filter(g -> g.name().equals(temp)).ifPresent(g -> {
                ops.add(StoreOperation.updateGroup(g.withName(p.getValue())));
                pending.add(new Pending(null, p.getValue(), null));
            });
        }
        flush();
    }

    // ==================================================================== end of a snapshot

    private void endOfSnapshot() {
        if (phase == Progress.Phase.READING_USERS) {
            endOfUsers();
        }
        settleDeferredGroups();
        resolveLateMembers();
        flush();
        if (membersOutOfScope > 0) {
            warn(membersOutOfScope + " group memberships name users outside this source's scope "
                    + "(filtered out, failed, or not read); they were not added");
        }
        // 1. what would be removed, and may it be?
        List<User> userRemovals = new ArrayList<>();
        List<Group> groupRemovals = new ArrayList<>();
        if (complete) {
            long ownedGroups = 0;
            List<String> gone = new ArrayList<>();
            String[] ownedIds;
            try (Stream<String> owned = store.userExternalIdsOwnedBy(sid)) { // ids only: most users stay
                ownedIds = owned.toArray(String[]::new);
            }
            long ownedUsers = ownedIds.length;
            String[] seen = new String[ownedIds.length];
            userKeys.getAll(ownedIds, ownedIds.length, seen, NOT_SEEN); // in one batch: the cache misses overlap
            for (int i = 0; i < ownedIds.length; i++) {
                if (seen[i] == NOT_SEEN) {
                    gone.add(ownedIds[i]);
                }
            }
            for (String ext : gone) {
                store.findUserByOrigin(Origin.of(sid, ext)).filter(this::removes).ifPresent(userRemovals::add);
            }
            try (Stream<Group> owned = store.groupsOwnedBy(sid)) {
                for (Group g : (Iterable<Group>) owned::iterator) {
                    ownedGroups++;
                    if (!groups.containsKey(g.origin().externalId()) && source.deleteGroups()) {
                        groupRemovals.add(g);
                    }
                }
            }
            guard(userRemovals.size(), ownedUsers, groupRemovals.size(), ownedGroups);
        }
        // 2. memberships
        phase = Progress.Phase.MEMBERSHIPS;
        progress();
        resolveMemberships(complete && !guardTripped);
        flush();
        // 3. removals
        phase = Progress.Phase.DEPROVISIONING;
        progress();
        for (User u : userRemovals) {
            remove(u, "no longer in the source or its filters");
        }
        for (Group g : groupRemovals) {
            removeGroup(g, "no longer in the source or its filters");
        }
        flush();
    }

    private boolean removes(User u) {
        switch (source.deprovision()) {
            case DELETE: return true;
            case DEACTIVATE: return u.active();
            default: return false;
        }
    }

    private void guard(long users, long ownedUsers, long groupCount, long ownedGroups) {
        String why = source.guard().check("users", users, ownedUsers);
        if (why == null) {
            why = source.guard().check("groups", groupCount, ownedGroups);
        }
        if (why != null) {
            if (options.overrideGuard()) {
                warn("mass-deletion guard overridden for this run: " + why);
            } else {
                guardTripped = true;
                guardReason = why + "; nothing was deactivated or deleted. Inspect the plan, fix the source or "
                        + "filters, or confirm with SyncOptions.withOverrideGuard()";
                LOG.warn("source {}: mass-deletion guard tripped: {}", sid, why);
            }
        }
    }

    private void remove(User u, String reason) {
        ChangeKind kind = source.deprovision() == DeprovisionPolicy.DELETE ? ChangeKind.USER_DELETED
                : ChangeKind.USER_DEACTIVATED;
        Change ch = Change.of(kind, u.origin(), u.key(), u.username(),
                kind == ChangeKind.USER_DEACTIVATED ? Set.of(User.ACTIVE) : Set.of(), reason);
        if (guardTripped) {
            withhold(ch);
            return;
        }
        StoreOperation op = kind == ChangeKind.USER_DELETED ? StoreOperation.deleteUser(u.key())
                : StoreOperation.updateUser(u.withActive(false));
        write(op, ch, u.username(), null);
    }

    private void removeGroup(Group g, String reason) {
        Change ch = Change.of(ChangeKind.GROUP_DELETED, g.origin(), g.key(), g.name(), Set.of(), reason);
        if (guardTripped) {
            withhold(ch);
            return;
        }
        write(StoreOperation.deleteGroup(g.key()), ch, g.name(), null);
    }

    private void withhold(Change ch) {
        if (withheld.size() < SyncReport.MAX_LISTED) {
            withheld.add(ch);
        }
        if (audit != null) {
            audit.refused(ch, UsherException.Code.GUARD, guardReason);
        }
    }

    // ==================================================================== memberships

    private void resolveMemberships(boolean allowRemovals) {
        Set<String> cycleEdges = findCycles();
        Set<String> ownedUserKeys = null; // built on the first removal: a no-op run never needs it
        long done = 0;
        for (GroupState st : groups.values()) {
            if (st.key == null || st.unreadable) {
                continue;
            }
            boolean fresh = st.createdNow || isPlaceholder(st.key);
            if (!flatten && !fresh && st.childGroups.length == 0
                    && store.hasExactly(st.key, MemberKind.USER, keysMayRepeat ? distinct(st.userMembers)
                            : Arrays.asList(st.userMembers)) // distinct keys: a repeat would hide a member to remove
                    && store.hasExactly(st.key, MemberKind.GROUP, List.of())) {
                continue; // the common no-op case: nothing copied, nothing built
            }
            Set<String> current = fresh ? Set.of() : store.members(st.key, MemberKind.USER);
            Set<String> desired = Set.of(); // for removals: a new group has no current members to remove
            if (st.membersAdded) {
                // a new group whose members were added while the read went on
            } else if (fresh && !flatten && !keysMayRepeat) {
                // a new group: all its members are new, and distinct (distinct ids, each with its own key)
                addMembers(st, MemberKind.USER, Arrays.asList(st.userMembers));
            } else {
                desired = flatten ? effectiveUsers(st) : distinct(st.userMembers);
                List<String> toAdd = new ArrayList<>(fresh ? desired.size() : 16);
                for (String u : desired) {
                    if (!current.contains(u)) {
                        toAdd.add(u);
                    }
                }
                addMembers(st, MemberKind.USER, toAdd);
            }
            if (allowRemovals) {
                for (String u : current) {
                    if (desired.contains(u)) {
                        continue;
                    }
                    if (ownedUserKeys == null) {
                        ownedUserKeys = syncedUserKeys();
                    }
                    if (ownedMember(MemberKind.USER, u, ownedUserKeys)) {
                        removeMember(st, MemberKind.USER, u, usernameOf(u));
                    }
                }
            }
            if (!flatten) {
                Map<String, String> desiredGroups = new LinkedHashMap<>();
                for (String childExt : st.childGroups) {
                    GroupState child = groups.get(childExt);
                    if (child == null) {
                        membersOutOfScope++;
                    } else if (child.key != null && !cycleEdges.contains(st.origin.externalId() + "\n" + childExt)) {
                        desiredGroups.put(child.key, child.name);
                    }
                }
                Set<String> currentGroups = st.createdNow || isPlaceholder(st.key) ? Set.of()
                        : store.members(st.key, MemberKind.GROUP);
                desiredGroups.forEach((k, name) -> {
                    if (!currentGroups.contains(k)) {
                        addMember(st, MemberKind.GROUP, k, name);
                    }
                });
                if (allowRemovals) {
                    for (String g : currentGroups) {
                        if (!desiredGroups.containsKey(g) && ownedMember(MemberKind.GROUP, g, null)) {
                            removeMember(st, MemberKind.GROUP, g, store.findGroup(g).map(Group::name).orElse(g));
                        }
                    }
                }
            }
            if (++done % PROGRESS_EVERY == 0) {
                progress();
            }
        }
    }

    /**
     * A member's username for change reports: from this run when it created or renamed the user, else from
     * the store (looked up only when a membership actually changes, so unchanged runs pay nothing).
     */
    private String usernameOf(String userKey) {
        String name = usernames.get(userKey);
        if (name == null && !isPlaceholder(userKey)) {
            name = store.findUser(userKey).map(User::username).orElse(userKey);
        }
        return name == null ? userKey : name;
    }

    private Set<String> syncedUserKeys() {
        Set<String> out = new HashSet<>(userKeys.size() * 2);
        for (String k : userKeys.values()) {
            if (k != null) {
                out.add(k);
            }
        }
        return out;
    }


    private static boolean isPlaceholder(String key) {
        return key.startsWith("(new)");
    }

    private boolean ownedMember(MemberKind kind, String key, Set<String> ownedUserKeys) {
        if (kind == MemberKind.USER) {
            if (ownedUserKeys != null && ownedUserKeys.contains(key)) {
                return true;
            }
            return store.findUser(key).map(u -> u.isOwnedBy(sid)).orElse(false);
        }
        return store.findGroup(key).map(g -> g.isOwnedBy(sid)).orElse(false);
    }

    private static Set<String> distinct(String[] keys) {
        Set<String> out = new HashSet<>(Math.max(16, (int) (keys.length / .75f) + 1));
        out.addAll(Arrays.asList(keys));
        return out;
    }

    /**
     * New members for one group: one store call for all of them (one membership at a time when there is just
     * one). Each still counts, and is reported to listeners, as one change.
     */
    private void addMembers(GroupState st, MemberKind kind, List<String> memberKeys) {
        if (memberKeys.size() == 1) {
            String m = memberKeys.get(0);
            addMember(st, kind, m, memberName(kind, m));
            return;
        }
        if (memberKeys.isEmpty()) {
            return;
        }
        MemberBatch batch = new MemberBatch(st, kind, memberKeys);
        if (dryRun) {
            recordMembersAdded(batch);
            return;
        }
        ops.add(StoreOperation.addMembers(st.key, kind, memberKeys));
        pending.add(new Pending(null, st.name, null, batch));
        if (ops.size() >= batchSize) {
            flush();
        }
    }

    private String memberName(MemberKind kind, String key) {
        return kind == MemberKind.USER ? usernameOf(key) : store.findGroup(key).map(Group::name).orElse(key);
    }

    /** Whether membership changes become events that name their members (for a listener, the audit or a plan). */
    private boolean membersNamed() {
        return planSink != null || planned != null || listeners.hearsChanges() || audit != null;
    }

    /** Counts a batch of added members; builds their change events only when a listener or a plan needs them. */
    private void recordMembersAdded(MemberBatch b) {
        if (!membersNamed()) {
            counts.merge(ChangeKind.MEMBER_ADDED, (long) b.keys.size(), Long::sum);
            applied += b.keys.size();
            return;
        }
        GroupState st = b.group;
        for (String m : b.keys) {
            recordApplied(Change.member(ChangeKind.MEMBER_ADDED, st.origin, st.key, st.name, b.kind,
                    memberName(b.kind, m)), Boolean.TRUE);
        }
    }

    private void addMember(GroupState st, MemberKind kind, String memberKey, String memberName) {
        write(StoreOperation.addMember(st.key, kind, memberKey),
                Change.member(ChangeKind.MEMBER_ADDED, st.origin, st.key, st.name, kind, memberName), st.name, null);
    }

    private void removeMember(GroupState st, MemberKind kind, String memberKey, String memberName) {
        write(StoreOperation.removeMember(st.key, kind, memberKey),
                Change.member(ChangeKind.MEMBER_REMOVED, st.origin, st.key, st.name, kind, memberName), st.name, null);
    }

    /** Users reachable through the group and its nested groups; cycles end the walk. */
    private Set<String> effectiveUsers(GroupState root) {
        Set<String> out = new HashSet<>(List.of(root.userMembers));
        Set<GroupState> seen = new HashSet<>();
        ArrayDeque<GroupState> todo = new ArrayDeque<>();
        todo.add(root);
        seen.add(root);
        while (!todo.isEmpty()) {
            GroupState g = todo.poll();
            for (String childExt : g.childGroups) {
                GroupState child = groups.get(childExt);
                if (child != null && seen.add(child)) {
                    out.addAll(List.of(child.userMembers));
                    todo.add(child);
                }
            }
        }
        return out;
    }

    /**
     * Finds nested-group cycles with an iterative depth-first walk (no recursion, so deep chains cannot
     * overflow the stack). Each back edge closes one cycle: it is reported with the group names around it,
     * and returned (as "parent\nchild") so that group-in-group mode leaves it out of the store.
     */
    private Set<String> findCycles() {
        Set<String> backEdges = new HashSet<>();
        Map<String, Integer> state = new HashMap<>(); // 1 on the path, 2 done
        for (String start : groups.keySet()) {
            if (state.containsKey(start)) {
                continue;
            }
            ArrayDeque<String> path = new ArrayDeque<>();
            ArrayDeque<int[]> next = new ArrayDeque<>();
            path.push(start);
            next.push(new int[] {0});
            state.put(start, 1);
            while (!path.isEmpty()) {
                String node = path.peek();
                int[] i = next.peek();
                GroupState g = groups.get(node);
                if (g == null || i[0] >= g.childGroups.length) {
                    state.put(node, 2);
                    path.pop();
                    next.pop();
                    continue;
                }
                String child = g.childGroups[i[0]++];
                if (!groups.containsKey(child)) {
                    continue;
                }
                Integer s = state.get(child);
                if (s == null) {
                    state.put(child, 1);
                    path.push(child);
                    next.push(new int[] {0});
                } else if (s == 1) {
                    backEdges.add(node + "\n" + child);
                    List<String> cycle = new ArrayList<>();
                    List<String> onPath = new ArrayList<>(path);
                    java.util.Collections.reverse(onPath);
                    boolean in = false;
                    for (String p : onPath) {
                        in |= p.equals(child);
                        if (in) {
                            cycle.add(groups.get(p).name);
                        }
                    }
                    cycle.add(groups.get(child).name);
                    if (cycles.size() < SyncReport.MAX_LISTED) {
                        cycles.add(cycle);
                    }
                    warn("nested-group cycle: " + String.join(" -> ", cycle)
                            + (flatten ? "" : "; the edge closing it was not stored"));
                }
            }
        }
        return backEdges;
    }

    // ==================================================================== incremental

    private void resolveOneGroupNow(GroupState st, SourceGroup sg) {
        if (st.key == null) {
            return;
        }
        Set<String> desired = new HashSet<>();
        for (String ext : sg.memberUserIds()) {
            store.findUserByOrigin(Origin.of(sid, ext)).ifPresent(u -> {
                desired.add(u.key());
                usernames.put(u.key(), u.username());
            });
        }
        String groupExt = st.origin.externalId();
        for (String ext : sg.memberUserIds()) {
            pendingMemberRemovals.remove(memberKey(groupExt, MemberKind.USER, ext)); // this record has the last word
        }
        for (String ext : sg.memberGroupIds()) {
            pendingMemberRemovals.remove(memberKey(groupExt, MemberKind.GROUP, ext));
        }
        Set<String> current = isPlaceholder(st.key) ? Set.of() : store.members(st.key, MemberKind.USER);
        for (String u : desired) {
            if (!current.contains(u)) {
                addMember(st, MemberKind.USER, u, usernameOf(u));
            }
        }
        for (String u : current) {
            if (!desired.contains(u)) {
                store.findUser(u).filter(m -> m.isOwnedBy(sid))
                        .ifPresent(m -> removeMemberLater(st, MemberKind.USER, m.key(), m.origin(), m.username()));
            }
        }
        if (!flatten) {
            Map<String, String> desiredGroups = new HashMap<>();
            for (String ext : sg.memberGroupIds()) {
                store.findGroupByOrigin(Origin.of(sid, ext)).ifPresent(g -> desiredGroups.put(g.key(), g.name()));
            }
            Set<String> currentGroups = isPlaceholder(st.key) ? Set.of() : store.members(st.key, MemberKind.GROUP);
            desiredGroups.forEach((k, name) -> {
                if (!currentGroups.contains(k) && !closesCycle(st.key, st.name, k, name)) {
                    addMember(st, MemberKind.GROUP, k, name);
                }
            });
            for (String g : currentGroups) {
                if (!desiredGroups.containsKey(g)) {
                    store.findGroup(g).filter(m -> m.isOwnedBy(sid))
                            .ifPresent(m -> removeMemberLater(st, MemberKind.GROUP, m.key(), m.origin(), m.name()));
                }
            }
        } else if (!sg.memberGroupIds().isEmpty() && mode == SyncMode.PUSH) {
            throw new UsherException(UsherException.Code.INVALID,
                    "this store keeps groups flat: a group cannot have groups as members");
        }
        flush();
    }

    /**
     * A removal a full group record implies: at once for a push, but after the guard for an incremental read
     * (a mass leave must not strip groups before the guard has ruled).
     */
    private void removeMemberLater(GroupState st, MemberKind kind, String memberKey, Origin member, String name) {
        if (mode == SyncMode.INCREMENTAL) {
            pendingMemberRemovals.put(memberKey(st.origin.externalId(), kind, member.externalId()),
                    new String[] {st.origin.externalId(), kind.name(), member.externalId()});
        } else {
            removeMember(st, kind, memberKey, name);
        }
    }

    /**
     * Whether making {@code childKey} a member of {@code parentKey} would close a cycle of nested groups in
     * the store (the child already contains the parent, directly or not). If so it is reported and refused.
     */
    private boolean closesCycle(String parentKey, String parentName, String childKey, String childName) {
        if (parentKey.equals(childKey)) {
            reportCycle(List.of(parentName, parentName));
            return true;
        }
        ArrayDeque<String> todo = new ArrayDeque<>(List.of(childKey));
        Set<String> seen = new HashSet<>(todo);
        while (!todo.isEmpty()) {
            for (String next : store.members(todo.poll(), MemberKind.GROUP)) {
                if (next.equals(parentKey)) {
                    reportCycle(List.of(parentName, childName, "…", parentName));
                    return true;
                }
                if (seen.add(next)) {
                    todo.add(next);
                }
            }
        }
        return false;
    }

    private void reportCycle(List<String> names) {
        if (cycles.size() < SyncReport.MAX_LISTED) {
            cycles.add(names);
        }
        warn("nested-group cycle: " + String.join(" -> ", names) + "; the edge closing it was not stored");
    }

    private void membership(boolean add, String groupExt, MemberKind kind, String memberExt) {
        flush();
        Optional<Group> g = store.findGroupByOrigin(Origin.of(sid, groupExt));
        if (g.isEmpty()) {
            warn("membership change for a group this source has not synced; ignored");
            return;
        }
        if (kind == MemberKind.GROUP && flatten) {
            if (mode == SyncMode.PUSH) {
                throw new UsherException(UsherException.Code.INVALID,
                        "this store keeps groups flat: a group cannot have groups as members");
            }
            throw new NeedsSnapshot("a nested-group change reached a store that keeps groups flat");
        }
        String memberKey;
        String memberName;
        if (kind == MemberKind.USER) {
            Optional<User> u = store.findUserByOrigin(Origin.of(sid, memberExt));
            if (u.isEmpty()) {
                membersOutOfScope++;
                return;
            }
            memberKey = u.get().key();
            memberName = u.get().username();
        } else {
            Optional<Group> child = store.findGroupByOrigin(Origin.of(sid, memberExt));
            if (child.isEmpty()) {
                membersOutOfScope++;
                return;
            }
            memberKey = child.get().key();
            memberName = child.get().name();
        }
        if (store.groupsOf(kind, memberKey).contains(g.get().key()) == add) {
            return; // already so: replays and overlapping cursors change nothing
        }
        GroupState st = new GroupState(g.get().origin(), g.get().name());
        st.key = g.get().key();
        if (add && kind == MemberKind.GROUP && closesCycle(st.key, st.name, memberKey, memberName)) {
            return;
        }
        if (add) {
            addMember(st, kind, memberKey, memberName);
        } else {
            removeMember(st, kind, memberKey, memberName);
        }
    }

    /** Thrown inside an incremental read when only a snapshot can answer; the engine then reads one. */
    static final class NeedsSnapshot extends SourceException {
        private static final long serialVersionUID = 1L;

        NeedsSnapshot(String why) {
            super(Code.CURSOR_INVALID, why);
        }
    }

    /** Applies the removals an incremental read or push collected, after the guard. */
    void endOfIncremental() {
        settleDeferredUsers();
        settleDeferredGroups();
        flush();
        List<User> userRemovals = new ArrayList<>();
        for (String ext : pendingUserRemovals) {
            store.findUserByOrigin(Origin.of(sid, ext)).filter(this::removes).ifPresent(userRemovals::add);
        }
        List<Group> groupRemovals = new ArrayList<>();
        if (source.deleteGroups()) {
            for (String ext : pendingGroupRemovals) {
                store.findGroupByOrigin(Origin.of(sid, ext)).ifPresent(groupRemovals::add);
            }
        }
        if (mode != SyncMode.PUSH && (!userRemovals.isEmpty() || !groupRemovals.isEmpty())) {
            long ownedUsers;
            long ownedGroups;
            try (Stream<String> s = store.userExternalIdsOwnedBy(sid)) {
                ownedUsers = s.count();
            }
            try (Stream<Group> s = store.groupsOwnedBy(sid)) {
                ownedGroups = s.count();
            }
            guard(userRemovals.size(), ownedUsers, groupRemovals.size(), ownedGroups);
        }
        for (String[] m : pendingMemberRemovals.values()) {
            if (guardTripped) {
                withhold(Change.member(ChangeKind.MEMBER_REMOVED, Origin.of(sid, m[0]), null, m[0],
                        MemberKind.valueOf(m[1]), m[2]));
            } else {
                membership(false, m[0], MemberKind.valueOf(m[1]), m[2]);
            }
        }
        pendingMemberRemovals.clear();
        flush();
        for (User u : userRemovals) {
            if (!guardTripped && source.deprovision() == DeprovisionPolicy.DEACTIVATE) {
                // the source no longer has the user, so none of its groups do: as a snapshot would find
                for (String groupKey : store.groupsOf(MemberKind.USER, u.key())) {
                    store.findGroup(groupKey).filter(g -> g.isOwnedBy(sid)).ifPresent(g -> {
                        GroupState st = new GroupState(g.origin(), g.name());
                        st.key = g.key();
                        removeMember(st, MemberKind.USER, u.key(), u.username());
                    });
                }
            }
            remove(u, "removed in the source");
        }
        for (Group g : groupRemovals) {
            removeGroup(g, "removed in the source");
        }
        pendingUserRemovals.clear();
        pendingGroupRemovals.clear();
        if (membersOutOfScope > 0) {
            warn(membersOutOfScope + " membership changes name records this source has not synced; ignored");
            membersOutOfScope = 0;
        }
        flush();
    }

    /** Push: writes a user value as given (for an explicit deactivation). */
    void applyDirect(User value, SourceUser su) {
        User cur = store.findUser(value.key()).orElse(null);
        if (cur == null) {
            fail(su.externalId(), UsherException.Code.NOT_FOUND, "the user is gone");
            return;
        }
        java.util.Set<String> fields = value.changedFields(cur);
        if (fields.isEmpty()) {
            return;
        }
        write(StoreOperation.updateUser(value), Change.of(value.active() ? ChangeKind.USER_REACTIVATED
                : ChangeKind.USER_DEACTIVATED, value.origin(), value.key(), value.username(), fields, null),
                value.username(), null);
        flush();
    }

    /** Push: gives a stored user of this source the source's credential policy, changing nothing else. */
    void applyCredentials(User cur) {
        if (cur.credentials() == source.credentials()) {
            unchanged++;
            return;
        }
        write(StoreOperation.updateUser(cur.withCredentials(source.credentials())), Change.of(ChangeKind.USER_UPDATED,
                cur.origin(), cur.key(), cur.username(), Set.of(User.CREDENTIALS), "the source's credential policy"),
                cur.username(), null);
    }

    // ==================================================================== writing

    private void write(StoreOperation op, Change change, String subject, Consumer<Object> onSuccess) {
        if (dryRun) {
            Object simulated = simulate(op);
            recordApplied(change, simulated);
            if (onSuccess != null) {
                onSuccess.accept(simulated);
            }
            return;
        }
        ops.add(op);
        pending.add(new Pending(change, subject, onSuccess));
        if (ops.size() >= batchSize) {
            flush();
        }
    }

    private static Object simulate(StoreOperation op) {
        if (op instanceof StoreOperation.CreateUser) {
            User u = ((StoreOperation.CreateUser) op).user();
            return u.withKey("(new)" + u.origin());
        }
        if (op instanceof StoreOperation.CreateGroup) {
            Group g = ((StoreOperation.CreateGroup) op).group();
            return g.withKey("(new)" + g.origin());
        }
        return Boolean.TRUE;
    }

    /** Applies the pending batch; each failing operation is reported, the rest go on. */
    void flush() {
        if (ops.isEmpty()) {
            return;
        }
        List<StoreOperation> batchOps = new ArrayList<>(ops);
        List<Pending> batchPending = new ArrayList<>(pending);
        flushes++;
        ops.clear();
        pending.clear();
        pendingUserNames.clear();
        pendingGroupNames.clear();
        List<StoreOperation.Outcome> outcomes;
        StoreOperation.Outcome wholeBatchFailure = null; // what every operation got when apply itself threw
        try {
            outcomes = store.apply(batchOps);
            if (outcomes == null || outcomes.size() != batchOps.size()) {
                throw new UsherException(UsherException.Code.STORE,
                        "the store's apply returned " + (outcomes == null ? "null" : outcomes.size() + " outcomes")
                                + " for " + batchOps.size() + " operations");
            }
        } catch (RuntimeException e) {
            LOG.warn("source {}: the store failed a whole batch of {} operations", sid, batchOps.size(), e);
            StoreOperation.Outcome failed = StoreOperation.Outcome.failure(e);
            wholeBatchFailure = failed;
            outcomes = new ArrayList<>();
            for (int i = 0; i < batchOps.size(); i++) {
                outcomes.add(failed);
            }
        }
        List<MemberBatch> retryOneByOne = null;
        for (int i = 0; i < batchOps.size(); i++) {
            StoreOperation.Outcome o = outcomes.get(i);
            Pending p = batchPending.get(i);
            if (p.members != null) {
                if (o.ok()) {
                    recordMembersAdded(p.members);
                } else if (o == wholeBatchFailure) {
                    UsherException.Code code = o.error() instanceof UsherException
                            ? ((UsherException) o.error()).code() : UsherException.Code.STORE;
                    for (int n = 0; n < p.members.keys.size(); n++) {
                        Change attempted = audit == null ? null : Change.member(ChangeKind.MEMBER_ADDED,
                                p.members.group.origin, p.members.group.key, p.members.group.name, p.members.kind,
                                memberName(p.members.kind, p.members.keys.get(n)));
                        fail(p.subject, code, ChangeKind.MEMBER_ADDED + " failed: " + describe(o.error()), attempted);
                        retryLater++;
                    }
                } else {
                    if (retryOneByOne == null) {
                        retryOneByOne = new ArrayList<>();
                    }
                    retryOneByOne.add(p.members); // find and report the members the store refuses
                }
                continue;
            }
            if (p.change == null) {
                if (!o.ok()) {
                    fail(p.subject, UsherException.Code.STORE, "a temporary rename (to break a cycle of renames) "
                            + "failed: " + o.error().getMessage());
                    retryLater++;
                }
                continue;
            }
            if (o.ok()) {
                recordApplied(p.change, o.result());
                if (p.onSuccess != null) {
                    p.onSuccess.accept(o.result());
                }
            } else {
                RuntimeException e = o.error();
                UsherException.Code code = e instanceof UsherException ? ((UsherException) e).code()
                        : UsherException.Code.STORE;
                String msg = e instanceof UsherException ? e.getMessage()
                        : "the store failed with " + e.getClass().getSimpleName();
                if (!(e instanceof UsherException)) {
                    LOG.warn("source {}: store failed to apply {} for {}", sid, p.change.kind(), p.subject, e);
                }
                fail(p.subject, code, p.change.kind() + " failed: " + msg, p.change);
                retryLater++;
            }
        }
        if (retryOneByOne != null) {
            for (MemberBatch b : retryOneByOne) {
                for (String m : b.keys) {
                    addMember(b.group, b.kind, m, memberName(b.kind, m));
                }
            }
            flush();
        }
        if (applied - lastProgressApplied >= PROGRESS_EVERY) {
            lastProgressApplied = applied;
            progress();
        }
    }

    private long lastProgressApplied;
    private static String describe(RuntimeException e) {
        return e instanceof UsherException ? e.getMessage() : "the store failed with " + e.getClass().getSimpleName();
    }

    private void recordApplied(Change change, Object result) {
        counts.merge(change.kind(), 1L, Long::sum);
        applied++;
        if (planSink != null) {
            planSink.accept(change);
        } else if (planned != null) {
            if (planned.size() < planLimit) {
                planned.add(change);
            } else {
                planTruncated = true;
            }
        }
        if (!dryRun && listeners.hearsChanges()) {
            // audit listeners hear only of what happened; a plan's changes are in the ChangeSet
            listeners.each(l -> l.onChange(runId, change));
        }
        if (audit != null) {
            audit.applied(change, result);
        }
    }

    private void fail(String subject, UsherException.Code code, String message) {
        fail(subject, code, message, null);
    }

    /** A failure; {@code attempted} is the change that failed, when it is one change (for the audit trail). */
    private void fail(String subject, UsherException.Code code, String message, Change attempted) {
        failureCount++;
        Failure f = new Failure(subject, code, message);
        lastFailure = f;
        if (failures.size() < SyncReport.MAX_LISTED) {
            failures.add(f);
        }
        listeners.each(l -> l.onFailure(runId, f));
        if (audit != null) {
            audit.failed(attempted, f);
        }
    }

    private void warn(String message) {
        warningCount++;
        if (warnings.size() < SyncReport.MAX_LISTED) {
            warnings.add(message);
        }
        listeners.each(l -> l.onWarning(runId, message));
    }
}
