package io.usher.core.store;

import io.usher.core.spi.SyncStateStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Cursors in a database table, in plain JDBC: they survive restarts and are shared by every node of a host
 * that runs several nodes on one database. Works on H2 and PostgreSQL (the DDL uses only standard types)
 * and on any database whose unique-violation SQLState is {@code 23505}.
 *
 * <pre>{@code
 * JdbcSyncStateStore state = JdbcSyncStateStore.create(dataSource).createSchema();
 * ProvisioningEngine engine = ProvisioningEngine.builder().store(store).stateStore(state).source(corp).build();
 * }</pre>
 *
 * <p>Schema ({@link #DDL}; {@link #createSchema()} runs it, and reruns are harmless):
 * <pre>
 * CREATE TABLE IF NOT EXISTS usher_sync_state (
 *     source_id    VARCHAR(64)      NOT NULL PRIMARY KEY,
 *     cursor_value VARCHAR(1000000) NOT NULL,
 *     updated_at   BIGINT           NOT NULL)   -- epoch milliseconds of the last save
 * </pre>
 *
 * <p>Two nodes must not sync the same source at once, or the later cursor save wins whatever it read; run
 * syncs through {@link JdbcSyncLock#synchronize} and build the engine with {@link JdbcSyncLock#fenced} around
 * this store so a node that lost its lease cannot overwrite the new holder's cursor.
 *
 * <p>Thread-safe: every call takes its own connection from the data source. Failures are
 * {@link io.usher.core.UsherException}s with code {@code STORE} naming the operation and the SQLState,
 * never the cursor.
 */
public final class JdbcSyncStateStore implements SyncStateStore {
    /** The table's name. */
    public static final String TABLE = "usher_sync_state";

    /** The schema, one statement per element; H2 and PostgreSQL accept it as it is. */
    public static final List<String> DDL = List.of("CREATE TABLE IF NOT EXISTS " + TABLE + " ("
            + "source_id VARCHAR(64) NOT NULL PRIMARY KEY, "
            + "cursor_value VARCHAR(1000000) NOT NULL, "
            + "updated_at BIGINT NOT NULL)");

    private final DataSource dataSource;
    private final Clock clock;

    private JdbcSyncStateStore(DataSource dataSource, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A store over the data source (no I/O; call {@link #createSchema()} once if the table may be missing). */
    public static JdbcSyncStateStore create(DataSource dataSource) {
        return new JdbcSyncStateStore(dataSource, Clock.systemUTC());
    }

    /** As {@link #create(DataSource)}, with the clock for {@code updated_at}. */
    public static JdbcSyncStateStore create(DataSource dataSource, Clock clock) {
        return new JdbcSyncStateStore(dataSource, clock);
    }

    /** Creates the table if it is missing; returns this store. */
    public JdbcSyncStateStore createSchema() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            Sql.execute(c, DDL);
        } catch (SQLException e) {
            throw Sql.failure("creating the table " + TABLE, e);
        }
        return this;
    }

    DataSource dataSource() {
        return dataSource;
    }

    @Override
    public Optional<String> cursor(String sourceId) {
        Objects.requireNonNull(sourceId, "sourceId");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT cursor_value FROM " + TABLE + " WHERE source_id = ?")) {
            ps.setString(1, sourceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw Sql.failure("reading the cursor of source '" + sourceId + "'", e);
        }
    }

    @Override
    public void saveCursor(String sourceId, String cursor) {
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(cursor, "cursor");
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                save(c, sourceId, cursor);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                Sql.rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw Sql.failure("saving the cursor of source '" + sourceId + "'", e);
        }
    }

    /**
     * Upserts in the caller's transaction: an update, else an insert; an insert that loses a race to another
     * node's insert (unique violation) becomes an update. Portable where {@code MERGE} and {@code ON CONFLICT}
     * are not.
     */
    void save(Connection c, String sourceId, String cursor) throws SQLException {
        long now = clock.millis();
        if (update(c, sourceId, cursor, now) == 1) {
            return;
        }
        java.sql.Savepoint sp = c.getAutoCommit() ? null : c.setSavepoint();
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO " + TABLE + " (source_id, cursor_value, updated_at) VALUES (?, ?, ?)")) {
            ps.setString(1, sourceId);
            ps.setString(2, cursor);
            ps.setLong(3, now);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (!Sql.isUniqueViolation(e)) {
                throw e;
            }
            if (sp != null) {
                c.rollback(sp);
            }
            update(c, sourceId, cursor, now);
        }
    }

    private static int update(Connection c, String sourceId, String cursor, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE " + TABLE + " SET cursor_value = ?, updated_at = ? WHERE source_id = ?")) {
            ps.setString(1, cursor);
            ps.setLong(2, now);
            ps.setString(3, sourceId);
            return ps.executeUpdate();
        }
    }

    @Override
    public void clearCursor(String sourceId) {
        Objects.requireNonNull(sourceId, "sourceId");
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            clear(c, sourceId);
        } catch (SQLException e) {
            throw Sql.failure("clearing the cursor of source '" + sourceId + "'", e);
        }
    }

    static void clear(Connection c, String sourceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE source_id = ?")) {
            ps.setString(1, sourceId);
            ps.executeUpdate();
        }
    }

    @Override
    public String toString() {
        return "JdbcSyncStateStore[" + TABLE + "]";
    }
}
