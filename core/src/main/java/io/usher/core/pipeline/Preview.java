package io.usher.core.pipeline;

import io.usher.core.model.User;
import java.util.List;

/**
 * What the pipeline makes of one source record, and why: whether it is included (and if not, which
 * filter excluded it), the resulting username and user, and each transformation step in order.
 *
 * @param included whether the record takes part in the sync
 * @param reason why it was excluded or could not be transformed; {@code null} when included
 * @param username the username it would get, or {@code null}
 * @param user the user it would become (without store key), or {@code null}
 * @param steps the transformation steps, one plain line each
 */
public record Preview(boolean included, String reason, String username, User user, List<String> steps) {
    public Preview {
        steps = List.copyOf(steps);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(included ? "included" : "excluded: " + reason);
        if (username != null) {
            sb.append(", username '").append(username).append('\'');
        }
        for (String s : steps) {
            sb.append("\n  - ").append(s);
        }
        return sb.toString();
    }
}
