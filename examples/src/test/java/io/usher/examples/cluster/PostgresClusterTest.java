package io.usher.examples.cluster;

import io.usher.examples.jdbc.Postgres;

/** The cluster tests on a real PostgreSQL (see {@link Postgres}): a new schema per test. */
class PostgresClusterTest extends ClusterContract {
    @Override
    protected String freshDatabase() {
        return Postgres.freshSchema();
    }

    @Override
    protected void dropDatabase(String url) {
        Postgres.drop(url);
    }
}
