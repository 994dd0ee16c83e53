package io.usher.core.spi;

import java.util.Set;

/**
 * Creates connectors of one type from flat configuration. Registered in
 * {@code META-INF/services/io.usher.core.spi.ConnectorProvider} for {@link java.util.ServiceLoader}
 * discovery, or explicitly with {@link io.usher.core.Connectors#register}.
 */
public interface ConnectorProvider {

    /** The type name ({@code ldap}, {@code azure}, {@code google}, {@code okta}, {@code memory}). */
    String type();

    /**
     * Creates a connector from configuration; no I/O. Throws {@link io.usher.core.ConfigException} naming the
     * first missing or invalid key.
     */
    SourceConnector create(ConnectorConfig config);

    /** The keys this provider reads, for help texts and for rejecting unknown keys. Empty: not declared. */
    default Set<String> keys() {
        return Set.of();
    }

    /** Keys whose values are secrets: never logged, never echoed. */
    default Set<String> secretKeys() {
        return Set.of();
    }
}
