package io.usher.core.spi;

import io.usher.core.model.Values;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A group as a source reports it: its immutable id, name, description, and its direct members by the
 * members' external ids — users in {@code memberUserIds}, nested groups in {@code memberGroupIds}.
 * Immutable and thread-safe.
 */
public record SourceGroup(
        String externalId,
        String name,
        String description,
        Set<String> memberUserIds,
        Set<String> memberGroupIds,
        Map<String, List<String>> attributes) {

    public SourceGroup {
        externalId = Values.requireText(externalId, "externalId");
        name = Values.requireText(name, "group name");
        description = Values.optionalText(description, "description");
        memberUserIds = Values.copySet(memberUserIds, "memberUserIds");
        memberGroupIds = Values.copySet(memberGroupIds, "memberGroupIds");
        attributes = Values.copyAttributes(attributes);
    }

    /** A group with direct user and group members and no extra attributes. */
    public static SourceGroup of(String externalId, String name, String description,
                                 Collection<String> memberUserIds, Collection<String> memberGroupIds) {
        return new SourceGroup(externalId, name, description, Values.copySet(memberUserIds, "memberUserIds"),
                Values.copySet(memberGroupIds, "memberGroupIds"), Map.of());
    }
}
