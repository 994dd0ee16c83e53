package io.usher.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.ConfigException;
import io.usher.core.spi.ConnectorConfig;
import io.usher.testkit.InMemoryDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Flat configuration, the builder's checks and the key file parser: every error names the key, never the secret. */
class GoogleConfigTest {
    private static Fixture fixture;
    private static String keyJson;

    @BeforeAll
    static void start() {
        fixture = Fixture.start(InMemoryDirectory.create(3));
        keyJson = fixture.keyFile();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static Map<String, String> flat() {
        Map<String, String> m = new HashMap<>();
        m.put("keyJson", keyJson);
        m.put("adminEmail", Fixture.ADMIN);
        return m;
    }

    @Test
    void flatKeysWithAKeyFileOnDisk(@TempDir Path tmp) throws Exception {
        Path key = tmp.resolve("sa.json");
        Files.writeString(key, keyJson);
        Map<String, String> m = new HashMap<>();
        m.put("keyFile", key.toString());
        m.put("adminEmail", Fixture.ADMIN);
        m.put("domain", "Example.com");
        m.put("orgUnits", "/Engineering/, /Sales");
        m.put("username", "localPart");
        m.put("archived", "exclude");
        m.put("etagCache", "false");
        m.put("pageSize", "250");

        GoogleConfig c = GoogleConfig.fromConfig(ConnectorConfig.of(m));

        assertThat(c.domain).isEqualTo("example.com");
        assertThat(c.customer).isNull();
        assertThat(c.orgUnits).containsExactly("/Engineering", "/Sales");
        assertThat(c.username).isEqualTo(GoogleConfig.Username.LOCAL_PART);
        assertThat(c.archived).isEqualTo(GoogleConfig.Archived.EXCLUDE);
        assertThat(c.etagCache).isFalse();
        assertThat(c.pageSize).isEqualTo(250);
        assertThat(c.tokenUri).isEqualTo(fixture.server.tokenUri());
        assertThat(c.key.clientEmail()).isEqualTo(Fixture.SA_EMAIL);
        assertThat(c.toString()).doesNotContain("PRIVATE").contains(Fixture.SA_EMAIL);
    }

    @Test
    void defaultsAreTheWholeCustomerAndGooglesHosts() {
        GoogleConfig c = GoogleConfig.fromConfig(ConnectorConfig.of(flat()));

        assertThat(c.customer).isEqualTo("my_customer");
        assertThat(c.apiBase).isEqualTo(GoogleConfig.DEFAULT_API);
        assertThat(c.etagCache).isTrue();
        assertThat(c.pageSize).isEqualTo(500);
    }

    @Test
    void theProviderMakesAConnectorAndNamesItsSecretKey() {
        GoogleConnectorProvider p = new GoogleConnectorProvider();
        assertThat(p.type()).isEqualTo("google");
        assertThat(p.secretKeys()).containsExactly("keyJson");
        assertThat(p.keys()).contains("adminEmail", "keyFile", "orgUnits", "groups");
        assertThat(p.create(ConnectorConfig.of(flat()))).isInstanceOf(GoogleSourceConnector.class);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "adminEmail|not-an-email|must be an e-mail address",
            "customer|everyone|must be my_customer or a customer id",
            "domain|no_dots|must be a domain name",
            "orgUnits|Engineering|must be a path starting with /",
            "username|upn|must be primaryEmail or localPart",
            "archived|maybe|must be one of",
            "pageSize|501|between 1 and 500",
            "maxConcurrency|0|between 1 and 32",
            "apiBaseUrl|http://admin.example.com/x/|plain http is accepted for loopback hosts only",
            "tokenUri|ftp://x/|must be https",
            "colour|blue|is not a known key",
    })
    void aBadSettingNamesItsKey(String key, String value, String message) {
        Map<String, String> m = flat();
        m.put(key, value);

        assertThatThrownBy(() -> GoogleConfig.fromConfig(ConnectorConfig.of(m)))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo(key);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @Test
    void customerAndDomainTogetherAreRefused() {
        Map<String, String> m = flat();
        m.put("customer", "my_customer");
        m.put("domain", "example.com");

        assertThatThrownBy(() -> GoogleConfig.fromConfig(ConnectorConfig.of(m))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("not both");
    }

    @Test
    void exactlyOneKeySourceIsRequired() {
        Map<String, String> none = flat();
        none.remove("keyJson");
        assertThatThrownBy(() -> GoogleConfig.fromConfig(ConnectorConfig.of(none)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("keyFile"));
        Map<String, String> both = flat();
        both.put("keyFile", "/nonexistent.json");
        assertThatThrownBy(() -> GoogleConfig.fromConfig(ConnectorConfig.of(both)))
                .hasMessageContaining("exactly one");
    }

    @Test
    void anUnreadableKeyFileNamesTheKeyAndNotThePath() {
        Map<String, String> m = flat();
        m.remove("keyJson");
        m.put("keyFile", "/nonexistent/secret-dir/sa.json");

        assertThatThrownBy(() -> GoogleConfig.fromConfig(ConnectorConfig.of(m))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("keyFile").hasMessageContaining("cannot be read");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not json|not JSON",
            "[1,2]|not a JSON object",
            "{\"type\":\"authorized_user\",\"client_email\":\"a@b.c\"}|not a service_account key",
            "{\"type\":\"service_account\",\"private_key\":\"x\"}|has no client_email",
            "{\"type\":\"service_account\",\"client_email\":\"a@b.c\"}|has no private_key",
            "{\"client_email\":\"a@b.c\",\"private_key\":\"SECRETSECRET\"}|not a PKCS#8 PEM block",
            "{\"client_email\":\"a@b.c\",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nSECRETSECRET\\n-----END PRIVATE KEY-----\"}|not a readable RSA private key",
    })
    void aBadKeyFileIsNamedWithoutEchoingIt(String json, String message) {
        assertThatThrownBy(() -> GoogleConfig.builder().keyJson(json))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("keyJson");
                    assertThat(e.getMessage()).contains(message).doesNotContain("SECRETSECRET");
                });
    }

    @Test
    void aKeyFileWithoutTokenUriUsesGooglesTokenEndpoint() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode key = (com.fasterxml.jackson.databind.node.ObjectNode) m.readTree(keyJson);
        key.remove("token_uri");
        String noUri = m.writeValueAsString(key);
        GoogleConfig c = GoogleConfig.builder().keyJson(noUri).adminEmail(Fixture.ADMIN).build();

        assertThat(c.tokenUri).isEqualTo(ServiceAccountKey.DEFAULT_TOKEN_URI);
    }

