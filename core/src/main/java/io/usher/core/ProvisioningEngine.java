package io.usher.core;

import io.usher.core.audit.AuditContext;
import io.usher.core.audit.AuditFields;
import io.usher.core.audit.AuditListener;
import io.usher.core.pipeline.Preview;
import io.usher.core.spi.IncrementalSource;
import io.usher.core.spi.NestedGroupSource;
import io.usher.core.spi.SourceUser;
import io.usher.core.spi.SyncStateStore;
import io.usher.core.spi.UserStore;
import io.usher.core.store.InMemorySyncStateStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callers' API: keeps the host's {@link UserStore} in step with its configured {@link Source}s.
 *
 * <pre>{@code
 * ProvisioningEngine engine = ProvisioningEngine.builder()
 *     .store(hostStore)
 *     .source(Source.builder("corp").connector(connector).build())
 *     .build();
 * SyncReport report = engine.synchronize("corp");   // pull: snapshot or incremental
 * ChangeSet plan = engine.plan("corp");             // dry run: nothing applied
 * engine.push("scim").upsertUser(record);           // push routes (SCIM, JIT)
 * }</pre>
 *
 * <p>Thread-safe. One sync (or plan) per source runs at a time; a second concurrent call for the same
 * source fails at once with code {@code BUSY}. Syncs of different sources may run in parallel.
 */
