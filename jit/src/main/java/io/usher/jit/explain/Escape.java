package io.usher.jit.explain;

/**
 * Text from a login (claim values, NameIDs, attribute values, and anything derived from them) as it may appear in
 * an explanation: control characters, line and paragraph separators and invisible formatting characters (bidi
 * overrides) become a backslash-u escape (four hex digits), a backslash becomes two, and the length is capped, so a claim cannot forge
 * lines or hide text in a report or a terminal. JSON output is escaped by the JSON writer (every character
 * outside ASCII as a backslash-u escape (four hex digits)) and capped here.
 */
final class Escape {
    static final int MAX = 200;

    private Escape() {
    }

    /** The value made safe for a plain-text line (null stays null). */
    static String text(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX) + 8);
        int i = 0;
        for (; i < value.length() && i < MAX; i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (unsafe(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (i < value.length()) {
            out.append("...(").append(value.length() - i).append(" more characters)");
        }
        return out.toString();
    }

    /** The value capped for JSON (the JSON writer escapes it; null stays null). */
    static String json(String value) {
        if (value == null || value.length() <= MAX) {
            return value;
        }
        return value.substring(0, MAX) + "...(" + (value.length() - MAX) + " more characters)";
    }

    static boolean unsafe(char c) {
        int type = Character.getType(c);
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || type == Character.FORMAT
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }
}
