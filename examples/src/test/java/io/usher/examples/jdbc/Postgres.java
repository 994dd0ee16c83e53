package io.usher.examples.jdbc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real PostgreSQL server the tests use: its JDBC URL comes from the environment variable
 * {@value #ENV} (or the system property {@value #PROPERTY}); {@code .ci/run} starts a private cluster on a
 * loopback port and sets it. Without it the PostgreSQL tests are skipped with a message, except under
 * {@code CI=true}, where they fail.
 *
 * <p>Each test gets its own schema ({@link #freshSchema()}), dropped by {@link #drop(String)}.
 */
public final class Postgres {
    public static final String ENV = "USHER_TEST_POSTGRES_URL";
    public static final String PROPERTY = "usher.test.postgres.url";
    private static final AtomicInteger SEQ = new AtomicInteger();

    private Postgres() {}

    /** The server's URL; skips the test (or fails it under CI=true) when none is configured. */
    public static String url() {
        String url = System.getProperty(PROPERTY);
        if (url == null || url.isBlank()) {
            url = System.getenv(ENV);
        }
        boolean present = url != null && !url.isBlank();
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but " + ENV + " is not set: .ci/run should have started "
                    + "PostgreSQL and exported its JDBC URL");
        }
        assumeTrue(present, "PostgreSQL tests skipped: set " + ENV + " (e.g. jdbc:postgresql://127.0.0.1:5432/postgres"
                + "?user=postgres) or run .ci/run, which starts a private cluster");
        return url;
    }

    /** A new empty schema; returns the URL whose connections use it. */
    public static String freshSchema() {
        String base = url();
        String schema = "usher_t" + ProcessHandle.current().pid() + "_" + SEQ.incrementAndGet();
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test schema on PostgreSQL (SQLState " + e.getSQLState()
                    + "): " + e.getMessage(), e);
        }
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** Drops the schema a {@link #freshSchema()} URL names. */
    public static void drop(String schemaUrl) {
        String schema = schemaUrl.substring(schemaUrl.lastIndexOf("currentSchema=") + "currentSchema=".length());
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the test schema (SQLState " + e.getSQLState() + ")", e);
        }
    }
}
