package io.usher.ldap;

import io.usher.core.spi.ConnectorConfig;
import io.usher.core.spi.ConnectorProvider;
import io.usher.core.spi.SourceConnector;
import java.util.Set;

/** The {@code ldap} connector type for flat configuration (keys in {@link LdapConfig}). */
public final class LdapConnectorProvider implements ConnectorProvider {
    @Override
    public String type() {
        return "ldap";
    }

    @Override
    public SourceConnector create(ConnectorConfig config) {
        return new LdapSourceConnector(LdapConfig.fromConfig(config));
    }

    @Override
    public Set<String> keys() {
        return LdapConfig.KEYS;
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of("bindPassword", "trustStorePassword");
    }
}
