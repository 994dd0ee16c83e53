package io.usher.examples.cli;

import io.usher.core.ConfigException;
import io.usher.core.Connectors;
import io.usher.core.Source;
import io.usher.core.spi.ConnectorConfig;
import io.usher.core.spi.ConnectorProvider;
import io.usher.core.spi.SourceConnector;
import java.util.Set;

/**
 * Builds the configured source through {@link Source#fromConfig}, so the CLI accepts exactly the keys a host's
 * properties do. Connector and pipeline errors arrive naming keys relative to their prefix ({@code bindDn});
 * they are re-thrown naming the key as written in the file ({@code connector.bindDn}).
 */
final class Sources {
    private Sources() {}

    static Source build(CliConfig config) {
        Connectors discovered = Connectors.discover();
        Connectors prefixed = Connectors.empty();
        for (String type : discovered.types()) {
            prefixed.register(new Prefixing(discovered.provider(type)));
        }
        try {
            return Source.fromConfig(config.sourceId(), config.sourceKeys(), prefixed);
        } catch (ConfigException e) {
            String key = e.key();
            if (key != null && !config.keys().contains(key) && !key.startsWith("connector.")
                    && config.keys().contains("pipeline." + key)) {
                throw rekey(e, "pipeline." + key);
            }
            throw e;
        } catch (IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            throw new ConfigException(m.startsWith("source id") ? "source.id" : null, m);
        }
    }

    static ConfigException rekey(ConfigException e, String newKey) {
        String prefix = "configuration key '" + e.key() + "': ";
        String problem = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
        return new ConfigException(newKey, problem);
    }

    /** A provider whose configuration errors (creation and validation) name {@code connector.KEY}. */
    private static final class Prefixing implements ConnectorProvider {
        private final ConnectorProvider delegate;

        Prefixing(ConnectorProvider delegate) {
            this.delegate = delegate;
        }

        @Override
        public String type() {
            return delegate.type();
        }

        @Override
        public SourceConnector create(ConnectorConfig config) {
            try {
                SourceConnector c = delegate.create(config);
                c.validate();
                return c;
            } catch (ConfigException e) {
                throw e.key() == null ? e : rekey(e, "connector." + e.key());
            }
        }

        @Override
        public Set<String> keys() {
            return delegate.keys();
        }

        @Override
        public Set<String> secretKeys() {
            return delegate.secretKeys();
        }
    }
}
