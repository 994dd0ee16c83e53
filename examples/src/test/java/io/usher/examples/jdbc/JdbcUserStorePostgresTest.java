package io.usher.examples.jdbc;

import io.usher.core.spi.UserStore;
import io.usher.testkit.UserStoreContract;
import org.junit.jupiter.api.AfterEach;

/**
 * The UserStore contract on a real PostgreSQL (started by .ci/run; see {@link Postgres}): a new schema per
 * test.
 */
class JdbcUserStorePostgresTest extends UserStoreContract {
    private Database db;
    private String url;

    @Override
    protected UserStore newStore() {
        url = Postgres.freshSchema();
        db = Database.pooled(url, null, null, 16);
        return JdbcUserStore.create(db).createSchema();
    }

    @AfterEach
    void dropSchema() {
        if (db != null) {
            db.close();
            Postgres.drop(url);
        }
    }
}
