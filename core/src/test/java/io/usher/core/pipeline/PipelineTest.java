package io.usher.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.ConfigException;
import io.usher.core.UsherException;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.core.spi.ConnectorConfig;
import io.usher.core.spi.SourceGroup;
import io.usher.core.spi.SourceUser;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class PipelineTest {
    private static final Origin O = Origin.of("s", "1");

    private static SourceUser upn(String login, String upn, String mail) {
        SourceUser.Builder b = SourceUser.builder("1").loginName(login);
        if (upn != null) {
            b.attribute("userPrincipalName", upn);
        }
        if (mail != null) {
            b.email(mail);
        }
        return b.build();
    }

    static Stream<Arguments> usernameTable() {
        return Stream.of(
                // pipeline, record, expected username
                Arguments.of(Pipeline.DEFAULT, upn("jdoe", null, null), "jdoe"),
                Arguments.of(Pipeline.DEFAULT, upn(null, null, "a@b.c"), "a@b.c"),
                Arguments.of(Pipeline.builder().usernameFrom("userPrincipalName", "email").build(),
                        upn("x", null, "m@corp.example"), "m@corp.example"),
                Arguments.of(Pipeline.builder().usernameFrom("userPrincipalName").namePart().build(),
                        upn("x", "José.Núñez@corp.example", null), "José.Núñez"),
                Arguments.of(Pipeline.builder().namePart().build(), upn("CORP\\jdoe", null, null), "jdoe"),
                Arguments.of(Pipeline.builder().usernameCase(CaseRule.LOWER).build(), upn("ØYVIND", null, null), "øyvind"),
                Arguments.of(Pipeline.builder().usernameCase(CaseRule.UPPER).build(), upn("ann", null, null), "ANN"),
                Arguments.of(Pipeline.builder().rewriteUsername("^ext-(.*)$", "guest.$1").build(),
                        upn("ext-bob", null, null), "guest.bob"),
                Arguments.of(Pipeline.builder().rewriteUsername("^ext-(.*)$", "guest.$1").build(),
                        upn("bob", null, null), "bob"),
                Arguments.of(Pipeline.builder().rewriteUsername("\\s+", ".").rewriteUsername("\\.+", ".").build(),
                        upn("mary  ann   lee", null, null), "mary.ann.lee"),
                Arguments.of(Pipeline.builder().usernameFrom("employeeId", "loginName").build(),
                        upn("fallback", null, null), "fallback"));
    }

    @ParameterizedTest
    @MethodSource("usernameTable")
    void usernames(Pipeline p, SourceUser record, String expected) {
        assertThat(p.toUser(record, O).username()).isEqualTo(expected);
    }

    @Test
    void noUsernameIsAClearError() {
        Pipeline p = Pipeline.builder().usernameFrom("userPrincipalName").build();
        assertThatThrownBy(() -> p.toUser(upn("x", null, null), O)).isInstanceOf(UsherException.class)
                .hasMessageContaining("none of [userPrincipalName] has a value");
        Pipeline blanking = Pipeline.builder().rewriteUsername(".*", "").build();
        assertThatThrownBy(() -> blanking.toUser(upn("x", null, null), O)).hasMessageContaining("empty after");
    }

    @Test
    void filtersIncludeAndExclude() {
        Pipeline p = Pipeline.builder()
                .includeUsers(UserFilter.attributeMatches("department", "eng.*"))
                .excludeUsers(UserFilter.kind(SourceUser.Kind.GUEST))
                .excludeUsers(UserFilter.memberOf("contractors"))
                .build();
        SourceUser eng = SourceUser.builder("1").loginName("a").attribute("department", "Engineering").build();
        assertThat(p.includes(eng)).isTrue();
        assertThat(p.exclusionReason(eng.toBuilder().attributes(Map.of("department", List.of("Sales"))).build()))
                .isEqualTo("not included: department matches /eng.*/");
        assertThat(p.exclusionReason(eng.toBuilder().kind(SourceUser.Kind.GUEST).build()))
                .isEqualTo("excluded by: kind in [GUEST]");
        assertThat(p.exclusionReason(eng.toBuilder().group("Contractors").build()))
                .isEqualTo("excluded by: member of /contractors/");
    }

    @Test
    void groupFilters() {
        Pipeline p = Pipeline.builder().includeGroups("app-.*").excludeGroups("app-legacy").build();
        assertThat(p.includes(SourceGroup.of("1", "APP-wiki", null, List.of(), List.of()))).isTrue();
        assertThat(p.includes(SourceGroup.of("2", "app-legacy", null, List.of(), List.of()))).isFalse();
        assertThat(p.exclusionReason(SourceGroup.of("3", "sales", null, List.of(), List.of())))
                .contains("no include pattern");
    }

    @Test
    void fieldMappingAndAttributes() {
        Pipeline p = Pipeline.builder().mapField("displayName", "cn", "displayName").mapField("email", "proxy")
                .keepAttributes("department").build();
        SourceUser u = SourceUser.builder("1").loginName("a").displayName("fallback").email("a@x")
                .attribute("cn", "Alice A").attribute("proxy", "p1@x", "p2@x").attribute("department", "eng")
                .attribute("secretish", "no").build();
        User out = p.toUser(u, O);
        assertThat(out.displayName()).isEqualTo("Alice A");
        assertThat(out.emails()).containsExactly("p1@x", "p2@x");
        assertThat(out.attributes()).containsOnlyKeys("department");
        assertThat(out.origin()).isEqualTo(O);
    }

    @Test
    void previewExplainsExclusionAndSteps() {
        Pipeline p = Pipeline.builder().excludeUsers(UserFilter.active().negate()).build();
        Preview excluded = p.preview(SourceUser.builder("1").loginName("a").active(false).build());
        assertThat(excluded.included()).isFalse();
        assertThat(excluded.reason()).isEqualTo("excluded by: not active");
        Preview failed = Pipeline.builder().usernameFrom("upn").build().preview(upn("a", null, null));
        assertThat(failed.included()).isFalse();
        assertThat(failed.reason()).contains("no username");
        assertThat(failed.steps()).containsExactly("upn is empty, trying the next attribute");
    }

    @Test
    void builderRejectsBadInputAtOnce() {
        assertThatThrownBy(() -> Pipeline.builder().rewriteUsername("(unclosed", "x"))
                .hasMessageContaining("invalid regex at index");
        assertThatThrownBy(() -> Pipeline.builder().rewriteUsername("a", "$2"))
                .hasMessageContaining("replacement refers to a group");
        assertThatThrownBy(() -> Pipeline.builder().mapField("password", "x")).hasMessageContaining("unknown field");
        assertThatThrownBy(() -> Pipeline.builder().usernameCase(CaseRule.LOWER).usernameCase(CaseRule.UPPER))
                .hasMessageContaining("already set");
        assertThatThrownBy(() -> Pipeline.builder().usernameFrom()).hasMessageContaining("at least one");
    }

    @Test
    void fromConfigBuildsTheSamePipeline() {
        Pipeline p = Pipeline.fromConfig(ConnectorConfig.of(Map.of(
                "username.from", "userPrincipalName, loginName",
                "username.rewrite.2", "\\.+ => .",
                "username.rewrite.1", "\\s+ => .",
                "username.namePart", "true",
                "username.case", "lower",
                "users.exclude.kinds", "guest",
                "users.include.inactive", "false",
                "groups.include", "app-.*",
                "map.displayName", "cn")));
        SourceUser u = SourceUser.builder("1").attribute("userPrincipalName", "Mary  Ann@Corp").attribute("cn", "M")
                .build();
        assertThat(p.toUser(u, O).username()).isEqualTo("mary.ann");
        assertThat(p.toUser(u, O).displayName()).isEqualTo("M");
        assertThat(p.includes(u.toBuilder().active(false).build())).isFalse();
        assertThat(p.includes(u.toBuilder().kind(SourceUser.Kind.GUEST).build())).isFalse();
        assertThat(p.includes(SourceGroup.of("g", "other", null, List.of(), List.of()))).isFalse();
    }

    static Stream<Arguments> badConfig() {
        return Stream.of(
                Arguments.of(Map.of("username.case", "title"), "username.case", "must be one of: preserve, lower, upper"),
                Arguments.of(Map.of("username.rewrite.x", "a => b"), "username.rewrite.x", "must end in a number"),
                Arguments.of(Map.of("username.rewrite.1", "no arrow"), "username.rewrite.1", "regex => replacement"),
                Arguments.of(Map.of("username.rewrite.1", "( => b"), "username.rewrite.1", "invalid regex"),
                Arguments.of(Map.of("users.exclude.kinds", "robot"), "users.exclude.kinds", "must be one of"),
                Arguments.of(Map.of("users.include.inactive", "maybe"), "users.include.inactive", "true or false"),
                Arguments.of(Map.of("map.password", "x"), "map.password", "unknown field"),
                Arguments.of(Map.of("usernme.from", "x"), "usernme.from", "is not a pipeline key"));
    }

    @ParameterizedTest
    @MethodSource("badConfig")
    void fromConfigNamesTheKey(Map<String, String> config, String key, String problem) {
        assertThatThrownBy(() -> Pipeline.fromConfig(ConnectorConfig.of(config)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'" + key + "'")
                .hasMessageContaining(problem)
                .extracting(e -> ((ConfigException) e).key()).isEqualTo(key);
    }

    @Property
    void lowerCaseIsIdempotentAndLower(@ForAll @StringLength(min = 1, max = 40) String login) {
        if (login.isBlank() || login.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return;
        }
        Pipeline p = Pipeline.builder().usernameCase(CaseRule.LOWER).build();
        String once = p.toUser(SourceUser.builder("1").loginName(login).build(), O).username();
        String twice = p.toUser(SourceUser.builder("1").loginName(once).build(), O).username();
        assertThat(twice).isEqualTo(once);
        assertThat(once).isEqualTo(once.toLowerCase(java.util.Locale.ROOT));
    }

    @Property
    void namePartNeverKeepsTheDomain(@ForAll @StringLength(min = 1, max = 20) String local,
                                     @ForAll @StringLength(min = 1, max = 20) String domain) {
        if (local.isBlank() || local.contains("@") || local.contains("\\") || (local + domain).chars()
                .anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return;
        }
        Pipeline p = Pipeline.builder().namePart().build();
        String name = p.toUser(SourceUser.builder("1").loginName(local + "@" + domain).build(), O).username();
        assertThat(name).doesNotContain("@");
        assertThat((local + "@" + domain).trim()).startsWith(name + "@");
    }
}
