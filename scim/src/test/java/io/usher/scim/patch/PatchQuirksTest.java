package io.usher.scim.patch;

import static io.usher.scim.patch.PatchApplierTest.json;
import static io.usher.scim.patch.PatchApplierTest.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.scim.ScimException;
import io.usher.scim.ScimException.ScimType;
import io.usher.scim.schema.Schemas;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per tolerated client quirk, each replaying the payload that needs it. */
class PatchQuirksTest {

    static final String ENT = Schemas.ENTERPRISE_USER_URN;
    static final PatchApplier USERS = PatchApplier.forResourceType(Schemas.USER_RESOURCE);
    static final PatchApplier GROUPS = PatchApplier.forResourceType(Schemas.GROUP_RESOURCE);
    static final PatchApplier GROUPS_IN_JSON = PatchApplier.forResourceType(Schemas.GROUP_RESOURCE, false);

    static ObjectNode user() {
        return json(PatchApplierTest.USER);
    }

    static ObjectNode group() {
        return json("""
                {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "00g1emaKYZTWRYYRRTSK",
                 "displayName": "Admins",
                 "members": [{"value": "u-1", "type": "User"}, {"value": "u-2", "type": "User"}]}""");
    }

    @Test
    void entraCapitalisedOpNames() {
        PatchResult r = USERS.apply(user(), request("""
                [{"op": "Replace", "path": "title", "value": "Chief"},
                 {"op": "Add", "path": "nickName", "value": "Babs"},
                 {"op": "Remove", "path": "name.givenName"},
                 {"op": "REPLACE", "path": "displayName", "value": "B"}]"""));
        assertThat(r.resource().get("title").asText()).isEqualTo("Chief");
        assertThat(r.resource().get("nickName").asText()).isEqualTo("Babs");
        assertThat(r.resource().at("/name/givenName").isMissingNode()).isTrue();
        assertThat(r.resource().get("displayName").asText()).isEqualTo("B");
    }

    @Test
    void entraBooleansAsStrings() {
        PatchResult r = USERS.apply(user(), request("""
                [{"op": "Replace", "path": "active", "value": "False"},
                 {"op": "Add", "path": "emails", "value": [{"value": "n@x.org", "type": "other", "primary": "True"}]}]"""));
        assertThat(r.resource().get("active").isBoolean()).isTrue();
        assertThat(r.resource().get("active").booleanValue()).isFalse();
        assertThat(r.resource().at("/emails/2/primary").booleanValue()).isTrue();
        assertThat(r.resource().at("/emails/0/primary").isMissingNode()).isTrue();
    }

    @Test
    void entraRemoveMembersWithAValueArray() {
        String body = """
                [{"op": "Remove", "path": "members", "value": [{"value": "u-2"}, {"value": "not-a-member"}]}]""";
        PatchResult intercepted = GROUPS.apply(group(), request(body));
        assertThat(intercepted.memberChanges()).containsExactly(new MemberChange(MemberChange.Kind.REMOVE,
                List.of(MemberRef.of("u-2"), MemberRef.of("not-a-member"))));
        assertThat(intercepted.resource()).isEqualTo(group());
        PatchResult inJson = GROUPS_IN_JSON.apply(group(), request(body));
        assertThat(inJson.resource().get("members")).isEqualTo(json("{\"m\":[{\"value\":\"u-1\",\"type\":\"User\"}]}").get("m"));
    }

    @Test
    void entraPathlessReplaceMixingDottedAndUrnPrefixedKeys() {
        PatchResult r = USERS.apply(user(), request("""
                [{"op": "Replace", "value": {
                    "name.givenName": "Babs", "name.familyName": "Jensen-Smith",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "Tours",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager": "m-42",
                    "active": "False", "displayName": "Babs J"}}]"""));
        ObjectNode u = r.resource();
        assertThat(u.at("/name/givenName").asText()).isEqualTo("Babs");
        assertThat(u.at("/name/familyName").asText()).isEqualTo("Jensen-Smith");
        assertThat(u.get(ENT).get("department").asText()).isEqualTo("Tours");
        assertThat(u.get(ENT).get("manager")).isEqualTo(json("{\"value\":\"m-42\"}"));
        assertThat(u.get("active").booleanValue()).isFalse();
        assertThat(u.get("schemas")).hasSize(2);
        assertThat(u.get("schemas").get(1).asText()).isEqualTo(ENT);
    }

