package io.usher.google;

import io.usher.core.spi.SourceConnector;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.SourceConnectorContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

/** The testkit SourceConnector contract, with the connector reading the directory through the fake Directory API. */
class GoogleContractTests {

    abstract static class OverFakeDirectoryApi extends SourceConnectorContract {
        protected Fixture fixture;

        @AfterEach
        void stopServer() {
            fixture.close();
        }

        @Override
        protected void failReadsAfter(int records) {
            fixture.server.failAfterRecords(records, 503);
        }
    }

    /** Small pages (paging exercised), member lists read four groups at a time. */
    @Nested
    class SmallPages extends OverFakeDirectoryApi {
        @Override
        protected SourceConnector connectorFor(InMemoryDirectory directory) {
            fixture = Fixture.start(directory);
            return new GoogleSourceConnector(fixture.config().pageSize(37).maxConcurrency(4).build());
        }
    }

    /** Full pages by domain, one request at a time, etag cache off. */
    @Nested
    class ByDomainSequentialNoCache extends OverFakeDirectoryApi {
        @Override
        protected SourceConnector connectorFor(InMemoryDirectory directory) {
            fixture = Fixture.start(directory);
            return new GoogleSourceConnector(fixture.config().domain("example.com").maxConcurrency(1)
                    .etagCache(false).build());
        }
    }
}
