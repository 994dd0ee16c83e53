package io.usher.core.store;

import io.usher.core.ConfigException;
import io.usher.core.Progress;
import io.usher.core.ProvisioningEngine;
import io.usher.core.SyncListener;
import io.usher.core.SyncOptions;
import io.usher.core.SyncReport;
import io.usher.core.UsherException;
import io.usher.core.spi.SyncStateStore;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A per-source sync lock with a lease, in one database table, for hosts that run several nodes on one
 * database: one node runs a given source's sync at a time, and a node that dies releases the lock when its
 * lease expires. Plain JDBC; works on H2 and PostgreSQL.
 *
 * <pre>{@code
 * JdbcSyncStateStore state = JdbcSyncStateStore.create(dataSource).createSchema();
 * JdbcSyncLock lock = JdbcSyncLock.builder(dataSource).nodeId("app-node-1").lease(Duration.ofMinutes(5))
 *         .build().createSchema();
 * ProvisioningEngine engine = ProvisioningEngine.builder().store(store)
 *         .stateStore(lock.fenced(state))     // a node that lost its lease cannot save a cursor
 *         .listener(lock.renewer())           // long runs renew the lease as they progress
 *         .source(corp).build();
 * // on every node, on a schedule:
 * Optional<SyncReport> report = lock.synchronize(engine, "corp");   // empty: another node holds it
 * }</pre>
 *
 * <p><b>How it works.</b> One row per source: holder (node id), token, expiry (epoch milliseconds of the
 * lock's clock). Acquiring is one conditional {@code UPDATE ... WHERE expires_at <= now} (or the first
 * {@code INSERT}), so of two nodes racing exactly one wins; every acquisition increments the token.
 * Renewal and release name holder and token, so a node whose lease was taken over changes nothing. The
 * {@linkplain #fenced fenced} state store saves a cursor only in a transaction that holds the lock row
 * ({@code SELECT ... FOR UPDATE}) and finds this node's live lease in it; a paused node that wakes after a
 * takeover gets an {@code UsherException} with code {@code BUSY} instead of overwriting the new cursor (its
 * applied changes are keyed by origin, so the new holder's run converges over them).
 *
 * <p>Leases compare with the nodes' clocks: keep them in sync (NTP) and choose a lease much longer than
 * the skew and than any pause a node may suffer. A dead node's lock is free once {@code lease} has passed
 * since its last acquisition or renewal. Only the cursor is fenced: a node that resumes after its lease
 * expired may still apply the store writes it already had in hand before it reaches the cursor save. Those
 * writes are keyed by origin, the store's unique constraints refuse duplicates, and the next run converges,
 * but they can briefly undo a newer change; the {@linkplain #renewer() renewer} keeps a progressing run's
 * lease alive so that only a stalled node loses it.
 *
 * <p>Schema ({@link #DDL}; {@link #createSchema()} runs it):
 * <pre>
 * CREATE TABLE IF NOT EXISTS usher_sync_lock (
 *     source_id  VARCHAR(64)  NOT NULL PRIMARY KEY,
 *     holder     VARCHAR(200) NOT NULL,
 *     token      BIGINT       NOT NULL,    -- +1 on every acquisition (a fencing token)
 *     expires_at BIGINT       NOT NULL)    -- epoch milliseconds; 0 once released
 * </pre>
 *
 * <p>Thread-safe. The clock is injectable, so tests expire leases without sleeping.
 */
public final class JdbcSyncLock {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSyncLock.class);

    /** The table's name. */
    public static final String TABLE = "usher_sync_lock";

    /** The schema, one statement per element; H2 and PostgreSQL accept it as it is. */
    public static final List<String> DDL = List.of("CREATE TABLE IF NOT EXISTS " + TABLE + " ("
            + "source_id VARCHAR(64) NOT NULL PRIMARY KEY, "
            + "holder VARCHAR(200) NOT NULL, "
            + "token BIGINT NOT NULL, "
            + "expires_at BIGINT NOT NULL)");

    private final DataSource dataSource;
    private final String nodeId;
    private final long leaseMillis;
    private final Clock clock;
    private final ConcurrentHashMap<String, Lease> active = new ConcurrentHashMap<>();

    private JdbcSyncLock(Builder b) {
        this.dataSource = b.dataSource;
        this.nodeId = b.nodeId != null ? b.nodeId : defaultNodeId();
        this.leaseMillis = b.lease.toMillis();
        this.clock = b.clock;
    }

    /** A builder over the data source every node shares. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** Creates the table if it is missing; returns this lock. */
    public JdbcSyncLock createSchema() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            Sql.execute(c, DDL);
        } catch (SQLException e) {
            throw Sql.failure("creating the table " + TABLE, e);
        }
        return this;
    }

    /** This node's id, as stored in the {@code holder} column. */
    public String nodeId() {
        return nodeId;
    }

    /** How long a lease lasts after acquisition or renewal. */
    public Duration lease() {
        return Duration.ofMillis(leaseMillis);
    }

    // ------------------------------------------------------------------ acquiring

    /**
     * Takes the source's lock if it is free or its lease has expired. Empty when another node (or this one,
     * in another call) holds a live lease. Never waits for the lock.
     */
    public Optional<Lease> tryAcquire(String sourceId) {
        Objects.requireNonNull(sourceId, "sourceId");
        long now = clock.millis();
        long until = now + leaseMillis;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int taken;
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE
                        + " SET holder = ?, token = token + 1, expires_at = ? WHERE source_id = ? AND expires_at <= ?")) {
                    ps.setString(1, nodeId);
                    ps.setLong(2, until);
                    ps.setString(3, sourceId);
                    ps.setLong(4, now);
                    taken = ps.executeUpdate();
                }
                long token;
                if (taken == 1) {
                    token = readToken(c, sourceId);
                } else {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE
                            + " (source_id, holder, token, expires_at) VALUES (?, ?, 1, ?)")) {
                        ps.setString(1, sourceId);
                        ps.setString(2, nodeId);
                        ps.setLong(3, until);
                        ps.executeUpdate();
                    } catch (SQLException e) {
                        if (Sql.isUniqueViolation(e)) {
                            c.rollback();
                            return Optional.empty(); // the row exists and its lease is live
                        }
                        throw e;
                    }
                    token = 1;
                }
                c.commit();
                LOG.debug("node {} took the sync lock of source {} (token {})", nodeId, sourceId, token);
                return Optional.of(new Lease(sourceId, token, until));
            } catch (SQLException | RuntimeException e) {
                Sql.rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw Sql.failure("taking the sync lock of source '" + sourceId + "'", e);
        }
    }

    private static long readToken(Connection c, String sourceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT token FROM " + TABLE + " WHERE source_id = ?")) {
            ps.setString(1, sourceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("lock row vanished", "02000");
                }
                return rs.getLong(1);
            }
        }
    }

    /** Who holds the source's lock, as the table says (expired leases included). Empty when never taken. */
    public Optional<Holder> holder(String sourceId) {
        Objects.requireNonNull(sourceId, "sourceId");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT holder, token, expires_at FROM " + TABLE + " WHERE source_id = ?")) {
            ps.setString(1, sourceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long expires = rs.getLong(3);
                return Optional.of(new Holder(rs.getString(1), rs.getLong(2), Instant.ofEpochMilli(expires),
                        expires > clock.millis()));
            }
        } catch (SQLException e) {
            throw Sql.failure("reading the sync lock of source '" + sourceId + "'", e);
        }
    }

    // ------------------------------------------------------------------ running under the lock

    /**
     * Runs {@code engine.synchronize(sourceId)} if this node can take the source's lock, and releases the
     * lock afterwards (also when the sync throws). Empty when another node holds a live lease: it is
     * syncing, so there is nothing to do.
     */
    public Optional<SyncReport> synchronize(ProvisioningEngine engine, String sourceId) {
        return synchronize(engine, sourceId, SyncOptions.DEFAULT);
    }

    /** As {@link #synchronize(ProvisioningEngine, String)}, with options. */
    public Optional<SyncReport> synchronize(ProvisioningEngine engine, String sourceId, SyncOptions options) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(options, "options");
        engine.source(sourceId); // an unknown source fails before the lock is touched
        Optional<Lease> taken = tryAcquire(sourceId);
        if (taken.isEmpty()) {
            LOG.info("source {}: another node holds the sync lock; skipping this run", sourceId);
            return Optional.empty();
        }
        Lease lease = taken.get();
        active.put(sourceId, lease);
        try {
            return Optional.of(engine.synchronize(sourceId, options));
        } finally {
            active.remove(sourceId, lease);
            lease.close();
        }
    }

    /**
     * The state store, fenced by this lock: cursors are saved (and cleared) only while this node holds a live
     * lease on the source, checked in the same transaction that writes the cursor. Otherwise the save throws
     * an {@code UsherException} with code {@code BUSY} and the cursor stays as the lease's holder left it.
     * Reads are not fenced. The state store must live in the same database as this lock's table.
     */
    public SyncStateStore fenced(JdbcSyncStateStore state) {
        Objects.requireNonNull(state, "state");
        return new Fenced(state);
    }

    /**
     * A listener that renews the lease of the source being synced through {@link #synchronize} on its
     * progress events (the engine reports every 1,000 records read or changes applied, and each phase), at
     * most once per third of the lease, so a run longer than the lease keeps its lock as long as it makes
     * progress; a run that stalls for a whole lease loses it. Register it on the engine.
     */
    public SyncListener renewer() {
        return new SyncListener() {
            @Override
            public void onProgress(Progress progress) {
                Lease lease = active.get(progress.sourceId());
                if (lease != null && !lease.lost && clock.millis() - lease.renewedAt >= leaseMillis / 3) {
                    if (!lease.renew()) {
                        lease.lost = true;
                        LOG.warn("source {}: this node lost its sync lease (taken over after expiry); its cursor "
                                + "will not be saved", progress.sourceId());
                    }
                }
            }
        };
    }

    private final class Fenced implements SyncStateStore {
        private final JdbcSyncStateStore state;

        Fenced(JdbcSyncStateStore state) {
            this.state = state;
        }

        @Override
        public Optional<String> cursor(String sourceId) {
            return state.cursor(sourceId);
        }

        @Override
        public void saveCursor(String sourceId, String cursor) {
            Objects.requireNonNull(cursor, "cursor");
            underLease(sourceId, "saving", c -> state.save(c, sourceId, cursor));
        }

        @Override
        public void clearCursor(String sourceId) {
            underLease(sourceId, "clearing", c -> JdbcSyncStateStore.clear(c, sourceId));
        }

        private void underLease(String sourceId, String what, SqlWork work) {
            Lease lease = active.get(sourceId);
            if (lease == null) {
                throw new UsherException(UsherException.Code.BUSY, "node " + nodeId + " holds no sync lease on source '"
                        + sourceId + "'; run the sync through JdbcSyncLock.synchronize; the cursor was not changed");
            }
            try (Connection c = state.dataSource().getConnection()) {
                c.setAutoCommit(false);
                try {
                    boolean held;
                    try (PreparedStatement ps = c.prepareStatement("SELECT holder, token, expires_at FROM " + TABLE
                            + " WHERE source_id = ? FOR UPDATE")) {
                        ps.setString(1, sourceId);
                        try (ResultSet rs = ps.executeQuery()) {
                            held = rs.next() && nodeId.equals(rs.getString(1)) && rs.getLong(2) == lease.token
                                    && rs.getLong(3) > clock.millis();
                        }
                    }
                    if (!held) {
                        c.rollback();
                        throw new UsherException(UsherException.Code.BUSY, "node " + nodeId + " lost its sync lease "
                                + "on source '" + sourceId + "' (expired or taken over); the cursor was not changed");
                    }
                    work.run(c);
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    Sql.rollbackQuietly(c);
                    throw e;
                }
            } catch (SQLException e) {
                throw Sql.failure(what + " the cursor of source '" + sourceId + "' under the sync lease", e);
            }
        }
    }

    @FunctionalInterface
    private interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    @Override
    public String toString() {
        return "JdbcSyncLock[node " + nodeId + ", lease " + lease() + "]";
    }

    private static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "host";
        }
        String id = host + "/" + ProcessHandle.current().pid() + "/"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        return id.length() > 200 ? id.substring(id.length() - 200) : id;
    }

    // ------------------------------------------------------------------ values

    /**
     * Who holds a source's lock.
     *
     * @param nodeId the holder's node id
     * @param token the fencing token of its acquisition
     * @param expiresAt when its lease ends
     * @param live whether the lease had not expired when read (by this lock's clock)
     */
    public record Holder(String nodeId, long token, Instant expiresAt, boolean live) {}

    /**
     * A held lock on one source. {@link #close()} releases it (a no-op once it was taken over). Thread-safe.
     */
    public final class Lease implements AutoCloseable {
        private final String sourceId;
        private final long token;
        private volatile long expiresAt;
        private volatile long renewedAt;
        private volatile boolean lost;

        private Lease(String sourceId, long token, long expiresAt) {
            this.sourceId = sourceId;
            this.token = token;
            this.expiresAt = expiresAt;
            this.renewedAt = clock.millis();
        }

        public String sourceId() {
            return sourceId;
        }

        /** The fencing token: higher for every later acquisition of the same source. */
        public long token() {
            return token;
        }

        /** When the lease ends unless renewed. */
        public Instant expiresAt() {
            return Instant.ofEpochMilli(expiresAt);
        }

        /** Extends the lease by the lock's lease from now. False when another node has taken the lock over. */
        public boolean renew() {
            long now = clock.millis();
            long until = now + leaseMillis;
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE
                         + " SET expires_at = ? WHERE source_id = ? AND holder = ? AND token = ?")) {
                c.setAutoCommit(true);
                ps.setLong(1, until);
                ps.setString(2, sourceId);
                ps.setString(3, nodeId);
                ps.setLong(4, token);
                boolean ok = ps.executeUpdate() == 1;
                if (ok) {
                    expiresAt = until;
                    renewedAt = now;
                }
                return ok;
            } catch (SQLException e) {
                throw Sql.failure("renewing the sync lock of source '" + sourceId + "'", e);
            }
        }

        /** Whether the table still shows this lease, live. */
        public boolean isHeld() {
            return holder(sourceId).map(h -> h.live() && h.nodeId().equals(nodeId) && h.token() == token)
                    .orElse(false);
        }

        /** Releases the lock if this lease still holds it. */
        @Override
        public void close() {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE
                         + " SET expires_at = 0 WHERE source_id = ? AND holder = ? AND token = ?")) {
                c.setAutoCommit(true);
                ps.setString(1, sourceId);
                ps.setString(2, nodeId);
                ps.setLong(3, token);
                if (ps.executeUpdate() == 0) {
                    LOG.warn("source {}: the sync lock was taken over before node {} released it", sourceId, nodeId);
                }
            } catch (SQLException e) {
                // the lease still expires on its own; say so rather than fail the caller's finally block
                LOG.warn("source {}: releasing the sync lock failed ({}); it frees itself when the lease expires",
                        sourceId, Sql.failure("releasing", e).getMessage());
            }
        }

        @Override
        public String toString() {
            return "Lease[" + sourceId + ", token " + token + ", until " + expiresAt() + "]";
        }
    }

    /** Builds a {@link JdbcSyncLock}; settings are checked when given. Not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private String nodeId;
        private Duration lease = Duration.ofMinutes(5);
        private Clock clock = Clock.systemUTC();

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /** This node's id, unique among the nodes (default: host name, process id and a random suffix). */
        public Builder nodeId(String value) {
            Objects.requireNonNull(value, "nodeId");
            if (value.isBlank() || value.length() > 200) {
                throw new ConfigException("nodeId", "must be 1 to 200 characters, not blank");
            }
            nodeId = value;
            return this;
        }

        /** How long a lease lasts without renewal (default 5 minutes; at least 1 second). */
        public Builder lease(Duration value) {
            Objects.requireNonNull(value, "lease");
            if (value.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new ConfigException("lease", "must be at least 1 second");
            }
            lease = value;
            return this;
        }

        /** The clock leases are measured with (tests inject a manual one). */
        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public JdbcSyncLock build() {
            return new JdbcSyncLock(this);
        }
    }
}
