package io.usher.examples.jdbc;

import io.usher.core.ConfigException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * A pooled {@link DataSource} for an H2 or PostgreSQL JDBC URL, closed with {@link #close()}: enough for the
 * examples and the CLI. A production host uses its own pool (HikariCP, its container's) instead.
 *
 * <p>Thread-safe.
 */
public final class Database implements DataSource, AutoCloseable {
    private final JdbcConnectionPool pool;
    private final String url;

    private Database(JdbcConnectionPool pool, String url) {
        this.pool = pool;
        this.url = url;
    }

    /**
     * A pool of at most {@code maxConnections} connections to {@code url}
     * ({@code jdbc:h2:...} or {@code jdbc:postgresql://...}). No connection is opened yet.
     *
     * @throws ConfigException (key {@code store.url}) for any other kind of URL
     */
    public static Database pooled(String url, String user, String password, int maxConnections) {
        Objects.requireNonNull(url, "url");
        JdbcConnectionPool pool;
        if (url.startsWith("jdbc:h2:")) {
            pool = JdbcConnectionPool.create(url, user == null ? "" : user, password == null ? "" : password);
        } else if (url.startsWith("jdbc:postgresql:")) {
            PGConnectionPoolDataSource pg = new PGConnectionPoolDataSource();
            try {
                pg.setURL(url);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("store.url", "is not a valid PostgreSQL JDBC URL");
            }
            if (user != null) {
                pg.setUser(user);
            }
            if (password != null) {
                pg.setPassword(password);
            }
            pool = JdbcConnectionPool.create(pg);
        } else {
            throw new ConfigException("store.url", "must start with jdbc:h2: or jdbc:postgresql:");
        }
        pool.setMaxConnections(maxConnections);
        return new Database(pool, url);
    }

    /** The JDBC URL up to its first ';' or '?' (options, which may hold a password, are left out). */
    public String describe() {
        int cut = url.length();
        for (char ch : new char[] {';', '?'}) {
            int i = url.indexOf(ch);
            if (i >= 0 && i < cut) {
                cut = i;
            }
        }
        return url.substring(0, cut);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return pool.getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging here; Usher logs through SLF4J");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        return pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }

    /** Closes every pooled connection. */
    @Override
    public void close() {
        pool.dispose();
    }

    @Override
    public String toString() {
        return "Database[" + describe() + "]";
    }
}
