package io.usher.scim.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code /ServiceProviderConfig} and {@code /ResourceTypes}: what this server supports, truthfully (RFC 7643
 * §5-6). Stateless.
 */
final class Discovery {
    private Discovery() {}

    static ObjectNode serviceProviderConfig(Settings s, String base) {
        ObjectNode o = Json.object();
        o.putArray("schemas").add(Urns.SPC);
        o.put("documentationUri", "https://github.com/usher/usher/blob/main/scim/README.md");
        o.putObject("patch").put("supported", true);
        o.putObject("bulk").put("supported", true).put("maxOperations", s.maxBulkOperations())
                .put("maxPayloadSize", s.maxPayloadBytes());
        o.putObject("filter").put("supported", true).put("maxResults", s.maxResults());
        o.putObject("changePassword").put("supported", false);
        o.putObject("sort").put("supported", true);
        o.putObject("etag").put("supported", true);
        ArrayNode auth = o.putArray("authenticationSchemes");
        auth.addObject().put("type", "oauthbearertoken").put("name", "OAuth Bearer Token")
                .put("description", "Authentication with a bearer token in the Authorization header")
                .put("specUri", "https://www.rfc-editor.org/info/rfc6750").put("primary", true);
        o.putObject("meta").put("resourceType", "ServiceProviderConfig")
                .put("location", base + "/ServiceProviderConfig");
        return o;
    }

    static ObjectNode userType(String base) {
        return SchemaDocs.userType(base);
    }

    static ObjectNode groupType(String base) {
        return SchemaDocs.groupType(base);
    }

    static ObjectNode list(java.util.List<ObjectNode> items) {
        ObjectNode out = Json.object();
        out.putArray("schemas").add(Urns.LIST);
        out.put("totalResults", items.size());
        out.put("startIndex", 1);
        out.put("itemsPerPage", items.size());
        ArrayNode res = out.putArray("Resources");
        items.forEach(res::add);
        return out;
    }
}
