package io.usher.examples.cli;

import io.usher.core.ConfigException;
import io.usher.core.UsherException;
import io.usher.core.store.JdbcSyncLock;
import io.usher.core.store.JdbcSyncStateStore;
import io.usher.examples.jdbc.Database;
import io.usher.examples.jdbc.JdbcUserStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the CLI keeps what it synced: the database named by {@code store.url}, or an H2 database in the
 * {@code --state} directory. It holds the users and groups ({@link JdbcUserStore}), the cursors
 * ({@link JdbcSyncStateStore}) and the sync lock ({@link JdbcSyncLock}), so the next run is incremental and
 * two runs of the same source never overlap.
 */
final class State implements AutoCloseable {
    static final String DEFAULT_DIR = "usher-state";

    final Database database;
    final JdbcUserStore store;
    final JdbcSyncStateStore cursors;
    final JdbcSyncLock lock;
    final String where;

    private State(Database database, String where) {
        this.database = database;
        this.where = where;
        this.store = JdbcUserStore.create(database).createSchema();
        this.cursors = JdbcSyncStateStore.create(database).createSchema();
        this.lock = JdbcSyncLock.builder(database).build().createSchema();
    }

    /** Whether there is state to compare with: a store.url, or a state directory that exists. */
    static boolean exists(CliConfig config, Path dir) {
        return config.get("store.url") != null || Files.isDirectory(dir);
    }

    /** Opens (and creates, for a directory) the state. */
    static State open(CliConfig config, Path dir) {
        String url = config.get("store.url");
        Database db;
        String where;
        if (url != null) {
            db = Database.pooled(url, config.get("store.user"), config.get("store.password"), 8);
            where = db.describe();
        } else {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new ConfigException(null, "the state directory " + dir + " cannot be created ("
                        + e.getClass().getSimpleName() + ")");
            }
            Path file = dir.toAbsolutePath().resolve("usher");
            db = Database.pooled("jdbc:h2:file:" + file + ";LOCK_TIMEOUT=10000", "sa", "", 8);
            where = dir.toString();
        }
        try {
            return new State(db, where);
        } catch (UsherException e) {
            db.close();
            String why = e.getMessage().contains("SQLState 90020")
                    ? "it is open in another process (an H2 state directory serves one usher process at a time; "
                            + "share a database through store.url instead)"
                    : e.getMessage();
            throw new UsherException(UsherException.Code.STORE, "the state database (" + where + ") cannot be used: "
                    + why);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    @Override
    public void close() {
        database.close();
    }
}
