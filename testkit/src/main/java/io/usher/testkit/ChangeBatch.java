package io.usher.testkit;

import java.util.List;

/**
 * The changes of an {@link InMemoryDirectory} after {@code fromSequence} up to and including
 * {@code toSequence}, read atomically. {@code toSequence} is where the next incremental read continues.
 *
 * <p>Immutable and thread-safe.
 */
public record ChangeBatch(long fromSequence, long toSequence, List<DirectoryChange> changes) {
    public ChangeBatch {
        changes = List.copyOf(changes);
        if (toSequence < fromSequence) {
            throw new IllegalArgumentException("toSequence must not be below fromSequence");
        }
    }
}
