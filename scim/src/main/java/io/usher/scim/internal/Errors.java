package io.usher.scim.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.core.UsherException;
import io.usher.scim.ScimException;
import io.usher.scim.ScimException.ScimType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SCIM Error bodies (RFC 7644 §3.12) and the translation of engine refusals into them. Stateless. */
public final class Errors {
    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

    private Errors() {}

    /** The Error body: {@code status} as a string, {@code scimType} when there is one. */
    public static ObjectNode body(ScimException e) {
        ObjectNode o = Json.object();
        o.putArray("schemas").add(Urns.ERROR);
        o.put("status", Integer.toString(e.status()));
        if (e.scimType() != null) {
            o.put("scimType", e.scimType().name());
        }
        o.put("detail", e.getMessage());
        return o;
    }

    /** An engine refusal as the SCIM error a client can act on. */
    public static ScimException from(UsherException e) {
        switch (e.code()) {
            case CONFLICT:
                return ScimException.of(409, ScimType.uniqueness, e.getMessage());
            case INVALID:
                return ScimException.badRequest(ScimType.invalidValue, e.getMessage());
            case NOT_FOUND:
                return ScimException.of(404, null, e.getMessage());
            case NOT_OWNED:
                return ScimException.of(403, null, "the record belongs to another source or to the host");
            case BUSY:
            case INTERRUPTED:
            case STORE:
            case SOURCE_UNAVAILABLE:
                LOG.warn("SCIM request failed in the engine ({})", e.code(), e);
                return ScimException.of(503, null, "the host's store is unavailable; try again later", e);
            default:
                LOG.warn("SCIM request failed in the engine ({})", e.code(), e);
                return ScimException.of(500, null, "the server could not complete the request", e);
        }
    }

    /** Anything else: a 500 whose body says nothing of the cause (which goes to the log). */
    public static ScimException unexpected(RuntimeException e) {
        LOG.error("SCIM request failed unexpectedly", e);
        return ScimException.of(500, null, "the server could not complete the request", e);
    }

    static ScimException notFound(String type, String id) {
        return ScimException.of(404, null, "no " + type + " with id '" + id + "'");
    }
}
