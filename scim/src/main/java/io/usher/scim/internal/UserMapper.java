package io.usher.scim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.core.model.User;
import io.usher.core.model.Values;
import io.usher.core.spi.SourceUser;
import io.usher.scim.ScimException;
import io.usher.scim.ScimException.ScimType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mapping between a SCIM User (core schema plus the Enterprise extension) and Usher's {@link SourceUser}
 * / {@link User}: {@code userName} is the source login name, {@code name.givenName}/{@code familyName},
 * {@code displayName}, {@code active} and the email addresses (primary first) are the model's own fields;
 * everything else the schema defines is kept in the user's attributes under {@code scim.*} (see
 * {@link Stored}). {@code password} and the read-only {@code groups} are never stored. Stateless.
 */
public final class UserMapper {
    /** Simple string attributes of the core schema kept as attributes. */
    static final List<String> SIMPLE = List.of("nickName", "profileUrl", "title", "userType", "preferredLanguage",
            "locale", "timezone");
    /** Sub-attributes of {@code name} kept as attributes (givenName and familyName are model fields). */
    static final List<String> NAME_PARTS = List.of("formatted", "middleName", "honorificPrefix", "honorificSuffix");
    /** Multi-valued complex attributes, each value kept as a compact JSON object. */
    static final List<String> MULTI = List.of("emails", "phoneNumbers", "ims", "photos", "addresses", "entitlements",
            "roles", "x509Certificates");
    static final List<String> ENTERPRISE_SIMPLE = List.of("employeeNumber", "costCenter", "organization", "division",
            "department");
    private static final Set<String> SUB_ATTRIBUTES = Set.of("value", "display", "type", "primary", "formatted",
            "streetAddress", "locality", "region", "postalCode", "country");

    private UserMapper() {}

