package io.usher.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.ChangeKind;
import io.usher.core.Connectors;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SyncReport;
import io.usher.core.model.CredentialPolicy;
import io.usher.core.store.InMemoryUserStore;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ldap.LdapDirectoryServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: users synced from LDAP keep the host's choice ({@link CredentialPolicy#HOST}: the host may bind
 * them against the directory), unless the source says SSO_ONLY. Over the testkit's LDAP server, both flavours.
 */
class LdapCredentialPolicyTest {
    private final InMemoryDirectory dir = DirectoryGenerator.builder().seed(10).users(40).groups(4).build().generate();

    private static LdapSourceConnector connector(LdapDirectoryServer server, LdapDirectoryServer.Flavour flavour) {
        return new LdapSourceConnector(LdapConfig.builder().url(server.url())
                .preset(flavour == LdapDirectoryServer.Flavour.ACTIVE_DIRECTORY ? Preset.ACTIVE_DIRECTORY : Preset.OPENLDAP)
                .bind(server.bindDn(), server.bindPassword()).usersBase(server.usersBase())
                .groupsBase(server.groupsBase()).build());
    }

    @ParameterizedTest
    @EnumSource(LdapDirectoryServer.Flavour.class)
    void ldapUsersKeepTheHostsChoiceAndAnSsoOnlySettingOverridesItBothWays(LdapDirectoryServer.Flavour flavour) {
        InMemoryUserStore store = new InMemoryUserStore();
        try (LdapDirectoryServer server = LdapDirectoryServer.start(dir, flavour)) {
            LdapSourceConnector plain = connector(server, flavour);
            assertThat(plain.defaultCredentials()).isEqualTo(CredentialPolicy.HOST);
            try (ProvisioningEngine engine = ProvisioningEngine.builder().store(store)
                    .source(Source.builder("corp").connector(plain).build()).build()) {
                assertThat(engine.source("corp").credentials()).isEqualTo(CredentialPolicy.HOST);
                SyncReport r = engine.synchronize("corp");
                assertThat(r.count(ChangeKind.USER_CREATED)).isEqualTo(dir.users().count()).isPositive();
            }
            assertThat(store.allUsers()).allSatisfy(u -> assertThat(u.credentials()).isEqualTo(CredentialPolicy.HOST));

            try (ProvisioningEngine sso = ProvisioningEngine.builder().store(store).source(Source.builder("corp")
                    .connector(connector(server, flavour)).credentials(CredentialPolicy.SSO_ONLY).build()).build()) {
                SyncReport r = sso.synchronize("corp");
                assertThat(r.count(ChangeKind.USER_UPDATED)).isEqualTo(store.allUsers().size());
            }
            assertThat(store.allUsers()).allSatisfy(u -> assertThat(u.credentials()).isEqualTo(CredentialPolicy.SSO_ONLY));

            try (ProvisioningEngine back = ProvisioningEngine.builder().store(store)
                    .source(Source.builder("corp").connector(connector(server, flavour)).build()).build()) {
                back.synchronize("corp");
            }
            assertThat(store.allUsers()).allSatisfy(u -> assertThat(u.credentials()).isEqualTo(CredentialPolicy.HOST));
        }
    }

    @Test
    void fromPropertiesTheDefaultIsHostAndTheKeyOverridesIt() {
        Map<String, String> p = new HashMap<>();
        p.put("type", "ldap");
        p.put("connector.url", "ldap://dc1.example:389");
        p.put("connector.preset", "activeDirectory");
        p.put("connector.bindDn", "CN=usher,OU=Service,DC=corp,DC=example");
        p.put("connector.bindPassword", "Sup3r-Secret!");
        p.put("connector.usersBase", "OU=People,DC=corp,DC=example");
        Source byDefault = Source.fromConfig("corp", p, Connectors.discover());
        assertThat(byDefault.credentials()).isEqualTo(CredentialPolicy.HOST);
        byDefault.connector().close();

        p.put("credentials", "sso-only");
        Source sso = Source.fromConfig("corp", p, Connectors.discover());
        assertThat(sso.credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
        sso.connector().close();
    }
}
