package io.usher.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.scim.filter.PatchPath;
import java.util.Objects;

/**
 * One PATCH operation (RFC 7644 §3.5.2) after parsing and normalisation: the operation, an optional path and an
 * optional value. Immutable and thread-safe as long as the value node is not changed (the parser hands out deep
 * copies, and the applier never changes them).
 *
 * @param op    add, replace or remove
 * @param path  the target, or null for a pathless add/replace (whose value is an object of attributes)
 * @param value the value (required for add and replace; for remove only as an Entra ID quirk), or null
 */
public record PatchOperation(Op op, PatchPath path, JsonNode value) {

    /** The operations of RFC 7644 §3.5.2. */
    public enum Op {
        /** {@code add}. */
        ADD,
        /** {@code replace}. */
        REPLACE,
        /** {@code remove}. */
        REMOVE;

        /** The wire spelling. */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Checks the combinations RFC 7644 allows (a client's mistakes are caught earlier by {@link PatchRequest}). */
    public PatchOperation {
        Objects.requireNonNull(op, "op");
        if (value != null && value.isMissingNode()) {
            value = null;
        }
        if (op == Op.REMOVE && path == null) {
            throw new IllegalArgumentException("remove needs a path");
        }
        if (op != Op.REMOVE && value == null) {
            throw new IllegalArgumentException(op.wire() + " needs a value");
        }
        if (path == null && !value.isObject()) {
            throw new IllegalArgumentException("a pathless " + op.wire() + " needs an object of attributes as its value");
        }
    }

    /** The operation as it goes on the wire: {@code {"op": "add", "path": "...", "value": ...}}. */
    public ObjectNode toJson() {
        ObjectNode out =
                JsonNodeFactory.instance.objectNode();
        out.put("op", op.wire());
        if (path != null) {
            out.put("path", path.toString());
        }
        if (value != null) {
            out.set("value", value.deepCopy());
        }
        return out;
    }

    /** {@code add} with a path (or null) and a value. */
    public static PatchOperation add(PatchPath path, JsonNode value) {
        return new PatchOperation(Op.ADD, path, Objects.requireNonNull(value, "value"));
    }

    /** {@code replace} with a path (or null) and a value. */
    public static PatchOperation replace(PatchPath path, JsonNode value) {
        return new PatchOperation(Op.REPLACE, path, Objects.requireNonNull(value, "value"));
    }

    /** {@code remove} at a path. */
    public static PatchOperation remove(PatchPath path) {
        return new PatchOperation(Op.REMOVE, Objects.requireNonNull(path, "path"), null);
    }
}
