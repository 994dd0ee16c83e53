package io.usher.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchEntry;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchResult;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Filter;
import io.usher.core.UsherException;
import io.usher.core.spi.SourceException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * When the caller of a paged read gives up (its handler throws) while the page-reader thread waits for the next
 * page from a server that is slow to send it, the read ends at once with the caller's exception: it does not
 * wait for that page or for the response timeout. In the SDK's synchronous mode the page-reader thread blocks in
 * a socket read, which an interrupt does not end.
 */
class LdapReaderStopTest {
    private static final String PASSWORD = "t3st-Secret";
    private static final String PEOPLE = "ou=people,dc=usher,dc=test";

    /** Holds every entry of the second search until released: a server slow to send the next page. */
    private static final class SlowSecondPage extends InMemoryOperationInterceptor {
        /** The search whose entries are held back (the second, unless a test says otherwise). */
        volatile int held = 2;
        final AtomicInteger searches = new AtomicInteger();
        final CountDownLatch heldSearchArrived = new CountDownLatch(1);
        final CountDownLatch secondSearchArrived = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch secondSearchDone = new CountDownLatch(1);

        @Override
        public void processSearchRequest(InMemoryInterceptedSearchRequest request) {
            if (request.getRequest().getBaseDN().equals(PEOPLE)) {
                int n = searches.incrementAndGet();
                if (n == 2) {
                    secondSearchArrived.countDown();
                }
                if (n == held) {
                    heldSearchArrived.countDown();
                }
            }
        }

        @Override
        public void processSearchResult(InMemoryInterceptedSearchResult result) {
            if (searches.get() == 2) {
                secondSearchDone.countDown();
            }
        }

        @Override
        public void processSearchEntry(InMemoryInterceptedSearchEntry entry) {
            if (searches.get() >= held) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private final SlowSecondPage slow = new SlowSecondPage();
    private InMemoryDirectoryServer server;

    @BeforeEach
    void start() throws Exception {
        InMemoryDirectoryServerConfig cfg = new InMemoryDirectoryServerConfig("dc=usher,dc=test");
        cfg.addAdditionalBindCredentials("cn=admin,dc=usher,dc=test", PASSWORD);
        cfg.setSchema(null);
        cfg.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0, null));
        cfg.addInMemoryOperationInterceptor(slow);
        server = new InMemoryDirectoryServer(cfg);
        server.startListening();
        server.add("dn: dc=usher,dc=test", "objectClass: domain", "dc: usher");
        server.add("dn: " + PEOPLE, "objectClass: organizationalUnit", "ou: people");
        for (String uid : List.of("alice", "bob", "carol")) {
            server.add("dn: uid=" + uid + "," + PEOPLE, "objectClass: inetOrgPerson", "uid: " + uid, "cn: " + uid,
                    "sn: " + uid);
        }
    }

