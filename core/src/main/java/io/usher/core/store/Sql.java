package io.usher.core.store;

import io.usher.core.UsherException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** JDBC helpers shared by the JDBC state store and lock. Messages name the operation, never a bound value. */
final class Sql {
    /** SQLState of a unique-constraint violation (H2, PostgreSQL and the SQL standard agree). */
    static final String UNIQUE_VIOLATION = "23505";

    private Sql() {}

    /** Whether the exception (or one it chains) is a unique-constraint violation. */
    static boolean isUniqueViolation(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (UNIQUE_VIOLATION.equals(x.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A store failure for {@code what}. The driver's message is kept only for connection failures (SQLState
     * class 08), which carry no data; other messages may quote bound values, so only their SQLState and
     * vendor code are kept, and the driver's exception is not attached.
     */
    static UsherException failure(String what, SQLException e) {
        String state = e.getSQLState();
        String detail = state != null && state.startsWith("08") && e.getMessage() != null
                ? ": " + e.getMessage()
                : state != null && state.startsWith("28") ? ": the database refused the credentials" : "";
        return new UsherException(UsherException.Code.STORE, what + " failed (SQLState " + state + ", vendor code "
                + e.getErrorCode() + ")" + detail);
    }

    /** Runs DDL statements in one connection (each is {@code IF NOT EXISTS}, so reruns are harmless). */
    static void execute(Connection c, List<String> statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is closed next; the transaction ends with it
        }
    }
}
