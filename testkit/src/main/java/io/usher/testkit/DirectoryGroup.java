package io.usher.testkit;

import io.usher.core.model.Values;

/**
 * A group as the {@link InMemoryDirectory} holds it: immutable id, name (unique in the directory, exactly)
 * and description.
 *
 * <p>Direct members (users and, for nesting, groups) are deliberately not part of the value: the directory
 * keeps them in indexes ({@link InMemoryDirectory#members}, {@link InMemoryDirectory#groupsOf}) so that
 * adding one member to a group of 90,000 costs O(1) instead of copying the group. Nesting may form cycles;
 * the directory allows them because real directories do, and the engine must detect them.
 *
 * <p>Immutable and thread-safe.
 */
public record DirectoryGroup(String id, String name, String description) {

    public DirectoryGroup {
        id = Values.optionalText(id, "id");
        name = Values.requireText(name, "name");
        description = Values.optionalText(description, "description");
    }

    /** A group with this name and no id yet (the directory assigns one). */
    public static DirectoryGroup of(String name) {
        return new DirectoryGroup(null, name, null);
    }

    /** A group with this name and description and no id yet. */
    public static DirectoryGroup of(String name, String description) {
        return new DirectoryGroup(null, name, description);
    }

    public DirectoryGroup withId(String newId) {
        return new DirectoryGroup(newId, name, description);
    }

    public DirectoryGroup withName(String newName) {
        return new DirectoryGroup(id, newName, description);
    }

    public DirectoryGroup withDescription(String newDescription) {
        return new DirectoryGroup(id, name, newDescription);
    }
}