public final class ProvisioningEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProvisioningEngine.class);

    private final UserStore store;
    private final SyncStateStore state;
    private final Map<String, Source> sources;
    private final Listeners listeners;
    private final Clock clock;
    private final int batchSize;
    private final Supplier<String> runIds;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Auditing auditing;

    private ProvisioningEngine(Builder b) {
        this.store = b.store;
        this.state = b.state == null ? new InMemorySyncStateStore() : b.state;
        this.sources = Map.copyOf(b.sources);
        this.listeners = new Listeners(b.listeners);
        this.clock = b.clock;
        this.batchSize = b.batchSize;
        this.runIds = b.runIds;
        this.auditing = b.audit.isEmpty() ? null
                : new Auditing(b.audit, b.auditFields == null ? AuditFields.defaults() : b.auditFields, b.clock);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Reads the source (incrementally when it can and a cursor is stored) and applies the changes. */
    public SyncReport synchronize(String sourceId) {
        return synchronize(sourceId, SyncOptions.DEFAULT);
    }

    public SyncReport synchronize(String sourceId, SyncOptions options) {
        Objects.requireNonNull(options, "options");
        Source source = pullSource(sourceId);
        return locked(sourceId, () -> {
            boolean incremental = source.connector() instanceof IncrementalSource && !options.forceSnapshot()
                    && !(flattens(source) && source.connector() instanceof NestedGroupSource);
            String cursor = incremental ? state.cursor(sourceId).orElse(null) : null;
            SyncMode mode = cursor != null ? SyncMode.INCREMENTAL : SyncMode.SNAPSHOT;
            SyncRun run = new SyncRun(source, store, false, listeners, batchSize, options, clock, runIds.get(), mode);
            if (auditing != null) {
                run.audit(auditing.trail(sourceId, run.runId, AuditContext.sync()));
            }
            SyncReport report = run.execute(cursor, c -> state.saveCursor(sourceId, c),
                    () -> state.clearCursor(sourceId));
            LOG.info("{}", report.summary());
            return report;
        });
    }

    /** How many planned changes {@link #plan(String)} lists by value. */
    public static final int DEFAULT_PLAN_LIMIT = 10_000;

    /**
     * A dry run of a full snapshot: the changes a sync would make (the first {@value #DEFAULT_PLAN_LIMIT}
     * listed, all counted), the failures and warnings it would report and whether the guard would trip.
     * Nothing is written to the store or the state store, and listeners hear of no change.
     */
    public ChangeSet plan(String sourceId) {
        return plan(sourceId, DEFAULT_PLAN_LIMIT);
    }

    /** A dry run listing at most {@code limit} changes (counts stay complete). */
    public ChangeSet plan(String sourceId, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be zero or more");
        }
        Source source = pullSource(sourceId);
        return locked(sourceId, () -> {
            SyncRun run = dryRun(source);
            run.limitPlan(limit);
            SyncReport report = run.execute(null, c -> { }, () -> { });
            return new ChangeSet(report, run.planned(), run.planTruncated());
        });
    }

    /** A dry run that streams every planned change to {@code each}, holding none: for plans of any size. */
    public SyncReport plan(String sourceId, java.util.function.Consumer<Change> each) {
        Objects.requireNonNull(each, "each");
        Source source = pullSource(sourceId);
        return locked(sourceId, () -> {
            SyncRun run = dryRun(source);
            run.streamPlanTo(each);
            return run.execute(null, c -> { }, () -> { });
        });
    }

    private SyncRun dryRun(Source source) {
        return new SyncRun(source, store, true, listeners, batchSize, SyncOptions.DEFAULT, clock, runIds.get(),
                SyncMode.SNAPSHOT);
    }

    /**
     * The push entry point for the source (SCIM, JIT): one change at a time through the same rules. Its audit
     * events carry the generic context {@link AuditContext#api()}; routes that know more use
     * {@link #push(String, AuditContext)}.
     */
    public SourcePush push(String sourceId) {
        return push(sourceId, AuditContext.api());
    }

    /**
     * The push entry point, its audit events carrying {@code context}: the SCIM client's token id and request
     * id ({@link AuditContext#scim}), the login's IdP and assertion id ({@link AuditContext#saml},
     * {@link AuditContext#oidc}), or a component of the host ({@link AuditContext#api(String)}).
     */
    public SourcePush push(String sourceId, AuditContext context) {
        Objects.requireNonNull(context, "context");
        return new SourcePush(source(sourceId), store, listeners, clock, runIds, auditing, context);
    }

    /** What the source's pipeline would make of one record, and why. */
    public Preview preview(String sourceId, SourceUser record) {
        return source(sourceId).pipeline().preview(record);
    }

    /** The configured source. */
    public Source source(String sourceId) {
        Source s = sources.get(sourceId);
        if (s == null) {
            throw new UsherException(UsherException.Code.NOT_FOUND, "unknown source '" + sourceId
                    + "'; configured sources: " + String.join(", ", new java.util.TreeSet<>(sources.keySet())));
        }
        return s;
    }

    public Set<String> sourceIds() {
        return sources.keySet();
    }

    public UserStore store() {
        return store;
    }

    public SyncStateStore stateStore() {
        return state;
    }

    /** Closes every source's connector. */
    @Override
    public void close() {
        for (Source s : sources.values()) {
            if (s.connector() != null) {
                try {
                    s.connector().close();
                } catch (Exception e) {
                    LOG.warn("closing the connector of source {} failed: {}", s.id(), e.toString());
                }
            }
        }
    }

    private boolean flattens(Source s) {
        return s.nestedGroups() == NestedGroups.FLATTEN
                || s.nestedGroups() == NestedGroups.AUTO && !store.supportsNestedGroups();
    }

    private Source pullSource(String sourceId) {
        Source s = source(sourceId);
        if (s.isPushOnly()) {
            throw new UsherException(UsherException.Code.CONFIG, "source '" + sourceId
                    + "' is push-only (it has no connector); use push(\"" + sourceId + "\") instead");
        }
        return s;
    }

    private <T> T locked(String sourceId, Supplier<T> body) {
        ReentrantLock lock = locks.computeIfAbsent(sourceId, k -> new ReentrantLock());
        if (!lock.tryLock()) {
            throw new UsherException(UsherException.Code.BUSY, "a sync of source '" + sourceId + "' is already running");
        }
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Builds a {@link ProvisioningEngine}. Every setting is checked when given, and the whole when built;
     * messages say what is wrong and how to fix it. Not thread-safe.
     */
    public static final class Builder {
        private UserStore store;
        private SyncStateStore state;
        private final Map<String, Source> sources = new LinkedHashMap<>();
        private final List<SyncListener> listeners = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private int batchSize = 500;
        private boolean batchSet;
        private boolean clockSet;
        private Supplier<String> runIds = () -> UUID.randomUUID().toString();
        private final List<AuditListener> audit = new ArrayList<>();
        private AuditFields auditFields;

        private Builder() {}

        /**
         * Adds a receiver of the audit trail: one {@link io.usher.core.audit.AuditEvent} per change applied,
         * refused or failed, from sync runs and from every push (SCIM, JIT, the host's own). Usher ships
         * {@link io.usher.core.audit.JsonLinesAuditWriter} and {@link io.usher.core.audit.Slf4jAuditWriter}.
         * What a listener throws is caught and logged; it never breaks a sync or a push.
         */
        public Builder audit(AuditListener value) {
            audit.add(Objects.requireNonNull(value, "audit"));
            return this;
        }

        /** Which fields' values audit events carry (default {@link AuditFields#defaults()}); all others by name. */
        public Builder auditFields(AuditFields value) {
            if (auditFields != null) {
                throw new ConfigException("auditFields", "is already set");
            }
            auditFields = Objects.requireNonNull(value, "auditFields");
            return this;
        }

        /** The host's store (required). */
        public Builder store(UserStore value) {
            if (store != null) {
                throw new ConfigException("store", "is already set; an engine writes to one store");
            }
            store = Objects.requireNonNull(value, "store");
            return this;
        }

        /** Where cursors live between runs (default: in memory, lost on restart). */
        public Builder stateStore(SyncStateStore value) {
            if (state != null) {
                throw new ConfigException("stateStore", "is already set");
            }
            state = Objects.requireNonNull(value, "stateStore");
            return this;
        }

        public Builder source(Source value) {
            Objects.requireNonNull(value, "source");
            if (sources.containsKey(value.id())) {
                throw new ConfigException("source", "id '" + value.id() + "' is given twice; source ids must be unique");
            }
            sources.put(value.id(), value);
            return this;
        }

        public Builder listener(SyncListener value) {
            listeners.add(Objects.requireNonNull(value, "listener"));
            return this;
        }

        /** The clock for report times (tests inject a fixed one). */
        public Builder clock(Clock value) {
            if (clockSet) {
                throw new ConfigException("clock", "is already set");
            }
            clock = Objects.requireNonNull(value, "clock");
            clockSet = true;
            return this;
        }

        /** How many store operations go to {@link UserStore#apply} at once (1..100000, default 500). */
        public Builder batchSize(int value) {
            if (batchSet) {
                throw new ConfigException("batchSize", "is already set");
            }
            if (value < 1 || value > 100_000) {
                throw new ConfigException("batchSize", "must be between 1 and 100000");
            }
            batchSize = value;
            batchSet = true;
            return this;
        }

        /** Where run ids come from (default: random UUIDs). */
        public Builder runIds(Supplier<String> value) {
            runIds = Objects.requireNonNull(value, "runIds");
            return this;
        }

        public ProvisioningEngine build() {
            if (store == null) {
                throw new ConfigException("store", "is required: give the host's UserStore "
                        + "(InMemoryUserStore for tests and demos)");
            }
            if (sources.isEmpty()) {
                throw new ConfigException("source", "at least one source is required");
            }
            for (Source s : sources.values()) {
                if (s.nestedGroups() == NestedGroups.KEEP && !store.supportsNestedGroups()) {
                    throw new ConfigException("nestedGroups", "source '" + s.id() + "' asks to keep nested groups "
                            + "but the store does not support them; use NestedGroups.FLATTEN or AUTO");
                }
            }
            return new ProvisioningEngine(this);
        }
    }
}
