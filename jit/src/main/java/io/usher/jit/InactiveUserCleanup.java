package io.usher.jit;

import io.usher.core.ConfigException;
import io.usher.core.DeletionGuard;
import io.usher.core.Failure;
import io.usher.core.ProvisioningEngine;
import io.usher.core.PushResult;
import io.usher.core.SourcePush;
import io.usher.core.UsherException;
import io.usher.core.audit.AuditContext;
import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job JIT lacks elsewhere: users who have not signed in for a configured period are deactivated (or removed
 * from chosen groups, for licence seats), and JIT reactivates them at their next login. Only active users the
 * JIT source owns are considered; local users and other sources' users are never touched.
 *
 * <pre>{@code
 * InactiveUserCleanup cleanup = InactiveUserCleanup.builder(engine, "sso").lastLogins(lastLogins)
 *         .inactiveAfter(Duration.ofDays(90)).build();
 * CleanupReport preview = cleanup.plan();      // dry run: who would be deactivated, nothing changed
 * CleanupReport done = cleanup.run(false);     // applies, unless the guard trips
 * }</pre>
 *
 * <p>The guard (the source's {@link DeletionGuard} unless given) refuses a run that would deactivate too many
 * users at once — a lost last-login table must not empty the host — and says why; {@code run(true)} overrides it
 * after a human looked at the plan. Users without a recorded login are reported and left alone (their last login
 * is unknown, not old).
 *
 * <p>Thread-safe; one run at a time is the caller's choice (runs are idempotent).
 */
public final class InactiveUserCleanup {
    private static final Logger LOG = LoggerFactory.getLogger(InactiveUserCleanup.class);
    /** The {@code caller} detail of the audit context of the cleanup's deactivations and deletions. */
    public static final String AUDIT_CALLER = "jit-inactive-user-cleanup";

    private final ProvisioningEngine engine;
    private final String sourceId;
    private final LastLoginStore lastLogins;
    private final Duration inactiveAfter;
    private final List<String> groups;
    private final DeletionGuard guard;
    private final Clock clock;
    private final BiConsumer<Long, Long> progress;

    private InactiveUserCleanup(Builder b) {
        this.engine = b.engine;
        this.sourceId = b.sourceId;
        this.lastLogins = b.lastLogins;
        this.inactiveAfter = b.inactiveAfter;
        this.groups = List.copyOf(b.groups);
        this.guard = b.guard != null ? b.guard : engine.source(sourceId).guard();
        this.clock = b.clock;
        this.progress = b.progress;
    }

    public static Builder builder(ProvisioningEngine engine, String sourceId) {
        return new Builder(engine, sourceId);
    }

    /** A dry run: who would be deactivated (or removed from the groups), and whether the guard would allow it. */
    public CleanupReport plan() {
        return execute(true, false);
    }

    /** Deactivates (or removes from the groups) every stale user, unless the guard trips and is not overridden. */
    public CleanupReport run(boolean overrideGuard) {
        return execute(false, overrideGuard);
    }

    private CleanupReport execute(boolean dryRun, boolean overrideGuard) {
        Instant now = clock.instant();
        Instant cutoff = now.minus(inactiveAfter);
        List<CleanupReport.StaleUser> stale = new ArrayList<>();
        long checked = 0;
        long unknown = 0;
        long owned = 0;
        try (Stream<User> users = engine.store().usersOwnedBy(sourceId)) {
            for (User u : (Iterable<User>) users::iterator) {
                owned++;
                if (!u.active()) {
                    continue;
                }
                checked++;
                Optional<Instant> last = lastLogins.lastLogin(u.origin());
                if (last.isEmpty()) {
                    unknown++;
                } else if (last.get().isBefore(cutoff)) {
                    stale.add(new CleanupReport.StaleUser(u.key(), u.username(), last.get()));
                }
                if (checked % 1000 == 0) {
                    report(checked, -1L);
                }
            }
        }
        Map<String, Group> targetGroups = targetGroups();
        String guardReason = groups.isEmpty() ? guard.check("users", stale.size(), owned) : null;
        boolean tripped = guardReason != null && !overrideGuard;
        long applied = 0;
        List<Failure> failures = new ArrayList<>();
        if (!dryRun && !tripped) {
            SourcePush push = engine.push(sourceId, AuditContext.api(AUDIT_CALLER));
            long done = 0;
            for (CleanupReport.StaleUser s : stale) {
                Optional<User> u = engine.store().findUser(s.key());
                // a login since the scan wins: check again right before changing the user
                if (u.isEmpty() || !u.get().active() || !u.get().isOwnedBy(sourceId)
                        || !lastLogins.lastLogin(u.get().origin()).map(l -> l.isBefore(cutoff)).orElse(false)) {
                    continue;
                }
                String ext = u.get().origin().externalId();
                try {
                    if (groups.isEmpty()) {
                        PushResult r = push.deactivateUser(ext);
                        applied += r.changed() ? 1 : 0;
                    } else {
                        for (Group g : targetGroups.values()) {
                            if (engine.store().groupsOf(MemberKind.USER, s.key()).contains(g.key())) {
                                applied += push.removeMember(g.origin().externalId(), MemberKind.USER, ext).changed()
                                        ? 1 : 0;
                            }
                        }
                    }
                } catch (UsherException e) {
                    failures.add(new Failure(s.username(), e.code(), e.getMessage()));
                }
                if (++done % 1000 == 0) {
                    report(done, stale.size());
                }
            }
        }
        CleanupReport report = new CleanupReport(dryRun, groups.isEmpty() ? CleanupReport.Action.DEACTIVATE
                : CleanupReport.Action.REMOVE_FROM_GROUPS, now, cutoff, checked, unknown, stale, applied,
                tripped, guardReason, failures);
        LOG.info("{}", report.summary());
        return report;
    }

    /** A throwing progress callback is logged, never allowed to stop the run half-way. */
    private void report(long done, long total) {
        if (progress == null) {
            return;
        }
        try {
            progress.accept(done, total);
        } catch (RuntimeException e) {
            LOG.warn("the cleanup's progress callback threw {}; ignored", e.toString());
        }
    }

    private Map<String, Group> targetGroups() {
        Map<String, Group> out = new LinkedHashMap<>();
        for (String name : groups) {
            Optional<Group> g = engine.store().findGroupByOrigin(Origin.of(sourceId, JitPolicy.groupKey(name)));
            if (g.isEmpty()) {
                Optional<Group> byName = engine.store().findGroupByName(name);
                if (byName.isPresent()) {
                    throw new ConfigException("groups", "group '" + name + "' is not owned by source '" + sourceId
                            + "'; the cleanup never changes local or other sources' groups");
                }
                continue; // not created yet: nobody to remove
            }
            out.put(g.get().key(), g.get());
        }
        return out;
    }

    /** Builds an {@link InactiveUserCleanup}. Not thread-safe. */
    public static final class Builder {
        private final ProvisioningEngine engine;
        private final String sourceId;
        private LastLoginStore lastLogins;
        private Duration inactiveAfter;
        private final List<String> groups = new ArrayList<>();
        private DeletionGuard guard;
        private Clock clock = Clock.systemUTC();
        private BiConsumer<Long, Long> progress;

        private Builder(ProvisioningEngine engine, String sourceId) {
            this.engine = Objects.requireNonNull(engine, "engine");
            this.sourceId = Objects.requireNonNull(sourceId, "sourceId");
            try {
                engine.source(sourceId);
            } catch (UsherException e) {
                throw new ConfigException("sourceId", "names no source of the engine");
            }
        }

        /** The same store the {@link JitProvisioner} records logins in (required). */
        public Builder lastLogins(LastLoginStore value) {
            lastLogins = Objects.requireNonNull(value, "lastLogins");
            return this;
        }

        /** How long without a login makes a user stale (required; at least one day). */
        public Builder inactiveAfter(Duration value) {
            Objects.requireNonNull(value, "inactiveAfter");
            if (value.compareTo(Duration.ofDays(1)) < 0) {
                throw new ConfigException("inactiveAfter", "must be at least one day");
            }
            inactiveAfter = value;
            return this;
        }

        /** Instead of deactivating, remove stale users from these groups of the source (licence seats). */
        public Builder removeFromGroups(String... names) {
            for (String n : names) {
                if (n == null || n.isBlank()) {
                    throw new ConfigException("removeFromGroups", "group names must not be blank");
                }
                groups.add(n);
            }
            return this;
        }

        /** The guard for deactivations (default: the source's). */
        public Builder guard(DeletionGuard value) {
            guard = Objects.requireNonNull(value, "guard");
            return this;
        }

        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Called every 1000 users with (done, total; -1 while scanning). A callback that throws is logged and ignored. */
        public Builder progress(BiConsumer<Long, Long> value) {
            progress = Objects.requireNonNull(value, "progress");
            return this;
        }

        public InactiveUserCleanup build() {
            if (lastLogins == null) {
                throw new ConfigException("lastLogins", "is required: the store the JitProvisioner records logins in");
            }
            if (inactiveAfter == null) {
                throw new ConfigException("inactiveAfter", "is required, e.g. Duration.ofDays(90)");
            }
            return new InactiveUserCleanup(this);
        }
    }
}
