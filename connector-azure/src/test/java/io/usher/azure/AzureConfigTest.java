package io.usher.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.ConfigException;
import io.usher.core.Connectors;
import io.usher.core.UsherException;
import io.usher.core.spi.ConnectorConfig;
import io.usher.core.spi.SourceException;
import io.usher.testkit.RecordingSink;
import io.usher.testkit.graph.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AzureConfigTest {
    private static final String SECRET = "very-Secret~value";

    private static Map<String, String> base() {
        Map<String, String> m = new HashMap<>();
        m.put("tenantId", "72f988bf-86f1-41af-91ab-2d7cd011db47");
        m.put("clientId", "0c8a4e2b-1111-4222-8333-444455556666");
        m.put("clientSecret", SECRET);
        return m;
    }

    @Test
    void aMinimalConfigurationUsesTheGlobalCloudAndUpn() {
        AzureConfig c = AzureConfig.fromConfig(ConnectorConfig.of(base()));

        assertThat(c.tokenUri()).hasToString(
                "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token");
        assertThat(c.graphBase).hasToString("https://graph.microsoft.com/v1.0/");
        assertThat(c.scope()).isEqualTo("https://graph.microsoft.com/.default");
        assertThat(c.usernameFrom).containsExactly(AzureConfig.UsernameSource.USER_PRINCIPAL_NAME);
        assertThat(c.pageSize).isEqualTo(999);
        assertThat(c.toString()).doesNotContain(SECRET);
    }

    @Test
    void aNationalCloudSetsBothHosts() {
        Map<String, String> m = base();
        m.put("cloud", "usgov");

        AzureConfig c = AzureConfig.fromConfig(ConnectorConfig.of(m));

        assertThat(c.tokenUri().getHost()).isEqualTo("login.microsoftonline.us");
        assertThat(c.scope()).isEqualTo("https://graph.microsoft.us/.default");
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "tenantId | - | tenantId",
            "tenantId | bad tenant/id | tenantId",
            "clientId | - | clientId",
            "clientSecret | - | clientSecret",
            "graphBaseUrl | http://graph.example/v1.0/ | graphBaseUrl",
            "loginBaseUrl | https://user:pw@login.example/ | loginBaseUrl",
            "pageSize | 1000 | pageSize",
            "pageSize | 0 | pageSize",
            "maxConcurrency | 99 | maxConcurrency",
            "usernameFrom | employeeId | usernameFrom",
            "userTypes | member,service | userTypes",
            "groups | not a group id | groups",
            "extraAttributes | depart ment | extraAttributes",
            "signingAlgorithm | HS256 | signingAlgorithm",
            "cloud | mars | cloud",
            "requestTimeout | soon | requestTimeout",
            "privateKeyPath | /nonexistent.pem | privateKeyPath",
            "certificatePath | /nonexistent.pem | certificatePath",
            "clientSecrett | x | clientSecrett",
    })
    void badSettingsNameTheirKeyAndNeverEchoTheValue(String key, String value, String named) {
        Map<String, String> m = base();
        if (value == null) {
            m.remove(key);
        } else {
            m.put(key, value);
        }
        assertThatThrownBy(() -> AzureConfig.fromConfig(ConnectorConfig.of(m)))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo(named);
                    assertThat(e.getMessage()).doesNotContain(SECRET);
                    if (value != null && value.length() > 5) {
                        assertThat(e.getMessage()).doesNotContain(value);
                    }
                });
    }

    @Test
    void aSecretAndACertificateTogetherAreRefused(@TempDir Path tmp) throws Exception {
        SelfSignedCertificate cert = Fixture.certificate();
        Path pem = tmp.resolve("app.pem");
        Files.writeString(pem, cert.certificatePem() + cert.privateKeyPem());
        Map<String, String> m = base();
        m.put("certificatePath", pem.toString());

        assertThatThrownBy(() -> AzureConfig.fromConfig(ConnectorConfig.of(m)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("clientSecret"));
        m.remove("clientSecret");
        AzureConfig c = AzureConfig.fromConfig(ConnectorConfig.of(m));
        assertThat(c.usesSecret()).isFalse();
        assertThat(c.certificate).isEqualTo(cert.certificate());
    }

    @Test
    void aKeyFileWithoutAPkcs8BlockSaysHowToConvert(@TempDir Path tmp) throws Exception {
        Path pem = tmp.resolve("app.pem");
        Files.writeString(pem, Fixture.certificate().certificatePem()
                + "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        Map<String, String> m = base();
        m.remove("clientSecret");
        m.put("certificatePath", pem.toString());

        assertThatThrownBy(() -> AzureConfig.fromConfig(ConnectorConfig.of(m)))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("certificatePath");
                    assertThat(e.getMessage()).contains("pkcs8");
                });
    }

    @Test
    void theProviderIsFoundByTypeAndDeclaresItsKeysAndSecrets() {
        Connectors all = Connectors.discover();

        assertThat(all.types()).contains("azure");
        assertThat(all.provider("azure").secretKeys()).containsExactly("clientSecret");
        assertThat(all.provider("azure").keys()).contains("tenantId", "clientId", "graphBaseUrl", "usernameFrom");
        assertThat(all.create("azure", base())).isInstanceOf(AzureSourceConnector.class)
                .hasToString(all.create("azure", base()).toString()).asString().doesNotContain(SECRET);
    }

    /** One connector for every try (each would otherwise start an HttpClient); no request is ever sent. */
    private static final AzureSourceConnector OFFLINE = new AzureSourceConnector(
            AzureConfig.fromConfig(ConnectorConfig.of(base())));

    @Property(tries = 300)
    void anyForeignCursorIsCursorInvalidBeforeAnyRequest(@ForAll String cursor) {
        AzureSourceConnector c = OFFLINE;
        try {
            c.changes(cursor, RecordingSink.create());
            throw new AssertionError("accepted " + cursor);
        } catch (SourceException e) {
            assertThat(e.code()).isEqualTo(UsherException.Code.CURSOR_INVALID);
        }
    }
}
