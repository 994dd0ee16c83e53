package io.usher.testkit.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each injected fault, and that it goes away. */
class LdapFaultsTest {
    private static final InMemoryDirectory DIRECTORY = tenUsers();

    @RegisterExtension
    static final LdapDirectoryExtension LDAP = LdapDirectoryExtension.openLdap(() -> DIRECTORY);

    private static InMemoryDirectory tenUsers() {
        InMemoryDirectory d = InMemoryDirectory.create(2);
        for (int i = 0; i < 10; i++) {
            d.addUser(DirectoryUser.of("u" + i));
        }
        return d;
    }

    @AfterEach
    void clear() {
        LDAP.server().clearFaults();
    }

    private static int countUsers(LDAPConnection c) throws LDAPException {
        return c.search(LDAP.server().usersBase(), SearchScope.ONE, Filter.createPresenceFilter("objectClass"))
                .getEntryCount();
    }

    @Test
    void failNextSearchesFailsExactlyThatManyWithTheCode(LdapDirectoryServer server) throws Exception {
        try (LDAPConnection c = Ldap.connect(server)) {
            server.failNextSearches(2, ResultCode.BUSY);
            assertThat(c.getRootDSE()).isNotNull(); // root DSE reads are not subject to faults
            assertThat(catchThrowableOfType(LDAPSearchException.class, () -> countUsers(c)).getResultCode())
                    .isEqualTo(ResultCode.BUSY);
            assertThat(catchThrowableOfType(LDAPSearchException.class, () -> countUsers(c)).getResultCode())
                    .isEqualTo(ResultCode.BUSY);
            assertThat(countUsers(c)).isEqualTo(10);

            server.failNextSearches(1, ResultCode.UNAVAILABLE);
            assertThat(catchThrowableOfType(LDAPSearchException.class, () -> countUsers(c)).getResultCode())
                    .isEqualTo(ResultCode.UNAVAILABLE);
            server.failNextSearches(5, ResultCode.BUSY);
            server.clearFaults();
            assertThat(countUsers(c)).isEqualTo(10);
        }
    }

    @Test
    void dropConnectionAfterEntriesClosesOnlyThatConnectionMidSearch(LdapDirectoryServer server) throws Exception {
        try (LDAPConnection victim = Ldap.connect(server); LDAPConnection bystander = Ldap.connect(server)) {
            server.dropConnectionAfterEntries(3);
            LDAPSearchException e = catchThrowableOfType(LDAPSearchException.class, () -> countUsers(victim));
            assertThat(e.getResultCode()).isIn(ResultCode.SERVER_DOWN, ResultCode.CONNECT_ERROR, ResultCode.DECODING_ERROR);
            assertThat(e.getSearchEntries()).hasSize(3);
            assertThat(victim.isConnected()).isFalse();
            assertThat(countUsers(bystander)).isEqualTo(10); // one-shot, and other connections live on
        }
    }

    @Test
    void dropConnectionCountsAcrossPages(LdapDirectoryServer server) throws Exception {
        try (LDAPConnection c = Ldap.connect(server)) {
            server.dropConnectionAfterEntries(7);
            LDAPException e = catchThrowableOfType(LDAPException.class, () -> Ldap.paged(c, server.usersBase(),
                    Filter.createEqualityFilter("objectClass", "inetOrgPerson"), 4, null));
            assertThat(e).isNotNull();
            assertThat(c.isConnected()).isFalse();
        }
    }

    @Test
    void delayEachEntrySlowsEveryEntryUntilCleared(LdapDirectoryServer server) throws Exception {
        try (LDAPConnection c = Ldap.connect(server)) {
            server.delayEachEntry(Duration.ofMillis(40));
            long started = System.nanoTime();
            assertThat(countUsers(c)).isEqualTo(10);
            long slowMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(slowMillis).isGreaterThanOrEqualTo(400);

            server.clearFaults();
            started = System.nanoTime();
            assertThat(countUsers(c)).isEqualTo(10);
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(slowMillis);
        }
    }

    @Test
    void anonymousBindsAreRefusedAndUnauthenticatedSearchesFail(LdapDirectoryServer server) throws Exception {
        try (LDAPConnection c = new LDAPConnection("127.0.0.1", server.port())) {
            LDAPException bind = catchThrowableOfType(LDAPException.class,
                    () -> c.bind(new com.unboundid.ldap.sdk.SimpleBindRequest()));
            assertThat(bind.getResultCode()).isEqualTo(ResultCode.INAPPROPRIATE_AUTHENTICATION);
            assertThat(catchThrowableOfType(LDAPException.class, () -> countUsers(c)).getResultCode())
                    .isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS);
            LDAPException wrong = catchThrowableOfType(LDAPException.class,
                    () -> c.bind(server.bindDn(), "not-the-password"));
            assertThat(wrong.getResultCode()).isEqualTo(ResultCode.INVALID_CREDENTIALS);
        }
    }

    @Test
    void writesOverLdapAreRefused(LdapDirectoryServer server) throws Exception {
        try (LDAPConnection c = Ldap.connect(server)) {
            LDAPException e = catchThrowableOfType(LDAPException.class, () -> c.delete("uid=u1," + server.usersBase()));
            assertThat(e.getResultCode()).isEqualTo(ResultCode.UNWILLING_TO_PERFORM);
            assertThat(countUsers(c)).isEqualTo(10);
        }
    }

    @Test
    void theExtensionInjectsTheSameServerItHands(LdapDirectoryServer server) {
        assertThat(server).isSameAs(LDAP.server());
        assertThat(server.directory()).isSameAs(DIRECTORY);
        assertThat(server.url()).isEqualTo("ldap://127.0.0.1:" + server.port());
        assertThat(server.flavour()).isEqualTo(LdapDirectoryServer.Flavour.OPENLDAP);
    }
}
