package io.usher.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SyncMode;
import io.usher.core.SyncReport;
import io.usher.core.spi.SourceUser;
import io.usher.core.store.InMemoryUserStore;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.graph.GraphServer;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The README's Entra ID quick start, compiled and run against the fake Graph. */
class ReadmeExampleTest {

    @Test
    void theQuickStartSyncsMembersAndThenReadsByDelta() {
        InMemoryDirectory dir = InMemoryDirectory.create(3);
        dir.addUser(DirectoryUser.of("member@corp.example"));
        dir.addUser(DirectoryUser.builder("guest_x#EXT#@corp.example").kind(SourceUser.Kind.GUEST).build());
        try (Fixture f = Fixture.start(GraphServer.builder(dir))) {
            String tenantId = f.server.tenant();
            String clientId = Fixture.CERT_CLIENT;
            String certificateAndKeyPem = Fixture.certificate().certificatePem() + Fixture.certificate().privateKeyPem();
            InMemoryUserStore store = new InMemoryUserStore();

            // --- README ---
            AzureSourceConnector entra = new AzureSourceConnector(AzureConfig.builder()
                    .tenantId(tenantId).clientId(clientId)
                    .certificatePem(certificateAndKeyPem, null)
                    .userTypes(Set.of(SourceUser.Kind.MEMBER))
                    .loginBaseUrl(f.server.loginUri()).graphBaseUrl(f.server.graphUri())   // the fake, not the cloud
                    .build());
            ProvisioningEngine engine = ProvisioningEngine.builder().store(store)
                    .source(Source.builder("entra").connector(entra).build()).build();
            engine.synchronize("entra");
            // --- end ---

            assertThat(store.allUsers()).extracting(u -> u.username()).containsExactly("member@corp.example");
            dir.addUser(DirectoryUser.of("later@corp.example"));
            SyncReport next = engine.synchronize("entra");
            assertThat(next.mode()).isEqualTo(SyncMode.INCREMENTAL);
            assertThat(store.userCount()).isEqualTo(2);
        }
    }
}
