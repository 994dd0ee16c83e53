package io.usher.examples.jdbc;

import io.usher.core.spi.UserStore;
import io.usher.testkit.UserStoreContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;

/** The UserStore contract on H2, the embedded default: a new in-memory database per test. */
class JdbcUserStoreH2Test extends UserStoreContract {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private Database db;

    @Override
    protected UserStore newStore() {
        db = Database.pooled("jdbc:h2:mem:contract-" + SEQ.incrementAndGet() + ";LOCK_TIMEOUT=10000", "sa", "", 16);
        return JdbcUserStore.create(db).createSchema();
    }

    @AfterEach
    void closeDatabase() {
        db.close();
    }
}
