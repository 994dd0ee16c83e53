package io.usher.scim.internal;

import com.fasterxml.jackson.databind.JsonNode;

/** The sort key of a resource for {@code sortBy} (RFC 7644 §3.4.2.3). Stateless. */
final class Sorting {
    private Sorting() {}

    /**
     * The value at the path, as text: for a multi-valued attribute the primary value's (or else the first's)
     * {@code value} or named sub-attribute; null when missing (sorted last).
     */
    static String key(JsonNode resource, Projection.Path path) {
        JsonNode n = resource;
        if (path.urn() != null) {
            n = Json.field(n, path.urn());
        }
        n = Json.field(n, path.attr());
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isArray()) {
            JsonNode pick = null;
            for (JsonNode e : n) {
                if (pick == null || e.path("primary").asBoolean(false)) {
                    pick = e;
                    if (e.path("primary").asBoolean(false)) {
                        break;
                    }
                }
            }
            n = pick == null ? null : Json.field(pick, path.sub() == null ? "value" : path.sub());
        } else if (path.sub() != null) {
            n = Json.field(n, path.sub());
        }
        return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
    }
}
