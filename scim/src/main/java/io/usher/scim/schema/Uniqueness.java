package io.usher.scim.schema;

/** RFC 7643 §7 {@code uniqueness}. */
public enum Uniqueness {
    /** No uniqueness. */
    NONE("none"),
    /** Unique within this service provider. */
    SERVER("server"),
    /** Globally unique. */
    GLOBAL("global");

    private final String wire;

    Uniqueness(String wire) {
        this.wire = wire;
    }

    /** The name as it appears in {@code /Schemas}. */
    public String wire() {
        return wire;
    }
}
