package io.usher.jit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.ConfigException;
import io.usher.jit.JitPolicy.GroupMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class JitPolicyConfigTest {
    static final String ISS = "https://login.corp.example";

    static Map<String, String> base() {
        Map<String, String> m = new HashMap<>();
        m.put("issuer", ISS);
        return m;
    }

    @Test
    void aFullConfiguration() {
        Map<String, String> m = base();
        m.put("username.from", "preferred_username, email");
        m.put("field.displayName", "name");
        m.put("attributes.keep", "department,title");
        m.put("users.create", "true");
        m.put("users.update", "no");
        m.put("users.reactivate", "off");
        m.put("groups.from", "groups");
        m.put("groups.mode", "auto-create");
        m.put("groups.filter", "(?i)(wiki-.*|CN=.*)");
        m.put("groups.rule.2", "~ (?i)wiki-(.*) => $1");
        m.put("groups.rule.1", "CN=Wiki Admins,OU=Groups,DC=corp => wiki-admins");
        m.put("groups.default", "sso-users, everyone");
        m.put("groups.removeUnlisted", "true");
        m.put("groups.max", "50");
        JitPolicy p = JitPolicy.fromConfig("corp-sso", m);
        assertThat(p.sourceId()).isEqualTo("corp-sso");
        assertThat(p.issuer()).isEqualTo(ISS);
        assertThat(p.usernameFrom()).containsExactly("preferred_username", "email");
        assertThat(p.fieldSources("displayName")).containsExactly("name");
        assertThat(p.fieldSources("email")).isEqualTo(JitPolicy.DEFAULT_FIELDS.get("email"));
        assertThat(p.keptAttributes()).containsExactlyInAnyOrder("department", "title");
        assertThat(p.createsUsers()).isTrue();
        assertThat(p.updatesUsers()).isFalse();
        assertThat(p.reactivatesUsers()).isFalse();
        assertThat(p.groupMode()).isEqualTo(GroupMode.AUTO_CREATE);
        assertThat(p.removesUnlisted()).isTrue();
        assertThat(p.maxGroups()).isEqualTo(50);
        assertThat(p.defaultGroups()).containsKeys("sso-users", "everyone");
        assertThat(p.groupName("cn=wiki admins,ou=groups,dc=corp")).isEqualTo("wiki-admins"); // rule 1 first
        assertThat(p.groupName("WIKI-Editors")).isEqualTo("Editors");
        assertThat(p.groupName("other")).isNull();
    }

    @Test
    void theMinimumIsAnIssuer() {
        JitPolicy p = JitPolicy.fromConfig("sso", base());
        assertThat(p.usernameFrom()).containsExactly(JitPolicy.SUBJECT);
        assertThat(p.groupMode()).isEqualTo(GroupMode.NONE);
        assertThat(p.createsUsers() && p.updatesUsers() && p.reactivatesUsers()).isTrue();
    }

    @Test
    void managedMode() {
        Map<String, String> m = base();
        m.put("groups.from", "memberOf");
        m.put("groups.mode", "MANAGED");
        m.put("groups.managed", "Ops, Audit");
        JitPolicy p = JitPolicy.fromConfig("sso", m);
        assertThat(p.groupName("ops")).isEqualTo("Ops");
        assertThat(p.groupName("random")).isNull();
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "issuer               | ' '                      | issuer",
        "typo.key             | SECRET-VALUE             | typo.key",
        "username.from        | ' , '                    | username.from",
        "field.phone          | SECRET-VALUE             | field.phone",
        "field.email          | ' '                      | field.email",
        "users.create         | SECRET-VALUE             | users.create",
        "groups.mode          | SECRET-VALUE             | groups.mode",
        "groups.mode          | managed                  | groups.managed",
        "groups.mode          | auto_create              | groups.from",
        "groups.managed       | SECRET-VALUE             | groups.managed",
        "groups.removeUnlisted | true                    | groups.removeUnlisted",
        "groups.filter        | (SECRET-VALUE            | groups.filter",
        "groups.rule.x        | a => b                   | groups.rule.x",
        "groups.rule.1        | SECRET-VALUE             | groups.rule.1",
        "groups.rule.1        | '=> SECRET-VALUE'        | groups.rule.1",
        "groups.rule.1        | '~ (SECRET-VALUE => b'   | groups.rule.1",
        "groups.rule.1        | '~ SECRET-(.*) => $2'    | groups.rule.1",
        "groups.max           | 0                        | groups.max",
        "groups.max           | SECRET-VALUE             | groups.max",
    })
    void badConfigurationNamesTheKeyAndNeverTheValue(String key, String value, String namedKey) {
        Map<String, String> m = base();
        m.put(key, value);
        assertThatThrownBy(() -> JitPolicy.fromConfig("sso", m)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.key()).isEqualTo(namedKey);
            assertThat(e.getMessage()).doesNotContain("SECRET");
        });
    }

    @Test
    void missingIssuerAndRepeatedRuleNumbers() {
        assertThatThrownBy(() -> JitPolicy.fromConfig("sso", Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("issuer");
        Map<String, String> m = base();
        m.put("groups.rule.1", "a => b");
        m.put("groups.rule.01", "c => d");
        assertThatThrownBy(() -> JitPolicy.fromConfig("sso", m)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("repeats");
    }

    @Property(tries = 400)
    void anyConfigurationBuildsOrFailsWithAConfigExceptionNamingAKey(@ForAll("configs") Map<String, String> m) {
        try {
            JitPolicy p = JitPolicy.fromConfig("sso", m);
            assertThat(p.issuer()).isEqualTo(m.get("issuer"));
        } catch (ConfigException e) {
            assertThat(e.key()).isNotNull();
            for (String v : m.values()) {
                if (v.length() >= 8 && !VOCABULARY.contains(v) && !v.equals(ISS)) {
                    assertThat(e.getMessage()).doesNotContain(v);
                }
            }
        }
    }

    /** Values that make valid settings; they may legitimately appear in messages (allowed values, key names). */
    static final List<String> VOCABULARY = List.of("true", "false", "managed", "auto_create", "none", "a => b",
            "~ (.*) => $1", "~ ( => x", "groups", "Ops, Audit", "5", "0", ",", "(?i)x.*");

    @Provide
    Arbitrary<Map<String, String>> configs() {
        Arbitrary<String> keys = Arbitraries.of(List.of("issuer", "username.from", "field.displayName", "field.x",
                "attributes.keep", "users.create", "users.update", "groups.from", "groups.mode", "groups.filter",
                "groups.rule.1", "groups.rule.2", "groups.managed", "groups.default", "groups.removeUnlisted",
                "groups.max", "groups.mappedOnly", "unknown"));
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(20),
                Arbitraries.of(VOCABULARY));
        return Arbitraries.maps(keys, values).ofMaxSize(8).map(m -> {
            Map<String, String> out = new HashMap<>(m);
            out.putIfAbsent("issuer", ISS);
            return out;
        });
    }
}
