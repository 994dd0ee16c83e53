package io.usher.azure;

import io.usher.core.spi.ConnectorConfig;
import io.usher.core.spi.ConnectorProvider;
import io.usher.core.spi.SourceConnector;
import java.util.Set;

/** The {@code azure} connector type for flat configuration (keys in {@link AzureConfig}). Stateless, thread-safe. */
public final class AzureConnectorProvider implements ConnectorProvider {
    @Override
    public String type() {
        return AzureSourceConnector.TYPE;
    }

    @Override
    public SourceConnector create(ConnectorConfig config) {
        return new AzureSourceConnector(AzureConfig.fromConfig(config));
    }

    @Override
    public Set<String> keys() {
        return AzureConfig.KEYS;
    }

    @Override
    public Set<String> secretKeys() {
        return AzureConfig.SECRET_KEYS;
    }
}
