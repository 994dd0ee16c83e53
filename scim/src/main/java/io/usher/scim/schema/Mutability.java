package io.usher.scim.schema;

/** RFC 7643 §7 {@code mutability}. */
public enum Mutability {
    /** Set by the service provider only. */
    READ_ONLY("readOnly"),
    /** Clients may change it. */
    READ_WRITE("readWrite"),
    /** Set once (when created or when added to a multi-valued attribute), never changed. */
    IMMUTABLE("immutable"),
    /** Clients may set it but it is never returned (passwords). */
    WRITE_ONLY("writeOnly");

    private final String wire;

    Mutability(String wire) {
        this.wire = wire;
    }

    /** The name as it appears in {@code /Schemas}. */
    public String wire() {
        return wire;
    }
}
