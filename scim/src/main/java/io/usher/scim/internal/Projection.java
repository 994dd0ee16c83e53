package io.usher.scim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.scim.ScimException;
import io.usher.scim.ScimException.ScimType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code attributes} / {@code excludedAttributes} parameters (RFC 7644 §3.4.2.5): which attributes a
 * response carries. {@code id} and {@code schemas} are always returned. Paths are case-insensitive, may carry
 * a schema URN prefix and one sub-attribute ({@code name.givenName},
 * {@code urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value}). Immutable.
 */
public final class Projection {
    /** The most distinct paths one attributes / excludedAttributes list may name (the schemas have fewer). */
    static final int MAX_PATHS = 200;

    /** Everything returned by default. */
    public static final Projection ALL = new Projection(List.of(), List.of());

    /** One parsed path: the extension URN (or null for core), the attribute, the sub-attribute (or null). */
    record Path(String urn, String attr, String sub) {}

    private final List<Path> include;
    private final List<Path> exclude;

    private Projection(List<Path> include, List<Path> exclude) {
        this.include = include;
        this.exclude = exclude;
    }

    /** From the raw comma-separated parameters (either may be null); both given is a 400. */
    public static Projection of(String attributes, String excludedAttributes) {
        List<Path> inc = parseList(attributes);
        List<Path> exc = parseList(excludedAttributes);
        if (!inc.isEmpty() && !exc.isEmpty()) {
            throw ScimException.badRequest(ScimType.invalidValue,
                    "attributes and excludedAttributes cannot both be given");
        }
        return inc.isEmpty() && exc.isEmpty() ? ALL : new Projection(inc, exc);
    }

    /** From lists (a SearchRequest body). */
    public static Projection of(List<String> attributes, List<String> excludedAttributes) {
        return of(attributes == null ? null : String.join(",", attributes),
                excludedAttributes == null ? null : String.join(",", excludedAttributes));
    }

    private static List<Path> parseList(String raw) {
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String p : raw.split(",")) {
            String s = p.trim();
            if (!s.isEmpty() && seen.add(s.toLowerCase(Locale.ROOT))) {
                if (out.size() == MAX_PATHS) {
                    // every path is applied to every resource on the page: thousands of them cost seconds per request
                    throw ScimException.badRequest(ScimType.invalidValue, "attributes / excludedAttributes name more "
                            + "than " + MAX_PATHS + " distinct attribute paths");
                }
                out.add(parse(s));
            }
        }
        return out;
    }

    static Path parse(String s) {
        String urn = null;
        String rest = s;
        if (s.equalsIgnoreCase(Urns.ENTERPRISE)) {
            return new Path(null, Urns.ENTERPRISE, null);
        }
        if (s.toLowerCase(Locale.ROOT).startsWith("urn:")) {
            int colon = s.lastIndexOf(':');
            urn = s.substring(0, colon);
            rest = s.substring(colon + 1);
            if (urn.equalsIgnoreCase(Urns.USER) || urn.equalsIgnoreCase(Urns.GROUP)) {
                urn = null;
            }
        }
        int dot = rest.indexOf('.');
        String attr = dot < 0 ? rest : rest.substring(0, dot);
        String sub = dot < 0 ? null : rest.substring(dot + 1);
        if (!attr.matches("[A-Za-z$][A-Za-z0-9_$-]*") || sub != null && !sub.matches("[A-Za-z$][A-Za-z0-9_$-]*")) {
            throw ScimException.badRequest(ScimType.invalidPath, "'" + abbreviate(s) + "' is not an attribute path");
        }
        return new Path(urn, attr, sub);
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    /** Whether the response includes the attribute (a top-level core name such as {@code members}). */
    public boolean includes(String attr) {
        if (!include.isEmpty()) {
            for (Path p : include) {
                if (p.urn == null && p.attr.equalsIgnoreCase(attr)) {
                    return true;
                }
            }
            return false;
        }
        for (Path p : exclude) {
            if (p.urn == null && p.attr.equalsIgnoreCase(attr) && p.sub == null) {
                return false;
            }
        }
        return true;
    }

    public boolean isAll() {
        return this == ALL;
    }

    /** The projected copy of a full representation. */
    public ObjectNode apply(ObjectNode full) {
        if (isAll()) {
            return full;
        }
        if (!include.isEmpty()) {
            ObjectNode out = Json.object();
            out.set("schemas", full.get("schemas"));
            out.set("id", full.get("id"));
            for (Path p : include) {
                copy(full, out, p);
            }
            return out;
        }
        ObjectNode out = full.deepCopy();
        for (Path p : exclude) {
            remove(out, p);
        }
        return out;
    }

    private static void copy(ObjectNode from, ObjectNode to, Path p) {
        ObjectNode src = from;
        ObjectNode dst = to;
        if (p.urn != null) {
            String key = Json.keyOf(from, p.urn);
            if (key == null || !from.get(key).isObject()) {
                return;
            }
            src = (ObjectNode) from.get(key);
            dst = to.has(key) ? (ObjectNode) to.get(key) : to.putObject(key);
        }
        String key = Json.keyOf(src, p.attr);
        if (key == null || key.equals("schemas") || key.equals("id")) {
            return;
        }
        JsonNode v = src.get(key);
        if (p.sub == null) {
            dst.set(key, v.deepCopy());
            return;
        }
        if (v.isObject()) {
            String sk = Json.keyOf(v, p.sub);
            if (sk != null) {
                ObjectNode d = dst.has(key) && dst.get(key).isObject() ? (ObjectNode) dst.get(key) : dst.putObject(key);
                d.set(sk, v.get(sk).deepCopy());
            }
        } else if (v.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode arr = dst.has(key) && dst.get(key).isArray()
                    ? (com.fasterxml.jackson.databind.node.ArrayNode) dst.get(key) : null;
            boolean fresh = arr == null;
            if (fresh) {
                arr = dst.putArray(key);
            }
            int i = 0;
            for (JsonNode e : v) {
                String sk = Json.keyOf(e, p.sub);
                if (sk == null) {
                    i++;
                    continue;
                }
                ObjectNode d;
                if (!fresh && i < arr.size() && arr.get(i).isObject()) {
                    d = (ObjectNode) arr.get(i);
                } else {
                    d = arr.addObject();
                }
                d.set(sk, e.get(sk).deepCopy());
                i++;
            }
        }
    }

    private static void remove(ObjectNode from, Path p) {
        ObjectNode src = from;
        if (p.urn != null) {
            String key = Json.keyOf(from, p.urn);
            if (key == null || !from.get(key).isObject()) {
                return;
            }
            src = (ObjectNode) from.get(key);
        }
        String key = Json.keyOf(src, p.attr);
        if (key == null || key.equals("schemas") || key.equals("id")) {
            return;
        }
        if (p.sub == null) {
            src.remove(key);
            return;
        }
        JsonNode v = src.get(key);
        if (v.isObject()) {
            removeKey((ObjectNode) v, p.sub);
        } else if (v.isArray()) {
            for (JsonNode e : v) {
                if (e.isObject()) {
                    removeKey((ObjectNode) e, p.sub);
                }
            }
        }
    }

    private static void removeKey(ObjectNode o, String name) {
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            if (it.next().getKey().equalsIgnoreCase(name)) {
                it.remove();
            }
        }
    }
}
