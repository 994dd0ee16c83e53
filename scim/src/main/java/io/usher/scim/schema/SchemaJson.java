package io.usher.scim.schema;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * Renders schemas and resource types in their SCIM JSON representation (RFC 7643 §6, §7), as served at
 * {@code /Schemas} and {@code /ResourceTypes}. Every characteristic is written out, so what a client reads is what
 * the PATCH applier and filter evaluator enforce. Stateless and thread-safe.
 */
public final class SchemaJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SchemaJson() {
    }

    /**
     * A schema as served at {@code /Schemas/{id}}.
     *
     * @param baseUrl the service provider's base URL without a trailing slash (e.g. {@code https://host/scim/v2}),
     *                used for {@code meta.location}
     */
    public static ObjectNode schema(Schema schema, String baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        ObjectNode out = JSON.objectNode();
        out.putArray("schemas").add(Schemas.SCHEMA_URN);
        out.put("id", schema.id());
        out.put("name", schema.name());
        out.put("description", schema.description());
        ArrayNode attrs = out.putArray("attributes");
        schema.attributes().forEach(a -> attrs.add(attribute(a)));
        ObjectNode meta = out.putObject("meta");
        meta.put("resourceType", "Schema");
        meta.put("location", baseUrl + "/Schemas/" + schema.id());
        return out;
    }

    /** One attribute definition, with its sub-attributes. */
    public static ObjectNode attribute(AttributeDefinition a) {
        ObjectNode out = JSON.objectNode();
        out.put("name", a.name());
        out.put("type", a.type().wire());
        out.put("multiValued", a.multiValued());
        out.put("description", a.description());
        out.put("required", a.required());
        if (!a.canonicalValues().isEmpty()) {
            ArrayNode cv = out.putArray("canonicalValues");
            a.canonicalValues().forEach(cv::add);
        }
        out.put("caseExact", a.caseExact());
        out.put("mutability", a.mutability().wire());
        out.put("returned", a.returned().wire());
        out.put("uniqueness", a.uniqueness().wire());
        if (!a.referenceTypes().isEmpty()) {
            ArrayNode rt = out.putArray("referenceTypes");
            a.referenceTypes().forEach(rt::add);
        }
        if (!a.subAttributes().isEmpty()) {
            ArrayNode subs = out.putArray("subAttributes");
            a.subAttributes().forEach(s -> subs.add(attribute(s)));
        }
        return out;
    }

    /** A resource type as served at {@code /ResourceTypes/{name}}; extensions are marked not required. */
    public static ObjectNode resourceType(ResourceType type, String baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        ObjectNode out = JSON.objectNode();
        out.putArray("schemas").add(Schemas.RESOURCE_TYPE_URN);
        out.put("id", type.name());
        out.put("name", type.name());
        out.put("endpoint", type.endpoint());
        out.put("description", type.description());
        out.put("schema", type.schema().id());
        if (!type.extensions().isEmpty()) {
            ArrayNode exts = out.putArray("schemaExtensions");
            type.extensions().forEach(e -> exts.addObject().put("schema", e.id()).put("required", false));
        }
        ObjectNode meta = out.putObject("meta");
        meta.put("resourceType", "ResourceType");
        meta.put("location", baseUrl + "/ResourceTypes/" + type.name());
        return out;
    }
}
