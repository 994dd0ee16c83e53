package io.usher.scim.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.scim.ScimException;
import io.usher.scim.schema.Schema;
import io.usher.scim.schema.SchemaJson;
import io.usher.scim.schema.Schemas;
import java.util.ArrayList;
import java.util.List;

/** {@code /Schemas} and {@code /ResourceTypes} from {@link io.usher.scim.schema}: what the server enforces. */
final class SchemaDocs {
    private SchemaDocs() {}

    static ObjectNode all(String base) {
        List<ObjectNode> items = new ArrayList<>();
        for (Schema s : Schemas.ALL) {
            items.add(SchemaJson.schema(s, base));
        }
        return Discovery.list(items);
    }

    static ObjectNode one(String id, String base) {
        for (Schema s : Schemas.ALL) {
            if (s.id().equalsIgnoreCase(id)) {
                return SchemaJson.schema(s, base);
            }
        }
        throw ScimException.of(404, null, "no schema '" + id + "'");
    }

    static ObjectNode userType(String base) {
        return SchemaJson.resourceType(Schemas.USER_RESOURCE, base);
    }

    static ObjectNode groupType(String base) {
        return SchemaJson.resourceType(Schemas.GROUP_RESOURCE, base);
    }
}
