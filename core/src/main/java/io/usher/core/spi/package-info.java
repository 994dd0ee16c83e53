/**
 * The service-provider interfaces: what connector authors implement ({@link io.usher.core.spi.SourceConnector}
 * and its capability interfaces, {@link io.usher.core.spi.ConnectorProvider}) and what a host implements
 * ({@link io.usher.core.spi.UserStore}, {@link io.usher.core.spi.SyncStateStore}). Callers of the engine
 * need none of it except to plug things in.
 */
package io.usher.core.spi;
