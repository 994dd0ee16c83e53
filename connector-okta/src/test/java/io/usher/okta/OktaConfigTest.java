package io.usher.okta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.usher.core.ConfigException;
import io.usher.core.Connectors;
import io.usher.core.spi.ConnectorConfig;
import io.usher.core.spi.SourceConnector;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class OktaConfigTest {
    private static final String SECRET = "00SECRET-token-never-shown";

    private static Map<String, String> base() {
        Map<String, String> m = new HashMap<>();
        m.put("orgUrl", "https://corp.okta.com");
        m.put("apiToken", SECRET);
        return m;
    }

    @Test
    void flatKeysBuildTheConfiguration() {
        Map<String, String> m = base();
        m.put("groupTypes", "OKTA_GROUP, APP_GROUP");
        m.put("groups.nameRegex", "^app-");
        m.put("groups.ids", "00g1abc,00g2def");
        m.put("usernameFrom", "loginNamePart");
        m.put("pageSize", "100");
        m.put("rateLimitShare", "0.3");
        m.put("timestampOverlap", "5m");
        m.put("fullReconcileAfter", "12h");

        OktaConfig c = OktaConfig.fromConfig(ConnectorConfig.of(m));

        assertThat(c.orgUrl.toString()).isEqualTo("https://corp.okta.com/");
        assertThat(c.groupTypes).containsExactlyInAnyOrder(OktaConfig.GroupType.OKTA_GROUP, OktaConfig.GroupType.APP_GROUP);
        assertThat(c.inScope("00g1abc", OktaConfig.GroupType.APP_GROUP, "app-wiki")).isTrue();
        assertThat(c.inScope("00g1abc", OktaConfig.GroupType.APP_GROUP, "wiki")).isFalse();
        assertThat(c.inScope("00g9zzz", OktaConfig.GroupType.OKTA_GROUP, "app-wiki")).isFalse();
        assertThat(c.usernameFrom).isEqualTo(OktaConfig.UsernameFrom.LOGIN_NAME_PART);
        assertThat(c.pageSize).isEqualTo(100);
        assertThat(c.rateLimitShare).isEqualTo(0.3);
        assertThat(c.timestampOverlap).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.fullReconcileAfter).isEqualTo(Duration.ofHours(12));
        assertThat(c.scopes).containsExactly("okta.users.read", "okta.groups.read", "okta.logs.read");
        assertThat(c.toString()).doesNotContain(SECRET).contains("SSWS API token");
    }

    @ParameterizedTest(name = "[{index}] {0}={1}")
    @CsvSource(delimiter = '|', value = {
        "orgUrl | http://corp.okta.com | orgUrl | https",
        "orgUrl | https://corp.okta.com/api/v1 | orgUrl | without a path",
        "orgUrl | https://corp.okta.com?x=1 | orgUrl | query",
        "orgUrl | ftp://corp.okta.com | orgUrl | https",
        "orgUrl | not a url | orgUrl | valid URL",
        "apiToken | '' | apiToken | is required",
        "apiToken | has space | apiToken | printable",
        "pageSize | 201 | pageSize | between 1 and 200",
        "pageSize | ten | pageSize | whole number",
        "rateLimitShare | 1.5 | rateLimitShare | between",
        "rateLimitShare | 0 | rateLimitShare | between",
        "groupTypes | BUILT_IN | groupTypes | OKTA_GROUP",
        "groups.nameRegex | [a- | groups.nameRegex | regular expression",
        "groups.ids | 00g/../x | groups.ids | group ids",
        "usernameFrom | upn | usernameFrom | login, loginNamePart, email",
        "dpop | maybe | dpop | auto, true, false",
        "dpop | true | dpop | service app",
        "timestampOverlap | 5 parsecs | timestampOverlap | duration",
        "fullReconcileAfter | 1m | fullReconcileAfter | longer than timestampOverlap",
        "scopes | 'okta.users.read;drop' | scopes | scope names",
        "clientId | 0oa1 | privateKey | required with clientId",
        "privateKey | {\"kty\":\"RSA\"} | clientId | required with privateKey",
        "maxAttempts | 0 | maxAttempts | between 1 and 100",
        "orgurl | https://corp.okta.com | orgurl | not a known key",
    })
    void badValuesNameTheirKeyAndNeverEchoTheValue(String key, String value, String namedKey, String says) {
        Map<String, String> m = base();
        m.put(key, value);
        if (key.equals("privateKey")) {
            m.remove("apiToken");
        }

        assertThatThrownBy(() -> OktaConfig.fromConfig(ConnectorConfig.of(m))).isInstanceOf(ConfigException.class)
                .hasMessageContaining(namedKey).hasMessageContaining(says).hasMessageNotContaining(SECRET);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "not a key at all | JWK (JSON) or a PKCS#8 PEM",
        "{\"kty\":\"RSA\"} | not a valid JWK",
        "-----BEGIN RSA PRIVATE KEY-----\\nMIIB\\n-----END RSA PRIVATE KEY----- | PKCS#8",
        "-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY----- | not an RSA PKCS#8 private key",
    })
    void unusablePrivateKeysAreRefusedWhenConfigured(String key, String says) {
        assertThatThrownBy(() -> OktaConfig.builder(java.net.URI.create("https://corp.okta.com"))
                .serviceApp("0oa1", key.replace("\\n", "\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("privateKey").hasMessageContaining(says);
    }

    @Test
    void aPublicKeyIsRefusedAndAGoodOneIsNeverShown() throws Exception {
        var rsa = new RSAKeyGenerator(2048).generate();
        assertThatThrownBy(() -> OktaConfig.builder(java.net.URI.create("https://corp.okta.com"))
                .serviceApp("0oa1", rsa.toPublicJWK().toJSONString()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("public key");
        OktaConfig c = OktaConfig.builder(java.net.URI.create("https://corp.okta.com"))
                .serviceApp("0oa1", rsa.toJSONString()).build();
        assertThat(c.toString()).contains("0oa1").doesNotContain(rsa.getPrivateExponent().toString());
    }

    @Test
    void httpIsAllowedOnlyForLoopback() {
        assertThat(OktaConfig.builder(java.net.URI.create("http://127.0.0.1:8080")).apiToken("x").build().orgUrl)
                .hasToString("http://127.0.0.1:8080/");
        assertThatThrownBy(() -> OktaConfig.builder(java.net.URI.create("http://corp.okta.com")))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void theProviderIsDiscoveredAsOktaAndMarksItsSecrets() {
        Connectors all = Connectors.discover();
        var provider = new OktaConnectorProvider();
        assertThat(provider.secretKeys()).containsExactlyInAnyOrder("apiToken", "privateKey");
        assertThat(provider.keys()).contains("orgUrl", "groups.nameRegex", "rateLimitShare");
        try (SourceConnector c = provider.create(ConnectorConfig.of(base()))) {
            assertThat(c.type()).isEqualTo("okta");
            assertThat(c).isInstanceOf(io.usher.core.spi.IncrementalSource.class)
                    .isNotInstanceOf(io.usher.core.spi.NestedGroupSource.class);
        }
        assertThat(all.types()).contains("okta");
        assertThat(all.provider("okta")).isInstanceOf(OktaConnectorProvider.class);
    }
}