    @AfterEach
    void stop() {
        slow.release.countDown();
        server.shutDown(true);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // the response timeout is 10 minutes: waiting for it fails here
    void aHandlerThatFailsWhileTheNextPageIsSlowEndsTheReadWithoutWaitingForThatPage() {
        LdapConfig config = LdapConfig.builder().url("ldap://127.0.0.1:" + server.getListenPort())
                .preset(Preset.OPENLDAP).bind("cn=admin,dc=usher,dc=test", PASSWORD).usersBase(PEOPLE)
                .pageSize(1).responseTimeout(Duration.ofMinutes(10)).build();
        AtomicInteger handled = new AtomicInteger();
        try (LdapReader reader = new LdapReader(config)) {
            assertThatThrownBy(() -> reader.paged(PEOPLE, Filter.createPresenceFilter("objectClass"), List.of("uid"),
                    List.of(), e -> {
                        handled.incrementAndGet();
                        try {
                            // the page reader has asked for the next page, which the server holds back
                            assertThat(slow.secondSearchArrived.await(30, TimeUnit.SECONDS)).isTrue();
                        } catch (InterruptedException x) {
                            Thread.currentThread().interrupt();
                        }
                        throw new SourceException(UsherException.Code.SOURCE_DATA, "the handler gave up");
                    }))
                    .isInstanceOf(SourceException.class).hasMessage("the handler gave up");
        }
        assertThat(handled).hasValue(1);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aPageSlowerThanTheResponseTimeoutIsSourceUnavailableAndTheNextReadSeesOnlyItsOwnEntries() throws Exception {
        LdapConfig config = LdapConfig.builder().url("ldap://127.0.0.1:" + server.getListenPort())
                .preset(Preset.OPENLDAP).bind("cn=admin,dc=usher,dc=test", PASSWORD).usersBase(PEOPLE)
                .pageSize(1).poolSize(1).responseTimeout(Duration.ofSeconds(1)).build();
        try (LdapReader reader = new LdapReader(config)) {
            List<String> first = new java.util.ArrayList<>();
            assertThatThrownBy(() -> reader.paged(PEOPLE, Filter.createPresenceFilter("objectClass"), List.of("uid"),
                    List.of(), e -> first.add(e.getDN())))
                    .isInstanceOfSatisfying(SourceException.class,
                            x -> assertThat(x.code()).isEqualTo(UsherException.Code.SOURCE_UNAVAILABLE))
                    .hasMessageContaining("reading").hasMessageContaining("timeout").hasMessageNotContaining(PASSWORD);
            assertThat(first).hasSize(1);
            // the server now sends the late page on the connection the first read gave up on
            slow.release.countDown();
            assertThat(slow.secondSearchDone.await(30, TimeUnit.SECONDS)).isTrue();
            List<String> second = new java.util.ArrayList<>();
            reader.paged(PEOPLE, Filter.createPresenceFilter("objectClass"), List.of("uid"), List.of(),
                    e -> second.add(e.getDN()));
            assertThat(second).containsExactlyInAnyOrder(PEOPLE, "uid=alice," + PEOPLE, "uid=bob," + PEOPLE,
                    "uid=carol," + PEOPLE);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aReadAfterTheServerClosedTheIdlePooledConnectionSucceeds() throws Exception {
        slow.release.countDown(); // no slow page here
        LdapConfig config = LdapConfig.builder().url("ldap://127.0.0.1:" + server.getListenPort())
                .preset(Preset.OPENLDAP).bind("cn=admin,dc=usher,dc=test", PASSWORD).usersBase(PEOPLE)
                .pageSize(10).poolSize(1).build();
        try (LdapReader reader = new LdapReader(config)) {
            List<String> first = new java.util.ArrayList<>();
            reader.paged(PEOPLE, Filter.createPresenceFilter("objectClass"), List.of("uid"), List.of(),
                    e -> first.add(e.getDN()));
            assertThat(first).hasSize(4);
            // as a directory does with connections idle longer than its limit (AD's MaxConnIdleTime: 15 minutes)
            server.closeAllConnections(true);
            List<String> second = new java.util.ArrayList<>();
            reader.paged(PEOPLE, Filter.createPresenceFilter("objectClass"), List.of("uid"), List.of(),
                    e -> second.add(e.getDN()));
            assertThat(second).hasSize(4);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aHandlerThatFailsWhileAPageWaitsAndTheReaderIsBlockedOnTheNextEndsTheReadAtOnce() {
        slow.held = 3; // page 2 arrives and waits in the reader's one slot; page 3 is held back
        LdapConfig config = LdapConfig.builder().url("ldap://127.0.0.1:" + server.getListenPort())
                .preset(Preset.OPENLDAP).bind("cn=admin,dc=usher,dc=test", PASSWORD).usersBase(PEOPLE)
                .pageSize(1).responseTimeout(Duration.ofMinutes(10)).build();
        try (LdapReader reader = new LdapReader(config)) {
            assertThatThrownBy(() -> reader.paged(PEOPLE, Filter.createPresenceFilter("objectClass"), List.of("uid"),
                    List.of(), e -> {
                        try {
                            assertThat(slow.heldSearchArrived.await(30, TimeUnit.SECONDS)).isTrue();
                        } catch (InterruptedException x) {
                            Thread.currentThread().interrupt();
                        }
                        throw new SourceException(UsherException.Code.SOURCE_DATA, "the handler gave up");
                    }))
                    .isInstanceOf(SourceException.class).hasMessage("the handler gave up");
        }
    }
}
