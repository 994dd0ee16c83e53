package io.usher.testkit;

import io.usher.core.ConfigException;
import io.usher.core.spi.ConnectorConfig;
import io.usher.core.spi.ConnectorProvider;
import io.usher.core.spi.SourceConnector;
import java.util.Set;

/**
 * The {@code memory} connector type: an {@link InMemorySourceConnector} over a directory registered with
 * {@link InMemoryDirectory#register(String)}. Keys: {@code directory} (required, the registered name) and
 * {@code pageSize} (1 to 100000, default 500). Unknown keys are rejected. Registered for
 * {@link java.util.ServiceLoader}. Stateless and thread-safe.
 */
public final class InMemoryConnectorProvider implements ConnectorProvider {
    public static final String DIRECTORY = "directory", PAGE_SIZE = "pageSize";

    @Override
    public String type() {
        return InMemorySourceConnector.TYPE;
    }

    @Override
    public Set<String> keys() {
        return Set.of(DIRECTORY, PAGE_SIZE);
    }

    @Override
    public SourceConnector create(ConnectorConfig config) {
        config.rejectUnknown(keys());
        String name = config.require(DIRECTORY);
        int pageSize = config.intValue(PAGE_SIZE, InMemorySourceConnector.DEFAULT_PAGE_SIZE, 1,
                InMemorySourceConnector.MAX_PAGE_SIZE);
        InMemoryDirectory directory = InMemoryDirectory.registered(name).orElseThrow(() -> new ConfigException(
                DIRECTORY, "no in-memory directory is registered under that name; call InMemoryDirectory.register"));
        return InMemorySourceConnector.of(directory, pageSize);
    }
}
