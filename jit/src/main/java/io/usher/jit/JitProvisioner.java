package io.usher.jit;

import io.usher.core.Change;
import io.usher.core.ChangeKind;
import io.usher.core.ConfigException;
import io.usher.core.ProvisioningEngine;
import io.usher.core.PushResult;
import io.usher.core.Source;
import io.usher.core.SourcePush;
import io.usher.core.UsherException;
import io.usher.core.audit.AuditContext;
import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.core.model.Values;
import io.usher.core.spi.SourceGroup;
import io.usher.core.spi.SourceUser;
import io.usher.core.spi.UserStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Just-in-time provisioning: turns a {@link VerifiedLogin} into a created, updated or reactivated user and its
 * group memberships, through the engine's push entry point for the policy's source — so the same pipeline
 * (filters, username transformations, collision policy, ownership) applies as for a sync — and records the
 * login for {@link InactiveUserCleanup}.
 *
 * <pre>{@code
 * VerifiedLogin login = oidcValidator.validate(idToken, request.expectations());   // or the SAML validator
 * JitResult r = jit.provision(login);                                              // the user now exists
 * session.signIn(r.userKey());
 * }</pre>
 *
 * <p>Thread-safe: logins may be provisioned concurrently; two first logins of one user end with one user (the
 * second retries as an update), and groups are created once per process (hosts running several nodes rely on
 * the store's unique origin: a second create fails and the login retries the membership).
 */
public final class JitProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(JitProvisioner.class);

    private final ProvisioningEngine engine;
    private final JitPolicy policy;
    private final LastLoginStore lastLogins;
    private final Clock clock;
    private final ReentrantLock[] groupLocks = new ReentrantLock[64];

    private JitProvisioner(Builder b) {
        this.engine = b.engine;
        this.policy = b.policy;
        this.lastLogins = b.lastLogins;
        this.clock = b.clock;
        for (int i = 0; i < groupLocks.length; i++) {
            groupLocks[i] = new ReentrantLock();
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public JitPolicy policy() {
        return policy;
    }

    /**
     * The audit context of a login's changes: the IdP (entity ID or issuer) and the assertion ID or ID-token
     * {@code jti} (never the assertion or the token).
     */
    static AuditContext auditContext(VerifiedLogin login) {
        return login.protocol() == VerifiedLogin.Protocol.SAML
                ? AuditContext.saml(login.issuer(), login.proofId())
                : AuditContext.oidc(login.issuer(), login.proofId());
    }

    /** The origin JIT gives the user of this login: the policy's source and the login's subject. */
    public Origin originOf(VerifiedLogin login) {
        return Origin.of(policy.sourceId(), login.subject());
    }

    /**
     * Provisions the user of a verified login. Throws {@link JitException} when the policy refuses the login
     * (another issuer, creation or reactivation off, filtered out, no username, username taken).
     */
    public JitResult provision(VerifiedLogin login) {
        Objects.requireNonNull(login, "login");
        if (login.dryRun()) {
            throw new JitException(JitException.Reason.DRY_RUN, "the login comes from a validator's dry run (trace),"
                    + " which neither records the proof as used nor makes every check; sign in with validate");
        }
        if (!policy.issuer().equals(login.issuer())) {
            throw new JitException(JitException.Reason.WRONG_ISSUER, "the login comes from another identity "
                    + "provider than source '" + policy.sourceId() + "' takes");
        }
        try {
            Values.requireText(login.subject(), "subject");
        } catch (IllegalArgumentException e) {
            throw new JitException(JitException.Reason.INVALID_ATTRIBUTES, "the login's subject cannot identify a "
                    + "user (" + e.getMessage() + ")");
        }
        UserStore store = engine.store();
        Source source = engine.source(policy.sourceId());
        SourcePush push = engine.push(policy.sourceId(), auditContext(login));
        Origin origin = originOf(login);
        List<String> warnings = new ArrayList<>();
        Map<String, String> groups = groupsOf(login, warnings);
        SourceUser su = sourceUser(login, groups.values(), warnings);

        Optional<User> existing = store.findUserByOrigin(origin);
        String exclusion = source.pipeline().exclusionReason(su);
        if (exclusion != null) {
            if (existing.isPresent()) {
                call(() -> push.upsertUser(su)); // deprovisions per the source's policy, as a sync would
            } else {
                push.refused(ChangeKind.USER_CREATED, origin.externalId(), su.loginName(),
                        UsherException.Code.INVALID, "EXCLUDED: the source's filters exclude this user");
            }
            throw new JitException(JitException.Reason.EXCLUDED, "the source's filters exclude this user");
        }
        if (existing.isEmpty() && !policy.createsUsers()) {
            String why = "the user has no account and source '" + policy.sourceId()
                    + "' does not create users at login";
            push.refused(ChangeKind.USER_CREATED, origin.externalId(), su.loginName(), UsherException.Code.INVALID,
                    "NOT_PROVISIONED: " + why);
            throw new JitException(JitException.Reason.NOT_PROVISIONED, why);
        }
        if (existing.isPresent() && !existing.get().active() && !policy.reactivatesUsers()) {
            String why = "the user's account is inactive and source '" + policy.sourceId()
                    + "' does not reactivate users at login";
            push.refused(ChangeKind.USER_REACTIVATED, origin.externalId(), existing.get().username(),
                    UsherException.Code.INVALID, "INACTIVE: " + why);
            throw new JitException(JitException.Reason.INACTIVE, why);
        }

        List<Change> changes = new ArrayList<>();
        PushResult userResult = unchanged(source, su, existing, origin);
        if (userResult == null) {
            userResult = upsert(push, su, existing, origin);
        }
        changes.addAll(userResult.changes());
        User user = !userResult.changed() && userResult.value() instanceof User ? (User) userResult.value()
                : store.findUserByOrigin(origin).orElseThrow(() -> new JitException(JitException.Reason.STORE,
                        "the user is not in the store after provisioning"));

        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        syncGroups(push, store, user, login.subject(), groups, added, removed, changes, warnings);

        lastLogins.recordLogin(origin, clock.instant());
        JitResult.Action action = action(userResult);
        LOG.debug("JIT login for source {}: user {} {}, +{} -{} groups", policy.sourceId(), user.key(), action,
                added.size(), removed.size());
        return new JitResult(user.key(), user.username(), action, added, removed, changes, warnings);
    }

    /**
     * The common case of a login — an active user whose record already says what the login says — answered
     * without a push run (the same comparison the push would make); null when the push must decide.
     */
    private PushResult unchanged(Source source, SourceUser su, Optional<User> existing, Origin origin) {
        if (existing.isEmpty() || !existing.get().active() || !policy.updatesUsers()) {
            return null;
        }
        try {
            User desired = source.pipeline().toUser(su, origin);
            return desired.sameValuesAs(existing.get()) && origin.equals(existing.get().origin())
                    ? new PushResult(List.of(), existing.get().key(), existing.get()) : null;
        } catch (UsherException | IllegalArgumentException e) {
            return null; // the push reports it
        }
    }

    private PushResult upsert(SourcePush push, SourceUser su, Optional<User> existing, Origin origin) {
        if (existing.isPresent() && !policy.updatesUsers()) {
            return existing.get().active() ? new PushResult(List.of(), existing.get().key(), existing.get())
                    : call(() -> push.reactivateUser(origin.externalId()));
        }
        try {
            return call(() -> push.upsertUser(su));
        } catch (JitException e) {
            // two first logins at once: the other created the user; this one becomes an update
            if (existing.isEmpty() && e.reason() == JitException.Reason.USERNAME_TAKEN
                    && engine.store().findUserByOrigin(origin).isPresent()) {
                return call(() -> push.upsertUser(su));
            }
            throw e;
        }
    }

    private static PushResult call(java.util.function.Supplier<PushResult> op) {
        try {
            return op.get();
        } catch (UsherException e) {
            switch (e.code()) {
                case CONFLICT:
                    throw new JitException(JitException.Reason.USERNAME_TAKEN, "the username is held by another user "
                            + "that this source may not take over");
                case INVALID:
                    throw new JitException(JitException.Reason.INVALID_ATTRIBUTES, "the login's attributes do not "
                            + "make a valid user (" + e.getMessage() + ")");
                default:
                    throw new JitException(JitException.Reason.STORE, "provisioning failed: " + e.code(), e);
            }
        }
    }

    private static JitResult.Action action(PushResult r) {
        if (!r.changed()) {
            return JitResult.Action.UNCHANGED;
        }
        for (Change c : r.changes()) {
            switch (c.kind()) {
                case USER_CREATED: return JitResult.Action.CREATED;
                case USER_LINKED: return JitResult.Action.LINKED;
                case USER_REACTIVATED: return JitResult.Action.REACTIVATED;
                case USER_RENAMED: return JitResult.Action.RENAMED;
                case USER_UPDATED: return JitResult.Action.UPDATED;
                default: break;
            }
        }
        return JitResult.Action.UPDATED;
    }

    /**
     * The record this login hands the source's pipeline (groups and fields as {@link #provision} would build them),
     * for previews such as explain-login; nothing is read from or written to the store.
     */
    public SourceUser sourceUserOf(VerifiedLogin login) {
        List<String> ignored = new ArrayList<>();
        return sourceUser(Objects.requireNonNull(login, "login"), groupsOf(login, ignored).values(), ignored);
    }

    /** The record the login hands the source's pipeline. */
    SourceUser sourceUser(VerifiedLogin login, java.util.Collection<String> groupNames, List<String> warnings) {
        SourceUser.Builder b = SourceUser.builder(login.subject());
        b.loginName(valid(first(login, policy.usernameFrom()), "username", warnings));
        b.displayName(valid(first(login, policy.fieldSources("displayName")), "displayName", warnings));
        b.givenName(valid(first(login, policy.fieldSources("givenName")), "givenName", warnings));
        b.familyName(valid(first(login, policy.fieldSources("familyName")), "familyName", warnings));
        String email = valid(first(login, policy.fieldSources("email")), "email", warnings);
        if (email != null) {
            b.email(email);
        }
        b.groups(groupNames);
        Map<String, List<String>> attrs = new LinkedHashMap<>();
        for (String name : policy.keptAttributes()) {
            List<String> values = login.attributes().get(name);
            if (values == null) {
                continue;
            }
            List<String> ok = new ArrayList<>();
            for (String v : values) {
                String checked = valid(v, "attribute " + name, warnings);
                if (checked != null) {
                    ok.add(checked);
                }
            }
            if (!ok.isEmpty()) {
                attrs.put(name, ok);
            }
        }
        b.attributes(attrs);
        b.active(true);
        return b.build();
    }

    private static String first(VerifiedLogin login, List<String> names) {
        for (String n : names) {
            String v = JitPolicy.SUBJECT.equals(n) ? login.subject() : login.first(n);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    private static String valid(String value, String what, List<String> warnings) {
        if (value == null) {
            return null;
        }
        try {
            return Values.optionalText(value, what);
        } catch (IllegalArgumentException e) {
            warnings.add(e.getMessage() + "; ignored");
            return null;
        }
    }

    /** The groups the login puts the user in, by key, with their names (default groups included). */
    Map<String, String> groupsOf(VerifiedLogin login, List<String> warnings) {
        Map<String, String> out = new LinkedHashMap<>(policy.defaultGroups());
        int seen = 0;
        for (String claim : policy.groupClaims()) {
            for (String value : login.attributes().getOrDefault(claim, List.of())) {
                if (++seen > policy.maxGroups()) {
                    warnings.add("the login names more than " + policy.maxGroups() + " groups; the rest are ignored");
                    return out;
                }
                String name = policy.groupName(value);
                if (name == null) {
                    continue;
                }
                String checked = valid(name, "group name", warnings);
                if (checked != null) {
                    out.putIfAbsent(JitPolicy.groupKey(checked), checked);
                }
            }
        }
        return out;
    }

    private void syncGroups(SourcePush push, UserStore store, User user, String userExt, Map<String, String> wanted,
                            List<String> added, List<String> removed, List<Change> changes, List<String> warnings) {
        String sid = policy.sourceId();
        Set<String> memberOf = new LinkedHashSet<>(store.groupsOf(MemberKind.USER, user.key()));
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            String ext = e.getKey();
            String name = e.getValue();
            ReentrantLock lock = groupLocks[Math.floorMod(ext.hashCode(), groupLocks.length)];
            lock.lock();
            try {
                Optional<Group> g = store.findGroupByOrigin(Origin.of(sid, ext));
                if (g.isPresent() && memberOf.contains(g.get().key())) {
                    continue;
                }
                PushResult r = g.isPresent() ? push.addMember(ext, MemberKind.USER, userExt)
                        : push.upsertGroup(SourceGroup.of(ext, name, null, List.of(userExt), List.of()));
                changes.addAll(r.changes());
                if (r.changes().stream().anyMatch(c -> c.kind() == ChangeKind.MEMBER_ADDED)) {
                    added.add(g.map(Group::name).orElse(name));
                }
            } catch (UsherException ex) {
                String holder = store.findGroupByName(name).map(h -> h.isLocal() ? "a local group"
                        : "a group of another source").orElse("a conflict");
                warnings.add("group '" + name + "' was not joined: " + (ex.code() == UsherException.Code.CONFLICT
                        ? "its name is held by " + holder + ", which this source never changes"
                        : ex.code() + " " + ex.getMessage()));
            } finally {
                lock.unlock();
            }
        }
        for (String groupKey : memberOf) {
            Optional<Group> g = store.findGroup(groupKey);
            if (g.isEmpty() || !g.get().isOwnedBy(sid)) {
                continue; // local groups and other sources' groups are never touched
            }
            String ext = g.get().origin().externalId();
            if (wanted.containsKey(ext) || !policy.mayRemove(ext)) {
                continue;
            }
            try {
                PushResult r = push.removeMember(ext, MemberKind.USER, userExt);
                changes.addAll(r.changes());
                if (r.changed()) {
                    removed.add(g.get().name());
                }
            } catch (UsherException ex) {
                warnings.add("group '" + g.get().name() + "' membership was not removed: " + ex.code());
            }
        }
    }

    /** Builds a {@link JitProvisioner}. Not thread-safe. */
    public static final class Builder {
        private ProvisioningEngine engine;
        private JitPolicy policy;
        private LastLoginStore lastLogins;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** The engine whose push source (the policy's {@code sourceId}) owns JIT users. */
        public Builder engine(ProvisioningEngine value) {
            engine = Objects.requireNonNull(value, "engine");
            return this;
        }

        public Builder policy(JitPolicy value) {
            policy = Objects.requireNonNull(value, "policy");
            return this;
        }

        /** Where last logins are recorded (default: in memory). */
        public Builder lastLogins(LastLoginStore value) {
            lastLogins = Objects.requireNonNull(value, "lastLogins");
            return this;
        }

        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public JitProvisioner build() {
            if (engine == null) {
                throw new ConfigException("engine", "is required");
            }
            if (policy == null) {
                throw new ConfigException("policy", "is required");
            }
            Source s;
            try {
                s = engine.source(policy.sourceId());
            } catch (UsherException e) {
                throw new ConfigException("policy.sourceId", "names no source of the engine: " + e.getMessage());
            }
            if (!s.isPushOnly()) {
                throw new ConfigException("policy.sourceId", "source '" + s.id() + "' has a connector; JIT needs a "
                        + "push-only source of its own (Source.builder(id).build())");
            }
            if (s.collisions() == io.usher.core.CollisionPolicy.LINK
                    && !policy.usernameFrom().equals(java.util.List.of(JitPolicy.SUBJECT))
                    && !policy.linksLocalUsersByClaimedName()) {
                throw new ConfigException("policy.usernameFrom", "source '" + s.id() + "' links local users by name "
                        + "(CollisionPolicy.LINK) and the username comes from claims " + policy.usernameFrom()
                        + " that a person may be able to choose at the IdP: whoever claims a local user's name would "
                        + "take over that account at first login. Take the username from the subject, use "
                        + "CollisionPolicy.SKIP or FAIL, or confirm with JitPolicy.Builder.linkLocalUsersByClaimedName() "
                        + "when the IdP guarantees those claims are unique and set by administrators");
            }
            if (lastLogins == null) {
                lastLogins = new InMemoryLastLoginStore();
            }
            return new JitProvisioner(this);
        }
    }
}
