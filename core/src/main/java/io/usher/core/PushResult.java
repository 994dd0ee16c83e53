package io.usher.core;

import java.util.List;

/**
 * What one push call did.
 *
 * @param changes the changes applied, in order (empty when nothing needed changing)
 * @param key the store key of the user or group the call was about, or {@code null} if it is gone or was
 *     never stored
 * @param value the stored {@link io.usher.core.model.User} or {@link io.usher.core.model.Group} after the
 *     call, or {@code null}
 */
public record PushResult(List<Change> changes, String key, Object value) {
    public PushResult {
        changes = List.copyOf(changes);
    }

    public boolean changed() {
        return !changes.isEmpty();
    }

    /** The kind of the first change, or {@code null} when nothing changed. */
    public ChangeKind kind() {
        return changes.isEmpty() ? null : changes.get(0).kind();
    }
}
