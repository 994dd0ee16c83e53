package io.usher.testkit.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Google's partial-response selector ({@code fields=}), as documented for the Google APIs: a comma-separated
 * list of selectors; {@code a/b} selects {@code b} inside {@code a}; {@code a(b,c)} selects {@code b} and
 * {@code c} inside {@code a} (applied to each element when {@code a} is an array); {@code *} selects every
 * field. For example {@code nextPageToken,users(id,etag,name/givenName)}.
 *
 * <p>Immutable and thread-safe. {@link #parse} throws {@link IllegalArgumentException} naming the position.
 */
final class FieldMask {
    /** Child masks by field name; a null value selects the whole field. */
    private final Map<String, FieldMask> fields;

    private FieldMask(Map<String, FieldMask> fields) {
        this.fields = fields;
    }

    /** The names selected at this level. */
    Set<String> names() {
        return fields.keySet();
    }

    /** The mask for a field's content, or null when the whole field is selected. */
    FieldMask child(String name) {
        return fields.get(name);
    }

    static FieldMask parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("the field selection is empty");
        }
        Parser p = new Parser(text);
        FieldMask m = p.list();
        if (p.pos != text.length()) {
            throw p.error("unexpected '" + text.charAt(p.pos) + "'");
        }
        return m;
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        FieldMask list() {
            Map<String, FieldMask> out = new LinkedHashMap<>();
            do {
                selector(out);
            } while (eat(','));
            return new FieldMask(out);
        }

        void selector(Map<String, FieldMask> into) {
            List<String> path = new ArrayList<>();
            path.add(name());
            while (eat('/')) {
                path.add(name());
            }
            FieldMask sub = null;
            if (eat('(')) {
                sub = list();
                if (!eat(')')) {
                    throw error("expected ')'");
                }
            }
            Map<String, FieldMask> level = into;
            for (int i = 0; i < path.size() - 1; i++) {
                String step = path.get(i);
                if (level.containsKey(step) && level.get(step) == null) {
                    return; // the whole field is already selected
                }
                level = level.computeIfAbsent(step, k -> new FieldMask(new LinkedHashMap<>())).fields;
            }
            String last = path.get(path.size() - 1);
            if (sub == null) {
                level.put(last, null);
            } else {
                merge(level, last, sub);
            }
        }

        private static void merge(Map<String, FieldMask> level, String name, FieldMask sub) {
            if (!level.containsKey(name)) {
                level.put(name, sub);
            } else if (level.get(name) != null) {
                level.get(name).fields.putAll(sub.fields);
            }
        }

        String name() {
            int start = pos;
            if (pos < s.length() && s.charAt(pos) == '*') {
                pos++;
                return "*";
            }
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            if (start == pos) {
                throw error(pos < s.length() ? "expected a field name, found '" + s.charAt(pos) + "'"
                        : "expected a field name at the end");
            }
            return s.substring(start, pos);
        }

        boolean eat(char c) {
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("Invalid field selection at position " + pos + ": " + what);
        }
    }

    /** The first selected name, at this level or inside {@code nested}'s items, not among the known ones. */
    String unknown(Set<String> known, String nested, Set<String> nestedKnown) {
        for (Map.Entry<String, FieldMask> e : fields.entrySet()) {
            if (!e.getKey().equals("*") && !known.contains(e.getKey())) {
                return e.getKey();
            }
            if (e.getKey().equals(nested) && e.getValue() != null) {
                for (String n : e.getValue().fields.keySet()) {
                    if (!n.equals("*") && !nestedKnown.contains(n)) {
                        return n;
                    }
                }
            }
        }
        return null;
    }

    /** A copy of {@code node} with only the selected fields (arrays: each element). */
    JsonNode apply(JsonNode node) {
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(e -> out.add(apply(e)));
            return out;
        }
        if (!node.isObject() || fields.containsKey("*") && fields.size() == 1) {
            return node;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (fields.containsKey(e.getKey())) {
                FieldMask sub = fields.get(e.getKey());
                out.set(e.getKey(), sub == null ? e.getValue() : sub.apply(e.getValue()));
            } else if (fields.containsKey("*")) {
                out.set(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        fields.forEach((k, v) -> {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(k);
            if (v != null) {
                b.append('(').append(v).append(')');
            }
        });
        return b.toString();
    }
}
