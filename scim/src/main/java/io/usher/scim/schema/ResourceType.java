package io.usher.scim.schema;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A SCIM resource type (RFC 7643 §6): a core schema plus extensions, served at an endpoint. It resolves attribute
 * paths, case-insensitively, to their definitions, including the common attributes {@code id},
 * {@code externalId} and {@code meta} (RFC 7643 §3.1). Immutable and thread-safe.
 *
 * @param name        the resource type name, e.g. {@code User}
 * @param endpoint    the endpoint, e.g. {@code /Users}
 * @param description the description
 * @param schema      the core schema
 * @param extensions  the schema extensions (none required)
 */
public record ResourceType(String name, String endpoint, String description, Schema schema, List<Schema> extensions) {

    /** Validates and copies. */
    public ResourceType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(schema, "schema");
        extensions = List.copyOf(extensions);
    }

    /**
     * An attribute path resolved against a resource type.
     *
     * @param schema       the schema that defines the attribute (the core schema for common attributes)
     * @param attribute    the attribute
     * @param subAttribute the sub-attribute, or null when the path names none
     * @param common       whether the attribute is one of {@code id}, {@code externalId}, {@code meta}
     */
    public record Resolved(Schema schema, AttributeDefinition attribute, AttributeDefinition subAttribute,
                           boolean common) {
        /** The definition the path ends in: the sub-attribute if any, else the attribute. */
        public AttributeDefinition target() {
            return subAttribute != null ? subAttribute : attribute;
        }
    }

    /** The extension with that URN, ignoring case. */
    public Optional<Schema> extension(String urn) {
        return extensions.stream().filter(s -> s.id().equalsIgnoreCase(urn)).findFirst();
    }

    /** Whether the URN is the core schema or one of the extensions (ignoring case). */
    public boolean hasSchema(String urn) {
        return schema.id().equalsIgnoreCase(urn) || extension(urn).isPresent();
    }

    /** Every schema URN: the core one first. */
    public List<String> schemaUrns() {
        List<String> out = new java.util.ArrayList<>();
        out.add(schema.id());
        extensions.forEach(e -> out.add(e.id()));
        return List.copyOf(out);
    }

    /**
     * Resolves {@code [schemaUrn:]name[.subAttribute]}, ignoring case. Without a URN the core schema and the common
     * attributes are searched first, then the extensions (so {@code employeeNumber} finds the enterprise one).
     *
     * @param schemaUrn    the URN prefix, or null
     * @param attribute    the attribute name
     * @param subAttribute the sub-attribute name, or null
     * @return empty when the schema, attribute or sub-attribute is unknown, or a sub-attribute is given for an
     *         attribute that is not complex
     */
    public Optional<Resolved> resolve(String schemaUrn, String attribute, String subAttribute) {
        Objects.requireNonNull(attribute, "attribute");
        Optional<Resolved> found = Optional.empty();
        if (schemaUrn == null || schemaUrn.equalsIgnoreCase(schema.id())) {
            found = schema.attribute(attribute).map(a -> new Resolved(schema, a, null, false))
                    .or(() -> Schemas.commonAttribute(attribute).map(a -> new Resolved(schema, a, null, true)));
        }
        if (found.isEmpty()) {
            for (Schema ext : extensions) {
                if (schemaUrn == null || schemaUrn.equalsIgnoreCase(ext.id())) {
                    found = ext.attribute(attribute).map(a -> new Resolved(ext, a, null, false));
                    if (found.isPresent()) {
                        break;
                    }
                }
            }
        }
        if (found.isEmpty() || subAttribute == null) {
            return found;
        }
        Resolved r = found.get();
        return r.attribute().subAttribute(subAttribute).map(s -> new Resolved(r.schema(), r.attribute(), s, r.common()));
    }
}
