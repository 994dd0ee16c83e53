package io.usher.scim.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.usher.scim.ScimException;
import io.usher.scim.ScimException.ScimType;
import io.usher.scim.schema.Schemas;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FilterEvaluatorTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ENT = Schemas.ENTERPRISE_USER_URN;

    static final JsonNode USER = json("""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
              "id": "2819c223-7f76-453a-919d-413861904646",
              "externalId": "Bjensen-EXT",
              "userName": "BJensen@example.com",
              "name": {"givenName": "Barbara", "familyName": "Jensen", "middleName": ""},
              "displayName": "Babs Jensen",
              "nickName": null,
              "title": "Tour Guide",
              "active": true,
              "emails": [
                {"value": "bjensen@example.com", "type": "work", "primary": true},
                {"value": "babs@jensen.org", "type": "home"}
              ],
              "phoneNumbers": [],
              "addresses": [{}],
              "x509Certificates": [{"value": "MIIDQzCC"}],
              "meta": {"resourceType": "User", "created": "2010-01-23T04:56:22Z",
                       "lastModified": "2011-05-13T04:42:34Z", "version": "W/\\"a330bc54f0671c9\\""},
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
                "employeeNumber": "701984", "department": "Tour Operations",
                "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d", "displayName": "John Smith"}
              },
              "loginCount": 42,
              "tags": ["a", "B"]
            }""");

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // case-insensitive names; userName is not caseExact, externalId and id are
                Arguments.of("userName eq \"bjensen@example.com\"", true),
                Arguments.of("USERNAME Eq \"BJENSEN@EXAMPLE.COM\"", true),
                Arguments.of("externalId eq \"bjensen-ext\"", false),
                Arguments.of("externalId eq \"Bjensen-EXT\"", true),
                Arguments.of("id eq \"2819C223-7F76-453A-919D-413861904646\"", false),
                Arguments.of("urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"bjen\"", true),
                Arguments.of("name.familyName co \"ENS\"", true),
                Arguments.of("name.givenName ew \"ara\"", true),
                Arguments.of("userName ne \"someone\"", true),
                Arguments.of("userName ne \"bjensen@example.com\"", false),
                Arguments.of("title ne \"x\" and nickName ne \"x\"", true),
                // multi-valued: any value
                Arguments.of("emails.value eq \"babs@jensen.org\"", true),
                Arguments.of("emails co \"jensen.org\"", true),
                Arguments.of("emails.type eq \"other\"", false),
                Arguments.of("emails ne \"babs@jensen.org\"", false),
                Arguments.of("tags eq \"b\"", true),
                // value paths
                Arguments.of("emails[type eq \"work\" and value co \"@example.com\"]", true),
                Arguments.of("emails[type eq \"home\" and primary eq true]", false),
                Arguments.of("emails[type eq \"work\" and primary eq true]", true),
                Arguments.of("emails[type eq \"work\"].value eq \"bjensen@example.com\"", true),
                Arguments.of("emails[type eq \"home\"].value eq \"bjensen@example.com\"", false),
                Arguments.of("emails[not (type eq \"work\")]", true),
                Arguments.of("phoneNumbers[type eq \"work\"]", false),
                // pr
                Arguments.of("title pr", true),
                Arguments.of("nickName pr", false),
                Arguments.of("name.middleName pr", false),
                Arguments.of("phoneNumbers pr", false),
                Arguments.of("addresses pr", false),
                Arguments.of("emails pr", true),
                Arguments.of("emails.primary pr", true),
                Arguments.of("profileUrl pr", false),
                Arguments.of("not (profileUrl pr)", true),
                // null
                Arguments.of("nickName eq null", true),
                Arguments.of("title eq null", false),
                Arguments.of("title ne null", true),
                // booleans
                Arguments.of("active eq true", true),
                Arguments.of("active eq false", false),
                Arguments.of("active eq \"True\"", true),
                Arguments.of("active ne false", true),
                // numbers (unknown attribute compared by JSON kind)
                Arguments.of("loginCount gt 41.5", true),
                Arguments.of("loginCount le 41", false),
                Arguments.of("loginCount eq 42.0", true),
                // dateTimes compared as instants
                Arguments.of("meta.lastModified gt \"2011-05-13T04:42:33Z\"", true),
                Arguments.of("meta.lastModified gt \"2011-05-13T06:42:33+02:00\"", true),
                Arguments.of("meta.lastModified eq \"2011-05-13T06:42:34+02:00\"", true),
                Arguments.of("meta.lastModified lt \"2011-05-13T04:42:34.001\"", true),
                Arguments.of("meta.created ge \"2011-01-01T00:00:00Z\"", false),
                // strings ordered lexicographically, case-insensitively when not caseExact
                Arguments.of("userName gt \"a\"", true),
                Arguments.of("userName lt \"BJENSEN@F\"", true),
                // enterprise extension: qualified, unqualified, sub-attributes
                Arguments.of(ENT + ":employeeNumber eq \"701984\"", true),
                Arguments.of("employeeNumber eq \"701984\"", true),
                Arguments.of(ENT.toUpperCase() + ":Department sw \"tour\"", true),
                Arguments.of(ENT + ":manager.value eq \"26118915-6090-4610-87e4-49d8ca9f808d\"", true),
                Arguments.of(ENT + ":manager eq \"26118915-6090-4610-87e4-49d8ca9f808d\"", true),
                Arguments.of(ENT + ":employeeNumber eq 701984", true),
                // schemas
                Arguments.of("schemas eq \"" + ENT + "\"", true),
                // unknown attributes match nothing
                Arguments.of("shoeSize eq \"42\"", false),
                Arguments.of("urn:example:ext:shoeSize pr", false),
                // logic
                Arguments.of("title pr and (userName eq \"x\" or active eq true)", true),
                Arguments.of("title pr and userName eq \"x\" or active eq false", false));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("cases")
    void evaluates(String filter, boolean expected) {
        FilterEvaluator users = FilterEvaluator.forResourceType(Schemas.USER_RESOURCE);
        assertThat(users.matches(Filter.parse(filter), USER)).isEqualTo(expected);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("active gt true", "'gt' cannot compare a boolean attribute (attribute 'active' is boolean)"),
                Arguments.of("active lt false", "'lt' cannot compare a boolean attribute"),
                Arguments.of("x509Certificates.value ge \"a\"", "'ge' cannot compare a binary attribute"),
                Arguments.of("active co \"t\"", "'co' applies to strings only"),
                Arguments.of("meta.created sw \"2010\"", "'sw' applies to strings only"),
                Arguments.of("active eq 1", "the value compared with 'active' must be true or false, not a number"),
                Arguments.of("userName eq true", "must be a string, not true"),
                Arguments.of("meta.lastModified gt \"yesterday\"", "must be a string holding an xsd:dateTime"),
                Arguments.of("title gt null", "only 'eq' and 'ne' take null"),
                Arguments.of("userName[value eq \"x\"]", "'userName' has no sub-attributes to filter on"),
                Arguments.of("emails[primary gt true]", "'gt' cannot compare a boolean attribute"),
                Arguments.of("unknown gt true", "'gt' cannot order true"),
                Arguments.of("unknown co 1", "'co' needs a string value"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void rejectsOperatorsThatDoNotApply(String filter, String message) {
        FilterEvaluator users = FilterEvaluator.forResourceType(Schemas.USER_RESOURCE);
        // rejected whatever the resource holds: even an empty one
        assertThatThrownBy(() -> users.matches(Filter.parse(filter), json("{}")))
                .isInstanceOfSatisfying(ScimException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.scimType()).isEqualTo(ScimType.invalidFilter);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @Test
    void groupMembersValueIsCaseExact() {
        JsonNode group = json("""
                {"id": "g1", "displayName": "Admins", "members": [{"value": "AbC", "type": "User"}]}""");
        FilterEvaluator groups = FilterEvaluator.forResourceType(Schemas.GROUP_RESOURCE);
        assertThat(groups.matches(Filter.parse("members[value eq \"AbC\"]"), group)).isTrue();
        assertThat(groups.matches(Filter.parse("members[value eq \"abc\"]"), group)).isFalse();
        assertThat(groups.matches(Filter.parse("displayName eq \"ADMINS\""), group)).isTrue();
        assertThat(groups.matches(Filter.parse("members.type eq \"user\""), group)).isTrue();
    }

    @Test
    void predicateFiltersACandidateSet() {
        Predicate<JsonNode> p = FilterEvaluator.forResourceType(Schemas.USER_RESOURCE)
                .predicate(Filter.parse("active eq false or emails[type eq \"work\"]"));
        List<JsonNode> candidates = List.of(USER, json("{\"active\": false}"), json("{\"active\": true}"),
                json("{\"emails\": {\"type\": \"WORK\"}}"));
        assertThat(candidates.stream().filter(p).toList()).containsExactly(candidates.get(0), candidates.get(1),
                candidates.get(3));
    }
}
