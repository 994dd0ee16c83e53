package io.usher.examples.cli;

import io.usher.core.SyncMode;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.google.GoogleDirectoryServer;
import io.usher.testkit.graph.GraphServer;
import io.usher.testkit.okta.OktaServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One of testkit's fake API identity providers on loopback, serving a directory, with the CLI configuration
 * (as a properties file would hold it) that reads it and the environment that configuration's secrets come
 * from. Secrets are only ever in the environment, never in the file.
 */
abstract class ApiIdp implements AutoCloseable {
    /** The Entra application's client secret; in the environment as {@value #ENTRA_SECRET_VAR}. */
    static final String ENTRA_SECRET = "Entra~S3cret.value-never-printed";
    static final String ENTRA_SECRET_VAR = "USHER_ENTRA_CLIENT_SECRET";
    static final String ENTRA_CLIENT = "0c8a4e2b-1111-4222-8333-444455556666";
    static final String OKTA_TOKEN = "00Okta-SSWS-token-value-never-printed";
    static final String OKTA_TOKEN_VAR = "USHER_OKTA_API_TOKEN";
    static final String GOOGLE_SA = "usher-cli@usher-test.iam.gserviceaccount.com";
    static final String GOOGLE_CLIENT_ID = "104857600000000000077";
    static final String GOOGLE_ADMIN = "admin@example.com";

    final InMemoryDirectory directory;

    ApiIdp(InMemoryDirectory directory) {
        this.directory = directory;
    }

    /** The connector type ({@code type = ...}). */
    abstract String type();

    /** The configuration's keys and values, secrets as {@code ${env:NAME}}. */
    abstract Map<String, String> config();

    /** The environment the configuration's secrets come from. */
    abstract Map<String, String> env();

    /** Values that must never appear in the CLI's output. */
    abstract List<String> secrets();

    /** How a second sync reads: incremental where the vendor offers changes, a snapshot for Google. */
    abstract SyncMode secondRunMode();

    String sourceId() {
        return type() + "-corp";
    }

    Map<String, String> base() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("source.id", sourceId());
        m.put("type", type());
        return m;
    }

    @Override
    public abstract void close();

    @Override
    public String toString() {
        return type();
    }

    static ApiIdp start(String type, InMemoryDirectory dir, Path tmp) {
        switch (type) {
            case "azure":
                return new Entra(dir);
            case "google":
                return new Google(dir, tmp);
            case "okta":
                return new Okta(dir);
            default:
                throw new IllegalArgumentException(type);
        }
    }

    /** Microsoft Entra ID: the fake Graph and token endpoint, an app with a client secret. */
    static final class Entra extends ApiIdp {
        final GraphServer server;

        Entra(InMemoryDirectory dir) {
            this(dir, b -> b);
        }

        /** With more apps registered, or other settings, by {@code more}. */
        Entra(InMemoryDirectory dir, UnaryOperator<GraphServer.Builder> more) {
            super(dir);
            server = more.apply(GraphServer.builder(dir)
                    .clientSecret(ENTRA_CLIENT, ENTRA_SECRET, GraphServer.CONNECTOR_PERMISSIONS)).start();
        }

        @Override
        String type() {
            return "azure";
        }

        @Override
        Map<String, String> config() {
            Map<String, String> m = base();
            m.put("connector.tenantId", server.tenant());
            m.put("connector.clientId", ENTRA_CLIENT);
            m.put("connector.clientSecret", "${env:" + ENTRA_SECRET_VAR + "}");
            m.put("connector.loginBaseUrl", server.loginUri().toString());
            m.put("connector.graphBaseUrl", server.graphUri().toString());
            return m;
        }

        @Override
        Map<String, String> env() {
            return Map.of(ENTRA_SECRET_VAR, ENTRA_SECRET);
        }

        @Override
        List<String> secrets() {
            return List.of(ENTRA_SECRET);
        }

        @Override
        SyncMode secondRunMode() {
            return SyncMode.INCREMENTAL;
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /** Google Workspace: the fake Directory API, a service account key file with domain-wide delegation. */
    static final class Google extends ApiIdp {
        private static KeyPair keys;
        final GoogleDirectoryServer server;
        final Path keyFile;

        Google(InMemoryDirectory dir, Path tmp) {
            super(dir);
            server = GoogleDirectoryServer.builder(dir).serviceAccount(GOOGLE_SA, GOOGLE_CLIENT_ID, keys().getPublic())
                    .delegate(GOOGLE_CLIENT_ID, GoogleDirectoryServer.READONLY_SCOPES).admin(GOOGLE_ADMIN).start();
            try {
                keyFile = Files.writeString(Files.createTempFile(tmp, "service-account", ".json"),
                        server.keyFile(GOOGLE_SA, keys().getPrivate()));
            } catch (IOException e) {
                server.close();
                throw new UncheckedIOException(e);
            }
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

        @Override
        String type() {
            return "google";
        }

        @Override
        Map<String, String> config() {
            Map<String, String> m = base();
            m.put("connector.keyFile", keyFile.toString());
            m.put("connector.adminEmail", GOOGLE_ADMIN);
            m.put("connector.username", "localPart");
            m.put("connector.apiBaseUrl", server.apiUri().toString());
            return m;
        }

        @Override
        Map<String, String> env() {
            return Map.of();
        }

        @Override
        List<String> secrets() {
            // a stretch of the private key as the key file holds it (base64 of PKCS#8)
            return List.of(Base64.getEncoder().encodeToString(keys().getPrivate().getEncoded()).substring(100, 164));
        }

        @Override
        SyncMode secondRunMode() {
            return SyncMode.SNAPSHOT;
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /** Okta: the fake management API, an SSWS API token. */
    static final class Okta extends ApiIdp {
        final OktaServer server;

        Okta(InMemoryDirectory dir) {
            super(dir);
            server = OktaServer.builder(dir).apiToken(OKTA_TOKEN).start();
        }

        @Override
        String type() {
            return "okta";
        }

        @Override
        Map<String, String> config() {
            Map<String, String> m = base();
            m.put("connector.orgUrl", server.orgUri().toString());
            m.put("connector.apiToken", "${env:" + OKTA_TOKEN_VAR + "}");
            return m;
        }

        @Override
        Map<String, String> env() {
            return Map.of(OKTA_TOKEN_VAR, OKTA_TOKEN);
        }

        @Override
        List<String> secrets() {
            return List.of(OKTA_TOKEN);
        }

        @Override
        SyncMode secondRunMode() {
            return SyncMode.INCREMENTAL;
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