    @Test
    void theDelegationJwtCarriesWhatGoogleRequires() throws Exception {
        GoogleConfig c = fixture.config().build();
        String jwt = new DelegationJwt(c.key, GoogleConfig.scope(), Fixture.ADMIN, java.time.Clock.fixed(
                java.time.Instant.parse("2026-11-29T08:00:00Z"), java.time.ZoneOffset.UTC)).sign();
        com.nimbusds.jwt.SignedJWT parsed = com.nimbusds.jwt.SignedJWT.parse(jwt);

        assertThat(parsed.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
        assertThat(parsed.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(
                (java.security.interfaces.RSAPublicKey) Fixture.keys().getPublic()))).isTrue();
        var claims = parsed.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(Fixture.SA_EMAIL);
        assertThat(claims.getSubject()).isEqualTo(Fixture.ADMIN);
        assertThat(claims.getAudience()).containsExactly(fixture.server.tokenUri().toString());
        assertThat(claims.getStringClaim("scope").split(" ")).containsExactlyInAnyOrder(
                "https://www.googleapis.com/auth/admin.directory.user.readonly",
                "https://www.googleapis.com/auth/admin.directory.group.readonly",
                "https://www.googleapis.com/auth/admin.directory.group.member.readonly");
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(3_600_000L);
    }
}
