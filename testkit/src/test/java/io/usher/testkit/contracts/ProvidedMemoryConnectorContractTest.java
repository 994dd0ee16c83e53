package io.usher.testkit.contracts;

import io.usher.core.spi.ConnectorConfig;
import io.usher.core.spi.ConnectorProvider;
import io.usher.core.spi.SourceConnector;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.SourceConnectorContract;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/**
 * The {@code memory} connector as a host gets it, found with {@link ServiceLoader} and configured from flat
 * keys, keeps the contract too.
 */
class ProvidedMemoryConnectorContractTest extends SourceConnectorContract {
    private InMemoryDirectory.Registration registration;

    @Override
    protected SourceConnector connectorFor(InMemoryDirectory directory) {
        registration = directory.register("contract-" + UUID.randomUUID());
        ConnectorProvider provider = ServiceLoader.load(ConnectorProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.type().equals("memory")).findFirst().orElseThrow();
        return provider.create(ConnectorConfig.of(Map.of("directory", registration.name(), "pageSize", "64")));
    }

    @AfterEach
    void unregister() {
        registration.close();
    }
}
