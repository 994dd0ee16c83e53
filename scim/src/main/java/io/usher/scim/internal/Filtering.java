package io.usher.scim.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.scim.ScimException;
import io.usher.scim.ScimException.ScimType;
import java.util.List;

/** The server's use of the filter language (io.usher.scim.filter): parse once, push equality terms down, evaluate. */
final class Filtering {
    /** A pushable equality term of the filter's top-level conjunction: attribute is userName, externalId, displayName or id. */
    record EqTerm(String attribute, String value) {}

    interface Compiled {
        boolean matches(ObjectNode resource);

        /** Equality terms every match must satisfy (empty when none can be pushed down). */
        List<EqTerm> pushable();

        /** Whether the filter reads the attribute (so the server computes it, e.g. members). */
        boolean mentions(String attribute);
    }

    private Filtering() {}

    static Compiled compile(String filter, String resourceType) {
        throw ScimException.badRequest(ScimType.invalidFilter, "filters are not supported yet");
    }
}
