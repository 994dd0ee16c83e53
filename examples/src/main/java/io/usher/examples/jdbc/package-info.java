/**
 * A host integration on plain JDBC: {@link io.usher.examples.jdbc.JdbcUserStore}, an example host store
 * (users, groups, memberships, origins, last login) that runs on H2 (the embedded default) and PostgreSQL,
 * and {@link io.usher.examples.jdbc.Database}, a small connection pool for both. With core's
 * {@code JdbcSyncStateStore} and {@code JdbcSyncLock} on the same database, several host nodes share one
 * database as their only coordinator.
 */
package io.usher.examples.jdbc;
