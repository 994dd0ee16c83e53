package io.usher.scim.patch;

import static io.usher.scim.patch.PatchApplierTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.usher.scim.ScimException;
import io.usher.scim.ScimException.ScimType;
import io.usher.scim.filter.FilterParser;
import io.usher.scim.filter.PatchPath;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PatchRequestTest {

    static final String S = "\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"]";

    @Test
    void parsesOperations() {
        PatchRequest r = PatchRequest.parse(json("{" + S + ",\"Operations\":["
                + "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"x\"}]},"
                + "{\"op\":\"Remove\",\"path\":\"emails[type eq \\\"work\\\"]\"},"
                + "{\"op\":\"replace\",\"path\":\"\",\"value\":{\"active\":false}}]}"));
        assertThat(r.operations()).hasSize(3);
        assertThat(r.operations().get(0).op()).isEqualTo(PatchOperation.Op.ADD);
        assertThat(r.operations().get(0).path()).isEqualTo(PatchPath.parse("members"));
        assertThat(r.operations().get(1).op()).isEqualTo(PatchOperation.Op.REMOVE);
        assertThat(r.operations().get(1).path().hasValueFilter()).isTrue();
        assertThat(r.operations().get(2).path()).as("a blank path is no path").isNull();
    }

    @Test
    void memberNamesAreCaseInsensitive() {
        PatchRequest r = PatchRequest.parse(json("{\"Schemas\":[\"URN:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                + "\"operations\":[{\"OP\":\"add\",\"Path\":\"title\",\"Value\":\"x\"}]}"));
        assertThat(r.operations()).containsExactly(PatchOperation.add(PatchPath.parse("title"),
                JsonNodeFactory.instance.textNode("x")));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("[]", ScimType.invalidSyntax, "a PATCH request body is a JSON object"),
                Arguments.of("{\"Operations\":[]}", ScimType.invalidSyntax, "'schemas' must be an array holding"),
                Arguments.of("{\"schemas\":[\"urn:x\"],\"Operations\":[{\"op\":\"add\"}]}", ScimType.invalidSyntax, "'schemas' must be"),
                Arguments.of("{" + S + "}", ScimType.invalidSyntax, "'Operations' must be a non-empty array"),
                Arguments.of("{" + S + ",\"Operations\":[]}", ScimType.invalidSyntax, "'Operations' must be a non-empty array"),
                Arguments.of("{" + S + ",\"Operations\":{}}", ScimType.invalidSyntax, "'Operations' must be a non-empty array"),
                Arguments.of("{" + S + ",\"Operations\":[1]}", ScimType.invalidSyntax, "Operations[0] is not a JSON object"),
                Arguments.of("{" + S + ",\"Operations\":[{\"path\":\"x\"}]}", ScimType.invalidSyntax, "Operations[0].op must be"),
                Arguments.of("{" + S + ",\"Operations\":[{\"op\":\"add\",\"value\":{}},{\"op\":\"merge\",\"value\":{}}]}",
                        ScimType.invalidSyntax, "Operations[1].op must be \"add\", \"replace\" or \"remove\"; found an unknown operation"),
                Arguments.of("{" + S + ",\"Operations\":[{\"op\":\"add\",\"path\":5,\"value\":1}]}", ScimType.invalidPath, "Operations[0].path must be a string"),
                Arguments.of("{" + S + ",\"Operations\":[{\"op\":\"add\",\"path\":\"emails[type eq\",\"value\":1}]}", ScimType.invalidPath,
                        "Operations[0].path: invalid path at column 15: expected a space and a value after 'eq'"),
                Arguments.of("{" + S + ",\"Operations\":[{\"op\":\"replace\",\"path\":\"title\"}]}", ScimType.invalidValue, "Operations[0] (replace) needs a 'value'"),
                Arguments.of("{" + S + ",\"Operations\":[{\"op\":\"remove\"}]}", ScimType.noTarget, "Operations[0] (remove) needs a 'path'"),
                Arguments.of("{" + S + ",\"Operations\":[{\"op\":\"add\",\"value\":\"x\"}]}", ScimType.invalidValue, "its 'value' must be an object of attributes"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void rejectsMalformedBodies(String body, ScimType type, String message) {
        assertThatThrownBy(() -> PatchRequest.parse(json("{\"b\":" + body + "}").get("b")))
                .isInstanceOfSatisfying(ScimException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.scimType()).isEqualTo(type);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @Test
    void tooManyOperations() {
        String op = "{\"op\":\"add\",\"path\":\"title\",\"value\":\"x\"}";
        String body = "{" + S + ",\"Operations\":[" + op + "," + op + "," + op + "]}";
        assertThat(PatchRequest.parse(json(body), 3, FilterParser.defaults()).operations()).hasSize(3);
        assertThatThrownBy(() -> PatchRequest.parse(json(body), 2, FilterParser.defaults()))
                .isInstanceOfSatisfying(ScimException.class, e -> {
                    assertThat(e.scimType()).isEqualTo(ScimType.tooMany);
                    assertThat(e.getMessage()).isEqualTo("the request has 3 operations; the limit is 2");
                });
    }

    @Test
    void pathLimitsComeFromTheGivenParser() {
        String body = "{" + S + ",\"Operations\":[{\"op\":\"remove\",\"path\":\"emails[type eq \\\"work\\\"]\"}]}";
        assertThatThrownBy(() -> PatchRequest.parse(json(body), 10, FilterParser.withLimits(10, 5)))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("Operations[0].path: the path is 22 characters long; the limit is 10"));
    }

    @Test
    void printsTheCanonicalBody() {
        PatchRequest r = PatchRequest.parse(json("{" + S + ",\"Operations\":["
                + "{\"op\":\"Replace\",\"path\":\"emails[TYPE Eq \\\"work\\\"].value\",\"value\":\"a@b.c\"},"
                + "{\"op\":\"Remove\",\"path\":\"title\"}]}"));
        assertThat(r.toJson()).isEqualTo(json("{" + S + ",\"Operations\":["
                + "{\"op\":\"replace\",\"path\":\"emails[TYPE eq \\\"work\\\"].value\",\"value\":\"a@b.c\"},"
                + "{\"op\":\"remove\",\"path\":\"title\"}]}"));
    }
}
