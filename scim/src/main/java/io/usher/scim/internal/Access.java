package io.usher.scim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.usher.scim.ScimCaller;
import io.usher.scim.ScimException;
import io.usher.scim.ScimScope;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which {@link ScimScope}s a request needs (the table in {@link ScimScope}'s javadoc), decided from the method
 * and the path below the SCIM root before the body is read; Bulk operations are checked one by one once the body
 * is parsed, and one refused operation refuses the request before any runs. Stateless.
 */
public final class Access {
    private static final Pattern BULK_PATH = Pattern.compile("/?(Users|Groups)(?:/([^/]+))?",
            Pattern.CASE_INSENSITIVE);

    private Access() {}

    /** What a request needs. */
    public enum Need {
        /** Any authenticated caller: discovery endpoints, and other paths that are no endpoint (404/405 follow). */
        ANY,
        READ_USERS, WRITE_USERS, READ_GROUPS, WRITE_GROUPS,
        /** {@code POST /.search}: users and groups. */
        READ_ALL,
        /** {@code POST /Bulk}: a write scope now, each operation once the body is read. */
        BULK
    }

    /**
     * What {@code method} on {@code path} (below the SCIM root, decoded, without leading slash) needs. Decided by
     * the first path segment, failing closed: below {@code /Users} or {@code /Groups} everything but a GET or a
     * {@code POST .search} needs the write scope, even a request that is no endpoint (its 404 or 405 then comes
     * only to a caller who could write there); matrix parameters ({@code Users;x=y}) are ignored, as JAX-RS
     * matching ignores them.
     */
    public static Need of(String method, String path) {
        String m = method.toUpperCase(Locale.ROOT);
        String[] seg = path.split("/", -1);
        for (int i = 0; i < seg.length; i++) {
            int semi = seg[i].indexOf(';');
            seg[i] = semi < 0 ? seg[i] : seg[i].substring(0, semi);
        }
        String first = seg[0];
        boolean users = first.equalsIgnoreCase("Users");
        if (users || first.equalsIgnoreCase("Groups")) {
            boolean search = m.equals("POST") && seg.length == 2 && seg[1].equals(".search");
            if (m.equals("GET") || search) {
                return users ? Need.READ_USERS : Need.READ_GROUPS;
            }
            return users ? Need.WRITE_USERS : Need.WRITE_GROUPS;
        }
        if (seg.length == 1 && first.equals(".search") && m.equals("POST")) {
            return Need.READ_ALL;
        }
        if (seg.length == 1 && first.equalsIgnoreCase("Bulk") && m.equals("POST")) {
            return Need.BULK;
        }
        return Need.ANY;
    }

    /**
     * Refuses (404) a path whose shape could make the scope decision and the JAX-RS match disagree: matrix
     * parameters ({@code Users;x=y/1}: Jersey matches them but reports a shifted matched path) and dot segments
     * ({@code Groups/../Users/1}). SCIM uses neither.
     *
     * @param raw the request path as sent (percent-encoded)
     * @param decoded the same, decoded
     */
    public static void checkShape(String raw, String decoded) {
        if (raw.indexOf(';') >= 0) {
            throw ScimException.of(404, null, "matrix parameters (;) are not supported in SCIM paths");
        }
        for (String seg : decoded.split("/", -1)) {
            if (seg.equals(".") || seg.equals("..")) {
                throw ScimException.of(404, null, "dot segments (. and ..) are not supported in SCIM paths");
            }
        }
    }

    /**
     * Refuses with 403 when {@code caller}'s scopes do not cover {@code need}; the message names the scope that
     * is missing.
     */
    public static void check(Need need, ScimCaller caller, String method, String path) {
        String missing = missing(need, caller);
        if (missing != null) {
            throw ScimException.of(403, null, "the token's scopes do not allow " + method + " /" + path + ": it needs "
                    + missing);
        }
    }

    private static String missing(Need need, ScimCaller c) {
        boolean read = c.allows(ScimScope.READ);
        boolean users = c.allows(ScimScope.USERS);
        boolean groups = c.allows(ScimScope.GROUPS);
        switch (need) {
            case READ_USERS:
                return read || users ? null : "the read or users scope";
            case WRITE_USERS:
                return users ? null : "the users scope";
            case READ_GROUPS:
                return read || groups ? null : "the read or groups scope";
            case WRITE_GROUPS:
                return groups ? null : "the groups scope";
            case READ_ALL:
                return read || users && groups ? null : "the read scope, or the users and groups scopes";
            case BULK:
                return users || groups ? null : "the users or groups scope";
            default:
                return null;
        }
    }

    /**
     * Refuses a Bulk request with 403 when one of its operations is not allowed: one on {@code /Users} needs the
     * users scope, on {@code /Groups} the groups scope, one whose path names neither (it will fail anyway) both.
     * A body without an {@code Operations} array is left to Bulk (400).
     */
    public static void checkBulk(ScimCaller caller, JsonNode body) {
        JsonNode ops = Json.field(body, "Operations");
        if (ops == null || !ops.isArray()) {
            return;
        }
        boolean users = caller.allows(ScimScope.USERS);
        boolean groups = caller.allows(ScimScope.GROUPS);
        int i = 0;
        for (JsonNode op : ops) {
            i++;
            JsonNode p = Json.field(op, "path");
            Matcher m = p != null && p.isTextual() ? BULK_PATH.matcher(p.asText()) : null;
            String needs;
            if (m != null && m.matches()) {
                boolean onUsers = m.group(1).equalsIgnoreCase("Users");
                needs = onUsers ? users ? null : "the users scope" : groups ? null : "the groups scope";
            } else {
                needs = users && groups ? null : "the users and groups scopes (its path names neither /Users nor "
                        + "/Groups)";
            }
            if (needs != null) {
                throw ScimException.of(403, null, "Bulk operation " + i + " is not allowed with the token's scopes:"
                        + " it needs " + needs + "; no operation was run");
            }
        }
    }
}
