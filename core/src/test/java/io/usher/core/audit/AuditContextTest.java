package io.usher.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.usher.core.ChangeKind;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AuditContextTest {

    static Stream<Arguments> details() {
        return Stream.of(
                Arguments.of("_a1b2", "_a1b2"),
                Arguments.of("  padded  ", "padded"),
                Arguments.of("line\nbreak", "line?break"),
                Arguments.of("tab\tand\u0000nul\u007f", "tab?and?nul?"),
                Arguments.of("x".repeat(300), "x".repeat(AuditContext.MAX_VALUE)),
                Arguments.of("é😀", "é😀"),
                Arguments.of("lone\uD800high", "lone?high"),
                Arguments.of("   ", null),
                Arguments.of(null, null));
    }

    @ParameterizedTest
    @MethodSource("details")
    void detailValuesAreCleaned(String in, String out) {
        AuditContext c = AuditContext.scim("token-id", in);
        assertThat(c.detail("requestId")).isEqualTo(out);
        assertThat(c.detail("tokenId")).isEqualTo("token-id");
        assertThat(c.route()).isEqualTo(AuditRoute.SCIM);
    }

    @org.junit.jupiter.api.Test
    void factoriesNameTheirDetails() {
        assertThat(AuditContext.saml("https://idp", "_id").details()).containsExactly(
                Map.entry("protocol", "SAML"), Map.entry("idp", "https://idp"), Map.entry("assertionId", "_id"));
        assertThat(AuditContext.oidc("https://op", "j1").details()).containsExactly(
                Map.entry("protocol", "OIDC"), Map.entry("idp", "https://op"), Map.entry("jti", "j1"));
        assertThat(AuditContext.sync().route()).isEqualTo(AuditRoute.SYNC);
        assertThat(AuditContext.api().details()).isEmpty();
        assertThat(AuditContext.api("cleanup").detail("caller")).isEqualTo("cleanup");
    }

    @Property(tries = 300)
    void anyTextMakesOneLineOfJsonThatReadsBackTheSame(@ForAll String name, @ForAll String detail)
            throws Exception {
        AuditEvent e = new AuditEvent(Instant.EPOCH, "r#1", "s", "r", AuditContext.api(detail),
                ChangeKind.USER_UPDATED, AuditOutcome.APPLIED, null, name, null, null, name, null, null, null,
                Set.of("displayName"), Map.of("displayName", name));
        String json = e.toJson();
        assertThat(json).doesNotContain("\n").doesNotContain("\r");
        JsonNode n = new ObjectMapper().readTree(json);
        assertThat(n.get("name").asText()).isEqualTo(name);
        assertThat(n.get("values").get("displayName").asText()).isEqualTo(name);
        String cleaned = e.context().detail("caller");
        if (cleaned == null) {
            assertThat(n.has("context")).isFalse();
        } else {
            assertThat(n.get("context").get("caller").asText()).isEqualTo(cleaned);
            assertThat(cleaned).hasSizeLessThanOrEqualTo(AuditContext.MAX_VALUE).doesNotContain("\n");
        }
    }
}
