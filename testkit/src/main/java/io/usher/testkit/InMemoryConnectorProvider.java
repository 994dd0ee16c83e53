package io.usher.testkit;

import io.usher.core.ConfigException;
import io.usher.core.spi.ConnectorConfig;
import io.usher.core.spi.ConnectorProvider;
import io.usher.core.spi.SourceConnector;
import java.util.Set;

/**
 * The {@code memory} connector type for flat configuration: {@code directory} names an
 * {@link InMemoryDirectory} registered with {@link InMemoryDirectory#register(String)}; {@code pageSize}
 * (1..100000, default 500). Registered for {@link java.util.ServiceLoader}.
 */
public final class InMemoryConnectorProvider implements ConnectorProvider {
    private static final Set<String> KEYS = Set.of("directory", "pageSize");

    @Override
    public String type() {
        return "memory";
    }

    @Override
    public Set<String> keys() {
        return KEYS;
    }

    @Override
    public SourceConnector create(ConnectorConfig config) {
        config.rejectUnknown(KEYS);
        String name = config.require("directory");
        int pageSize = config.intValue("pageSize", 500, 1, 100_000);
        InMemoryDirectory dir = InMemoryDirectory.registered(name).orElseThrow(() ->
                new ConfigException("directory", "no in-memory directory is registered under that name"));
        return new InMemorySourceConnector(dir, pageSize);
    }
}
