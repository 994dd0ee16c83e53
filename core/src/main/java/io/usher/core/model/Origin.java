package io.usher.core.model;

import java.util.Objects;

/**
 * Where a user or group came from: the id of the configured source plus the source's immutable id
 * for the record (objectGUID, entryUUID, Graph id, Okta id, SCIM externalId). Identity in Usher is the
 * origin, never the username: a record whose username changes but whose origin stays is a rename.
 *
 * <p>Immutable and thread-safe.
 */
public record Origin(String sourceId, String externalId) {

    public Origin {
        sourceId = Values.requireText(sourceId, "origin.sourceId");
        externalId = Values.requireText(externalId, "origin.externalId");
    }

    /** The origin of a record with the given external id in the given source. */
    public static Origin of(String sourceId, String externalId) {
        return new Origin(sourceId, externalId);
    }

    /** Whether this origin belongs to the given source. */
    public boolean isFrom(String source) {
        return Objects.equals(sourceId, source);
    }

    @Override
    public String toString() {
        return sourceId + ":" + externalId;
    }
}
