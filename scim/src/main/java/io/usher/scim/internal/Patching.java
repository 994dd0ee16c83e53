package io.usher.scim.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.core.model.MemberKind;
import io.usher.scim.ScimException;
import io.usher.scim.ScimException.ScimType;
import io.usher.scim.patch.MemberChange;
import io.usher.scim.patch.MemberRef;
import io.usher.scim.patch.PatchApplier;
import io.usher.scim.patch.PatchRequest;
import io.usher.scim.patch.PatchResult;
import io.usher.scim.schema.Schemas;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server's use of {@link io.usher.scim.patch}: a PATCH request applied to a resource's JSON, all or nothing.
 * For groups the member list is never part of the JSON: member additions and removals come back as operations
 * applied one membership at a time; a replacement of the whole list (or its removal) is folded with the
 * operations after it into one new list.
 */
final class Patching {
    private static final PatchApplier USERS = PatchApplier.forResourceType(Schemas.USER_RESOURCE, false);
    private static final PatchApplier GROUPS = PatchApplier.forResourceType(Schemas.GROUP_RESOURCE, true);

    /** Member additions or removals a group PATCH asks for. */
    record MemberOp(boolean add, List<GroupMapper.MemberRef> members) {}

    /**
     * A patched group: its JSON without members, the member operations in order, and (when an operation replaced
     * or cleared the whole member list) the resulting full list, else null.
     */
    record GroupPatch(ObjectNode group, List<MemberOp> memberOps, List<GroupMapper.MemberRef> replaceMembers) {}

    private Patching() {}

    static ObjectNode applyToUser(ObjectNode current, ObjectNode body) {
        return USERS.apply(current, PatchRequest.parse(body)).resource();
    }

    static GroupPatch applyToGroup(ObjectNode current, ObjectNode body) {
        PatchResult r = GROUPS.apply(current, PatchRequest.parse(body));
        List<MemberOp> ops = new ArrayList<>();
        Map<String, GroupMapper.MemberRef> replacement = null;
        for (MemberChange c : r.memberChanges()) {
            List<GroupMapper.MemberRef> refs = new ArrayList<>(c.members().size());
            c.members().forEach(m -> refs.add(ref(m)));
            switch (c.kind()) {
                case REMOVE_ALL:
                    replacement = new LinkedHashMap<>();
                    ops.clear();
                    break;
                case REPLACE_ALL:
                    replacement = new LinkedHashMap<>();
                    for (GroupMapper.MemberRef m : refs) {
                        replacement.put(m.id(), m);
                    }
                    ops.clear();
                    break;
                case ADD:
                    if (replacement != null) {
                        for (GroupMapper.MemberRef m : refs) {
                            replacement.putIfAbsent(m.id(), m);
                        }
                    } else {
                        ops.add(new MemberOp(true, refs));
                    }
                    break;
                case REMOVE:
                    if (replacement != null) {
                        for (GroupMapper.MemberRef m : refs) {
                            replacement.remove(m.id());
                        }
                    } else {
                        ops.add(new MemberOp(false, refs));
                    }
                    break;
                default:
                    throw new IllegalStateException("unknown member change " + c.kind());
            }
        }
        return new GroupPatch(r.resource(), ops, replacement == null ? null : new ArrayList<>(replacement.values()));
    }

    private static GroupMapper.MemberRef ref(MemberRef m) {
        MemberKind kind = null;
        if (m.type() != null) {
            switch (m.type().toLowerCase(Locale.ROOT)) {
                case "user": kind = MemberKind.USER; break;
                case "group": kind = MemberKind.GROUP; break;
                default: throw ScimException.badRequest(ScimType.invalidValue, "member type must be User or Group");
            }
        }
        return new GroupMapper.MemberRef(m.value(), kind);
    }
}
