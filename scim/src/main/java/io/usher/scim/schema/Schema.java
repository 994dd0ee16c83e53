package io.usher.scim.schema;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A SCIM schema (RFC 7643 §7): its URN, name, description and attributes. The common attributes ({@code id},
 * {@code externalId}, {@code meta}) are not part of a schema; {@link ResourceType} adds them. Immutable and
 * thread-safe.
 *
 * @param id          the schema URN, e.g. {@code urn:ietf:params:scim:schemas:core:2.0:User}
 * @param name        the human-readable name, e.g. {@code User}
 * @param description the description
 * @param attributes  the attributes
 */
public record Schema(String id, String name, String description, List<AttributeDefinition> attributes) {

    /** Validates and copies; attribute names must be unique ignoring case. */
    public Schema {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        attributes = List.copyOf(attributes);
        Set<String> seen = new HashSet<>();
        for (AttributeDefinition a : attributes) {
            if (!seen.add(a.name().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("schema " + id + " defines '" + a.name() + "' twice");
            }
        }
    }

    /** The attribute of that name, ignoring case. */
    public Optional<AttributeDefinition> attribute(String attributeName) {
        for (AttributeDefinition a : attributes) {
            if (a.name().equalsIgnoreCase(attributeName)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
