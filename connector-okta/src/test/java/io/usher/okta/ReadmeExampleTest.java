package io.usher.okta;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.usher.core.Connectors;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SyncReport;
import io.usher.core.store.InMemoryUserStore;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.okta.OktaServer;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Okta quick starts of README.md and connector-okta/README.md, compiled and run against the fake Okta. */
class ReadmeExampleTest {

    @Test
    void theServiceAppQuickStartSyncs() throws Exception {
        InMemoryDirectory dir = DirectoryGenerator.builder().seed(11).users(30).groups(4).nestingDepth(1).build()
                .generate();
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        try (OktaServer server = OktaServer.builder(dir).serviceApp("0oa1service", key.toPublicJWK(),
                OktaServer.CONNECTOR_SCOPES, false).start()) {
            String privateKeyJwk = key.toJSONString();
            InMemoryUserStore store = new InMemoryUserStore();
            URI orgUrl = server.orgUri();
            // --- README
            OktaSourceConnector okta = new OktaSourceConnector(OktaConfig.builder(orgUrl)
                    .serviceApp("0oa1service", privateKeyJwk)
                    .build());
            ProvisioningEngine engine = ProvisioningEngine.builder().store(store)
                    .source(Source.builder("okta").connector(okta).build()).build();
            engine.synchronize("okta");
            // ---
            assertThat(store.userCount()).isEqualTo(dir.userCount());
            okta.close();
        }
    }

    @Test
    void theFlatPropertiesQuickStartSyncs() {
        InMemoryDirectory dir = DirectoryGenerator.builder().seed(12).users(20).groups(3).nestingDepth(1).build()
                .generate();
        try (OktaServer server = OktaServer.builder(dir).apiToken("00props-token").start()) {
            Source source = Source.fromConfig("okta", Map.of("type", "okta",
                    "connector.orgUrl", server.orgUri().toString(), "connector.apiToken", "00props-token",
                    "connector.rateLimitShare", "0.5", "connector.usernameFrom", "login"), Connectors.discover());
            InMemoryUserStore store = new InMemoryUserStore();
            SyncReport r = ProvisioningEngine.builder().store(store).source(source).build().synchronize("okta");
            assertThat(r.complete()).isTrue();
            assertThat(store.userCount()).isEqualTo(dir.userCount());
        }
    }
}
