package io.usher.scim.filter;

import java.util.Objects;

/**
 * The {@code path} of a PATCH operation (RFC 7644 §3.5.2): {@code attrPath}, {@code attrPath[valFilter]} or
 * {@code attrPath[valFilter].subAttr}, optionally URN-prefixed. Immutable and thread-safe.
 *
 * @param attribute    the attribute (it carries a sub-attribute only when there is no value filter)
 * @param valueFilter  the filter selecting values of a multi-valued attribute, or null
 * @param subAttribute the sub-attribute after the value filter, or null
 */
public record PatchPath(AttributePath attribute, Filter valueFilter, String subAttribute) {

    /** Checks the forms allowed. */
    public PatchPath {
        Objects.requireNonNull(attribute, "attribute");
        if (valueFilter != null) {
            // validates the nesting rules and the attribute form
            new Filter.ValuePath(attribute, valueFilter);
        } else if (subAttribute != null) {
            throw new IllegalArgumentException("a sub-attribute after ']' needs a value filter; put it in the attribute");
        }
        if (subAttribute != null) {
            AttributePath.of(subAttribute); // validates the name
        }
    }

    /**
     * Parses a PATCH path with the default limits.
     *
     * @throws io.usher.scim.ScimException 400 {@code invalidPath} naming the column
     */
    public static PatchPath parse(String text) {
        return FilterParser.defaults().parsePatchPath(text);
    }

    /** A path with only an attribute (and maybe its sub-attribute). */
    public static PatchPath of(AttributePath attribute) {
        return new PatchPath(attribute, null, null);
    }

    /** Whether the path has a value filter. */
    public boolean hasValueFilter() {
        return valueFilter != null;
    }

    /** The sub-attribute the path ends in, wherever it is written ({@code a.b} or {@code a[f].b}); or null. */
    public String targetSubAttribute() {
        return valueFilter != null ? subAttribute : attribute.subAttribute();
    }

    /** The canonical text, which parses back to an equal path. */
    @Override
    public String toString() {
        if (valueFilter == null) {
            return attribute.toString();
        }
        return attribute + "[" + valueFilter + "]" + (subAttribute == null ? "" : "." + subAttribute);
    }
}
