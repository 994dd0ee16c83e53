package io.usher.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Filter;
import io.usher.testkit.graph.SelfSignedCertificate;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * StartTLS (RFC 4511 extended operation, then TLS on the same connection) against UnboundID's in-memory server
 * with a certificate made for the test: the connector reads in the SDK's synchronous mode, and its pool connects
 * through a StartTLS post-connect processor.
 */
class LdapStartTlsTest {
    private static final String PASSWORD = "t3st-Secret";
    private static final String PEOPLE = "ou=people,dc=usher,dc=test";
    private InMemoryDirectoryServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutDown(true);
        }
    }

    @Test
    void aPagedReadOverStartTlsReadsEveryEntry(@TempDir Path dir) throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.create("127.0.0.1");
        char[] pass = "changeit".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", cert.keyPair().getPrivate(), pass, new Certificate[] {cert.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, pass);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", cert.certificate());
        Path trustFile = dir.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(trustFile)) {
            trust.store(out, pass);
        }

        InMemoryDirectoryServerConfig cfg = new InMemoryDirectoryServerConfig("dc=usher,dc=test");
        cfg.addAdditionalBindCredentials("cn=admin,dc=usher,dc=test", PASSWORD);
        cfg.setSchema(null);
        cfg.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0,
                serverTls.getSocketFactory()));
        server = new InMemoryDirectoryServer(cfg);
        server.startListening();
        server.add("dn: dc=usher,dc=test", "objectClass: domain", "dc: usher");
        server.add("dn: " + PEOPLE, "objectClass: organizationalUnit", "ou: people");
        for (int i = 0; i < 7; i++) {
            server.add("dn: uid=u" + i + "," + PEOPLE, "objectClass: inetOrgPerson", "uid: u" + i, "cn: u" + i,
                    "sn: u" + i);
        }

        LdapConfig config = LdapConfig.builder().url("ldap://127.0.0.1:" + server.getListenPort())
                .preset(Preset.OPENLDAP).bind("cn=admin,dc=usher,dc=test", PASSWORD).usersBase(PEOPLE)
                .startTls(true).trustStore(trustFile.toString(), "changeit", "PKCS12").hostnameVerification(false)
                .pageSize(3).build();
        try (LdapReader reader = new LdapReader(config)) {
            List<String> dns = new ArrayList<>();
            reader.paged(PEOPLE, Filter.createPresenceFilter("uid"), List.of("uid"), List.of(), e -> dns.add(e.getDN()));
            assertThat(dns).hasSize(7).contains("uid=u0," + PEOPLE, "uid=u6," + PEOPLE);
            Boolean secured = reader.withConnection(c -> c.getSSLSession() != null);
            assertThat(secured).isTrue();
        }
    }
}
