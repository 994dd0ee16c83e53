package io.usher.core;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A dry-run plan: every change a sync would make, in order, and the report of the dry run (counts,
 * failures, warnings, whether the guard would trip). Nothing in it was applied. Immutable.
 */
public record ChangeSet(SyncReport report, List<Change> changes) {

    public ChangeSet {
        changes = List.copyOf(changes);
    }

    /** The planned changes of one kind. */
    public List<Change> ofKind(ChangeKind kind) {
        return changes.stream().filter(c -> c.kind() == kind).collect(Collectors.toUnmodifiableList());
    }

    public long count(ChangeKind kind) {
        return changes.stream().filter(c -> c.kind() == kind).count();
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }
}
