/**
 * The embedded defaults: {@link io.usher.core.store.InMemoryUserStore} (the host store for tests and demos)
 * and {@link io.usher.core.store.InMemorySyncStateStore}; and, for hosts that run several nodes on one
 * database, plain-JDBC implementations ({@code java.sql} only) of the state store
 * ({@link io.usher.core.store.JdbcSyncStateStore}) and of a per-source sync lock with a lease
 * ({@link io.usher.core.store.JdbcSyncLock}): the shared database is the coordinator.
 */
package io.usher.core.store;
