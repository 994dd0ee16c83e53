package io.usher.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.scim.ScimException;
import io.usher.scim.ScimException.ScimType;
import io.usher.scim.filter.AttributePath;
import io.usher.scim.filter.CompareOp;
import io.usher.scim.filter.Filter;
import io.usher.scim.filter.Literal;
import io.usher.scim.schema.AttributeDefinition;
import io.usher.scim.schema.Schema;
import io.usher.scim.schema.ResourceType;
import java.math.BigDecimal;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every deviation of real SCIM clients from RFC 7644 in PATCH requests that Usher tolerates, in one place (quirks
 * outside PATCH, such as Okta's paging, live with the resources). Each method's javadoc shows
 * the payload that needs it; the parser and applier call these and nothing else bends the rules. Stateless.
 *
 * <p>Quirks handled elsewhere because they are RFC behaviour, not deviations: Okta sends every update as PUT (the
 * resources' concern), and Okta's combined remove+add of members in one PATCH is two ordinary operations.
 */
final class PatchQuirks {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private PatchQuirks() {
    }

    /**
     * Entra ID capitalises operation names:
     * <pre>{"op": "Replace", "path": "displayName", "value": "Babs"}
     * {"op": "Add", "path": "emails[type eq \"work\"].value", "value": "b@example.com"}
     * {"op": "Remove", "path": "members", "value": [{"value": "f648f8d5"}]}</pre>
     * so the name is matched ignoring case.
     *
     * @return the operation, or null when the name is none of add/replace/remove
     */
    static PatchOperation.Op op(String raw) {
        for (PatchOperation.Op op : PatchOperation.Op.values()) {
            if (op.name().equalsIgnoreCase(raw.strip())) {
                return op;
            }
        }
        return null;
    }

    /**
     * Entra ID sends booleans as strings:
     * <pre>{"op": "Replace", "path": "active", "value": "False"}
     * {"op": "Add", "path": "emails", "value": [{"value": "b@example.com", "primary": "True"}]}</pre>
     * For a boolean attribute, {@code "true"}/{@code "false"} in any case become JSON booleans.
     *
     * @return the boolean node, or {@code value} unchanged when it is not such a string
     */
    static JsonNode booleanFromString(JsonNode value) {
        if (value != null && value.isTextual()) {
            String s = value.textValue().strip();
            if (s.equalsIgnoreCase("true")) {
                return BooleanNode.TRUE;
            }
            if (s.equalsIgnoreCase("false")) {
                return BooleanNode.FALSE;
            }
        }
        return value;
    }

    /**
     * Entra ID removes group members by value instead of with a value filter:
     * <pre>{"op": "Remove", "path": "members", "value": [{"value": "f648f8d5-f6ae-4b54-9f8c-03ee7d7e1a45"}]}</pre>
     * RFC 7644 gives remove no value; Usher reads it as {@code members[value eq "f648f8d5-..."]} (for any
     * multi-valued attribute): the listed values are removed, values not there are ignored.
     */
    static boolean isRemoveByValue(PatchOperation.Op op, AttributeDefinition attribute, JsonNode value) {
        return op == PatchOperation.Op.REMOVE && attribute.multiValued() && value != null && !value.isNull()
                && !(value.isArray() && value.isEmpty());
    }

    /**
     * A pathless add or replace carries an object of attributes. RFC 7644 keys it by attribute name, with extension
     * attributes nested under the extension's URN:
     * <pre>{"op": "add", "value": {"title": "Guide",
     *     "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Tours"}}}</pre>
     * Entra ID mixes in dotted sub-attribute keys and URN-prefixed keys:
     * <pre>{"op": "Replace", "value": {"name.givenName": "Barbara", "name.familyName": "Jensen",
     *     "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "Tours", "active": "False"}}</pre>
     * Okta deactivates with <pre>{"op": "replace", "value": {"active": false}}</pre> and renames groups with
     * <pre>{"op": "replace", "value": {"id": "00g1emaKYZTWRYYRRTSK", "displayName": "Renamed"}}</pre>
     * (see {@link #isUnchangedReadOnly}). Each key becomes its own path; {@code schemas} is ignored.
     *
     * @throws ScimException 400 {@code invalidPath} for a key that is not an attribute path
     */
    static List<Map.Entry<AttributePath, JsonNode>> pathlessEntries(ObjectNode value, ResourceType type) {
        List<Map.Entry<AttributePath, JsonNode>> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            String key = e.getKey();
            if (key.equalsIgnoreCase("schemas")) {
                continue;
            }
            Optional<Schema> ext = type.extension(key);
            if (ext.isPresent() || key.equalsIgnoreCase(type.schema().id())) {
                String urn = ext.map(Schema::id).orElse(type.schema().id());
                if (!e.getValue().isObject()) {
                    throw ScimException.badRequest(ScimType.invalidValue,
                            "the value of '" + urn + "' must be an object of attributes");
                }
                for (Map.Entry<String, JsonNode> inner : e.getValue().properties()) {
                    AttributePath p = parseKey(inner.getKey());
                    out.add(new SimpleImmutableEntry<>(AttributePath.of(urn, p.name(), p.subAttribute()),
                            inner.getValue()));
                }
                continue;
            }
            out.add(new SimpleImmutableEntry<>(parseKey(key), e.getValue()));
        }
        return out;
    }

    private static AttributePath parseKey(String key) {
        try {
            return AttributePath.parse(key);
        } catch (ScimException e) {
            throw ScimException.of(e.status(), e.scimType(), "value key: " + e.getMessage(), e);
        }
    }

    /**
     * Okta's group rename repeats the read-only {@code id}:
     * <pre>{"op": "replace", "value": {"id": "00g1emaKYZTWRYYRRTSK", "displayName": "Renamed"}}</pre>
     * A read-only attribute in a pathless value is ignored when it equals what the resource holds; otherwise the
     * caller fails with {@code mutability}.
     */
    static boolean isUnchangedReadOnly(JsonNode given, JsonNode current) {
        if (given == null || given.isNull()) {
            return current == null || current.isNull();
        }
        return current != null && (given.equals(current)
                || (given.isTextual() && current.isTextual() && given.textValue().equals(current.textValue())));
    }

    /**
     * Entra ID adds to single-valued attributes that already have a value:
     * <pre>{"op": "Add", "path": "title", "value": "Senior Guide"}</pre>
     * This is also RFC 7644 §3.5.2.1 ("if the target location specifies a single-valued attribute, the existing
     * value is replaced"), kept here because clients depend on it: add on a single-valued attribute replaces it.
     */
    static boolean addReplacesSingleValue(AttributeDefinition attribute) {
        return !attribute.multiValued();
    }

    /**
     * Entra ID sends the enterprise manager as a bare id:
     * <pre>{"op": "Add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
     *  "value": "26118915-6090-4610-87e4-49d8ca9f808d"}</pre>
     * A string (or number) given for a complex attribute with a {@code value} sub-attribute becomes
     * {@code {"value": "..."}}.
     */
    static JsonNode complexFromString(JsonNode value, AttributeDefinition complex) {
        if (value != null && (value.isTextual() || value.isNumber()) && complex.subAttribute("value").isPresent()) {
            ObjectNode o = JSON.objectNode();
            o.put(complex.subAttribute("value").get().name(), value.asText());
            return o;
        }
        return value;
    }

    /**
     * Entra ID sends {@code "$ref": null} in members:
     * <pre>{"op": "Add", "path": "members", "value": [{"$ref": null, "value": "f648f8d5-f6ae-4b54-9f8c-03ee7d7e1a45"}]}</pre>
     * Null sub-attributes in a complex value are dropped (RFC 7643 §2.5: null means unassigned).
     */
    static void dropNullSubAttributes(ObjectNode value) {
        List<String> nulls = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            if (e.getValue().isNull()) {
                nulls.add(e.getKey());
            }
        }
        value.remove(nulls);
    }

    /**
     * Entra ID adds a typed value through a filter path even when no value of that type exists yet:
     * <pre>{"op": "Add", "path": "emails[type eq \"work\"].value", "value": "bjensen@example.com"}
     * {"op": "Add", "path": "addresses[type eq \"work\"].streetAddress", "value": "100 Universal City Plaza"}</pre>
     * RFC 7644 leaves this undefined; when the filter is equalities joined by {@code and}
     * ({@code type eq "work"}), Usher creates the value the filter describes ({@code {"type": "work"}}) and sets the
     * sub-attribute on it. Any other filter that matches nothing is {@code noTarget}.
     *
     * @return the new value, or empty when the filter does not describe one
     */
    static Optional<ObjectNode> valueDescribedBy(Filter filter) {
        List<Filter> terms = filter instanceof Filter.And and ? and.operands() : List.of(filter);
        ObjectNode out = JSON.objectNode();
        for (Filter t : terms) {
            if (!(t instanceof Filter.Comparison c) || c.op() != CompareOp.EQ || c.path().subAttribute() != null
                    || c.path().schema() != null || c.value().kind() == Literal.Kind.NULL
                    || out.has(c.path().name())) {
                return Optional.empty();
            }
            switch (c.value().kind()) {
                case STRING -> out.put(c.path().name(), c.value().asString());
                case BOOLEAN -> out.put(c.path().name(), (Boolean) c.value().value());
                case NUMBER -> out.put(c.path().name(), (BigDecimal) c.value().value());
                default -> {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(out);
    }
}