    /**
     * The source record for a SCIM User body.
     *
     * @param id the SCIM id (the record's external id in the source)
     * @param meta the {@code scim.meta.*} attributes to store with it
     */
    public static SourceUser toSourceUser(ObjectNode in, String id, Map<String, List<String>> meta) {
        SourceUser.Builder b = SourceUser.builder(id);
        Map<String, List<String>> attrs = new LinkedHashMap<>(meta);
        String userName = string(in, "userName", "userName");
        if (userName == null || userName.isBlank()) {
            throw ScimException.badRequest(ScimType.invalidValue, "userName is required");
        }
        b.loginName(userName);
        attrs.put(Stored.USER_NAME, List.of(userName));
        put(attrs, Stored.EXTERNAL_ID, string(in, "externalId", "externalId"));
        b.displayName(string(in, "displayName", "displayName"));
        JsonNode name = Json.field(in, "name");
        if (name != null && !name.isNull()) {
            if (!name.isObject()) {
                throw ScimException.badRequest(ScimType.invalidValue, "name must be a complex value (a JSON object)");
            }
            b.givenName(string(name, "givenName", "name.givenName"));
            b.familyName(string(name, "familyName", "name.familyName"));
            for (String part : NAME_PARTS) {
                put(attrs, Stored.PREFIX + "name." + part, string(name, part, "name." + part));
            }
        }
        for (String s : SIMPLE) {
            put(attrs, Stored.PREFIX + s, string(in, s, s));
        }
        JsonNode active = Json.field(in, "active");
        b.active(active == null || active.isNull() || ClientQuirks.booleanValue(active, "active"));
        for (String m : MULTI) {
            List<ObjectNode> values = multiValued(in, m);
            if (values.isEmpty()) {
                continue;
            }
            List<String> texts = new ArrayList<>(values.size());
            values.forEach(v -> texts.add(checkedText(Json.text(v), m)));
            attrs.put(Stored.PREFIX + m, texts);
            if (m.equals("emails")) {
                List<String> mails = new ArrayList<>();
                for (ObjectNode v : values) {
                    JsonNode value = v.get("value");
                    if (value == null || !value.isTextual() || value.asText().isBlank()) {
                        throw ScimException.badRequest(ScimType.invalidValue, "each of emails needs a value");
                    }
                    if (v.path("primary").asBoolean(false)) {
                        mails.add(0, value.asText());
                    } else {
                        mails.add(value.asText());
                    }
                }
                b.emails(new ArrayList<>(new LinkedHashSet<>(mails)));
            }
        }
        JsonNode ent = Json.field(in, Urns.ENTERPRISE);
        if (ent != null && !ent.isNull()) {
            if (!ent.isObject()) {
                throw ScimException.badRequest(ScimType.invalidValue, Urns.ENTERPRISE + " must be a JSON object");
            }
            for (String s : ENTERPRISE_SIMPLE) {
                put(attrs, Stored.ENTERPRISE_PREFIX + s, string(ent, s, s));
            }
            put(attrs, Stored.ENTERPRISE_PREFIX + "manager", ClientQuirks.managerId(Json.field(ent, "manager")));
        }
        // password (write-only; Okta sends a placeholder on create) and groups (read-only; Okta sends
        // "groups": []) are ignored, never stored: see ClientQuirks
        b.attributes(attrs);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw ScimException.badRequest(ScimType.invalidValue, e.getMessage());
        }
    }

    /**
     * The SCIM representation of a stored user (no projection).
     *
     * @param groups the user's groups as SCIM values (value, $ref, display, type), or null to leave out
     * @param manager the manager's reference (value, $ref, displayName) or null
     */
    public static ObjectNode toJson(User u, String base, ArrayNode groups, ObjectNode manager) {
        Map<String, List<String>> a = u.attributes();
        ObjectNode out = Json.object();
        ArrayNode schemas = out.putArray("schemas").add(Urns.USER);
        String id = u.origin().externalId();
        out.put("id", id);
        putText(out, "externalId", first(a, Stored.EXTERNAL_ID));
        String userName = first(a, Stored.USER_NAME);
        out.put("userName", userName != null ? userName : u.username());
        ObjectNode name = Json.object();
        putText(name, "formatted", first(a, Stored.PREFIX + "name.formatted"));
        putText(name, "familyName", u.familyName());
        putText(name, "givenName", u.givenName());
        for (String part : List.of("middleName", "honorificPrefix", "honorificSuffix")) {
            putText(name, part, first(a, Stored.PREFIX + "name." + part));
        }
        if (!name.isEmpty()) {
            out.set("name", name);
        }
        putText(out, "displayName", u.displayName());
        for (String s : SIMPLE) {
            putText(out, s, first(a, Stored.PREFIX + s));
        }
        out.put("active", u.active());
        ArrayNode emails = emails(u);
        if (!emails.isEmpty()) {
            out.set("emails", emails);
        }
        for (String m : MULTI) {
            if (m.equals("emails")) {
                continue;
            }
            List<String> texts = a.get(Stored.PREFIX + m);
            if (texts != null) {
                ArrayNode arr = out.putArray(m);
                for (String t : texts) {
                    JsonNode v = Json.parseStored(t);
                    if (v != null && v.isObject()) {
                        arr.add(v);
                    }
                }
            }
        }
        if (groups != null && !groups.isEmpty()) {
            out.set("groups", groups);
        }
        ObjectNode ent = Json.object();
        for (String s : ENTERPRISE_SIMPLE) {
            putText(ent, s, first(a, Stored.ENTERPRISE_PREFIX + s));
        }
        if (manager != null) {
            ent.set("manager", manager);
        }
        if (!ent.isEmpty()) {
            schemas.add(Urns.ENTERPRISE);
            out.set(Urns.ENTERPRISE, ent);
        }
        out.set("meta", Meta.of("User", a, base + "/Users/" + id));
        return out;
    }

    /** The stored emails, primary first, with their type and primary flags when SCIM set them. */
    private static ArrayNode emails(User u) {
        ArrayNode arr = Json.NODES.arrayNode();
        List<String> texts = u.attributes().getOrDefault(Stored.PREFIX + "emails", List.of());
        Map<String, ObjectNode> byValue = new LinkedHashMap<>();
        for (String t : texts) {
            JsonNode v = Json.parseStored(t);
            if (v != null && v.isObject() && v.path("value").isTextual()) {
                byValue.putIfAbsent(v.get("value").asText(), (ObjectNode) v);
            }
        }
        if (byValue.keySet().equals(new LinkedHashSet<>(u.emails()))) {
            byValue.values().forEach(arr::add);
            return arr;
        }
        boolean firstOne = true;
        for (String e : u.emails()) {
            ObjectNode v = byValue.get(e);
            if (v == null) {
                v = Json.object().put("value", e);
                if (firstOne) {
                    v.put("primary", true);
                }
            }
            arr.add(v);
            firstOne = false;
        }
        return arr;
    }

    /** The values of a multi-valued complex attribute, validated; at most one primary. */
    static List<ObjectNode> multiValued(JsonNode in, String attr) {
        JsonNode n = Json.field(in, attr);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw ScimException.badRequest(ScimType.invalidValue, attr + " must be an array");
        }
        if (n.size() > io.usher.scim.patch.PatchApplier.MAX_VALUES) {
            // security review: tens of thousands of emails in one sub-megabyte body cost quadratic time under a lock
            throw ScimException.badRequest(ScimType.invalidValue, attr + " has " + n.size() + " values; at most "
                    + io.usher.scim.patch.PatchApplier.MAX_VALUES + " are accepted");
        }
        List<ObjectNode> out = new ArrayList<>();
        int primaries = 0;
        for (JsonNode e : n) {
            if (!e.isObject()) {
                throw ScimException.badRequest(ScimType.invalidValue, "each of " + attr + " must be a JSON object");
            }
            ObjectNode clean = Json.object();
            for (var it = e.fields(); it.hasNext(); ) {
                var f = it.next();
                String key = canonicalSub(f.getKey());
                JsonNode v = f.getValue();
                if (v.isNull()) {
                    continue;
                }
                if (key.equals("primary")) {
                    boolean p = ClientQuirks.booleanValue(v, attr + ".primary");
                    if (p) {
                        primaries++;
                        clean.put("primary", true);
                    }
                } else if (v.isTextual()) {
                    clean.put(key, v.asText());
                } else if (v.isValueNode() && !v.isBinary()) {
                    throw ScimException.badRequest(ScimType.invalidValue, attr + "." + key + " must be a string");
                } else {
                    throw ScimException.badRequest(ScimType.invalidValue, attr + "." + key + " must be a simple value");
                }
            }
            if (!clean.isEmpty() && !out.contains(clean)) {
                out.add(clean);
            }
        }
        if (primaries > 1) {
            throw ScimException.badRequest(ScimType.invalidValue, "at most one of " + attr + " may be primary");
        }
        return out;
    }

    private static String canonicalSub(String key) {
        for (String s : SUB_ATTRIBUTES) {
            if (s.equalsIgnoreCase(key)) {
                return s;
            }
        }
        return key;
    }

    static String checkedText(String text, String attr) {
        if (text.length() > Values.MAX_TEXT) {
            throw ScimException.badRequest(ScimType.invalidValue, "a value of " + attr + " is longer than "
                    + Values.MAX_TEXT + " characters");
        }
        return text;
    }

    /** A string attribute, or null; any other JSON type is a 400. */
    static String string(JsonNode obj, String name, String path) {
        JsonNode n = Json.field(obj, name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw ScimException.badRequest(ScimType.invalidValue, path + " must be a string");
        }
        return checkedText(n.asText(), path);
    }

    private static void put(Map<String, List<String>> attrs, String key, String value) {
        if (value != null && !value.isEmpty()) {
            attrs.put(key, List.of(value));
        }
    }

    static String first(Map<String, List<String>> a, String key) {
        List<String> v = a.get(key);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    static void putText(ObjectNode o, String key, String value) {
        if (value != null) {
            o.put(key, value);
        }
    }
}
