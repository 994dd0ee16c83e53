package io.usher.scim.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.scim.ScimException;
import io.usher.scim.ScimException.ScimType;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PathParserTest {

    static final String ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    static Stream<Arguments> validAttributePaths() {
        return Stream.of(
                Arguments.of("userName", AttributePath.of("userName")),
                Arguments.of(" name.givenName ", AttributePath.of("name", "givenName")),
                Arguments.of("members.$ref", AttributePath.of("members", "$ref")),
                Arguments.of(ENT + ":department", AttributePath.of(ENT, "department", null)),
                Arguments.of(ENT + ":manager.value", AttributePath.of(ENT, "manager", "value")),
                Arguments.of("urn:ietf:params:scim:schemas:core:2.0:User:name.familyName",
                        AttributePath.of("urn:ietf:params:scim:schemas:core:2.0:User", "name", "familyName")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("validAttributePaths")
    void parsesAttributePaths(String text, AttributePath expected) {
        AttributePath parsed = AttributePath.parse(text);
        assertThat(parsed).isEqualTo(expected);
        assertThat(AttributePath.parse(parsed.toString())).isEqualTo(parsed);
    }

    static Stream<Arguments> invalidAttributePaths() {
        return Stream.of(
                Arguments.of("", 1, "expected an attribute path"),
                Arguments.of("a.b.c", 4, "at most one sub-attribute"),
                Arguments.of("a b", 3, "expected the end of the attribute path"),
                Arguments.of("emails[type eq \"x\"]", 7, "expected the end of the attribute path"),
                Arguments.of("9lives", 1, "expected an attribute name"),
                Arguments.of("name.", 6, "expected a sub-attribute name"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidAttributePaths")
    void rejectsAttributePaths(String text, int column, String expected) {
        assertThatThrownBy(() -> AttributePath.parse(text)).isInstanceOfSatisfying(ScimException.class, e -> {
            assertThat(e.scimType()).isEqualTo(ScimType.invalidPath);
            assertThat(e.getMessage()).startsWith("invalid attribute path at column " + column + ": ")
                    .contains(expected);
        });
    }

    @Test
    void parsesAttributeLists() {
        assertThat(AttributePath.parseList("userName, name.givenName,," + ENT + ":department"))
                .containsExactly(AttributePath.of("userName"), AttributePath.of("name", "givenName"),
                        AttributePath.of(ENT, "department", null));
        assertThat(AttributePath.parseList("")).isEmpty();
        assertThatThrownBy(() -> AttributePath.parseList("userName,a..b"))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.getMessage())
                        .startsWith("invalid attribute list item 2 (starting at column 10): invalid attribute path at column 3"));
    }

    @Test
    void caseInsensitiveComparison() {
        assertThat(AttributePath.parse("NAME.GivenName").sameAs(AttributePath.of("name", "givenName"))).isTrue();
        assertThat(AttributePath.parse("name").sameAs(AttributePath.of("name", "givenName"))).isFalse();
        assertThat(AttributePath.parse(ENT.toUpperCase() + ":Department")
                .sameAs(AttributePath.of(ENT, "department", null))).isTrue();
    }

    static Stream<Arguments> validPatchPaths() {
        return Stream.of(
                Arguments.of("members", PatchPath.of(AttributePath.of("members"))),
                Arguments.of("name.familyName", PatchPath.of(AttributePath.of("name", "familyName"))),
                Arguments.of("members[value eq \"2819c223\"]", new PatchPath(AttributePath.of("members"),
                        Filter.eq("value", "2819c223"), null)),
                Arguments.of("emails[type eq \"work\"].value", new PatchPath(AttributePath.of("emails"),
                        Filter.eq("type", "work"), "value")),
                Arguments.of("addresses[type eq \"work\" and primary eq true].streetAddress",
                        new PatchPath(AttributePath.of("addresses"), Filter.and(Filter.eq("type", "work"),
                                Filter.eq(AttributePath.of("primary"), Literal.bool(true))), "streetAddress")),
                Arguments.of(ENT + ":manager", PatchPath.of(AttributePath.of(ENT, "manager", null))),
                Arguments.of(ENT + ":manager.value", PatchPath.of(AttributePath.of(ENT, "manager", "value"))),
                Arguments.of("urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq \"work\"].display",
                        new PatchPath(AttributePath.of("urn:ietf:params:scim:schemas:core:2.0:User", "emails", null),
                                Filter.eq("type", "work"), "display")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("validPatchPaths")
    void parsesPatchPaths(String text, PatchPath expected) {
        PatchPath parsed = PatchPath.parse(text);
        assertThat(parsed).isEqualTo(expected);
        assertThat(PatchPath.parse(parsed.toString())).isEqualTo(parsed);
    }

    static Stream<Arguments> invalidPatchPaths() {
        return Stream.of(
                Arguments.of("", 1, "expected an attribute path"),
                Arguments.of("members[", 9, "expected an attribute path but found the end of the path"),
                Arguments.of("members[value eq \"x\"", 21, "expected ']' closing the value filter"),
                Arguments.of("members[value eq \"x\"].", 23, "expected a sub-attribute name"),
                Arguments.of("members[value eq \"x\"].a.b", 24, "expected the end of the path"),
                Arguments.of("members[value eq \"x\"] x", 23, "expected the end of the path"),
                Arguments.of("name.givenName[value eq \"x\"]", 1, "a value filter follows an attribute, not a sub-attribute"),
                Arguments.of("members[value[x eq 1] pr]", 14, "value filters do not nest"),
                Arguments.of("members[value eq]", 17, "expected a space and a value"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidPatchPaths")
    void rejectsPatchPaths(String text, int column, String expected) {
        assertThatThrownBy(() -> PatchPath.parse(text)).isInstanceOfSatisfying(ScimException.class, e -> {
            assertThat(e.scimType()).isEqualTo(ScimType.invalidPath);
            assertThat(e.getMessage()).startsWith("invalid path at column " + column + ": ").contains(expected);
        });
    }

    @Test
    void patchPathTargetSubAttribute() {
        assertThat(PatchPath.parse("emails[type eq \"work\"].value").targetSubAttribute()).isEqualTo("value");
        assertThat(PatchPath.parse("name.givenName").targetSubAttribute()).isEqualTo("givenName");
        assertThat(PatchPath.parse("members").targetSubAttribute()).isNull();
        assertThat(List.of(PatchPath.parse("members[value eq \"x\"]").hasValueFilter())).containsExactly(true);
    }
}
