package io.usher.testkit.okta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OktaFilterTest {
    private static final Map<String, String> USER = Map.of("status", "DEPROVISIONED", "type", "OKTA_GROUP",
            "lastUpdated", "2026-11-29T07:00:00.500Z", "lastMembershipUpdated", "2026-11-29T06:00:00Z",
            "profile.login", "jdoe@corp.example");

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "status eq \"DEPROVISIONED\" | true",
        "status eq \"ACTIVE\" | false",
        "status ne \"ACTIVE\" | true",
        "lastUpdated gt \"2026-11-29T07:00:00.000Z\" | true",
        "lastUpdated gt \"2026-11-29T07:00:00.500Z\" | false",
        "lastUpdated ge \"2026-11-29T07:00:00.500Z\" | true",
        "lastUpdated lt \"2026-11-29T08:00:00Z\" | true",
        "lastUpdated le \"2026-11-29T07:00:00.499Z\" | false",
        "profile.login sw \"jdoe\" | true",
        "profile.login co \"@corp\" | true",
        "profile.login pr | true",
        "profile.email pr | false",
        "profile.email eq \"x\" | false",
        "type eq \"OKTA_GROUP\" and (lastUpdated gt \"2026-11-29T07:00:00Z\" or lastMembershipUpdated gt \"2026-11-29T07:00:00Z\") | true",
        "type eq \"APP_GROUP\" and (lastUpdated gt \"2026-11-29T07:00:00Z\" or lastMembershipUpdated gt \"2026-11-29T07:00:00Z\") | false",
        "type eq \"APP_GROUP\" or status eq \"DEPROVISIONED\" | true",
        "type eq \"APP_GROUP\" or status eq \"ACTIVE\" and type eq \"OKTA_GROUP\" | false",
        "lastMembershipUpdated gt \"2026-11-29T07:00:00Z\" or lastUpdated gt \"2026-11-29T07:00:00Z\" | true",
        "  status   EQ   \"DEPROVISIONED\"   | true",
    })
    void evaluatesAsOktaDocuments(String filter, boolean expected) {
        assertThat(OktaFilter.parse(filter).test(USER::get)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "'' | empty",
        "status | operator (eq, ne, gt, ge, lt, le, sw, co, pr) at position 6",
        "status equals \"X\" | operator",
        "status eq | quoted value at position 9",
        "status eq ACTIVE | quoted value at position 10",
        "status eq \"ACTIVE | unterminated string starting at position 10",
        "(status eq \"A\" | expected ')' at position 14",
        "status eq \"A\" xor type eq \"B\" | unexpected text at position 14",
        "eq \"A\" | operator",
        "and status eq \"A\" | operator",
    })
    void badFiltersNameThePosition(String filter, String message) {
        assertThatThrownBy(() -> OktaFilter.parse(filter)).isInstanceOf(OktaFilter.Invalid.class)
                .hasMessageContaining(message);
    }

    @Property
    void anEqualityMatchesExactlyItsValue(@ForAll @AlphaChars @StringLength(min = 1, max = 20) String value,
                                          @ForAll @AlphaChars @StringLength(min = 1, max = 20) String other) {
        OktaFilter.Node n = OktaFilter.parse("profile.name eq \"" + value + "\"");
        assertThat(n.test(Map.of("profile.name", value)::get)).isTrue();
        assertThat(n.test(Map.of("profile.name", other)::get)).isEqualTo(value.equals(other));
    }

    @Property
    void arbitraryTextEitherParsesOrIsInvalidNeverAnythingElse(@ForAll @StringLength(max = 80) String text) {
        try {
            OktaFilter.parse(text).test(USER::get);
        } catch (OktaFilter.Invalid e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
