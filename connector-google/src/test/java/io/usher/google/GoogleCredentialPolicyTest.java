package io.usher.google;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.ChangeKind;
import io.usher.core.Connectors;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SyncReport;
import io.usher.core.model.CredentialPolicy;
import io.usher.core.model.Origin;
import io.usher.core.store.InMemoryUserStore;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 10: users synced from Google Workspace are SSO-only unless the source says otherwise (fake Directory API). */
class GoogleCredentialPolicyTest {
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
    void googleUsersAreSsoOnlyOnEverySnapshot() {
        assertThat(fixture.connector().defaultCredentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
        try (ProvisioningEngine engine = engine(Source.builder("google"))) {
            assertThat(engine.source("google").credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
            SyncReport first = engine.synchronize("google");
            assertThat(first.count(ChangeKind.USER_CREATED)).isEqualTo(dir.users().count()).isPositive();
            assertThat(store.allUsers()).allSatisfy(u -> assertThat(u.credentials()).isEqualTo(CredentialPolicy.SSO_ONLY));

            DirectoryUser hire = dir.addUser(DirectoryUser.builder("new.hire").displayName("New Hire").build());
            SyncReport second = engine.synchronize("google");
            assertThat(second.count(ChangeKind.USER_CREATED)).isEqualTo(1);
            assertThat(second.count(ChangeKind.USER_UPDATED)).as("the others are unchanged").isZero();
            assertThat(store.findUserByOrigin(Origin.of("google", hire.id())).orElseThrow().credentials())
                    .isEqualTo(CredentialPolicy.SSO_ONLY);
        }
    }

    @Test
    void aSourceSettingOfHostOverridesAndRemovingItUpdatesEveryUser() {
        try (ProvisioningEngine host = engine(Source.builder("google").credentials(CredentialPolicy.HOST))) {
            host.synchronize("google");
        }
        assertThat(store.allUsers()).isNotEmpty()
                .allSatisfy(u -> assertThat(u.credentials()).isEqualTo(CredentialPolicy.HOST));

        try (ProvisioningEngine sso = engine(Source.builder("google"))) {
            SyncReport r = sso.synchronize("google");
            assertThat(r.count(ChangeKind.USER_UPDATED)).isEqualTo(store.allUsers().size());
        }
        assertThat(store.allUsers()).allSatisfy(u -> assertThat(u.credentials()).isEqualTo(CredentialPolicy.SSO_ONLY));
    }

    @Test
    void fromPropertiesTheDefaultIsSsoOnlyAndTheKeyOverridesIt() {
        Map<String, String> p = new HashMap<>();
        p.put("type", "google");
        p.put("connector.keyJson", fixture.keyFile());
        p.put("connector.adminEmail", Fixture.ADMIN);
        Source byDefault = Source.fromConfig("google", p, Connectors.discover());
        assertThat(byDefault.credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
        byDefault.connector().close();

        p.put("credentials", "HOST");
        Source host = Source.fromConfig("google", p, Connectors.discover());
        assertThat(host.credentials()).isEqualTo(CredentialPolicy.HOST);
        host.connector().close();
    }
}
