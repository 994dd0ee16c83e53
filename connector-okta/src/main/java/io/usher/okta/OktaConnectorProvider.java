package io.usher.okta;

import io.usher.core.spi.ConnectorConfig;
import io.usher.core.spi.ConnectorProvider;
import io.usher.core.spi.SourceConnector;
import java.util.Set;

/** The {@code okta} connector type for flat configuration (keys in {@link OktaConfig}). Stateless. */
public final class OktaConnectorProvider implements ConnectorProvider {
    @Override
    public String type() {
        return "okta";
    }

    @Override
    public SourceConnector create(ConnectorConfig config) {
        return new OktaSourceConnector(OktaConfig.fromConfig(config));
    }

    @Override
    public Set<String> keys() {
        return OktaConfig.KEYS;
    }

    @Override
    public Set<String> secretKeys() {
        return OktaConfig.SECRET_KEYS;
    }
}
