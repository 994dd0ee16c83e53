package io.usher.scim.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.scim.ScimException;
import io.usher.scim.schema.Schemas;
import org.junit.jupiter.api.Test;

/**
 * Regression (security review): a sub-megabyte PATCH adding 40,000 emails took two minutes under a resource lock,
 * because each added value is compared with every held one. Multi-valued attributes now hold at most
 * {@link PatchApplier#MAX_VALUES} values.
 */
class TooManyValuesRegressionTest {

    private static final ObjectMapper M = new ObjectMapper();

    private static ArrayNode emails(int n) {
        ArrayNode a = M.createArrayNode();
        for (int i = 0; i < n; i++) {
            a.addObject().put("value", "u" + i + "@example.com").put("type", "other");
        }
        return a;
    }

    private static ObjectNode patchUser(ObjectNode body) {
        ObjectNode user = M.createObjectNode().put("userName", "bjensen");
        user.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:User");
        return PatchApplier.forResourceType(Schemas.USER_RESOURCE).apply(user, PatchRequest.parse(body)).resource();
    }

    @Test
    void aPatchAddingMoreValuesThanTheCapIsRefusedAndChangesNothing() throws Exception {
        ObjectNode op = M.createObjectNode().put("op", "add").put("path", "emails");
        op.set("value", emails(PatchApplier.MAX_VALUES + 1));
        ObjectNode body = M.createObjectNode();
        body.putArray("schemas").add("urn:ietf:params:scim:api:messages:2.0:PatchOp");
        body.putArray("Operations").add(op);
        assertThatThrownBy(() -> patchUser(body))
                .isInstanceOfSatisfying(ScimException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.scimType()).isEqualTo(ScimException.ScimType.invalidValue);
                    assertThat(e.getMessage()).contains("at most " + PatchApplier.MAX_VALUES);
                });
    }

    @Test
    void aPatchAtTheCapIsAccepted() throws Exception {
        ObjectNode op = M.createObjectNode().put("op", "add").put("path", "emails");
        op.set("value", emails(PatchApplier.MAX_VALUES));
        ObjectNode body = M.createObjectNode();
        body.putArray("schemas").add("urn:ietf:params:scim:api:messages:2.0:PatchOp");
        body.putArray("Operations").add(op);
        assertThat(patchUser(body).get("emails").size()).isEqualTo(PatchApplier.MAX_VALUES);
    }
}
