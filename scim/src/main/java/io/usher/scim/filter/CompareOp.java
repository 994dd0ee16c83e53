package io.usher.scim.filter;

import java.util.Locale;
import java.util.Optional;

/** The attribute operators of RFC 7644 §3.4.2.2 that take a value ({@code pr} is {@link Filter.Present}). */
public enum CompareOp {
    /** equal. */
    EQ,
    /** not equal. */
    NE,
    /** contains (strings). */
    CO,
    /** starts with (strings). */
    SW,
    /** ends with (strings). */
    EW,
    /** greater than. */
    GT,
    /** greater than or equal. */
    GE,
    /** less than. */
    LT,
    /** less than or equal. */
    LE;

    /** The operator as it is written in a filter ({@code eq}, {@code ne}, ...). */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this operator orders values (gt ge lt le). */
    public boolean isOrdering() {
        return this == GT || this == GE || this == LT || this == LE;
    }

    /** Whether this operator matches substrings (co sw ew). */
    public boolean isSubstring() {
        return this == CO || this == SW || this == EW;
    }

    /** The operator for a token, ignoring case; empty when the token is not one. */
    public static Optional<CompareOp> fromToken(String token) {
        for (CompareOp op : values()) {
            if (op.name().equalsIgnoreCase(token)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }
}
