package io.usher.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.scim.ScimException;
import io.usher.scim.ScimException.ScimType;
import io.usher.scim.filter.FilterParser;
import io.usher.scim.filter.PatchPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed {@code PatchOp} request body (RFC 7644 §3.5.2):
 * <pre>{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
 *  "Operations": [{"op": "add", "path": "members", "value": [{"value": "2819c223"}]}]}</pre>
 * Member names are matched ignoring case; client quirks in the operations (Entra ID's {@code "op": "Replace"}) are
 * normalised here, see {@code PatchQuirks}. Errors are 400s whose message names the operation's index:
 * {@code invalidSyntax} for the body's shape, {@code invalidPath} for a bad path, {@code invalidValue} for a
 * missing value, {@code noTarget} for a remove without a path and {@code tooMany} for more operations than the
 * limit. Immutable and thread-safe.
 *
 * @param operations the operations, in order
 */
public record PatchRequest(List<PatchOperation> operations) {

    /** {@code urn:ietf:params:scim:api:messages:2.0:PatchOp}. */
    public static final String SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    /** The default limit on operations in one request. */
    public static final int DEFAULT_MAX_OPERATIONS = 1000;

    /** Copies the list. */
    public PatchRequest {
        operations = List.copyOf(operations);
    }

    /** A request of these operations. */
    public static PatchRequest of(PatchOperation... operations) {
        return new PatchRequest(List.of(operations));
    }

    /** The request as a {@code PatchOp} body, which {@link #parse(JsonNode)} reads back to an equal request. */
    public ObjectNode toJson() {
        ObjectNode out =
                JsonNodeFactory.instance.objectNode();
        out.putArray("schemas").add(SCHEMA);
        ArrayNode ops = out.putArray("Operations");
        operations.forEach(o -> ops.add(o.toJson()));
        return out;
    }

    /** Parses with the default limits. */
    public static PatchRequest parse(JsonNode body) {
        return parse(body, DEFAULT_MAX_OPERATIONS, FilterParser.defaults());
    }

    /**
     * Parses a request body.
     *
     * @param maxOperations the most operations accepted
     * @param paths         the parser (and so the limits) for paths
     * @throws ScimException 400 as described on the type
     */
    public static PatchRequest parse(JsonNode body, int maxOperations, FilterParser paths) {
        Objects.requireNonNull(paths, "paths");
        if (body == null || !body.isObject()) {
            throw ScimException.badRequest(ScimType.invalidSyntax, "a PATCH request body is a JSON object");
        }
        JsonNode schemas = field(body, "schemas");
        boolean hasSchema = false;
        if (schemas != null && schemas.isArray()) {
            for (JsonNode s : schemas) {
                hasSchema |= s.isTextual() && s.textValue().equalsIgnoreCase(SCHEMA);
            }
        }
        if (!hasSchema) {
            throw ScimException.badRequest(ScimType.invalidSyntax, "'schemas' must be an array holding \"" + SCHEMA + "\"");
        }
        JsonNode ops = field(body, "Operations");
        if (ops == null || !ops.isArray() || ops.isEmpty()) {
            throw ScimException.badRequest(ScimType.invalidSyntax, "'Operations' must be a non-empty array");
        }
        if (ops.size() > maxOperations) {
            throw ScimException.badRequest(ScimType.tooMany, "the request has " + ops.size()
                    + " operations; the limit is " + maxOperations);
        }
        List<PatchOperation> out = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            out.add(operation(ops.get(i), "Operations[" + i + "]", paths));
        }
        return new PatchRequest(out);
    }

    private static PatchOperation operation(JsonNode node, String where, FilterParser paths) {
        if (!node.isObject()) {
            throw ScimException.badRequest(ScimType.invalidSyntax, where + " is not a JSON object");
        }
        JsonNode opNode = field(node, "op");
        if (opNode == null || !opNode.isTextual()) {
            throw ScimException.badRequest(ScimType.invalidSyntax, where + ".op must be \"add\", \"replace\" or \"remove\"");
        }
        PatchOperation.Op op = PatchQuirks.op(opNode.textValue());
        if (op == null) {
            throw ScimException.badRequest(ScimType.invalidSyntax, where + ".op must be \"add\", \"replace\" or "
                    + "\"remove\"; found an unknown operation");
        }
        JsonNode pathNode = field(node, "path");
        PatchPath path = null;
        if (pathNode != null && !pathNode.isNull()) {
            if (!pathNode.isTextual()) {
                throw ScimException.badRequest(ScimType.invalidPath, where + ".path must be a string");
            }
            if (!pathNode.textValue().isBlank()) {
                try {
                    path = paths.parsePatchPath(pathNode.textValue());
                } catch (ScimException e) {
                    throw ScimException.of(e.status(), e.scimType(), where + ".path: " + e.getMessage(), e);
                }
            }
        }
        JsonNode value = field(node, "value");
        value = value == null ? null : value.deepCopy();
        if (op != PatchOperation.Op.REMOVE && value == null) {
            throw ScimException.badRequest(ScimType.invalidValue, where + " (" + op.wire() + ") needs a 'value'");
        }
        if (op == PatchOperation.Op.REMOVE && path == null) {
            throw ScimException.badRequest(ScimType.noTarget, where + " (remove) needs a 'path'");
        }
        if (path == null && !value.isObject()) {
            throw ScimException.badRequest(ScimType.invalidValue, where + " (" + op.wire()
                    + ") has no 'path', so its 'value' must be an object of attributes");
        }
        return new PatchOperation(op, path, value);
    }

    static JsonNode field(JsonNode node, String name) {
        JsonNode exact = node.get(name);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}
