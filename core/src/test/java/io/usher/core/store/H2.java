package io.usher.core.store;

import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcDataSource;

/** A fresh in-memory H2 database per call, kept open while the JVM runs (DB_CLOSE_DELAY=-1). */
final class H2 {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private H2() {}

    static JdbcDataSource fresh() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:core-store-" + SEQ.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        return ds;
    }
}
