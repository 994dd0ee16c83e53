package io.usher.scim.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.scim.ScimException;
import io.usher.scim.ScimException.ScimType;
import io.usher.scim.schema.Schemas;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Tables of PATCH requests against a user: what each does to the JSON, and how bad ones fail. */
class PatchApplierTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ENT = Schemas.ENTERPRISE_USER_URN;
    static final String MISSING = "<missing>";

    static final String USER = """
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
              "id": "u-1",
              "externalId": "ext-1",
              "userName": "bjensen",
              "name": {"givenName": "Barbara", "familyName": "Jensen"},
              "title": "Guide",
              "active": true,
              "emails": [
                {"value": "bjensen@example.com", "type": "work", "primary": true},
                {"value": "babs@jensen.org", "type": "home"}
              ],
              "meta": {"resourceType": "User", "version": "W/\\"1\\""}
            }""";

    static ObjectNode json(String s) {
        try {
            return (ObjectNode) JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static PatchRequest request(String operations) {
        return PatchRequest.parse(json("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                + "\"Operations\":" + operations + "}"));
    }

    static Map<String, String> expect(String... pointerAndJson) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pointerAndJson.length; i += 2) {
            m.put(pointerAndJson[i], pointerAndJson[i + 1]);
        }
        return m;
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("replace simple attribute",
                        "[{\"op\":\"replace\",\"path\":\"title\",\"value\":\"Chief\"}]", expect("/title", "\"Chief\"")),
                Arguments.of("path names are case-insensitive and written canonically",
                        "[{\"op\":\"replace\",\"path\":\"TITLE\",\"value\":\"Chief\"}]", expect("/title", "\"Chief\"", "/TITLE", MISSING)),
                Arguments.of("add simple attribute",
                        "[{\"op\":\"add\",\"path\":\"nickName\",\"value\":\"Babs\"}]", expect("/nickName", "\"Babs\"")),
                Arguments.of("remove simple attribute",
                        "[{\"op\":\"remove\",\"path\":\"title\"}]", expect("/title", MISSING)),
                Arguments.of("remove of an absent attribute is a no-op",
                        "[{\"op\":\"remove\",\"path\":\"nickName\"}]", expect("/nickName", MISSING, "/title", "\"Guide\"")),
                Arguments.of("replace sub-attribute",
                        "[{\"op\":\"replace\",\"path\":\"name.givenName\",\"value\":\"Babs\"}]",
                        expect("/name/givenName", "\"Babs\"", "/name/familyName", "\"Jensen\"")),
                Arguments.of("replace complex keeps unspecified sub-attributes",
                        "[{\"op\":\"replace\",\"path\":\"name\",\"value\":{\"middleName\":\"J\"}}]",
                        expect("/name/middleName", "\"J\"", "/name/givenName", "\"Barbara\"")),
                Arguments.of("remove sub-attribute",
                        "[{\"op\":\"remove\",\"path\":\"name.givenName\"}]", expect("/name", "{\"familyName\":\"Jensen\"}")),
                Arguments.of("add to multi-valued is a union",
                        "[{\"op\":\"add\",\"path\":\"emails\",\"value\":[{\"value\":\"babs@jensen.org\",\"type\":\"home\"},{\"value\":\"b@other.org\",\"type\":\"other\"}]}]",
                        expect("/emails/1/value", "\"babs@jensen.org\"", "/emails/2/value", "\"b@other.org\"", "/emails/3", MISSING)),
                Arguments.of("add a new primary clears the old one",
                        "[{\"op\":\"add\",\"path\":\"emails\",\"value\":[{\"value\":\"n@x.org\",\"type\":\"other\",\"primary\":true}]}]",
                        expect("/emails/0/primary", MISSING, "/emails/2/primary", "true")),
                Arguments.of("replace primary through a filter clears the others",
                        "[{\"op\":\"replace\",\"path\":\"emails[type eq \\\"home\\\"].primary\",\"value\":true}]",
                        expect("/emails/0/primary", MISSING, "/emails/1/primary", "true")),
                Arguments.of("replace through a value filter with a sub-attribute",
                        "[{\"op\":\"replace\",\"path\":\"emails[type eq \\\"work\\\"].value\",\"value\":\"new@example.com\"}]",
                        expect("/emails/0/value", "\"new@example.com\"", "/emails/1/value", "\"babs@jensen.org\"")),
                Arguments.of("replace a whole value through a filter",
                        "[{\"op\":\"replace\",\"path\":\"emails[type eq \\\"home\\\"]\",\"value\":{\"value\":\"h@x.org\",\"type\":\"home\"}}]",
                        expect("/emails/1", "{\"value\":\"h@x.org\",\"type\":\"home\"}")),
                Arguments.of("remove values through a filter",
                        "[{\"op\":\"remove\",\"path\":\"emails[type eq \\\"home\\\"]\"}]",
                        expect("/emails/1", MISSING, "/emails/0/type", "\"work\"")),
                Arguments.of("removing the last value unassigns the attribute",
                        "[{\"op\":\"remove\",\"path\":\"emails[value co \\\"@\\\"]\"}]", expect("/emails", MISSING)),
                Arguments.of("remove a sub-attribute through a filter",
                        "[{\"op\":\"remove\",\"path\":\"emails[type eq \\\"work\\\"].primary\"}]",
                        expect("/emails/0", "{\"value\":\"bjensen@example.com\",\"type\":\"work\"}")),
                Arguments.of("replace a whole multi-valued attribute",
                        "[{\"op\":\"replace\",\"path\":\"emails\",\"value\":[{\"value\":\"only@x.org\"}]}]",
                        expect("/emails", "[{\"value\":\"only@x.org\"}]")),
                Arguments.of("replace multi-valued with an empty array unassigns it",
                        "[{\"op\":\"replace\",\"path\":\"emails\",\"value\":[]}]", expect("/emails", MISSING)),
                Arguments.of("add a typed value that does not exist yet (filter path)",
                        "[{\"op\":\"add\",\"path\":\"phoneNumbers[type eq \\\"mobile\\\"].value\",\"value\":\"+1 555\"}]",
                        expect("/phoneNumbers", "[{\"type\":\"mobile\",\"value\":\"+1 555\"}]")),
                Arguments.of("add through a filter that matches sets it on the match",
                        "[{\"op\":\"add\",\"path\":\"emails[type eq \\\"work\\\"].display\",\"value\":\"Work\"}]",
                        expect("/emails/0/display", "\"Work\"", "/emails/1/display", MISSING)),
                Arguments.of("URN-prefixed core path",
                        "[{\"op\":\"replace\",\"path\":\"urn:ietf:params:scim:schemas:core:2.0:User:displayName\",\"value\":\"Babs\"}]",
                        expect("/displayName", "\"Babs\"")),
                Arguments.of("URN-prefixed extension path creates the extension and lists its schema",
                        "[{\"op\":\"add\",\"path\":\"" + ENT + ":department\",\"value\":\"Tours\"}]",
                        expect("/" + ENT + "/department", "\"Tours\"", "/schemas/1", "\"" + ENT + "\"")),
                Arguments.of("extension sub-attribute path",
                        "[{\"op\":\"add\",\"path\":\"" + ENT + ":manager.value\",\"value\":\"m-1\"}]",
                        expect("/" + ENT + "/manager/value", "\"m-1\"")),
                Arguments.of("path naming a whole extension",
                        "[{\"op\":\"add\",\"path\":\"" + ENT + "\",\"value\":{\"employeeNumber\":\"42\"}}]",
                        expect("/" + ENT + "/employeeNumber", "\"42\"")),
                Arguments.of("pathless add with a nested extension object",
                        "[{\"op\":\"add\",\"value\":{\"nickName\":\"B\",\"" + ENT + "\":{\"costCenter\":\"4130\"}}}]",
                        expect("/nickName", "\"B\"", "/" + ENT + "/costCenter", "\"4130\"")),
                Arguments.of("pathless replace of a multi-valued attribute replaces it",
                        "[{\"op\":\"replace\",\"value\":{\"emails\":[{\"value\":\"z@x.org\",\"primary\":true}]}}]",
                        expect("/emails", "[{\"value\":\"z@x.org\",\"primary\":true}]")),
                Arguments.of("numbers given for strings become strings",
                        "[{\"op\":\"add\",\"path\":\"" + ENT + ":employeeNumber\",\"value\":701984}]",
                        expect("/" + ENT + "/employeeNumber", "\"701984\"")),
                Arguments.of("null replaces by unassigning",
                        "[{\"op\":\"replace\",\"path\":\"title\",\"value\":null}]", expect("/title", MISSING)),
                Arguments.of("readOnly sub-attributes inside a whole value are dropped",
                        "[{\"op\":\"add\",\"path\":\"" + ENT + ":manager\",\"value\":{\"value\":\"m\",\"displayName\":\"Boss\"}}]",
                        expect("/" + ENT + "/manager", "{\"value\":\"m\"}")),
                Arguments.of("operations apply in order",
                        "[{\"op\":\"add\",\"path\":\"nickName\",\"value\":\"A\"},{\"op\":\"replace\",\"path\":\"nickName\",\"value\":\"B\"},{\"op\":\"remove\",\"path\":\"title\"}]",
                        expect("/nickName", "\"B\"", "/title", MISSING)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("valid")
    void appliesOperations(String name, String operations, Map<String, String> expected) {
        ObjectNode original = json(USER);
        PatchResult r = PatchApplier.forResourceType(Schemas.USER_RESOURCE).apply(original, request(operations));
        for (Map.Entry<String, String> e : expected.entrySet()) {
            JsonNode actual = r.resource().at(e.getKey());
            if (e.getValue().equals(MISSING)) {
                assertThat(actual.isMissingNode()).as(e.getKey() + " in " + r.resource()).isTrue();
            } else {
                assertThat(actual).as(e.getKey() + " in " + r.resource()).isEqualTo(json("{\"v\":" + e.getValue() + "}").get("v"));
            }
        }
        assertThat(r.modified()).isEqualTo(!name.contains("no-op"));
        assertThat(original).isEqualTo(json(USER));
        assertThat(r.memberChanges()).isEmpty();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("id is readOnly", "[{\"op\":\"replace\",\"path\":\"id\",\"value\":\"x\"}]",
                        ScimType.mutability, "Operations[0]: 'id' is readOnly"),
                Arguments.of("meta is readOnly", "[{\"op\":\"remove\",\"path\":\"meta.version\"}]",
                        ScimType.mutability, "'meta' is readOnly"),
                Arguments.of("groups are readOnly", "[{\"op\":\"add\",\"path\":\"groups\",\"value\":[{\"value\":\"g\"}]}]",
                        ScimType.mutability, "'groups' is readOnly"),
                Arguments.of("manager.displayName is readOnly", "[{\"op\":\"replace\",\"path\":\"" + ENT + ":manager.displayName\",\"value\":\"x\"}]",
                        ScimType.mutability, "'manager.displayName' is readOnly"),
                Arguments.of("pathless id that differs", "[{\"op\":\"replace\",\"value\":{\"id\":\"other\",\"title\":\"x\"}}]",
                        ScimType.mutability, "'id' is readOnly"),
                Arguments.of("unknown attribute", "[{\"op\":\"add\",\"path\":\"shoeSize\",\"value\":\"42\"}]",
                        ScimType.invalidPath, "'shoeSize' is not an attribute of User"),
                Arguments.of("unknown sub-attribute", "[{\"op\":\"add\",\"path\":\"name.nick\",\"value\":\"x\"}]",
                        ScimType.invalidPath, "'name' has no sub-attribute 'nick'"),
                Arguments.of("unknown sub-attribute in a value", "[{\"op\":\"add\",\"path\":\"emails\",\"value\":[{\"value\":\"a@b\",\"kind\":\"x\"}]}]",
                        ScimType.invalidPath, "'emails' has no sub-attribute 'kind'"),
                Arguments.of("sub-attribute of a simple attribute", "[{\"op\":\"add\",\"path\":\"title.x\",\"value\":\"x\"}]",
                        ScimType.invalidPath, "'title' has no sub-attributes"),
                Arguments.of("filter on a single-valued attribute", "[{\"op\":\"replace\",\"path\":\"name[givenName eq \\\"x\\\"]\",\"value\":{}}]",
                        ScimType.invalidPath, "a value filter selects values of a multi-valued complex attribute"),
                Arguments.of("replace through a filter that matches nothing", "[{\"op\":\"replace\",\"path\":\"emails[type eq \\\"other\\\"].value\",\"value\":\"x\"}]",
                        ScimType.noTarget, "matches no value"),
                Arguments.of("remove through a filter that matches nothing", "[{\"op\":\"remove\",\"path\":\"emails[type eq \\\"other\\\"]\"}]",
                        ScimType.noTarget, "matches no value"),
                Arguments.of("add through a filter that describes no value", "[{\"op\":\"add\",\"path\":\"emails[value co \\\"zzz\\\"].type\",\"value\":\"work\"}]",
                        ScimType.noTarget, "matches no value"),
                Arguments.of("sub-attribute of a multi-valued attribute without filter", "[{\"op\":\"add\",\"path\":\"emails.value\",\"value\":\"x\"}]",
                        ScimType.invalidPath, "select one with a filter"),
                Arguments.of("wrong type for a boolean", "[{\"op\":\"replace\",\"path\":\"active\",\"value\":\"maybe\"}]",
                        ScimType.invalidValue, "'active' must be true or false"),
                Arguments.of("wrong type for a string", "[{\"op\":\"replace\",\"path\":\"title\",\"value\":{\"a\":1}}]",
                        ScimType.invalidValue, "'title' must be a string"),
                Arguments.of("wrong type for a complex value", "[{\"op\":\"add\",\"path\":\"emails\",\"value\":[true]}]",
                        ScimType.invalidValue, "must be an object"),
                Arguments.of("two primaries at once", "[{\"op\":\"replace\",\"path\":\"emails\",\"value\":[{\"value\":\"a\",\"primary\":true},{\"value\":\"b\",\"primary\":true}]}]",
                        ScimType.invalidValue, "more than one value of 'emails' is primary"),
                Arguments.of("removing a required attribute", "[{\"op\":\"remove\",\"path\":\"userName\"}]",
                        ScimType.invalidValue, "'userName' is required"),
                Arguments.of("filter that does not apply to the type", "[{\"op\":\"remove\",\"path\":\"emails[primary gt true]\"}]",
                        ScimType.invalidFilter, "'gt' cannot compare a boolean attribute"),
                Arguments.of("a later operation fails: nothing applies", "[{\"op\":\"replace\",\"path\":\"title\",\"value\":\"Chief\"},{\"op\":\"replace\",\"path\":\"id\",\"value\":\"x\"}]",
                        ScimType.mutability, "Operations[1]: 'id' is readOnly"),
                Arguments.of("pathless value key that is not a path", "[{\"op\":\"add\",\"value\":{\"a b\":\"x\"}}]",
                        ScimType.invalidPath, "value key: invalid attribute path at column 3"),
                Arguments.of("extension value that is not an object", "[{\"op\":\"add\",\"path\":\"" + ENT + "\",\"value\":\"x\"}]",
                        ScimType.invalidValue, "must be an object of its attributes"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void rejectsBadOperationsLeavingTheResourceUntouched(String name, String operations, ScimType type, String message) {
        ObjectNode original = json(USER);
        assertThatThrownBy(() -> PatchApplier.forResourceType(Schemas.USER_RESOURCE).apply(original, request(operations)))
                .isInstanceOfSatisfying(ScimException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.scimType()).isEqualTo(type);
                    assertThat(e.getMessage()).contains(message);
                });
        assertThat(original).isEqualTo(json(USER));
    }

    @org.junit.jupiter.api.Test
    void writeOnlyPasswordIsAcceptedButNeverWritten() {
        PatchResult r = PatchApplier.forResourceType(Schemas.USER_RESOURCE).apply(json(USER), request("""
                [{"op": "replace", "value": {"password": "s3cr3t-Pa55", "title": "Chief"}},
                 {"op": "add", "path": "password", "value": "an0ther-Pa55"}]"""));
        assertThat(r.resource().has("password")).isFalse();
        assertThat(r.resource().toString()).doesNotContain("Pa55");
        assertThat(r.ignoredWriteOnly()).containsExactly("password", "password");
        assertThat(r.resource().get("title").asText()).isEqualTo("Chief");
    }

    @org.junit.jupiter.api.Test
    void errorsNeverEchoTheValueSent() {
        assertThatThrownBy(() -> PatchApplier.forResourceType(Schemas.USER_RESOURCE).apply(json(USER), request("""
                [{"op": "replace", "path": "active", "value": "s3cr3t-Pa55"}]""")))
                .isInstanceOf(ScimException.class).hasMessageNotContaining("Pa55");
        assertThatThrownBy(() -> PatchApplier.forResourceType(Schemas.USER_RESOURCE).apply(json(USER), request("""
                [{"op": "replace", "path": "id", "value": "s3cr3t-Pa55"}]""")))
                .isInstanceOf(ScimException.class).hasMessageNotContaining("Pa55");
    }

    @org.junit.jupiter.api.Test
    void aSingleObjectAddedToAMultiValuedAttributeIsOneValue() {
        PatchResult r = PatchApplier.forResourceType(Schemas.USER_RESOURCE).apply(json(USER), request("""
                [{"op": "add", "path": "emails", "value": {"value": "BJENSEN@example.com", "type": "work", "display": "W"}}]"""));
        // same value (emails are not caseExact) and type: merged into the existing value, not duplicated
        assertThat(r.resource().get("emails")).hasSize(2);
        assertThat(r.resource().at("/emails/0/display").asText()).isEqualTo("W");
        assertThat(r.resource().at("/emails/0/primary").asBoolean()).isTrue();
    }

    @org.junit.jupiter.api.Test
    void removingTheLastExtensionAttributeRemovesTheExtension() {
        ObjectNode withExt = json(USER);
        withExt.withArray("schemas").add(ENT);
        withExt.putObject(ENT).put("department", "Tours");
        PatchResult r = PatchApplier.forResourceType(Schemas.USER_RESOURCE).apply(withExt, request(
                "[{\"op\":\"remove\",\"path\":\"" + ENT + ":department\"}]"));
        assertThat(r.resource().has(ENT)).isFalse();
        assertThat(r.resource().get("schemas")).hasSize(1);
        PatchResult r2 = PatchApplier.forResourceType(Schemas.USER_RESOURCE).apply(withExt, request(
                "[{\"op\":\"remove\",\"path\":\"" + ENT + "\"}]"));
        assertThat(r2.resource().has(ENT)).isFalse();
        assertThat(r2.resource().get("schemas")).hasSize(1);
    }
}
