package io.usher.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.ChangeKind;
import io.usher.core.Connectors;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SyncMode;
import io.usher.core.SyncReport;
import io.usher.core.model.CredentialPolicy;
import io.usher.core.model.User;
import io.usher.core.store.InMemoryUserStore;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 10: users synced from Entra ID are SSO-only unless the source says otherwise (fake Graph on loopback). */
class AzureCredentialPolicyTest {
    private final InMemoryDirectory dir = DirectoryGenerator.builder().seed(10).users(30).groups(4)
            .caseCollisions(0).build().generate();
    private final Fixture fixture = Fixture.start(dir);
    private final InMemoryUserStore store = new InMemoryUserStore();

    @AfterEach
    void close() {
        fixture.close();
    }

    private ProvisioningEngine engine(Source.Builder source) {
        return ProvisioningEngine.builder().store(store).source(source.connector(fixture.connector()).build()).build();
    }

    @Test
    void entraUsersAreSsoOnlyAfterASnapshotAndAfterADeltaRun() {
        assertThat(fixture.connector().defaultCredentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
        try (ProvisioningEngine engine = engine(Source.builder("entra"))) {
            assertThat(engine.source("entra").credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
            SyncReport first = engine.synchronize("entra");
            assertThat(first.count(ChangeKind.USER_CREATED)).isEqualTo(dir.users().count()).isPositive();
            assertThat(store.allUsers()).allSatisfy(u -> assertThat(u.credentials()).isEqualTo(CredentialPolicy.SSO_ONLY));

            DirectoryUser hire = dir.addUser(DirectoryUser.builder("new.hire").displayName("New Hire").build());
            SyncReport delta = engine.synchronize("entra");
            assertThat(delta.mode()).isEqualTo(SyncMode.INCREMENTAL);
            assertThat(delta.count(ChangeKind.USER_CREATED)).isEqualTo(1);
            User stored = store.findUserByUsername(hire.loginName()).orElseThrow();
            assertThat(stored.credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
        }
    }

    @Test
    void aSourceSettingOfHostOverridesAndRemovingItUpdatesEveryUser() {
        try (ProvisioningEngine host = engine(Source.builder("entra").credentials(CredentialPolicy.HOST))) {
            host.synchronize("entra");
        }
        assertThat(store.allUsers()).isNotEmpty()
                .allSatisfy(u -> assertThat(u.credentials()).isEqualTo(CredentialPolicy.HOST));

        try (ProvisioningEngine sso = engine(Source.builder("entra"))) {
            SyncReport r = sso.synchronize("entra");
            assertThat(r.count(ChangeKind.USER_UPDATED)).isEqualTo(store.allUsers().size());
        }
        assertThat(store.allUsers()).allSatisfy(u -> assertThat(u.credentials()).isEqualTo(CredentialPolicy.SSO_ONLY));
    }

    @Test
    void fromPropertiesTheDefaultIsSsoOnlyAndTheKeyOverridesIt() {
        Map<String, String> p = new HashMap<>();
        p.put("type", "azure");
        p.put("connector.tenantId", "72f988bf-86f1-41af-91ab-2d7cd011db47");
        p.put("connector.clientId", Fixture.CLIENT);
        p.put("connector.clientSecret", Fixture.SECRET);
        Source byDefault = Source.fromConfig("entra", p, Connectors.discover());
        assertThat(byDefault.credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
        byDefault.connector().close();

        p.put("credentials", "host");
        Source host = Source.fromConfig("entra", p, Connectors.discover());
        assertThat(host.credentials()).isEqualTo(CredentialPolicy.HOST);
        host.connector().close();
    }
}
