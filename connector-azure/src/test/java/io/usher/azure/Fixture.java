package io.usher.azure;

import io.usher.core.http.Sleeper;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.graph.GraphServer;
import io.usher.testkit.graph.SelfSignedCertificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/** A fake Graph on loopback over a directory, and connectors configured to read it. */
final class Fixture implements AutoCloseable {
    static final String CLIENT = "11111111-2222-4333-8444-555555555555";
    static final String SECRET = "s3cr3t-Value~not-for-logs";
    static final String CERT_CLIENT = "99999999-2222-4333-8444-555555555555";
    private static SelfSignedCertificate cert;

    final GraphServer server;
    /** Every wait the connector asked for; the tests never sleep. */
    final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
    final Sleeper sleeper = waits::add;

    private Fixture(GraphServer server) {
        this.server = server;
    }

    static synchronized SelfSignedCertificate certificate() {
        if (cert == null) {
            cert = SelfSignedCertificate.create("usher-test-app");
        }
        return cert;
    }

    static Fixture start(InMemoryDirectory dir) {
        return start(GraphServer.builder(dir));
    }

    static Fixture start(GraphServer.Builder b) {
        return new Fixture(b.clientSecret(CLIENT, SECRET, GraphServer.CONNECTOR_PERMISSIONS)
                .clientCertificate(CERT_CLIENT, certificate().certificate(), GraphServer.CONNECTOR_PERMISSIONS)
                .start());
    }

    /** A configuration with the client secret, pointing at the fake. */
    AzureConfig.Builder config() {
        return AzureConfig.builder().tenantId(server.tenant()).clientId(CLIENT).clientSecret(SECRET)
                .loginBaseUrl(server.loginUri()).graphBaseUrl(server.graphUri()).sleeper(sleeper);
    }

    /** A configuration with the certificate, pointing at the fake. */
    AzureConfig.Builder certificateConfig(AzureConfig.SigningAlgorithm alg) {
        return AzureConfig.builder().tenantId(server.tenant()).clientId(CERT_CLIENT)
                .certificate(certificate().certificate(), certificate().keyPair().getPrivate()).signingAlgorithm(alg)
                .loginBaseUrl(server.loginUri()).graphBaseUrl(server.graphUri()).sleeper(sleeper);
    }

    AzureSourceConnector connector() {
        return new AzureSourceConnector(config().build());
    }

    AzureSourceConnector connector(Clock clock) {
        return new AzureSourceConnector(config().clock(clock).build());
    }

    static Set<String> permissions(String... p) {
        return Set.of(p);
    }

    @Override
    public void close() {
        server.close();
    }
}
