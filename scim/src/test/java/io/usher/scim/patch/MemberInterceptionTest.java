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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Group member operations are handed to the caller, never applied to (or read from) the JSON. */
class MemberInterceptionTest {

    static final PatchApplier GROUPS = PatchApplier.forResourceType(Schemas.GROUP_RESOURCE);

    /** The resource as a store would hand it over: without its (possibly 100k) members. */
    static ObjectNode groupWithoutMembers() {
        return json("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"id\":\"g\",\"displayName\":\"Admins\"}");
    }

    static MemberChange change(MemberChange.Kind kind, MemberRef... refs) {
        return new MemberChange(kind, List.of(refs));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"u1\",\"type\":\"user\"},{\"value\":\"g2\",\"type\":\"Group\",\"$ref\":\"https://h/Groups/g2\"}]}]",
                        List.of(change(MemberChange.Kind.ADD, new MemberRef("u1", "User", null), new MemberRef("g2", "Group", null)))),
                Arguments.of("[{\"op\":\"add\",\"path\":\"members\",\"value\":{\"value\":\"u1\"}}]",
                        List.of(change(MemberChange.Kind.ADD, MemberRef.of("u1")))),
                Arguments.of("[{\"op\":\"add\",\"path\":\"members\",\"value\":[]}]", List.of()),
                Arguments.of("[{\"op\":\"remove\",\"path\":\"members[value eq \\\"u1\\\"]\"}]",
                        List.of(change(MemberChange.Kind.REMOVE, MemberRef.of("u1")))),
                Arguments.of("[{\"op\":\"remove\",\"path\":\"members[value eq \\\"u1\\\" or VALUE eq \\\"u2\\\"]\"}]",
                        List.of(change(MemberChange.Kind.REMOVE, MemberRef.of("u1"), MemberRef.of("u2")))),
                Arguments.of("[{\"op\":\"remove\",\"path\":\"members\"}]", List.of(change(MemberChange.Kind.REMOVE_ALL))),
                Arguments.of("[{\"op\":\"replace\",\"path\":\"members\",\"value\":[{\"value\":\"u9\"}]}]",
                        List.of(change(MemberChange.Kind.REPLACE_ALL, MemberRef.of("u9")))),
                Arguments.of("[{\"op\":\"replace\",\"path\":\"members\",\"value\":[]}]",
                        List.of(change(MemberChange.Kind.REPLACE_ALL))),
                Arguments.of("[{\"op\":\"add\",\"value\":{\"members\":[{\"value\":\"u1\"}]}}]",
                        List.of(change(MemberChange.Kind.ADD, MemberRef.of("u1")))),
                Arguments.of("[{\"op\":\"add\",\"path\":\"urn:ietf:params:scim:schemas:core:2.0:Group:members\",\"value\":[{\"value\":\"u1\"}]}]",
                        List.of(change(MemberChange.Kind.ADD, MemberRef.of("u1")))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void memberOperationsBecomeChanges(String operations, List<MemberChange> expected) {
        PatchResult r = GROUPS.apply(groupWithoutMembers(), request(operations));
        assertThat(r.memberChanges()).isEqualTo(expected);
        assertThat(r.resource()).isEqualTo(groupWithoutMembers());
        assertThat(r.modified()).isFalse();
    }

    @Test
    void renameAndMembersTogether() {
        PatchResult r = GROUPS.apply(groupWithoutMembers(), request("""
                [{"op": "replace", "value": {"displayName": "Ops", "members": [{"value": "u1"}]}}]"""));
        assertThat(r.resource().get("displayName").asText()).isEqualTo("Ops");
        assertThat(r.resource().has("members")).isFalse();
        assertThat(r.memberChanges()).containsExactly(change(MemberChange.Kind.REPLACE_ALL, MemberRef.of("u1")));
        assertThat(r.modified()).isTrue();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("[{\"op\":\"remove\",\"path\":\"members[type eq \\\"User\\\"]\"}]", ScimType.invalidFilter,
                        "members are selected only by 'value eq \"<id>\"'"),
                Arguments.of("[{\"op\":\"remove\",\"path\":\"members[value sw \\\"u\\\"]\"}]", ScimType.invalidFilter,
                        "members are selected only by"),
                Arguments.of("[{\"op\":\"replace\",\"path\":\"members[value eq \\\"u1\\\"].value\",\"value\":\"u2\"}]",
                        ScimType.mutability, "immutable"),
                Arguments.of("[{\"op\":\"replace\",\"path\":\"members[value eq \\\"u1\\\"].display\",\"value\":\"x\"}]",
                        ScimType.mutability, "'members.display' is readOnly"),
                Arguments.of("[{\"op\":\"add\",\"path\":\"members[value eq \\\"u1\\\"]\",\"value\":{}}]",
                        ScimType.invalidPath, "members are added with path 'members'"),
                Arguments.of("[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"display\":\"no id\"}]}]",
                        ScimType.invalidValue, "members[0] needs a 'value'"),
                Arguments.of("[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"u1\"},{\"value\":\"\"}]}]",
                        ScimType.invalidValue, "members[1] needs a 'value'"),
                Arguments.of("[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"u1\",\"type\":\"Robot\"}]}]",
                        ScimType.invalidValue, "members[0].type must be \"User\" or \"Group\""),
                Arguments.of("[{\"op\":\"add\",\"path\":\"members\",\"value\":[7]}]",
                        ScimType.invalidValue, "members[0] must be an object with a 'value'"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void badMemberOperations(String operations, ScimType type, String message) {
        assertThatThrownBy(() -> GROUPS.apply(groupWithoutMembers(), request(operations)))
                .isInstanceOfSatisfying(ScimException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.scimType()).isEqualTo(type);
                    assertThat(e.getMessage()).startsWith("Operations[0]: ").contains(message);
                });
    }

    @Test
    void usersHaveNoMembersToIntercept() {
        assertThat(PatchApplier.forResourceType(Schemas.USER_RESOURCE).interceptsMembers()).isFalse();
        assertThat(GROUPS.interceptsMembers()).isTrue();
        assertThatThrownBy(() -> PatchApplier.forResourceType(Schemas.USER_RESOURCE).apply(
                json(PatchApplierTest.USER), request("[{\"op\":\"add\",\"path\":\"members\",\"value\":[]}]")))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo(ScimType.invalidPath));
    }
}
