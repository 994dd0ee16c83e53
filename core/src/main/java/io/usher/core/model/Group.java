package io.usher.core.model;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A group as the host's store holds it. Members are not part of the value: stores answer
 * {@code members(groupKey, kind)} and change memberships one at a time, so a group of a million members
 * never travels as one object.
 *
 * <p>{@code key} is the store's primary key ({@code null} before creation); {@code origin} is {@code null}
 * for a local group, which no sync touches (it may still hold synced users). Names are unique in the
 * store case-insensitively. {@code attributes} carries what a source says about the group beyond its name
 * and description (for instance the SCIM {@code externalId} and {@code meta}); it is empty for most
 * sources. Immutable and thread-safe.
 */
public record Group(String key, Origin origin, String name, String description,
                    Map<String, List<String>> attributes) {

    public static final String NAME = "name", DESCRIPTION = "description";

    public Group {
        key = Values.optionalText(key, "group.key");
        name = Values.requireText(name, "group.name");
        description = Values.optionalText(description, "group.description");
        attributes = Values.copyAttributes(attributes);
    }

    /** A group without attributes. */
    public Group(String key, Origin origin, String name, String description) {
        this(key, origin, name, description, Map.of());
    }

    /** A local group (no origin) with the given name. */
    public static Group local(String name) {
        return new Group(null, null, name, null);
    }

    /** A group owned by a source. */
    public static Group of(Origin origin, String name, String description) {
        return new Group(null, Objects.requireNonNull(origin, "origin"), name, description);
    }

    public boolean isLocal() {
        return origin == null;
    }

    public boolean isOwnedBy(String sourceId) {
        return origin != null && origin.isFrom(sourceId);
    }

    public Group withKey(String newKey) {
        return new Group(newKey, origin, name, description, attributes);
    }

    public Group withOrigin(Origin newOrigin) {
        return new Group(key, newOrigin, name, description, attributes);
    }

    /** This group under another name (attributes kept). */
    public Group withName(String newName) {
        return new Group(key, origin, newName, description, attributes);
    }

    /** This group with other attributes. */
    public Group withAttributes(Map<String, List<String>> newAttributes) {
        return new Group(key, origin, name, description, newAttributes);
    }

    /** Names of the fields that differ from {@code other}, ignoring key and origin; attributes as {@code attributes.NAME}. */
    public Set<String> changedFields(Group other) {
        Set<String> out = new LinkedHashSet<>();
        if (!name.equals(other.name)) out.add(NAME);
        if (!Objects.equals(description, other.description)) out.add(DESCRIPTION);
        if (!attributes.equals(other.attributes)) {
            Set<String> names = new java.util.TreeSet<>(attributes.keySet());
            names.addAll(other.attributes.keySet());
            for (String n : names) {
                if (!Objects.equals(attributes.get(n), other.attributes.get(n))) {
                    out.add("attributes." + n);
                }
            }
        }
        return out;
    }
}
