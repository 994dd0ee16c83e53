package io.usher.scim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.usher.scim.ScimException;
import io.usher.scim.ScimException.ScimType;
import java.util.Locale;

/**
 * What real SCIM clients send that RFC 7643/7644 do not quite say, outside PATCH (PATCH quirks are normalised
 * in {@code io.usher.scim.patch}). Each quirk is handled here, once, next to the payload that needs it; the
 * rest of the server sees standard SCIM. Stateless.
 *
 * <ul>
 *   <li>Entra ID sends booleans as strings: {@code "active": "False"}, {@code "primary": "True"}
 *       ({@link #booleanValue}).
 *   <li>Entra ID sends the enterprise manager as a plain string id:
 *       {@code "manager": "26118915-6090-4610-87a4-10a3ae4bd2da"} ({@link #managerId}).
 *   <li>Okta sends a placeholder {@code "password"} and the read-only {@code "groups": []} on create: both
 *       are ignored and never stored ({@link UserMapper#toSourceUser} reads neither).
 *   <li>Okta pages with {@code count=100&startIndex=} and an empty or missing startIndex
 *       ({@link #startIndex}).
 *   <li>Entra ID sends {@code "$ref": null} in group members and extra schema URIs on Group POST:
 *       both are tolerated ({@link GroupMapper}).
 *   <li>Entra ID's Test Connection filters for a random user that does not exist,
 *       {@code GET /Users?filter=userName eq "c5b4a4b0-...@example.com"}: the answer is an empty
 *       ListResponse with {@code totalResults: 0}, never a 404.
 *   <li>Entra ID soft-deletes with {@code PATCH active=false} and expects the user still returned; a DELETE
 *       is the hard delete.
 * </ul>
 */
public final class ClientQuirks {
    private ClientQuirks() {}

    /**
     * A SCIM boolean; Entra ID's {@code "True"}/{@code "False"} strings (any case) are accepted:
     * <pre>{@code {"op": "Replace", "path": "active", "value": "False"}}</pre>
     */
    public static boolean booleanValue(JsonNode n, String path) {
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isTextual()) {
            String s = n.asText().trim().toLowerCase(Locale.ROOT);
            if (s.equals("true")) {
                return true;
            }
            if (s.equals("false")) {
                return false;
            }
        }
        throw ScimException.badRequest(ScimType.invalidValue, path + " must be a boolean");
    }

    /**
     * The enterprise manager's id from {@code {"value": "id"}}, or from Entra ID's plain string:
     * <pre>{@code "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": "2611-..."}}</pre>
     * An empty value (Entra's way of clearing the manager) is null.
     */
    public static String managerId(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isTextual()) {
            return n.asText().isBlank() ? null : UserMapper.checkedText(n.asText(), "manager");
        }
        if (n.isObject()) {
            JsonNode v = Json.field(n, "value");
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isTextual()) {
                throw ScimException.badRequest(ScimType.invalidValue, "manager.value must be a string");
            }
            return v.asText().isBlank() ? null : UserMapper.checkedText(v.asText(), "manager.value");
        }
        throw ScimException.badRequest(ScimType.invalidValue, "manager must be a complex value or an id");
    }

    /**
     * The 1-based start index; missing, empty ({@code startIndex=} as Okta sends on the first page) or less
     * than 1 is 1 (RFC 7644 §3.4.2.4: "a value less than 1 SHALL be interpreted as 1").
     */
    public static int startIndex(String raw) {
        if (raw == null || raw.isBlank()) {
            return 1;
        }
        try {
            long v = Long.parseLong(raw.trim());
            return v < 1 ? 1 : (int) Math.min(v, Integer.MAX_VALUE);
        } catch (NumberFormatException e) {
            throw ScimException.badRequest(ScimType.invalidValue, "startIndex must be an integer");
        }
    }
}
