/**
 * The embedded defaults: {@link io.usher.core.store.InMemoryUserStore} (the host store for tests and demos)
 * and {@link io.usher.core.store.InMemorySyncStateStore}.
 */
package io.usher.core.store;
