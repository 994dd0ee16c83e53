package io.usher.core.audit;

/** What became of one change. */
public enum AuditOutcome {
    /** Written to the host's store; counted in the run's {@code SyncReport.counts}. */
    APPLIED,
    /**
     * Deliberately not made: a removal the mass-deletion guard withheld (code {@code GUARD}), a name collision
     * the source's collision policy skips (code {@code CONFLICT}), a push call refused by the ownership and
     * filter rules before anything was written ({@code NOT_FOUND}, {@code NOT_OWNED}, {@code INVALID}), or a
     * route's own refusal ({@code SourcePush.refused}, e.g. a JIT login whose policy creates no users).
     */
    REFUSED,
    /** Attempted but not written (the store or the record failed); one per {@code SyncReport.failureCount}. */
    FAILED
}
