package io.usher.google;

import io.usher.core.spi.ConnectorConfig;
import io.usher.core.spi.ConnectorProvider;
import io.usher.core.spi.SourceConnector;
import java.util.Set;

/** The {@code google} connector type for flat configuration (keys in {@link GoogleConfig}). Stateless, thread-safe. */
public final class GoogleConnectorProvider implements ConnectorProvider {
    @Override
    public String type() {
        return GoogleSourceConnector.TYPE;
    }

    @Override
    public SourceConnector create(ConnectorConfig config) {
        return new GoogleSourceConnector(GoogleConfig.fromConfig(config));
    }

    @Override
    public Set<String> keys() {
        return GoogleConfig.KEYS;
    }

    @Override
    public Set<String> secretKeys() {
        return GoogleConfig.SECRET_KEYS;
    }
}
