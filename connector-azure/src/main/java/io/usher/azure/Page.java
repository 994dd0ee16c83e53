package io.usher.azure;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of a Graph collection: its objects, and the {@code @odata.nextLink} to follow verbatim or the
 * {@code @odata.deltaLink} that ends a delta round. Read as a token stream: the envelope is never a tree, only
 * each object is. Immutable.
 */
record Page(List<ObjectNode> items, String nextLink, String deltaLink) {

    static Page read(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new com.fasterxml.jackson.core.JsonParseException(p, "a Graph page is a JSON object");
        }
        List<ObjectNode> items = new ArrayList<>();
        String next = null;
        String delta = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if ("value".equals(name) && t == JsonToken.START_ARRAY) {
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    JsonNode item = p.readValueAsTree();
                    if (!(item instanceof ObjectNode)) {
                        throw new com.fasterxml.jackson.core.JsonParseException(p, "a page item is not an object");
                    }
                    items.add((ObjectNode) item);
                }
            } else if ("@odata.nextLink".equals(name) && t == JsonToken.VALUE_STRING) {
                next = p.getText();
            } else if ("@odata.deltaLink".equals(name) && t == JsonToken.VALUE_STRING) {
                delta = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return new Page(List.copyOf(items), next, delta);
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isTextual() || v.asText().isEmpty() ? null : v.asText();
    }
}