    @Test
    void entraAddOnASingleValuedAttributeReplacesIt() {
        PatchResult r = USERS.apply(user(), request("""
                [{"op": "Add", "path": "title", "value": "Senior Guide"},
                 {"op": "Add", "path": "name", "value": {"givenName": "Babs"}}]"""));
        assertThat(r.resource().get("title").asText()).isEqualTo("Senior Guide");
        assertThat(r.resource().get("name")).isEqualTo(json("{\"givenName\":\"Babs\",\"familyName\":\"Jensen\"}"));
    }

    @Test
    void entraManagerAsAPlainString() {
        PatchResult r = USERS.apply(user(), request("""
                [{"op": "Add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
                  "value": "26118915-6090-4610-87e4-49d8ca9f808d"}]"""));
        assertThat(r.resource().get(ENT).get("manager"))
                .isEqualTo(json("{\"value\":\"26118915-6090-4610-87e4-49d8ca9f808d\"}"));
    }

    @Test
    void entraNullRefInMembers() {
        String body = """
                [{"op": "Add", "path": "members",
                  "value": [{"$ref": null, "value": "f648f8d5-f6ae-4b54-9f8c-03ee7d7e1a45"}]}]""";
        assertThat(GROUPS.apply(group(), request(body)).memberChanges()).containsExactly(new MemberChange(
                MemberChange.Kind.ADD, List.of(MemberRef.of("f648f8d5-f6ae-4b54-9f8c-03ee7d7e1a45"))));
        assertThat(GROUPS_IN_JSON.apply(group(), request(body)).resource().at("/members/2"))
                .isEqualTo(json("{\"value\":\"f648f8d5-f6ae-4b54-9f8c-03ee7d7e1a45\"}"));
    }

    @Test
    void entraAddThroughAFilterForAValueThatDoesNotExistYet() {
        PatchResult r = USERS.apply(user(), request("""
                [{"op": "Add", "path": "addresses[type eq \\"work\\"].streetAddress", "value": "100 Universal City Plaza"},
                 {"op": "Add", "path": "addresses[type eq \\"work\\"].locality", "value": "Hollywood"}]"""));
        assertThat(r.resource().get("addresses")).isEqualTo(json("""
                {"a": [{"type": "work", "streetAddress": "100 Universal City Plaza", "locality": "Hollywood"}]}""").get("a"));
    }

    @Test
    void oktaPathlessReplaceOfActive() {
        PatchResult r = USERS.apply(user(), request("[{\"op\":\"replace\",\"value\":{\"active\":false}}]"));
        assertThat(r.resource().get("active").booleanValue()).isFalse();
        assertThat(r.modified()).isTrue();
    }

    @Test
    void oktaPathlessReplaceCarryingTheId() {
        PatchResult r = GROUPS.apply(group(), request("""
                [{"op": "replace", "value": {"id": "00g1emaKYZTWRYYRRTSK", "displayName": "Renamed"}}]"""));
        assertThat(r.resource().get("displayName").asText()).isEqualTo("Renamed");
        assertThat(r.resource().get("id").asText()).isEqualTo("00g1emaKYZTWRYYRRTSK");
        assertThatThrownBy(() -> GROUPS.apply(group(), request("""
                [{"op": "replace", "value": {"id": "someone-else", "displayName": "Renamed"}}]""")))
                .isInstanceOfSatisfying(ScimException.class, e -> {
                    assertThat(e.scimType()).isEqualTo(ScimType.mutability);
                    assertThat(e.getMessage()).isEqualTo("Operations[0]: 'id' is readOnly");
                });
    }

    @Test
    void oktaRemoveAndAddMembersInOnePatch() {
        PatchResult r = GROUPS.apply(group(), request("""
                [{"op": "remove", "path": "members[value eq \\"u-1\\"]"},
                 {"op": "add", "path": "members", "value": [{"value": "u-3", "display": "Carol"}]}]"""));
        assertThat(r.memberChanges()).containsExactly(
                new MemberChange(MemberChange.Kind.REMOVE, List.of(MemberRef.of("u-1"))),
                new MemberChange(MemberChange.Kind.ADD, List.of(new MemberRef("u-3", null, "Carol"))));
        assertThat(r.modified()).isFalse();
    }
}
