package io.usher.google;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * One page of a Directory API list ({@code users}, {@code groups} or {@code members}), read as a token stream.
 * An item whose {@code id} and {@code etag} come before its other fields and which {@code unchanged} accepts is
 * not read further (its other fields are skipped): the etag short cut. Immutable.
 *
 * @param items the items in order; an item skipped as unchanged holds only {@code id} and {@code etag}
 * @param unchanged how many items were skipped as unchanged
 */
record Page(List<ObjectNode> items, int unchanged, String nextPageToken) {

    /** Reads a page whose items are in {@code itemsField}; {@code unchanged} tests (id, etag) and must not change state. */
    static Page read(JsonParser p, String itemsField, BiPredicate<String, String> unchanged) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new JsonParseException(p, "expected a JSON object");
        }
        List<ObjectNode> items = new ArrayList<>();
        String next = null;
        int skipped = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if (name.equals(itemsField) && t == JsonToken.START_ARRAY) {
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t != JsonToken.START_OBJECT) {
                        throw new JsonParseException(p, "expected an object in " + itemsField);
                    }
                    ObjectNode o = JsonNodeFactory.instance.objectNode();
                    if (readItem(p, o, unchanged)) {
                        skipped++;
                        o.put("@unchanged", true);
                    }
                    items.add(o);
                }
            } else if (name.equals("nextPageToken") && t == JsonToken.VALUE_STRING) {
                next = p.getText().isEmpty() ? null : p.getText();
            } else {
                p.skipChildren();
            }
        }
        return new Page(List.copyOf(items), skipped, next);
    }

    /** Reads one item's fields into {@code o}; true if it was cut short as unchanged. */
    private static boolean readItem(JsonParser p, ObjectNode o, BiPredicate<String, String> unchanged)
            throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            JsonNode v = p.readValueAsTree();
            o.set(field, v);
            if (unchanged != null && (field.equals("etag") || field.equals("id")) && o.has("id") && o.has("etag")
                    && o.get("id").isTextual() && o.get("etag").isTextual()
                    && unchanged.test(o.get("id").asText(), o.get("etag").asText())) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    p.nextToken();
                    p.skipChildren();
                }
                return true;
            }
        }
        return false;
    }

    static String text(JsonNode o, String field) {
        JsonNode n = o == null ? null : o.get(field);
        return n != null && n.isTextual() && !n.asText().isEmpty() ? n.asText() : null;
    }

    static boolean unchanged(ObjectNode o) {
        return o.has("@unchanged");
    }
}
