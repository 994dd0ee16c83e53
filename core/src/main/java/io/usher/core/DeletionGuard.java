package io.usher.core;

/**
 * The mass-deletion guard: a sync that would deactivate or delete more users (or delete more groups)
 * than {@code maxCount}, or more than {@code maxShare} of what the source owns, applies none of those
 * removals and says why. The share applies only once the source owns at least {@code minimumForShare}
 * records, so tiny directories are not blocked by one leaver. Immutable.
 *
 * @param maxCount the most removals allowed in one run
 * @param maxShare the largest share (0..1] of owned users or groups one run may remove
 * @param minimumForShare below this many owned records the share is not checked
 */
public record DeletionGuard(int maxCount, double maxShare, int minimumForShare) {

    /** At most 20% of owned users or groups per run, once a source owns 20 or more. */
    public static final DeletionGuard DEFAULT = new DeletionGuard(Integer.MAX_VALUE, 0.20, 20);

    public DeletionGuard {
        if (maxCount < 0) {
            throw new IllegalArgumentException("maxCount must be zero or more");
        }
        if (!(maxShare > 0 && maxShare <= 1)) {
            throw new IllegalArgumentException("maxShare must be above 0 and at most 1");
        }
        if (minimumForShare < 0) {
            throw new IllegalArgumentException("minimumForShare must be zero or more");
        }
    }

    /** No guard at all. */
    public static DeletionGuard none() {
        return new DeletionGuard(Integer.MAX_VALUE, 1.0, Integer.MAX_VALUE);
    }

    public static DeletionGuard maxCount(int count) {
        return new DeletionGuard(count, 1.0, Integer.MAX_VALUE);
    }

    public static DeletionGuard maxShare(double share) {
        return new DeletionGuard(Integer.MAX_VALUE, share, DEFAULT.minimumForShare);
    }

    /**
     * Why removing {@code removals} of {@code owned} records of one kind is refused, or {@code null} when
     * it is allowed.
     */
    public String check(String what, long removals, long owned) {
        if (removals > maxCount) {
            return "would remove " + removals + " " + what + ", more than the allowed " + maxCount;
        }
        if (owned >= minimumForShare && owned > 0 && removals > maxShare * owned) {
            return String.format(java.util.Locale.ROOT, "would remove %d of %d %s (%.1f%%), more than the allowed %.1f%%",
                    removals, owned, what, 100.0 * removals / owned, 100.0 * maxShare);
        }
        return null;
    }
}
