package io.usher.scim.schema;

/** RFC 7643 §7 {@code returned}. */
public enum Returned {
    /** Always returned, even when excluded. */
    ALWAYS("always"),
    /** Never returned. */
    NEVER("never"),
    /** Returned unless excluded or other attributes were requested. */
    DEFAULT("default"),
    /** Returned only when requested. */
    REQUEST("request");

    private final String wire;

    Returned(String wire) {
        this.wire = wire;
    }

    /** The name as it appears in {@code /Schemas}. */
    public String wire() {
        return wire;
    }
}
