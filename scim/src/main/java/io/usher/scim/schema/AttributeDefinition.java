package io.usher.scim.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One attribute of a SCIM schema (RFC 7643 §2.2 and §7) with its characteristics. Immutable and thread-safe; build
 * one with {@link #builder(String, AttributeType)}, whose defaults are those of RFC 7643 §2.2 (single-valued,
 * optional, case-insensitive, readWrite, returned by default, no uniqueness).
 *
 * @param name            the attribute name
 * @param type            the data type
 * @param multiValued     whether it holds an array
 * @param description     a human-readable description
 * @param required        whether a resource must have it
 * @param caseExact       whether string comparisons are case-sensitive
 * @param mutability      who may change it
 * @param returned        when it is returned
 * @param uniqueness      how unique its values are
 * @param canonicalValues suggested values (e.g. {@code work}, {@code home}); empty when none
 * @param referenceTypes  for references: what they may point to ({@code User}, {@code Group}, {@code external},
 *                        {@code uri}); empty otherwise
 * @param subAttributes   for complex attributes: the sub-attributes; empty otherwise
 */
public record AttributeDefinition(String name, AttributeType type, boolean multiValued, String description,
                                  boolean required, boolean caseExact, Mutability mutability, Returned returned,
                                  Uniqueness uniqueness, List<String> canonicalValues, List<String> referenceTypes,
                                  List<AttributeDefinition> subAttributes) {

    private static final Pattern NAME = Pattern.compile("(?:[A-Za-z][A-Za-z0-9_-]*|\\$ref)");

    /** Validates and copies. */
    public AttributeDefinition {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not an attribute name: '" + name + "'");
        }
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(mutability, "mutability");
        Objects.requireNonNull(returned, "returned");
        Objects.requireNonNull(uniqueness, "uniqueness");
        canonicalValues = List.copyOf(canonicalValues);
        referenceTypes = List.copyOf(referenceTypes);
        subAttributes = List.copyOf(subAttributes);
        if (type == AttributeType.COMPLEX && subAttributes.isEmpty()) {
            throw new IllegalArgumentException("complex attribute '" + name + "' needs sub-attributes");
        }
        if (type != AttributeType.COMPLEX && !subAttributes.isEmpty()) {
            throw new IllegalArgumentException("only complex attributes have sub-attributes ('" + name + "')");
        }
        if (type == AttributeType.REFERENCE && referenceTypes.isEmpty()) {
            throw new IllegalArgumentException("reference attribute '" + name + "' needs referenceTypes");
        }
        for (AttributeDefinition sub : subAttributes) {
            if (sub.type() == AttributeType.COMPLEX) {
                throw new IllegalArgumentException("sub-attribute '" + name + "." + sub.name() + "' cannot be complex");
            }
        }
    }

    /** A builder with the RFC 7643 §2.2 defaults. */
    public static Builder builder(String name, AttributeType type) {
        return new Builder(name, type);
    }

    /** The sub-attribute of that name, ignoring case. */
    public Optional<AttributeDefinition> subAttribute(String subName) {
        for (AttributeDefinition sub : subAttributes) {
            if (sub.name().equalsIgnoreCase(subName)) {
                return Optional.of(sub);
            }
        }
        return Optional.empty();
    }

    /** Whether this is a complex attribute. */
    public boolean isComplex() {
        return type == AttributeType.COMPLEX;
    }

    /** Builds an {@link AttributeDefinition}; not thread-safe. */
    public static final class Builder {
        private final String name;
        private final AttributeType type;
        private boolean multiValued;
        private String description = "";
        private boolean required;
        private boolean caseExact;
        private Mutability mutability = Mutability.READ_WRITE;
        private Returned returned = Returned.DEFAULT;
        private Uniqueness uniqueness = Uniqueness.NONE;
        private List<String> canonicalValues = List.of();
        private List<String> referenceTypes = List.of();
        private final List<AttributeDefinition> subAttributes = new ArrayList<>();

        private Builder(String name, AttributeType type) {
            this.name = Objects.requireNonNull(name, "name");
            this.type = Objects.requireNonNull(type, "type");
        }

        /** Multi-valued. */
        public Builder multiValued() {
            this.multiValued = true;
            return this;
        }

        /** The description. */
        public Builder description(String text) {
            this.description = Objects.requireNonNull(text, "description");
            return this;
        }

        /** Required. */
        public Builder required() {
            this.required = true;
            return this;
        }

        /** Case-exact. */
        public Builder caseExact() {
            this.caseExact = true;
            return this;
        }

        /** The mutability. */
        public Builder mutability(Mutability m) {
            this.mutability = Objects.requireNonNull(m, "mutability");
            return this;
        }

        /** When it is returned. */
        public Builder returned(Returned r) {
            this.returned = Objects.requireNonNull(r, "returned");
            return this;
        }

        /** The uniqueness. */
        public Builder uniqueness(Uniqueness u) {
            this.uniqueness = Objects.requireNonNull(u, "uniqueness");
            return this;
        }

        /** Canonical values. */
        public Builder canonicalValues(String... values) {
            this.canonicalValues = List.of(values);
            return this;
        }

        /** Reference types. */
        public Builder referenceTypes(String... values) {
            this.referenceTypes = List.of(values);
            return this;
        }

        /** Adds a sub-attribute. */
        public Builder sub(AttributeDefinition sub) {
            for (AttributeDefinition existing : subAttributes) {
                if (existing.name().equalsIgnoreCase(sub.name())) {
                    throw new IllegalArgumentException("'" + name + "' already has a sub-attribute '" + sub.name() + "'");
                }
            }
            subAttributes.add(sub);
            return this;
        }

        /** Adds sub-attributes. */
        public Builder subs(AttributeDefinition... subs) {
            for (AttributeDefinition s : subs) {
                sub(s);
            }
            return this;
        }

        /** The definition. */
        public AttributeDefinition build() {
            return new AttributeDefinition(name, type, multiValued, description, required, caseExact, mutability,
                    returned, uniqueness, canonicalValues, referenceTypes, subAttributes);
        }
    }
}
