package io.usher.core;

import io.usher.core.spi.ConnectorConfig;
import io.usher.core.spi.ConnectorProvider;
import io.usher.core.spi.SourceConnector;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connector providers known by type name: found with {@link ServiceLoader} ({@link #discover()}) or
 * registered explicitly ({@link #register}), which wins over discovery. Thread-safe.
 */
public final class Connectors {
    private final Map<String, ConnectorProvider> providers = new ConcurrentHashMap<>();

    private Connectors() {}

    /** An empty registry. */
    public static Connectors empty() {
        return new Connectors();
    }

    /** A registry holding every provider on the class path of this class's loader. */
    public static Connectors discover() {
        return discover(Connectors.class.getClassLoader());
    }

    public static Connectors discover(ClassLoader loader) {
        Connectors c = new Connectors();
        for (ConnectorProvider p : ServiceLoader.load(ConnectorProvider.class, loader)) {
            c.providers.putIfAbsent(p.type(), p);
        }
        return c;
    }

    /** Registers (or replaces) the provider for its type. */
    public Connectors register(ConnectorProvider provider) {
        Objects.requireNonNull(provider, "provider");
        providers.put(Objects.requireNonNull(provider.type(), "provider.type()"), provider);
        return this;
    }

    /** The registered type names, sorted. */
    public java.util.Set<String> types() {
        return new java.util.TreeSet<>(providers.keySet());
    }

    public ConnectorProvider provider(String type) {
        ConnectorProvider p = providers.get(type);
        if (p == null) {
            throw new ConfigException("type", "unknown connector type; known types: "
                    + (providers.isEmpty() ? "(none on the class path)" : String.join(", ", types())));
        }
        return p;
    }

    /** Creates and validates a connector of the given type from flat configuration. */
    public SourceConnector create(String type, Map<String, String> config) {
        SourceConnector connector = provider(type).create(ConnectorConfig.of(config));
        connector.validate();
        return connector;
    }

    @Override
    public String toString() {
        return "Connectors" + new TreeMap<>(providers).keySet();
    }
}
