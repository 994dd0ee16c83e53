package io.usher.ldap;

import io.usher.core.spi.SourceConnector;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ManualClock;
import io.usher.testkit.SourceConnectorContract;
import io.usher.testkit.ldap.LdapDirectoryServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

/** The testkit SourceConnector contract, with the LDAP connector reading the directory over LDAP. */
class LdapContractTests {

    private static LdapConfig config(LdapDirectoryServer server, Preset preset) {
        return LdapConfig.builder().url(server.url()).preset(preset).bind(server.bindDn(), server.bindPassword())
                .usersBase(server.usersBase()).groupsBase(server.groupsBase()).pageSize(50)
                .timestampMargin(Duration.ofSeconds(1)).build();
    }

    /** The contract over the testkit's LDAP face: one server per test, faults injected at the server. */
    abstract static class OverLdapFace extends SourceConnectorContract {
        protected LdapDirectoryServer server;

        @AfterEach
        void stopServer() {
            server.close();
        }

        @Override
        protected void failReadsAfter(int records) {
            server.dropConnectionAfterEntries(records);
        }
    }

    /** OpenLDAP flavour: entryUUID, inetOrgPerson, groupOfNames; incremental by modifyTimestamp. */
    @Nested
    class OpenLdapFlavour extends OverLdapFace {
        private final ManualClock clock = new ManualClock();

        @Override
        protected SourceConnector connectorFor(InMemoryDirectory directory) {
            server = LdapDirectoryServer.start(directory, LdapDirectoryServer.Flavour.OPENLDAP);
            return new LdapSourceConnector(config(server, Preset.OPENLDAP), clock);
        }

        @Override
        protected void expireCursors() {
            clock.advance(Duration.ofHours(25)); // past fullReconcileAfter: a snapshot is due
        }

        @Override
        protected boolean changesAreExact() {
            return false; // modifyTimestamp with a margin re-reads recent entries
        }

        @Override
        protected boolean changesReportDeletions() {
            return false; // found by the periodic full reconciliation instead
        }
    }

    /** Active Directory flavour: objectGUID, uSNChanged, tombstones, ranged member retrieval. */
    @Nested
    class ActiveDirectoryFlavour extends OverLdapFace {

        @Override
        protected SourceConnector connectorFor(InMemoryDirectory directory) {
            server = LdapDirectoryServer.start(directory, LdapDirectoryServer.Flavour.ACTIVE_DIRECTORY);
            return new LdapSourceConnector(config(server, Preset.ACTIVE_DIRECTORY));
        }

        @Override
        protected void expireCursors() {
            server.resetInvocationId(); // as after a DC restore: USNs no longer comparable
        }
    }
}
