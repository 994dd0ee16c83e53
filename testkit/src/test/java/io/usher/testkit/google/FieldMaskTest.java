package io.usher.testkit.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fake's {@code fields=} parser: good and bad selections as tables, and properties over generated ones. */
class FieldMaskTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOC = "{\"kind\":\"k\",\"nextPageToken\":\"t\",\"users\":[{\"id\":\"1\",\"etag\":\"e\","
            + "\"name\":{\"givenName\":\"G\",\"familyName\":\"F\"},\"suspended\":false},{\"id\":\"2\",\"etag\":\"f\"}]}";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "nextPageToken|{\"nextPageToken\":\"t\"}",
            "users(id)|{\"users\":[{\"id\":\"1\"},{\"id\":\"2\"}]}",
            "users/id|{\"users\":[{\"id\":\"1\"},{\"id\":\"2\"}]}",
            "users(name/givenName)|{\"users\":[{\"name\":{\"givenName\":\"G\"}},{}]}",
            "users(name(familyName),etag)|{\"users\":[{\"etag\":\"e\",\"name\":{\"familyName\":\"F\"}},{\"etag\":\"f\"}]}",
            "kind,users(id),users(etag)|{\"kind\":\"k\",\"users\":[{\"id\":\"1\",\"etag\":\"e\"},{\"id\":\"2\",\"etag\":\"f\"}]}",
            "users(*)|{\"users\":[{\"id\":\"1\",\"etag\":\"e\",\"name\":{\"givenName\":\"G\",\"familyName\":\"F\"},\"suspended\":false},{\"id\":\"2\",\"etag\":\"f\"}]}",
            "missing|{}",
    })
    void goodSelections(String fields, String expected) throws Exception {
        assertThat(FieldMask.parse(fields).apply(JSON.readTree(DOC))).isEqualTo(JSON.readTree(expected));
    }

    /** Regression: a path below a field already selected whole left its rest unparsed ("expected ')'"). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "users(id,id/x/y)|{\"users\":[{\"id\":\"1\"},{\"id\":\"2\"}]}",
            "users(name,name/givenName(a))|{\"users\":[{\"name\":{\"givenName\":\"G\",\"familyName\":\"F\"}},{}]}",
    })
    void aPathBelowAFieldSelectedWholeIsParsedToItsEnd(String fields, String expected) throws Exception {
        assertThat(FieldMask.parse(fields).apply(JSON.readTree(DOC))).isEqualTo(JSON.readTree(expected));
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', value = {
            "users(id|position 8: expected ')'",
            "users()|position 6: expected a field name, found ')'",
            "users(id))|position 9: unexpected ')'",
            ",id|position 0: expected a field name, found ','",
            "id,|expected a field name at the end",
            "users/|expected a field name at the end",
            "a b|position 1: unexpected ' '",
            "a-b|position 1: unexpected '-'",
    })
    void badSelectionsNameThePosition(String fields, String message) {
        assertThatThrownBy(() -> FieldMask.parse(fields)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "users(id,userPrincipalName)|userPrincipalName",
            "value|value",
            "nextPageToken,users(*)|",
    })
    void unknownNamesAreFound(String fields, String unknown) {
        assertThat(FieldMask.parse(fields).unknown(java.util.Set.of("kind", "nextPageToken", "users"), "users",
                java.util.Set.of("id", "etag"))).isEqualTo(unknown);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6);
    }

    @Property
    void aMaskPrintsAsATextThatParsesToTheSameMask(@ForAll("masks") String text) {
        FieldMask m = FieldMask.parse(text);
        assertThat(FieldMask.parse(m.toString()).toString()).isEqualTo(m.toString());
    }

    @Property
    void applyingTwiceIsApplyingOnce(@ForAll("masks") String text) throws Exception {
        FieldMask m = FieldMask.parse(text);
        JsonNode once = m.apply(JSON.readTree(DOC));
        assertThat(m.apply(once)).isEqualTo(once);
    }

    @Property
    void anyTextEitherParsesOrFailsWithAPosition(@ForAll String text) {
        try {
            FieldMask.parse(text);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).matches("(?s)(the field selection is empty|Invalid field selection at position \\d+: .*)");
        }
    }

    @Provide
    Arbitrary<String> masks() {
        Arbitrary<String> leaf = Arbitraries.oneOf(names(), Arbitraries.of("id", "users", "name", "etag"));
        Arbitrary<String> path = leaf.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join("/", l));
        Arbitrary<String> flat = path.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(",", l));
        Arbitrary<String> nested = flat.map(inner -> "users(" + inner + ")");
        Arbitrary<String> twice = flat.map(inner -> "users(name(" + inner + "))");
        return Arbitraries.oneOf(path, nested, twice).list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(",", l));
    }
}
