package io.usher.scim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.scim.ScimException;
import io.usher.scim.ScimException.ScimType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One list or search request: filter, projection, sorting and paging, from query parameters or from a
 * {@code SearchRequest} body. Immutable.
 */
public record ListRequest(String filter, Projection projection, String sortBy, boolean descending, int startIndex,
                          Integer count) {

    /** From query parameters (each may be null). */
    public static ListRequest fromQuery(String filter, String attributes, String excluded, String sortBy,
                                        String sortOrder, String startIndex, String count) {
        return new ListRequest(blankToNull(filter), Projection.of(attributes, excluded), blankToNull(sortBy),
                descending(sortOrder), ClientQuirks.startIndex(startIndex), count(count));
    }

    /** From a SearchRequest body (RFC 7644 §3.4.3). */
    public static ListRequest fromSearch(ObjectNode body) {
        JsonNode schemas = Json.field(body, "schemas");
        if (schemas != null && schemas.isArray() && !schemas.isEmpty()) {
            boolean ok = false;
            for (JsonNode s : schemas) {
                ok |= s.asText().equalsIgnoreCase(Urns.SEARCH);
            }
            if (!ok) {
                throw ScimException.badRequest(ScimType.invalidSyntax, "a search request's schemas must be " + Urns.SEARCH);
            }
        }
        return new ListRequest(blankToNull(text(body, "filter")),
                Projection.of(list(body, "attributes"), list(body, "excludedAttributes")),
                blankToNull(text(body, "sortBy")), descending(text(body, "sortOrder")),
                ClientQuirks.startIndex(number(body, "startIndex")), count(number(body, "count")));
    }

    private static boolean descending(String sortOrder) {
        if (sortOrder == null || sortOrder.isBlank()) {
            return false;
        }
        switch (sortOrder.trim().toLowerCase(Locale.ROOT)) {
            case "ascending": return false;
            case "descending": return true;
            default: throw ScimException.badRequest(ScimType.invalidValue, "sortOrder must be ascending or descending");
        }
    }

    private static Integer count(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            long v = Long.parseLong(raw.trim());
            return v < 0 ? 0 : (int) Math.min(v, Integer.MAX_VALUE);
        } catch (NumberFormatException e) {
            throw ScimException.badRequest(ScimType.invalidValue, "count must be an integer");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String text(ObjectNode body, String name) {
        JsonNode n = Json.field(body, name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw ScimException.badRequest(ScimType.invalidValue, name + " must be a string");
        }
        return n.asText();
    }

    private static String number(ObjectNode body, String name) {
        JsonNode n = Json.field(body, name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() && !n.isTextual()) {
            throw ScimException.badRequest(ScimType.invalidValue, name + " must be an integer");
        }
        return n.asText();
    }

    private static List<String> list(ObjectNode body, String name) {
        JsonNode n = Json.field(body, name);
        if (n == null || n.isNull()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (n.isTextual()) {
            out.add(n.asText());
            return out;
        }
        if (!n.isArray()) {
            throw ScimException.badRequest(ScimType.invalidValue, name + " must be an array of attribute paths");
        }
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw ScimException.badRequest(ScimType.invalidValue, name + " must be an array of attribute paths");
            }
            out.add(e.asText());
        }
        return out;
    }
}
