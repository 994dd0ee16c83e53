package io.usher.testkit.okta;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The fake's reader of Okta's {@code filter} expressions, as the management API documents them:
 * {@code attribute op "value"} with the operators {@code eq ne gt ge lt le sw co pr}, joined by {@code and} and
 * {@code or} ({@code and} binds tighter) and grouped with parentheses: {@code status eq "DEPROVISIONED"},
 * {@code lastUpdated gt "2026-11-29T07:00:00.000Z"},
 * {@code type eq "OKTA_GROUP" and (lastUpdated gt "…" or lastMembershipUpdated gt "…")}. Timestamps compare as
 * instants, other values as strings (case-sensitive, as Okta's filters are). Errors name the position.
 * Immutable once parsed; thread-safe.
 */
final class OktaFilter {
    private static final Set<String> OPS = Set.of("eq", "ne", "gt", "ge", "lt", "le", "sw", "co", "pr");

    /** A parse error: what was expected and where. */
    static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** A parsed expression, evaluated against a record's attributes (null: absent). */
    interface Node {
        boolean test(Function<String, String> attributes);
    }

    private final String text;
    private int pos;

    private OktaFilter(String text) {
        this.text = text;
    }

    /** Parses an expression, or throws {@link Invalid} naming the position. */
    static Node parse(String text) {
        if (text == null || text.isBlank()) {
            throw new Invalid("the filter is empty");
        }
        if (text.length() > 4096) {
            throw new Invalid("the filter is longer than 4096 characters");
        }
        OktaFilter p = new OktaFilter(text);
        Node n = p.or();
        p.skipSpace();
        if (p.pos < text.length()) {
            throw new Invalid("unexpected text at position " + p.pos);
        }
        return n;
    }

    private Node or() {
        Node left = and();
        while (keyword("or")) {
            Node l = left;
            Node r = and();
            left = a -> l.test(a) || r.test(a);
        }
        return left;
    }

    private Node and() {
        Node left = primary();
        while (keyword("and")) {
            Node l = left;
            Node r = primary();
            left = a -> l.test(a) && r.test(a);
        }
        return left;
    }

    private Node primary() {
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == '(') {
            pos++;
            Node inner = or();
            skipSpace();
            if (pos >= text.length() || text.charAt(pos) != ')') {
                throw new Invalid("expected ')' at position " + pos);
            }
            pos++;
            return inner;
        }
        int at = pos;
        String attr = word();
        if (attr.isEmpty()) {
            throw new Invalid("expected an attribute name at position " + at);
        }
        skipSpace();
        int opAt = pos;
        String op = word().toLowerCase(Locale.ROOT);
        if (!OPS.contains(op)) {
            throw new Invalid("expected an operator (eq, ne, gt, ge, lt, le, sw, co, pr) at position " + opAt);
        }
        if (op.equals("pr")) {
            return a -> a.apply(attr) != null;
        }
        String value = value();
        return a -> compare(a.apply(attr), op, value);
    }

    private String value() {
        skipSpace();
        int at = pos;
        if (pos < text.length() && text.charAt(pos) == '"') {
            StringBuilder b = new StringBuilder();
            pos++;
            while (pos < text.length() && text.charAt(pos) != '"') {
                if (text.charAt(pos) == '\\' && pos + 1 < text.length()) {
                    pos++;
                }
                b.append(text.charAt(pos++));
            }
            if (pos >= text.length()) {
                throw new Invalid("unterminated string starting at position " + at);
            }
            pos++;
            return b.toString();
        }
        String w = word();
        if (w.equals("true") || w.equals("false") || w.matches("-?[0-9]+")) {
            return w;
        }
        throw new Invalid("expected a quoted value at position " + at);
    }

    private static boolean compare(String actual, String op, String expected) {
        if (actual == null) {
            return op.equals("ne");
        }
        switch (op) {
            case "eq": return actual.equals(expected);
            case "ne": return !actual.equals(expected);
            case "sw": return actual.startsWith(expected);
            case "co": return actual.contains(expected);
            default: break;
        }
        int c = order(actual, expected);
        switch (op) {
            case "gt": return c > 0;
            case "ge": return c >= 0;
            case "lt": return c < 0;
            default: return c <= 0;
        }
    }

    private static int order(String a, String b) {
        try {
            return Instant.parse(a).compareTo(Instant.parse(b));
        } catch (DateTimeParseException e) {
            return a.compareTo(b);
        }
    }

    private boolean keyword(String k) {
        skipSpace();
        int end = pos + k.length();
        if (end <= text.length() && text.regionMatches(true, pos, k, 0, k.length())
                && (end == text.length() || text.charAt(end) == ' ' || text.charAt(end) == '(')) {
            pos = end;
            return true;
        }
        return false;
    }

    private String word() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.'
                || text.charAt(pos) == '_' || text.charAt(pos) == '-')) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private void skipSpace() {
        while (pos < text.length() && text.charAt(pos) == ' ') {
            pos++;
        }
    }
}
