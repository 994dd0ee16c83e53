package io.usher.scim.filter;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A comparison value of a filter: a JSON string, number, {@code true}/{@code false} or {@code null}. A dateTime
 * is a string; it is compared as an instant when the attribute is of type dateTime. Immutable and thread-safe.
 *
 * @param kind  what the value is
 * @param value a {@link String}, {@link BigDecimal} or {@link Boolean}; null for {@link Kind#NULL}
 */
public record Literal(Kind kind, Object value) {

    /** The JSON kinds a filter value can have. */
    public enum Kind { STRING, NUMBER, BOOLEAN, NULL }

    private static final Literal TRUE = new Literal(Kind.BOOLEAN, Boolean.TRUE);
    private static final Literal FALSE = new Literal(Kind.BOOLEAN, Boolean.FALSE);
    private static final Literal NULL = new Literal(Kind.NULL, null);

    /** Checks that the value's Java type fits the kind. */
    public Literal {
        Objects.requireNonNull(kind, "kind");
        boolean ok = switch (kind) {
            case STRING -> value instanceof String;
            case NUMBER -> value instanceof BigDecimal;
            case BOOLEAN -> value instanceof Boolean;
            case NULL -> value == null;
        };
        if (!ok) {
            throw new IllegalArgumentException("a " + kind + " literal cannot hold " + value);
        }
    }

    /** A string (also used for dateTime values). */
    public static Literal string(String s) {
        return new Literal(Kind.STRING, Objects.requireNonNull(s, "s"));
    }

    /** A number. */
    public static Literal number(BigDecimal n) {
        return new Literal(Kind.NUMBER, Objects.requireNonNull(n, "n"));
    }

    /** A number. */
    public static Literal number(long n) {
        return number(BigDecimal.valueOf(n));
    }

    /** {@code true} or {@code false}. */
    public static Literal bool(boolean b) {
        return b ? TRUE : FALSE;
    }

    /** {@code null}. */
    public static Literal nullValue() {
        return NULL;
    }

    /** The string value; only for {@link Kind#STRING}. */
    public String asString() {
        if (kind != Kind.STRING) {
            throw new IllegalStateException("not a string literal: " + kind);
        }
        return (String) value;
    }

    /** The value as it is written in a filter (strings quoted and JSON-escaped). */
    @Override
    public String toString() {
        return switch (kind) {
            case STRING -> FilterPrinter.quote((String) value);
            case NUMBER -> ((BigDecimal) value).toString();
            case BOOLEAN -> value.toString();
            case NULL -> "null";
        };
    }
}
