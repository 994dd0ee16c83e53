package io.usher.scim.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.scim.ScimException;
import io.usher.scim.ScimException.ScimType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Reading and writing SCIM JSON: bodies are read with a byte limit (413 beyond it), duplicate keys, deep
 * nesting and trailing content are refused as {@code invalidSyntax}, and parse errors name the line and
 * column, never the content. Thread-safe.
 */
public final class Json {
    /** How deep a request body may nest objects and arrays. */
    static final int MAX_DEPTH = 32;

    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(1_000_000).maxNumberLength(100).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {}

    /** A new empty object. */
    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /** Reads at most {@code limit} bytes; more is a 413. */
    public static byte[] readLimited(InputStream in, long limit) {
        if (in == null) {
            return new byte[0];
        }
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > limit) {
                    throw ScimException.of(413, null, "the request body is larger than " + limit + " bytes");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw ScimException.of(400, ScimType.invalidSyntax, "the request body could not be read");
        }
    }

    /** Parses a body that must be one JSON object. */
    public static ObjectNode parseObject(byte[] body) {
        if (body.length == 0) {
            throw ScimException.badRequest(ScimType.invalidSyntax, "the request body is empty; a JSON object is required");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            String what = e.getMessage() != null && e.getMessage().contains("Duplicate field") ? "a duplicate key"
                    : e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("nesting depth")
                    ? "nesting deeper than " + MAX_DEPTH + " levels" : "malformed JSON";
            throw ScimException.badRequest(ScimType.invalidSyntax, "the request body is not valid JSON: " + what + where);
        } catch (IOException e) {
            throw ScimException.badRequest(ScimType.invalidSyntax, "the request body could not be read");
        }
        if (node == null || !node.isObject()) {
            throw ScimException.badRequest(ScimType.invalidSyntax, "the request body must be a JSON object");
        }
        String bad = unpairedSurrogate(node, "");
        if (bad != null) {
            // JSON escapes (\ud800) can spell text that is not Unicode; stored, it would be served back to every
            // client, and strict JSON parsers refuse such a response (or a UTF-8 store turns it into '?')
            throw ScimException.badRequest(ScimType.invalidValue, "the request body holds text that is not valid "
                    + "Unicode (an unpaired UTF-16 surrogate) at " + bad);
        }
        return (ObjectNode) node;
    }

    /** The JSON pointer of the first string holding an unpaired surrogate, or null (Jackson refuses them in names). */
    private static String unpairedSurrogate(JsonNode node, String at) {
        if (node.isTextual()) {
            return isUnicode(node.textValue()) ? null : pointer(at);
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String bad = unpairedSurrogate(e.getValue(), at + "/" + e.getKey());
                if (bad != null) {
                    return bad;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String bad = unpairedSurrogate(node.get(i), at + "/" + i);
                if (bad != null) {
                    return bad;
                }
            }
        }
        return null;
    }

    private static boolean isUnicode(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static String pointer(String at) {
        String p = at.isEmpty() ? "/" : at;
        return "'" + (p.length() > 80 ? p.substring(0, 80) + "…" : p) + "'";
    }

    /** Serialises a node. */
    public static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    /** Compact JSON text of a node (for storing complex values as attribute values). */
    static String text(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    /** Parses JSON text that this class wrote; null when it does not parse (a value changed outside SCIM). */
    static JsonNode parseStored(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    /** The member of an object whose name equals {@code name} ignoring case (SCIM names are case-insensitive). */
    public static JsonNode field(JsonNode obj, String name) {
        if (obj == null || !obj.isObject()) {
            return null;
        }
        JsonNode exact = obj.get(name);
        if (exact != null) {
            return exact;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The actual key under which {@code name} is present ignoring case, or null. */
    static String keyOf(JsonNode obj, String name) {
        if (obj == null || !obj.isObject()) {
            return null;
        }
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (k.equalsIgnoreCase(name)) {
                return k;
            }
        }
        return null;
    }

}
