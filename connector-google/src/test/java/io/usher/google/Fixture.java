package io.usher.google;

import io.usher.core.http.Sleeper;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.google.GoogleDirectoryServer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A fake Google Directory API on loopback over a directory, and connectors configured to read it. */
final class Fixture implements AutoCloseable {
    static final String SA_EMAIL = "usher-sync@usher-test.iam.gserviceaccount.com";
    static final String SA_CLIENT_ID = "104857600000000000001";
    static final String ADMIN = "admin@example.com";
    private static KeyPair keys;

    final GoogleDirectoryServer server;
    /** Every wait the connector asked for; the tests never sleep. */
    final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
    final Sleeper sleeper = waits::add;

    private Fixture(GoogleDirectoryServer server) {
        this.server = server;
    }

    static synchronized KeyPair keys() {
        if (keys == null) {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                keys = g.generateKeyPair();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return keys;
    }

    /** A fake with the service account registered, delegated the read-only scopes, and one admin. */
    static GoogleDirectoryServer.Builder builder(InMemoryDirectory dir) {
        return GoogleDirectoryServer.builder(dir).serviceAccount(SA_EMAIL, SA_CLIENT_ID, keys().getPublic())
                .delegate(SA_CLIENT_ID, GoogleDirectoryServer.READONLY_SCOPES).admin(ADMIN);
    }

    static Fixture start(InMemoryDirectory dir) {
        return start(builder(dir));
    }

    static Fixture start(GoogleDirectoryServer.Builder b) {
        return new Fixture(b.start());
    }

    String keyFile() {
        return server.keyFile(SA_EMAIL, keys().getPrivate());
    }

    /** A configuration pointing at the fake, login names as the local part (the directory's login names). */
    GoogleConfig.Builder config() {
        return GoogleConfig.builder().keyJson(keyFile()).adminEmail(ADMIN).apiBaseUrl(server.apiUri())
                .username(GoogleConfig.Username.LOCAL_PART).sleeper(sleeper);
    }

    GoogleSourceConnector connector() {
        return new GoogleSourceConnector(config().build());
    }

    @Override
    public void close() {
        server.close();
    }
}
