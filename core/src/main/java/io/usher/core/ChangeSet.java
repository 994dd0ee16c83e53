package io.usher.core;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A dry-run plan: the changes a sync would make, in order, and the report of the dry run (counts,
 * failures, warnings, whether the guard would trip). Nothing in it was applied. Immutable.
 *
 * <p>To keep memory bounded the list holds at most the limit given to {@code plan} ({@code truncated} then
 * says so); the report's counts are always complete. {@link ProvisioningEngine#plan(String,
 * java.util.function.Consumer)} streams every change instead.
 */
public record ChangeSet(SyncReport report, List<Change> changes, boolean truncated) {

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
