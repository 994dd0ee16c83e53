package io.usher.testkit.contracts;

import io.usher.core.spi.SourceConnector;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.InMemorySourceConnector;
import io.usher.testkit.SourceConnectorContract;

/** The reference connector keeps the {@link SourceConnector} contract; an odd page size exercises page edges. */
class InMemorySourceConnectorContractTest extends SourceConnectorContract {
    @Override
    protected SourceConnector connectorFor(InMemoryDirectory directory) {
        return InMemorySourceConnector.of(directory, 37);
    }
}
