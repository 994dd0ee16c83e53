package io.usher.okta;

import io.usher.core.spi.SourceConnector;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ManualClock;
import io.usher.testkit.SourceConnectorContract;
import io.usher.testkit.okta.OktaServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/** The testkit SourceConnector contract, with the Okta connector reading the directory through the fake Okta. */
class OktaContractTest extends SourceConnectorContract {
    private final ManualClock clock = new ManualClock();
    private OktaServer server;

    @Override
    protected SourceConnector connectorFor(InMemoryDirectory directory) {
        server = OktaServer.builder(directory).clock(clock).apiToken("contract-token").start();
        return new OktaSourceConnector(OktaConfig.builder(server.orgUri()).apiToken("contract-token").pageSize(50)
                .build(), clock, clock::advance);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Override
    protected void failReadsAfter(int records) {
        server.failAfterRecords(records);
    }

    @Override
    protected void expireCursors() {
        clock.advance(Duration.ofHours(25)); // past fullReconcileAfter: a snapshot is due
    }
}
