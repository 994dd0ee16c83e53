package io.usher.azure;

import io.usher.core.spi.SourceConnector;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.SourceConnectorContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

/** The testkit SourceConnector contract, with the connector reading the directory through the fake Graph. */
class AzureContractTests {

    abstract static class OverFakeGraph extends SourceConnectorContract {
        protected Fixture fixture;

        @AfterEach
        void stopServer() {
            fixture.close();
        }

        @Override
        protected void failReadsAfter(int records) {
            fixture.server.failAfterRecords(records, 500);
        }
    }

    /** Client secret, small pages (paging exercised), members read four groups at a time. */
    @Nested
    class WithClientSecret extends OverFakeGraph {
        @Override
        protected SourceConnector connectorFor(InMemoryDirectory directory) {
            fixture = Fixture.start(directory);
            return new AzureSourceConnector(fixture.config().pageSize(37).maxConcurrency(4).build());
        }
    }

    /** Certificate (PS256 client assertions), empty pages between pages, tiny delta pages and member chunks. */
    @Nested
    class WithCertificateAndAwkwardPaging extends OverFakeGraph {
        @Override
        protected SourceConnector connectorFor(InMemoryDirectory directory) {
            fixture = Fixture.start(io.usher.testkit.graph.GraphServer.builder(directory).deltaPageSize(3)
                    .membersPerDeltaObject(1));
            fixture.server.insertEmptyPages(true);
            return new AzureSourceConnector(fixture.certificateConfig(AzureConfig.SigningAlgorithm.PS256)
                    .pageSize(50).maxConcurrency(1).build());
        }
    }
}
