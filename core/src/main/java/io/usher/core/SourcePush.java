package io.usher.core;

import io.usher.core.audit.AuditContext;
import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.core.spi.SourceGroup;
import io.usher.core.spi.SourceUser;
import io.usher.core.spi.UserStore;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The push entry point for routes where the identity provider calls us (SCIM) or a login carries the
 * identity (JIT): one change at a time, through the same filters, transformations, ownership and
 * collision rules as a sync. Each call is applied at once and returns what it did; a refusal throws an
 * {@link UsherException} whose code a protocol layer maps to its own error ({@code CONFLICT} → 409,
 * {@code INVALID} → 400, {@code NOT_FOUND} → 404, {@code NOT_OWNED} → 403).
 *
 * <p>Thread-safe: calls may come from many request threads; each is independent and relies on the store's
 * own atomicity (two concurrent creates of one origin: one wins, the other gets {@code CONFLICT}). Push calls
 * are not serialised with {@link ProvisioningEngine#synchronize} of the same source; give push routes their
 * own source.
 *
 * <p>Audit: every change a call applies, and every call refused by the rules above (with the change it asked
 * for), is an {@link io.usher.core.audit.AuditEvent} with this push's {@link AuditContext} — the SCIM client's
 * token id and request id, the JIT login's IdP and assertion id, or {@link AuditContext#api()} for
 * {@code engine.push(sourceId)}. Each call is a run of its own (its own run id).
 */
public final class SourcePush {
    private final Source source;
    private final UserStore store;
    private final Listeners listeners;
    private final Clock clock;
    private final Supplier<String> runIds;
    private final Auditing auditing;
    private final AuditContext context;

    SourcePush(Source source, UserStore store, Listeners listeners, Clock clock, Supplier<String> runIds,
               Auditing auditing, AuditContext context) {
        this.source = source;
        this.store = store;
        this.listeners = listeners;
        this.clock = clock;
        this.runIds = runIds;
        this.auditing = auditing;
        this.context = Objects.requireNonNull(context, "context");
    }

    public String sourceId() {
        return source.id();
    }

    /** The route context this push's audit events carry. */
    public AuditContext context() {
        return context;
    }

    /** The same source and store, with another route context for the audit trail (this push is unchanged). */
    public SourcePush withContext(AuditContext value) {
        return new SourcePush(source, store, listeners, clock, runIds, auditing, value);
    }

    /**
     * Creates, updates, renames, reactivates or deactivates (per {@code active}) the user. A user the
     * source's filters exclude is refused with {@code INVALID} if new, and deprovisioned per the source's
     * policy if it was synced before (the same rule a sync applies).
     */
    public PushResult upsertUser(SourceUser user) {
        Objects.requireNonNull(user, "user");
        String reason = source.pipeline().exclusionReason(user);
        if (reason != null && store.findUserByOrigin(origin(user.externalId())).isEmpty()) {
            throw auditRefusal(ChangeKind.USER_CREATED, user.externalId(), null, new UsherException(
                    UsherException.Code.INVALID, "the source's filters exclude this user: " + reason));
        }
        // an existing user that the filters now exclude is deprovisioned, as a sync would do
        return run(r -> r.user(user), () -> store.findUserByOrigin(origin(user.externalId())).orElse(null));
    }

    /** Marks the user inactive. */
    public PushResult deactivateUser(String externalId) {
        User u = ownedUser(ChangeKind.USER_DEACTIVATED, externalId);
        if (!u.active()) {
            return new PushResult(java.util.List.of(), u.key(), u);
        }
        SourceUser su = SourceUser.builder(externalId).loginName(u.username()).build();
        return run(r -> r.applyDirect(u.withActive(false), su), () -> store.findUser(u.key()).orElse(null));
    }

    /**
     * Marks the user active again, changing nothing else (for a route that reactivates without updating the
     * user's fields, such as JIT with updates off).
     */
    public PushResult reactivateUser(String externalId) {
        User u = ownedUser(ChangeKind.USER_REACTIVATED, externalId);
        if (u.active()) {
            return new PushResult(java.util.List.of(), u.key(), u);
        }
        SourceUser su = SourceUser.builder(externalId).loginName(u.username()).build();
        return run(r -> r.applyDirect(u.withActive(true), su), () -> store.findUser(u.key()).orElse(null));
    }

    /**
     * Gives every user the source owns the source's {@link Source#credentials() credential policy}, changing
     * nothing else. A pull source's next sync does this by itself; a push source's users otherwise change only
     * when the identity provider pushes them or they sign in again, so call this after changing the source's
     * setting, or once after upgrading from a version without the policy. Each user changed is a
     * {@code USER_UPDATED} change with the field {@code credentials} (listeners hear of each); the report counts
     * them and the users already right ({@code unchanged}). Holds the source's user keys, not its users.
     */
    public SyncReport applyCredentials() {
        java.util.List<String> keys = new java.util.ArrayList<>();
        try (java.util.stream.Stream<User> owned = store.usersOwnedBy(source.id())) {
            owned.forEach(u -> keys.add(u.key()));
        }
        SyncRun r = new SyncRun(source, store, false, listeners, 100, SyncOptions.DEFAULT, clock, runIds.get(),
                SyncMode.PUSH);
        r.limitPlan(0); // listeners hear of every change; the report counts them; none is kept
        listeners.each(l -> l.onStart(r.runId, source.id(), SyncMode.PUSH));
        for (String key : keys) {
            store.findUser(key).filter(u -> u.isOwnedBy(source.id())).ifPresent(r::applyCredentials);
        }
        r.flush();
        SyncReport report = r.report();
        listeners.each(l -> l.onFinish(report));
        return report;
    }

    /** Removes the user as the source's deprovisioning policy says (deactivate, delete or leave). */
    public PushResult removeUser(String externalId) {
        ownedUser(source.deprovision() == DeprovisionPolicy.DELETE ? ChangeKind.USER_DELETED
                : ChangeKind.USER_DEACTIVATED, externalId);
        return run(r -> r.userDeleted(externalId), () -> store.findUserByOrigin(origin(externalId)).orElse(null));
    }

    /** Creates or updates the group and replaces its direct members with the given ones. */
    public PushResult upsertGroup(SourceGroup group) {
        Objects.requireNonNull(group, "group");
        String reason = source.pipeline().exclusionReason(group);
        if (reason != null && store.findGroupByOrigin(origin(group.externalId())).isEmpty()) {
            throw auditRefusal(ChangeKind.GROUP_CREATED, group.externalId(), null, new UsherException(
                    UsherException.Code.INVALID, "the source's filters exclude this group: " + reason));
        }
        return run(r -> r.group(group), () -> store.findGroupByOrigin(origin(group.externalId())).orElse(null));
    }

    /** Updates the group's name and description; members unchanged. */
    public PushResult updateGroupFields(SourceGroup group) {
        Objects.requireNonNull(group, "group");
        ownedGroup(ChangeKind.GROUP_UPDATED, group.externalId(), null);
        return run(r -> r.groupFields(group), () -> store.findGroupByOrigin(origin(group.externalId())).orElse(null));
    }

    /** Deletes the group (or leaves it, if the source keeps removed groups). */
    public PushResult removeGroup(String externalId) {
        ownedGroup(ChangeKind.GROUP_DELETED, externalId, null);
        return run(r -> r.groupDeleted(externalId), () -> store.findGroupByOrigin(origin(externalId)).orElse(null));
    }

    /** Adds one member, a user or group of this source. */
    public PushResult addMember(String groupExternalId, MemberKind kind, String memberExternalId) {
        Group g = ownedGroup(ChangeKind.MEMBER_ADDED, groupExternalId, kind);
        requireMember(ChangeKind.MEMBER_ADDED, g, kind, memberExternalId);
        return run(r -> r.memberAdded(groupExternalId, kind, memberExternalId),
                () -> store.findGroupByOrigin(origin(groupExternalId)).orElse(null));
    }

    /** Removes one member. */
    public PushResult removeMember(String groupExternalId, MemberKind kind, String memberExternalId) {
        Group g = ownedGroup(ChangeKind.MEMBER_REMOVED, groupExternalId, kind);
        requireMember(ChangeKind.MEMBER_REMOVED, g, kind, memberExternalId);
        return run(r -> r.memberRemoved(groupExternalId, kind, memberExternalId),
                () -> store.findGroupByOrigin(origin(groupExternalId)).orElse(null));
    }

    /**
     * Records in the audit trail a change this route refused by a rule of its own before calling the engine (a
     * login policy that creates no users, for instance); changes nothing. The event has outcome
     * {@code REFUSED}, the given kind, code and reason, and this push's context.
     *
     * @param attempted the change the request asked for
     * @param externalId the source's id of the user or group, or null
     * @param name the username or group name as the request gave it, or null
     * @param code why, for programs
     * @param reason why, in plain words (never a credential or an attribute's value)
     */
    public void refused(ChangeKind attempted, String externalId, String name, UsherException.Code code,
                        String reason) {
        Objects.requireNonNull(attempted, "attempted");
        Objects.requireNonNull(code, "code");
        Change c = new Change(attempted, externalId == null ? null : origin(externalId), null, name, null, Set.of(),
                null, null, null);
        auditRefusal(c, new UsherException(code, reason == null ? code.name() : reason));
    }

    private Origin origin(String externalId) {
        return Origin.of(source.id(), externalId);
    }

    private User ownedUser(ChangeKind attempted, String externalId) {
        try {
            return ownedUser(externalId);
        } catch (UsherException e) {
            throw auditRefusal(attempted, externalId, null, e);
        }
    }

    private User ownedUser(String externalId) {
        return store.findUserByOrigin(origin(externalId)).orElseThrow(() ->
                new UsherException(UsherException.Code.NOT_FOUND, "this source has no user with that external id"));
    }

    private Group ownedGroup(ChangeKind attempted, String externalId, MemberKind memberKind) {
        try {
            return ownedGroup(externalId);
        } catch (UsherException e) {
            throw auditRefusal(attempted, externalId, memberKind, e);
        }
    }

    private Group ownedGroup(String externalId) {
        return store.findGroupByOrigin(origin(externalId)).orElseThrow(() ->
                new UsherException(UsherException.Code.NOT_FOUND, "this source has no group with that external id"));
    }

    private void requireMember(ChangeKind attempted, Group group, MemberKind kind, String externalId) {
        try {
            if (kind == MemberKind.USER) {
                ownedUser(externalId);
            } else {
                ownedGroup(externalId);
            }
        } catch (UsherException e) {
            Change c = new Change(attempted, group.origin(), group.key(), group.name(), null, Set.of(), kind,
                    null, null);
            throw auditRefusal(c, e);
        }
    }

    /** Records a call refused before anything was written (its own run id), and gives back the exception. */
    private UsherException auditRefusal(ChangeKind attempted, String externalId, MemberKind memberKind,
                                   UsherException e) {
        Change c = new Change(attempted, origin(externalId), null, null, null, Set.of(), memberKind, null, null);
        return auditRefusal(c, e);
    }

    private UsherException auditRefusal(Change c, UsherException e) {
        Auditing.Trail t = auditing == null ? null : auditing.trail(source.id(), runIds.get(), context);
        if (t != null) {
            t.refused(c, e.code(), e.getMessage());
        }
        return e;
    }

    private PushResult run(Consumer<SyncRun> call, Supplier<Object> after) {
        SyncRun r = new SyncRun(source, store, false, listeners, 1, SyncOptions.DEFAULT, clock, runIds.get(),
                SyncMode.PUSH);
        if (auditing != null) {
            r.audit(auditing.trail(source.id(), r.runId, context));
        }
        call.accept(r);
        r.endOfIncremental();
        if (r.lastFailure != null) {
            throw new UsherException(r.lastFailure.code(), r.lastFailure.message());
        }
        Object value = after.get();
        String key = value instanceof User ? ((User) value).key() : value instanceof Group ? ((Group) value).key() : null;
        return new PushResult(r.planned(), key, value);
    }
}
