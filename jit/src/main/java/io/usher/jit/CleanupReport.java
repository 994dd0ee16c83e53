package io.usher.jit;

import io.usher.core.Failure;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What an {@link InactiveUserCleanup} found and did. Immutable and thread-safe.
 *
 * @param dryRun          whether nothing was changed (a plan)
 * @param action          what the cleanup does to stale users
 * @param ranAt           when the run started
 * @param cutoff          logins before this instant are stale
 * @param checked         active users of the source looked at
 * @param unknownLastLogin active users without a recorded login (left alone)
 * @param stale           the stale users (key, username, last login)
 * @param applied         deactivations (or memberships removed) actually applied
 * @param guardTripped    whether the guard refused the run (nothing applied)
 * @param guardReason     why the guard refused, or would refuse without an override; null when it allows
 * @param failures        users that could not be changed, with the cause
 */
public record CleanupReport(boolean dryRun, Action action, Instant ranAt, Instant cutoff, long checked,
                            long unknownLastLogin, List<StaleUser> stale, long applied, boolean guardTripped,
                            String guardReason, List<Failure> failures) {

    /** What happens to stale users. */
    public enum Action { DEACTIVATE, REMOVE_FROM_GROUPS }

    /** One user whose last login is older than the cutoff. */
    public record StaleUser(String key, String username, Instant lastLogin) {}

    public CleanupReport {
        stale = List.copyOf(stale);
        failures = List.copyOf(failures);
    }

    /** One line for logs and operators. */
    public String summary() {
        String what = action == Action.DEACTIVATE ? "deactivated" : "group memberships removed";
        String head = String.format(Locale.ROOT, "inactive-user cleanup%s: %d active users checked, %d stale "
                + "(no login since %s), %d without a recorded login", dryRun ? " (dry run)" : "", checked,
                stale.size(), cutoff, unknownLastLogin);
        if (guardTripped) {
            return head + "; refused by the guard: " + guardReason;
        }
        return dryRun ? head + (guardReason != null ? "; the guard would refuse: " + guardReason : "")
                : head + "; " + applied + " " + what + (failures.isEmpty() ? "" : ", " + failures.size() + " failed");
    }
}
