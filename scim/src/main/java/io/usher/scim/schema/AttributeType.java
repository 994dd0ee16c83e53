package io.usher.scim.schema;

/** The data types of RFC 7643 §2.3, with their wire spelling. */
public enum AttributeType {
    /** {@code string}. */
    STRING("string"),
    /** {@code boolean}. */
    BOOLEAN("boolean"),
    /** {@code decimal}. */
    DECIMAL("decimal"),
    /** {@code integer}. */
    INTEGER("integer"),
    /** {@code dateTime} (xsd:dateTime, compared as an instant). */
    DATE_TIME("dateTime"),
    /** {@code binary} (base64). */
    BINARY("binary"),
    /** {@code reference} (a URI). */
    REFERENCE("reference"),
    /** {@code complex}: has sub-attributes. */
    COMPLEX("complex");

    private final String wire;

    AttributeType(String wire) {
        this.wire = wire;
    }

    /** The name as it appears in {@code /Schemas}. */
    public String wire() {
        return wire;
    }
}
