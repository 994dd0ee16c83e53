package io.usher.scim.filter;

import io.usher.scim.ScimException;
import io.usher.scim.ScimException.ScimType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An attribute path of RFC 7644 §3.10: {@code [schemaUrn ":"] name ["." subAttribute]}, e.g. {@code userName},
 * {@code name.givenName} or {@code urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber}.
 * It is used by filters, by the {@code attributes}, {@code excludedAttributes} and {@code sortBy} parameters and
 * by PATCH paths.
 *
 * <p>The spelling is kept as given (so printing is faithful); SCIM names are case-insensitive, which
 * {@link #sameAs(AttributePath)} and {@link #nameIs(String)} honour. Immutable and thread-safe.
 *
 * @param schema       the schema URN prefix, or null when the path has none
 * @param name         the attribute name ({@code ALPHA *(ALPHA / DIGIT / "-" / "_")}, or {@code $ref})
 * @param subAttribute the sub-attribute name, or null
 */
public record AttributePath(String schema, String name, String subAttribute) {

    private static final Pattern NAME = Pattern.compile("(?:[A-Za-z][A-Za-z0-9_-]*|\\$ref)");
    private static final Pattern URN = Pattern.compile("(?i:urn):[A-Za-z0-9][A-Za-z0-9._:-]*");

    /** Validates the parts; throws IllegalArgumentException (a programming error) for a malformed one. */
    public AttributePath {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not an attribute name: '" + name + "'");
        }
        if (subAttribute != null && !NAME.matcher(subAttribute).matches()) {
            throw new IllegalArgumentException("not a sub-attribute name: '" + subAttribute + "'");
        }
        if (schema != null && (!URN.matcher(schema).matches() || schema.endsWith(":"))) {
            throw new IllegalArgumentException("not a schema URN: '" + schema + "'");
        }
    }

    /** A plain attribute, e.g. {@code userName}. */
    public static AttributePath of(String name) {
        return new AttributePath(null, name, null);
    }

    /** An attribute with a sub-attribute, e.g. {@code name.givenName}. */
    public static AttributePath of(String name, String subAttribute) {
        return new AttributePath(null, name, subAttribute);
    }

    /** A schema-qualified path; {@code schema} and {@code subAttribute} may be null. */
    public static AttributePath of(String schema, String name, String subAttribute) {
        return new AttributePath(schema, name, subAttribute);
    }

    /**
     * Parses one attribute path (as in {@code sortBy}).
     *
     * @throws ScimException 400 {@code invalidPath} naming the column that is wrong
     */
    public static AttributePath parse(String text) {
        Objects.requireNonNull(text, "text");
        return FilterParser.defaults().parseAttributePath(text);
    }

    /**
     * Parses a comma-separated list of attribute paths (as in {@code attributes} and {@code excludedAttributes});
     * blank items are skipped.
     *
     * @throws ScimException 400 {@code invalidPath} for a malformed item
     */
    public static List<AttributePath> parseList(String text) {
        Objects.requireNonNull(text, "text");
        List<AttributePath> out = new ArrayList<>();
        int start = 0;
        for (String item : text.split(",", -1)) {
            String trimmed = item.strip();
            if (!trimmed.isEmpty()) {
                try {
                    out.add(parse(trimmed));
                } catch (ScimException e) {
                    throw ScimException.badRequest(ScimType.invalidPath,
                            "invalid attribute list item " + (out.size() + 1) + " (starting at column " + (start + 1)
                                    + "): " + e.getMessage());
                }
            }
            start += item.length() + 1;
        }
        return List.copyOf(out);
    }

    /** The same path without its sub-attribute. */
    public AttributePath parent() {
        return subAttribute == null ? this : new AttributePath(schema, name, null);
    }

    /** The same path with the given sub-attribute. */
    public AttributePath withSubAttribute(String sub) {
        return new AttributePath(schema, name, sub);
    }

    /** The same path without its schema prefix. */
    public AttributePath withoutSchema() {
        return schema == null ? this : new AttributePath(null, name, subAttribute);
    }

    /** Whether the attribute name (not the sub-attribute) is {@code other}, ignoring case. */
    public boolean nameIs(String other) {
        return name.equalsIgnoreCase(other);
    }

    /** Equality ignoring case, as SCIM compares attribute names and URNs. */
    public boolean sameAs(AttributePath other) {
        return other != null && name.equalsIgnoreCase(other.name)
                && (schema == null ? other.schema == null : schema.equalsIgnoreCase(other.schema))
                && (subAttribute == null ? other.subAttribute == null : subAttribute.equalsIgnoreCase(other.subAttribute));
    }

    /** A lower-cased key suitable for case-insensitive maps. */
    public String key() {
        return toString().toLowerCase(Locale.ROOT);
    }

    /** The canonical text: {@code [schema:]name[.sub]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (schema != null) {
            sb.append(schema).append(':');
        }
        sb.append(name);
        if (subAttribute != null) {
            sb.append('.').append(subAttribute);
        }
        return sb.toString();
    }
}
