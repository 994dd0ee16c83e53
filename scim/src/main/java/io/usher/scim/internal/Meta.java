package io.usher.scim.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code meta} of a resource: {@code created}, {@code lastModified} and {@code version} are kept in the
 * record's attributes ({@link Stored}); the version is a counter raised by every change made over SCIM and
 * goes on the wire as the weak ETag {@code W/"n"}.
 */
public final class Meta {
    private Meta() {}

    static ObjectNode of(String resourceType, Map<String, List<String>> attrs, String location) {
        ObjectNode m = Json.object();
        m.put("resourceType", resourceType);
        UserMapper.putText(m, "created", UserMapper.first(attrs, Stored.CREATED));
        UserMapper.putText(m, "lastModified", UserMapper.first(attrs, Stored.LAST_MODIFIED));
        m.put("location", location);
        m.put("version", etag(attrs));
        return m;
    }

    /** The ETag of a record from its stored version. */
    public static String etag(Map<String, List<String>> attrs) {
        return "W/\"" + version(attrs) + "\"";
    }

    static long version(Map<String, List<String>> attrs) {
        String v = UserMapper.first(attrs, Stored.VERSION);
        if (v == null) {
            return 0;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The meta attributes for a write: created kept (or now), lastModified now, version raised by one. */
    static Map<String, List<String>> next(Map<String, List<String>> previous, Instant now) {
        Map<String, List<String>> m = new HashMap<>();
        String created = previous == null ? null : UserMapper.first(previous, Stored.CREATED);
        m.put(Stored.CREATED, List.of(created != null ? created : now.toString()));
        m.put(Stored.LAST_MODIFIED, List.of(now.toString()));
        m.put(Stored.VERSION, List.of(Long.toString(previous == null ? 1 : version(previous) + 1)));
        return m;
    }

    /** Whether an If-Match / If-None-Match header value names this ETag (or is {@code *}). */
    static boolean matches(String header, String etag) {
        if (header == null) {
            return false;
        }
        String bare = strip(etag);
        for (String part : header.split(",")) {
            String p = part.trim();
            if (p.equals("*") || strip(p).equals(bare)) {
                return true;
            }
        }
        return false;
    }

    private static String strip(String tag) {
        String t = tag.startsWith("W/") ? tag.substring(2) : tag;
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }
}
