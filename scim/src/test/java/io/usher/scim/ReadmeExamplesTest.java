package io.usher.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.scim.filter.Filter;
import io.usher.scim.filter.FilterEvaluator;
import io.usher.scim.filter.FilterParser;
import io.usher.scim.filter.Pushdown;
import io.usher.scim.patch.MemberChange;
import io.usher.scim.patch.PatchApplier;
import io.usher.scim.patch.PatchRequest;
import io.usher.scim.patch.PatchResult;
import io.usher.scim.schema.Schemas;
import org.junit.jupiter.api.Test;

/** The code shown in scim/README.md ("Filters, schemas and PATCH"), kept compiling and true. */
class ReadmeExamplesTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void filterExample() throws Exception {
        ObjectNode user = (ObjectNode) JSON.readTree("""
                {"userName": "bjensen", "active": true, "emails": [{"value": "b@example.com", "type": "work"}]}""");
        // --- README: filters ---
        FilterParser parser = FilterParser.withLimits(4096, 32);          // or FilterParser.defaults()
        Filter filter = parser.parseFilter("userName eq \"BJensen\" and emails[type eq \"work\"]");
        Pushdown split = Pushdown.split(filter);                          // userName = "BJensen" (case-insensitive)
        // ... the store looks up split.terms(), then the rest is checked in memory:
        boolean matches = split.remainder()
                .map(rest -> FilterEvaluator.forResourceType(Schemas.USER_RESOURCE).matches(rest, user))
                .orElse(true);
        // --- end ---
        assertThat(split.terms()).containsExactly(new Pushdown.Term("userName", "BJensen", false));
        assertThat(matches).isTrue();
        assertThat(filter.toString()).isEqualTo("userName eq \"BJensen\" and emails[type eq \"work\"]");
        assertThatThrownBy(() -> parser.parseFilter("userName eq"))
                .hasMessage("invalid filter at column 12: expected a space and a value after 'eq' but found the end"
                        + " of the filter");
    }

    @Test
    void patchExample() throws Exception {
        ObjectNode group = (ObjectNode) JSON.readTree("{\"id\": \"g1\", \"displayName\": \"Admins\"}");
        ObjectNode body = (ObjectNode) JSON.readTree("""
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations": [{"op": "Replace", "value": {"id": "g1", "displayName": "Ops"}},
                                {"op": "Add", "path": "members", "value": [{"value": "u-7", "$ref": null}]}]}""");
        // --- README: PATCH ---
        PatchResult result = PatchApplier.forResourceType(Schemas.GROUP_RESOURCE)
                .apply(group, PatchRequest.parse(body));                  // ScimException 400 on any failure
        ObjectNode patched = result.resource();                           // {"id":"g1","displayName":"Ops"}
        for (MemberChange change : result.memberChanges()) {              // ADD [u-7]
            // apply to the store, in the same transaction as `patched`
        }
        // --- end ---
        assertThat(patched.get("displayName").asText()).isEqualTo("Ops");
        assertThat(group.get("displayName").asText()).isEqualTo("Admins");
        assertThat(result.memberChanges()).hasSize(1);
        assertThat(result.memberChanges().get(0).kind()).isEqualTo(MemberChange.Kind.ADD);
        assertThat(result.memberChanges().get(0).members().get(0).value()).isEqualTo("u-7");
    }
}
