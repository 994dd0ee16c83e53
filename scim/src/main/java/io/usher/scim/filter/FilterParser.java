package io.usher.scim.filter;

import io.usher.scim.ScimException;
import io.usher.scim.ScimException.ScimType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The hand-written recursive-descent parser for SCIM filters (RFC 7644 §3.4.2.2), attribute paths and PATCH paths
 * (§3.5.2). Operators and keywords are case-insensitive; {@code and} binds tighter than {@code or}; {@code not}
 * takes a parenthesised filter. Errors are 400s naming the 1-based column and what was expected there
 * ({@code invalidFilter} for filters, {@code invalidPath} for paths); they quote at most the one offending
 * character, never the value being searched for.
 *
 * <p>Limits protect the server from hostile input: a filter longer than {@link #maxLength()} characters or nested
 * deeper than {@link #maxDepth()} levels (parentheses, {@code not} and value filters each add a level) is
 * refused. Immutable and thread-safe: one instance serves every request.
 */
public final class FilterParser {

    /** Default maximum filter length in characters. */
    public static final int DEFAULT_MAX_LENGTH = 4096;
    /** Default maximum nesting depth. */
    public static final int DEFAULT_MAX_DEPTH = 32;

    private static final FilterParser DEFAULTS = new FilterParser(DEFAULT_MAX_LENGTH, DEFAULT_MAX_DEPTH);

    private final int maxLength;
    private final int maxDepth;

    private FilterParser(int maxLength, int maxDepth) {
        this.maxLength = maxLength;
        this.maxDepth = maxDepth;
    }

    /** The parser with the default limits (4096 characters, depth 32). */
    public static FilterParser defaults() {
        return DEFAULTS;
    }

    /**
     * A parser with the given limits.
     *
     * @param maxLength the longest filter accepted, in characters (at least 1)
     * @param maxDepth  the deepest nesting accepted (at least 1)
     */
    public static FilterParser withLimits(int maxLength, int maxDepth) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be at least 1, was " + maxLength);
        }
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be at least 1, was " + maxDepth);
        }
        return new FilterParser(maxLength, maxDepth);
    }

    /** The longest filter accepted. */
    public int maxLength() {
        return maxLength;
    }

    /** The deepest nesting accepted. */
    public int maxDepth() {
        return maxDepth;
    }

    /**
     * Parses a filter.
     *
     * @throws ScimException 400 {@code invalidFilter} naming the column and what was expected
     */
    public Filter parseFilter(String text) {
        Cursor c = start(text, ScimType.invalidFilter, "filter");
        c.skipWs();
        if (c.atEnd()) {
            throw c.error("expected a filter but found " + c.found());
        }
        Filter f = c.parseOr(false);
        c.skipWs();
        if (!c.atEnd()) {
            throw c.error("expected 'and', 'or' or the end of the filter but found " + c.found());
        }
        return f;
    }

    /**
     * Parses one attribute path ({@code [urn:]name[.sub]}).
     *
     * @throws ScimException 400 {@code invalidPath} naming the column
     */
    public AttributePath parseAttributePath(String text) {
        Cursor c = start(text, ScimType.invalidPath, "attribute path");
        c.skipWs();
        AttributePath p = c.parsePath();
        c.skipWs();
        if (!c.atEnd()) {
            throw c.error("expected the end of the attribute path but found " + c.found());
        }
        return p;
    }

    /**
     * Parses a PATCH path: {@code attrPath}, {@code attrPath[valFilter]} or {@code attrPath[valFilter].subAttr}.
     *
     * @throws ScimException 400 {@code invalidPath} naming the column and what was expected
     */
    public PatchPath parsePatchPath(String text) {
        Cursor c = start(text, ScimType.invalidPath, "path");
        c.skipWs();
        int attrStart = c.pos;
        AttributePath attr = c.parsePath();
        Filter filter = null;
        String sub = null;
        if (c.peek() == '[') {
            if (attr.subAttribute() != null) {
                c.pos = attrStart;
                throw c.error("a value filter follows an attribute, not a sub-attribute ('" + attr + "')");
            }
            c.enter();
            c.pos++;
            c.skipWs();
            filter = c.parseOr(true);
            c.skipWs();
            c.expect(']', "']' closing the value filter");
            c.depth--;
            if (c.peek() == '.') {
                c.pos++;
                sub = c.parseName("a sub-attribute name after '].'");
            }
        }
        c.skipWs();
        if (!c.atEnd()) {
            throw c.error("expected the end of the path but found " + c.found());
        }
        return new PatchPath(attr, filter, sub);
    }

    private Cursor start(String text, ScimType type, String what) {
        Objects.requireNonNull(text, "text");
        if (text.length() > maxLength) {
            throw ScimException.badRequest(type, "the " + what + " is " + text.length()
                    + " characters long; the limit is " + maxLength);
        }
        return new Cursor(text, type, what, maxDepth);
    }

    /** The state of one parse. */
    private static final class Cursor {
        private final String s;
        private final ScimType type;
        private final String what;
        private final int maxDepth;
        private int pos;
        private int depth;

        Cursor(String s, ScimType type, String what, int maxDepth) {
            this.s = s;
            this.type = type;
            this.what = what;
            this.maxDepth = maxDepth;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        char peek() {
            return atEnd() ? '\0' : s.charAt(pos);
        }

        String found() {
            if (atEnd()) {
                return "the end of the " + what;
            }
            char c = s.charAt(pos);
            return c < 0x20 || c == 0x7f ? String.format("character U+%04X", (int) c) : "'" + c + "'";
        }

        ScimException error(String message) {
            return ScimException.badRequest(type, "invalid " + what + " at column " + (pos + 1) + ": " + message);
        }

        void enter() {
            if (++depth > maxDepth) {
                throw error("the " + what + " nests deeper than " + maxDepth + " levels");
            }
        }

        static boolean isWs(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r';
        }

        boolean skipWs() {
            int start = pos;
            while (!atEnd() && isWs(s.charAt(pos))) {
                pos++;
            }
            return pos > start;
        }

        void expect(char ch, String description) {
            if (peek() != ch || atEnd()) {
                throw error("expected " + description + " but found " + found());
            }
            pos++;
        }

        /** Whether a keyword (case-insensitive) starts here and ends at a word boundary. */
        boolean lookingAtKeyword(String kw) {
            int end = pos + kw.length();
            if (end > s.length() || !s.regionMatches(true, pos, kw, 0, kw.length())) {
                return false;
            }
            return end == s.length() || isWs(s.charAt(end)) || s.charAt(end) == '(';
        }

        Filter parseOr(boolean inValuePath) {
            List<Filter> terms = new ArrayList<>();
            terms.add(parseAnd(inValuePath));
            while (true) {
                int save = pos;
                if (!skipWs() || !lookingAtKeyword("or")) {
                    pos = save;
                    break;
                }
                pos += 2;
                requireWsOrParen("after 'or'");
                terms.add(parseAnd(inValuePath));
            }
            return Filter.or(terms);
        }

        Filter parseAnd(boolean inValuePath) {
            List<Filter> terms = new ArrayList<>();
            terms.add(parseUnary(inValuePath));
            while (true) {
                int save = pos;
                if (!skipWs() || !lookingAtKeyword("and")) {
                    pos = save;
                    break;
                }
                pos += 3;
                requireWsOrParen("after 'and'");
                terms.add(parseUnary(inValuePath));
            }
            return Filter.and(terms);
        }

        private void requireWsOrParen(String where) {
            skipWs();
            if (atEnd()) {
                throw error("expected a filter " + where + " but found " + found());
            }
        }

        Filter parseUnary(boolean inValuePath) {
            skipWs();
            if (lookingAtKeyword("not")) {
                int save = pos;
                pos += 3;
                skipWs();
                if (peek() == '(') {
                    enter();
                    pos++;
                    skipWs();
                    Filter inner = parseOr(inValuePath);
                    skipWs();
                    expect(')', "')' closing 'not ('");
                    depth--;
                    return Filter.not(inner);
                }
                pos = save; // an attribute that happens to be called "not"
            }
            if (peek() == '(' && !atEnd()) {
                enter();
                pos++;
                skipWs();
                Filter inner = parseOr(inValuePath);
                skipWs();
                expect(')', "')' closing the group");
                depth--;
                return inner;
            }
            return parseAttributeExpression(inValuePath);
        }

        Filter parseAttributeExpression(boolean inValuePath) {
            int pathStart = pos;
            AttributePath path = parsePath();
            if (peek() == '[' && !atEnd()) {
                if (inValuePath) {
                    throw error("value filters do not nest; expected an operator but found '['");
                }
                if (path.subAttribute() != null) {
                    pos = pathStart;
                    throw error("a value filter follows an attribute, not a sub-attribute ('" + path + "')");
                }
                enter();
                pos++;
                skipWs();
                Filter inner = parseOr(true);
                skipWs();
                expect(']', "']' closing the value filter");
                depth--;
                if (peek() == '.' && !atEnd()) {
                    // Entra ID: emails[type eq "work"].value eq "x"  ==  emails[type eq "work" and value eq "x"]
                    pos++;
                    String sub = parseName("a sub-attribute name after '].'");
                    Filter tail = parseOperatorAndValue(AttributePath.of(sub));
                    return Filter.valuePath(path, Filter.and(inner, tail));
                }
                return Filter.valuePath(path, inner);
            }
            return parseOperatorAndValue(path);
        }

        Filter parseOperatorAndValue(AttributePath path) {
            if (!skipWs()) {
                throw error("expected a space and an operator (eq ne co sw ew gt ge lt le pr) after the attribute"
                        + " path but found " + found());
            }
            int opStart = pos;
            while (!atEnd() && Character.isLetter(s.charAt(pos))) {
                pos++;
            }
            String token = s.substring(opStart, pos);
            if (token.equalsIgnoreCase("pr")) {
                return Filter.present(path);
            }
            Optional<CompareOp> op = CompareOp.fromToken(token);
            if (op.isEmpty()) {
                pos = opStart;
                throw error("expected an operator (eq ne co sw ew gt ge lt le pr) but found "
                        + (token.isEmpty() ? found() : "'" + token + "'"));
            }
            if (!skipWs()) {
                throw error("expected a space and a value after '" + op.get().token() + "' but found " + found());
            }
            return Filter.compare(path, op.get(), parseLiteral());
        }

        Literal parseLiteral() {
            char c = peek();
            if (atEnd()) {
                throw error("expected a value (a quoted string, a number, true, false or null) but found " + found());
            }
            if (c == '"') {
                return Literal.string(parseString());
            }
            if (c == '-' || (c >= '0' && c <= '9')) {
                return Literal.number(parseNumber());
            }
            for (String kw : new String[] {"true", "false", "null"}) {
                if (s.regionMatches(true, pos, kw, 0, kw.length())
                        && (pos + kw.length() == s.length() || !isNameChar(s.charAt(pos + kw.length())))) {
                    pos += kw.length();
                    return switch (kw) {
                        case "true" -> Literal.bool(true);
                        case "false" -> Literal.bool(false);
                        default -> Literal.nullValue();
                    };
                }
            }
            throw error("expected a value (a quoted string, a number, true, false or null) but found " + found());
        }

        String parseString() {
            int open = pos;
            pos++; // opening quote
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (atEnd()) {
                    pos = open;
                    throw error("the string starting here is not closed with '\"'");
                }
                char c = s.charAt(pos);
                if (c == '"') {
                    pos++;
                    return sb.toString();
                }
                if (c < 0x20) {
                    throw error("a control character must be escaped in a string; found " + found());
                }
                if (c != '\\') {
                    sb.append(c);
                    pos++;
                    continue;
                }
                pos++;
                if (atEnd()) {
                    throw error("expected an escape character after '\\' but found " + found());
                }
                char e = s.charAt(pos);
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 5 > s.length()) {
                            pos++;
                            throw error("expected four hex digits after '\\u' but found " + found());
                        }
                        int v = 0;
                        for (int i = 1; i <= 4; i++) {
                            int d = Character.digit(s.charAt(pos + i), 16);
                            if (d < 0) {
                                pos += i;
                                throw error("expected four hex digits after '\\u' but found " + found());
                            }
                            v = v * 16 + d;
                        }
                        sb.append((char) v);
                        pos += 4;
                    }
                    default -> throw error("expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX but found '\\"
                            + e + "'");
                }
                pos++;
            }
        }

        BigDecimal parseNumber() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0' && !atEnd()) {
                pos++;
            } else if (!digitsFollow()) {
                throw error("expected a digit but found " + found());
            }
            if (peek() == '.' && !atEnd()) {
                pos++;
                if (!digitsFollow()) {
                    throw error("expected a digit after the decimal point but found " + found());
                }
            }
            if ((peek() == 'e' || peek() == 'E') && !atEnd()) {
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                if (!digitsFollow()) {
                    throw error("expected a digit in the exponent but found " + found());
                }
            }
            if (!atEnd() && isNameChar(s.charAt(pos))) {
                throw error("expected the end of the number but found " + found());
            }
            try {
                return new BigDecimal(s.substring(start, pos));
            } catch (NumberFormatException | ArithmeticException e) {
                pos = start;
                throw error("the number is out of range");
            }
        }

        private boolean digitsFollow() {
            int start = pos;
            while (!atEnd() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                pos++;
            }
            return pos > start;
        }

        static boolean isNameChar(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        }

        static boolean isPathChar(char c) {
            return isNameChar(c) || c == ':' || c == '.' || c == '$';
        }

        String parseName(String expected) {
            int start = pos;
            if (s.startsWith("$ref", pos)) {
                pos += 4;
                if (!atEnd() && isNameChar(s.charAt(pos))) {
                    throw error("expected the end of '$ref' but found " + found());
                }
                return "$ref";
            }
            char c = peek();
            if (atEnd() || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                throw error("expected " + expected + " (starting with a letter) but found " + found());
            }
            while (!atEnd() && isNameChar(s.charAt(pos))) {
                pos++;
            }
            return s.substring(start, pos);
        }

        /** {@code [urn ":"] name ["." sub]}; positions in errors point into the token. */
        AttributePath parsePath() {
            int start = pos;
            while (!atEnd() && isPathChar(s.charAt(pos))) {
                pos++;
            }
            int end = pos;
            if (start == end) {
                throw error("expected an attribute path but found " + found());
            }
            String token = s.substring(start, end);
            int colon = token.lastIndexOf(':');
            String schema = null;
            int nameStart = start;
            if (colon >= 0) {
                schema = token.substring(0, colon);
                if (!schema.regionMatches(true, 0, "urn:", 0, 4) || schema.length() <= 4) {
                    pos = start;
                    throw error("expected an attribute name or a schema URN ('urn:...') but found '"
                            + token.substring(0, Math.min(colon + 1, 40)) + "'");
                }
                for (int i = 0; i < schema.length(); i++) {
                    char ch = schema.charAt(i);
                    if (ch == '$' || (ch == ':' && i > 0 && schema.charAt(i - 1) == ':')) {
                        pos = start + i;
                        throw error("unexpected " + found() + " in the schema URN");
                    }
                }
                nameStart = start + colon + 1;
            }
            pos = nameStart;
            String name = parseName("an attribute name");
            String sub = null;
            if (pos < end && s.charAt(pos) == '.') {
                pos++;
                sub = parseName("a sub-attribute name");
            }
            if (pos < end) {
                throw error(s.charAt(pos) == '.' ? "an attribute path has at most one sub-attribute"
                        : "unexpected " + found() + " in the attribute path");
            }
            if (schema != null && schema.endsWith(":")) { // urn:a:b::name — the URN would end in ':'
                pos = start + colon - 1;
                throw error("unexpected " + found() + " at the end of the schema URN");
            }
            return new AttributePath(schema, name, sub);
        }
    }
}
