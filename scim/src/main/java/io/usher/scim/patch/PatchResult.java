package io.usher.scim.patch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * What applying a PATCH gave: the changed copy of the resource, the member changes left to the caller, and the
 * paths of write-only attributes ({@code password}) that were accepted but not written into the resource.
 * The lists are immutable; the resource node is a fresh copy that belongs to the caller (not synchronised).
 *
 * @param resource       the patched copy (the caller's original is untouched)
 * @param memberChanges  member changes for the caller to apply, in order (empty unless members are intercepted)
 * @param ignoredWriteOnly paths of write-only attributes the request set, which the resource does not hold
 * @param modified       whether the JSON changed (member changes aside)
 */
public record PatchResult(ObjectNode resource, List<MemberChange> memberChanges, List<String> ignoredWriteOnly,
                          boolean modified) {

    /** Copies the lists. */
    public PatchResult {
        Objects.requireNonNull(resource, "resource");
        memberChanges = List.copyOf(memberChanges);
        ignoredWriteOnly = List.copyOf(ignoredWriteOnly);
    }
}
