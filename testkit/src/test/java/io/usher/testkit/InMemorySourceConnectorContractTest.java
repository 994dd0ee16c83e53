package io.usher.testkit;

import io.usher.core.spi.SourceConnector;

class InMemorySourceConnectorContractTest extends SourceConnectorContract {
    @Override
    protected SourceConnector connectorFor(InMemoryDirectory directory) {
        return new InMemorySourceConnector(directory, 7);
    }
}
