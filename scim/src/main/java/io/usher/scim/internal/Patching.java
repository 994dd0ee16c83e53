package io.usher.scim.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.scim.ScimException;
import io.usher.scim.ScimException.ScimType;
import java.util.List;

/** The server's use of io.usher.scim.patch: a PATCH request applied to a resource's JSON, all or nothing. */
final class Patching {
    /** Member additions or removals a group PATCH asks for. */
    record MemberOp(boolean add, List<GroupMapper.MemberRef> members) {}

    /**
     * A patched group: its JSON without members, the member operations in order, and (for an operation that
     * replaces or clears the whole member list) the new full list, else null.
     */
    record GroupPatch(ObjectNode group, List<MemberOp> memberOps, List<GroupMapper.MemberRef> replaceMembers) {}

    private Patching() {}

    static ObjectNode applyToUser(ObjectNode current, ObjectNode body) {
        throw ScimException.badRequest(ScimType.invalidSyntax, "PATCH is not supported yet");
    }

    static GroupPatch applyToGroup(ObjectNode current, ObjectNode body) {
        throw ScimException.badRequest(ScimType.invalidSyntax, "PATCH is not supported yet");
    }
}
