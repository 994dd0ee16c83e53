package io.usher.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.ConfigException;
import io.usher.core.spi.ConnectorConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class LdapConfigTest {
    private static final String SECRET = "Sup3r-Secret!";

    private static Map<String, String> good() {
        Map<String, String> m = new HashMap<>();
        m.put("url", "ldap://dc1.example:389, ldap://dc2.example:389");
        m.put("preset", "activeDirectory");
        m.put("bindDn", "CN=usher,OU=Service,DC=corp,DC=example");
        m.put("bindPassword", SECRET);
        m.put("usersBase", "OU=People,DC=corp,DC=example");
        return m;
    }

    @Test
    void flatConfigurationBuildsAndHidesThePassword() {
        LdapConfig c = LdapConfig.fromConfig(ConnectorConfig.of(good()));
        assertThat(c.urls).hasSize(2);
        assertThat(c.preset).isEqualTo(Preset.ACTIVE_DIRECTORY);
        assertThat(c.groupsBase).isEqualTo(c.usersBase);
        assertThat(c.idAttribute).isEqualTo("objectGUID");
        assertThat(c.toString()).doesNotContain(SECRET);
        assertThat(c.hostnameVerification).isTrue();
    }

    static Stream<Arguments> bad() {
        return Stream.of(
                Arguments.of("url", "ftp://x", "ldap:// or ldaps://"),
                Arguments.of("url", "", "is required"),
                Arguments.of("preset", "novell", "activeDirectory, openldap"),
                Arguments.of("bindDn", "not a dn", "not a valid DN"),
                Arguments.of("usersBase", "=broken", "not a valid DN"),
                Arguments.of("userFilter", "(unclosed", "not a valid LDAP filter"),
                Arguments.of("pageSize", "0", "between 1 and 100000"),
                Arguments.of("poolSize", SECRET, "whole number"),
                Arguments.of("connectTimeout", SECRET, "duration"),
                Arguments.of("trustStore", "/no/such/file", "not a readable file"),
                Arguments.of("bindPasword", SECRET, "not a known key"));
    }

    @ParameterizedTest
    @MethodSource("bad")
    void errorsNameTheKeyAndNeverEchoValues(String key, String value, String problem) {
        Map<String, String> m = good();
        m.put(key, value);
        assertThatThrownBy(() -> LdapConfig.fromConfig(ConnectorConfig.of(m)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'" + key + "'")
                .hasMessageContaining(problem)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
    }

    @Test
    void startTlsWithLdapsAndMixedSchemesAreRefused() {
        Map<String, String> m = good();
        m.put("url", "ldaps://dc1.example");
        m.put("startTls", "true");
        assertThatThrownBy(() -> LdapConfig.fromConfig(ConnectorConfig.of(m))).hasMessageContaining("'startTls'");
        m.put("startTls", "false");
        m.put("url", "ldaps://dc1.example, ldap://dc2.example");
        assertThatThrownBy(() -> LdapConfig.fromConfig(ConnectorConfig.of(m))).hasMessageContaining("mixes");
    }

    @Test
    void matchingRuleInChainIsForActiveDirectoryOnly() {
        Map<String, String> m = good();
        m.put("preset", "openldap");
        m.put("matchingRuleInChain", "true");
        assertThatThrownBy(() -> LdapConfig.fromConfig(ConnectorConfig.of(m)))
                .hasMessageContaining("'matchingRuleInChain'").hasMessageContaining("Active Directory");
        m.put("preset", "activeDirectory");
        assertThat(LdapConfig.fromConfig(ConnectorConfig.of(m)).matchingRuleInChain).isTrue();
    }

    @Test
    void missingPasswordIsNamed() {
        Map<String, String> m = good();
        m.remove("bindPassword");
        assertThatThrownBy(() -> LdapConfig.fromConfig(ConnectorConfig.of(m))).hasMessageContaining("'bindPassword'");
    }
}
