/**
 * The callers' API: {@link io.usher.core.ProvisioningEngine} and its builder, {@link io.usher.core.Source}
 * definitions and policies, the results ({@link io.usher.core.SyncReport}, {@link io.usher.core.ChangeSet},
 * {@link io.usher.core.Change}) and the listener hooks. Connector and store authors look in
 * {@code io.usher.core.spi}; the reconciler ({@code SyncRun}) is package-private.
 */
package io.usher.core;
