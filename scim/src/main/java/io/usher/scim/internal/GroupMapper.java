package io.usher.scim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.scim.ScimException;
import io.usher.scim.ScimException.ScimType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The mapping between a SCIM Group and Usher's {@link Group}: {@code displayName} is the group name,
 * {@code externalId} and {@code meta} are kept in the group's attributes, {@code members} are the store's
 * memberships (users and, for nested groups, groups). Stateless.
 */
public final class GroupMapper {
    private GroupMapper() {}

    /** One member reference of a request: the SCIM id and, when the client said, its kind. */
    public record MemberRef(String id, MemberKind kind) {}

    /** The displayName of a Group body (required). */
    static String displayName(ObjectNode in) {
        String name = UserMapper.string(in, "displayName", "displayName");
        if (name == null || name.isBlank()) {
            throw ScimException.badRequest(ScimType.invalidValue, "displayName is required");
        }
        return name;
    }

    /** The attributes to store for a Group body: externalId plus the meta. */
    static Map<String, List<String>> attributes(ObjectNode in, Map<String, List<String>> meta) {
        Map<String, List<String>> attrs = new LinkedHashMap<>(meta);
        String ext = UserMapper.string(in, "externalId", "externalId");
        if (ext != null && !ext.isEmpty()) {
            attrs.put(Stored.EXTERNAL_ID, List.of(ext));
        }
        return attrs;
    }

    /**
     * The member references of a body or of a PATCH value: {@code [{"value": "id", "type": "User"}]}.
     * Entra ID's {@code "$ref": null} and a missing type are accepted (the type is then looked up).
     */
    public static List<MemberRef> members(JsonNode members) {
        if (members == null || members.isNull()) {
            return List.of();
        }
        if (members.isObject()) {
            return List.of(member(members));
        }
        if (!members.isArray()) {
            throw ScimException.badRequest(ScimType.invalidValue, "members must be an array");
        }
        List<MemberRef> out = new ArrayList<>(members.size());
        for (JsonNode m : members) {
            out.add(member(m));
        }
        return out;
    }

    private static MemberRef member(JsonNode m) {
        if (!m.isObject()) {
            throw ScimException.badRequest(ScimType.invalidValue, "each member must be a JSON object with a value");
        }
        JsonNode v = Json.field(m, "value");
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw ScimException.badRequest(ScimType.invalidValue, "each member needs a value (the member's id)");
        }
        JsonNode t = Json.field(m, "type");
        MemberKind kind = null;
        if (t != null && !t.isNull()) {
            String type = t.asText().toLowerCase(Locale.ROOT);
            if (type.equals("user")) {
                kind = MemberKind.USER;
            } else if (type.equals("group")) {
                kind = MemberKind.GROUP;
            } else {
                throw ScimException.badRequest(ScimType.invalidValue, "member type must be User or Group");
            }
        }
        return new MemberRef(v.asText(), kind);
    }

    /**
     * The SCIM representation of a stored group.
     *
     * @param members the members as SCIM values, or null to leave the attribute out (never enumerated then)
     */
    public static ObjectNode toJson(Group g, String base, ArrayNode members) {
        Map<String, List<String>> a = g.attributes();
        ObjectNode out = Json.object();
        out.putArray("schemas").add(Urns.GROUP);
        String id = g.origin().externalId();
        out.put("id", id);
        UserMapper.putText(out, "externalId", UserMapper.first(a, Stored.EXTERNAL_ID));
        out.put("displayName", g.name());
        if (members != null && !members.isEmpty()) {
            out.set("members", members);
        }
        out.set("meta", Meta.of("Group", a, base + "/Groups/" + id));
        return out;
    }

    /** One member as SCIM shows it. */
    static ObjectNode memberJson(String base, MemberKind kind, String id, String display) {
        ObjectNode m = Json.object();
        m.put("value", id);
        m.put("$ref", base + (kind == MemberKind.USER ? "/Users/" : "/Groups/") + id);
        m.put("type", kind == MemberKind.USER ? "User" : "Group");
        UserMapper.putText(m, "display", display);
        return m;
    }
}
