package io.usher.okta;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.ChangeKind;
import io.usher.core.Connectors;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SyncMode;
import io.usher.core.SyncReport;
import io.usher.core.model.CredentialPolicy;
import io.usher.core.model.Origin;
import io.usher.core.store.InMemoryUserStore;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.okta.OktaServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 10: users synced from Okta are SSO-only unless the source says otherwise (fake Okta on loopback). */
class OktaCredentialPolicyTest {
    private final OktaFixture.Time time = new OktaFixture.Time();
    private final InMemoryDirectory dir = DirectoryGenerator.builder().seed(10).users(30).groups(4)
            .caseCollisions(0).build().generate();
    private final OktaServer server = OktaServer.builder(dir).clock(time.clock).apiToken(OktaFixture.TOKEN)
            .rateLimit(600).start();
    private final InMemoryUserStore store = new InMemoryUserStore();

    @AfterEach
    void stop() {
        server.close();
    }

    private OktaSourceConnector connector() {
        return new OktaSourceConnector(OktaConfig.builder(server.orgUri()).apiToken(OktaFixture.TOKEN).build(),
                time.clock, time::sleep);
    }

    private ProvisioningEngine engine(Source.Builder source) {
        return ProvisioningEngine.builder().store(store).source(source.connector(connector()).build()).build();
    }

    @Test
    void oktaUsersAreSsoOnlyAfterASnapshotAndAfterAnIncrementalRun() {
        assertThat(connector().defaultCredentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
        try (ProvisioningEngine engine = engine(Source.builder("okta"))) {
            assertThat(engine.source("okta").credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
            SyncReport first = engine.synchronize("okta");
            assertThat(first.count(ChangeKind.USER_CREATED)).isEqualTo(dir.users().count()).isPositive();
            assertThat(store.allUsers()).allSatisfy(u -> assertThat(u.credentials()).isEqualTo(CredentialPolicy.SSO_ONLY));
            time.tick();

            DirectoryUser hire = dir.addUser(DirectoryUser.builder("new.hire@corp.example").displayName("New Hire")
                    .email("new.hire@corp.example").build());
            time.tick();
            SyncReport next = engine.synchronize("okta");
            assertThat(next.mode()).isEqualTo(SyncMode.INCREMENTAL);
            assertThat(next.count(ChangeKind.USER_CREATED)).isEqualTo(1);
            assertThat(store.findUserByOrigin(Origin.of("okta", hire.id())).orElseThrow().credentials())
                    .isEqualTo(CredentialPolicy.SSO_ONLY);
        }
    }

    @Test
    void aSourceSettingOfHostOverridesAndRemovingItUpdatesEveryUser() {
        try (ProvisioningEngine host = engine(Source.builder("okta").credentials(CredentialPolicy.HOST))) {
            host.synchronize("okta");
        }
        assertThat(store.allUsers()).isNotEmpty()
                .allSatisfy(u -> assertThat(u.credentials()).isEqualTo(CredentialPolicy.HOST));

        try (ProvisioningEngine sso = engine(Source.builder("okta"))) {
            SyncReport r = sso.synchronize("okta");
            assertThat(r.count(ChangeKind.USER_UPDATED)).isEqualTo(store.allUsers().size());
        }
        assertThat(store.allUsers()).allSatisfy(u -> assertThat(u.credentials()).isEqualTo(CredentialPolicy.SSO_ONLY));
    }

    @Test
    void fromPropertiesTheDefaultIsSsoOnlyAndTheKeyOverridesIt() {
        Map<String, String> p = new HashMap<>();
        p.put("type", "okta");
        p.put("connector.orgUrl", "https://corp.okta.com");
        p.put("connector.apiToken", OktaFixture.TOKEN);
        Source byDefault = Source.fromConfig("okta", p, Connectors.discover());
        assertThat(byDefault.credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
        byDefault.connector().close();

        p.put("credentials", "host");
        Source host = Source.fromConfig("okta", p, Connectors.discover());
        assertThat(host.credentials()).isEqualTo(CredentialPolicy.HOST);
        host.connector().close();
    }
}
