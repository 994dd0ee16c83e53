package io.usher.core;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one sync did (or, for a dry run, would do).
 *
 * @param runId a unique id of the run, also given to listeners
 * @param sourceId the source synced
 * @param mode how the source was read
 * @param dryRun whether nothing was applied ({@link ProvisioningEngine#plan})
 * @param started when the run began
 * @param duration how long it took
 * @param complete whether the whole source was read; an incomplete read deletes and deactivates nothing
 * @param incompleteReason why the read did not complete, or {@code null}
 * @param recordsRead users and groups (or changes) read from the source
 * @param counts applied (or planned) changes per kind; kinds with none are absent
 * @param unchanged records that needed no change
 * @param excluded records the source's filters left out
 * @param failures the first failures (at most {@value #MAX_LISTED}); {@code failureCount} has them all
 * @param failureCount how many records failed
 * @param warnings the first warnings (at most {@value #MAX_LISTED})
 * @param warningCount how many warnings there were
 * @param guardTripped whether the mass-deletion guard refused the removals
 * @param guardReason why, or {@code null}
 * @param withheld the removals the guard held back (at most {@value #MAX_LISTED}), to inspect
 * @param cycles nested-group cycles found, each as the group names around the cycle
 * @param cursorSaved whether a new incremental cursor was stored
 */
public record SyncReport(String runId, String sourceId, SyncMode mode, boolean dryRun, Instant started,
                         Duration duration, boolean complete, String incompleteReason, long recordsRead,
                         Map<ChangeKind, Long> counts, long unchanged, long excluded, List<Failure> failures,
                         long failureCount, List<String> warnings, long warningCount, boolean guardTripped,
                         String guardReason, List<Change> withheld, List<List<String>> cycles, boolean cursorSaved) {

    /** How many failures, warnings and withheld changes a report lists by value. */
    public static final int MAX_LISTED = 1000;

    public SyncReport {
        Objects.requireNonNull(runId, "runId");
        EnumMap<ChangeKind, Long> copy = new EnumMap<>(ChangeKind.class);
        copy.putAll(counts);
        counts = java.util.Collections.unmodifiableMap(copy);
        failures = List.copyOf(failures);
        warnings = List.copyOf(warnings);
        withheld = List.copyOf(withheld);
        cycles = cycles.stream().map(List::copyOf).collect(java.util.stream.Collectors.toUnmodifiableList());
    }

    /** Changes of one kind. */
    public long count(ChangeKind kind) {
        return counts.getOrDefault(kind, 0L);
    }

    /** All applied (or planned) changes. */
    public long totalChanges() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Complete, guard not tripped, no failures. */
    public boolean isClean() {
        return complete && !guardTripped && failureCount == 0;
    }

    /** A few lines for logs and the CLI. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(dryRun ? "plan" : "sync").append(" of source '").append(sourceId).append("' (").append(mode)
                .append(") in ").append(duration.toMillis()).append(" ms: ").append(recordsRead).append(" records read, ")
                .append(totalChanges()).append(dryRun ? " changes planned, " : " changes applied, ")
                .append(unchanged).append(" unchanged, ").append(excluded).append(" excluded, ")
                .append(failureCount).append(" failed, ").append(warningCount).append(" warnings");
        counts.forEach((k, v) -> sb.append("\n  ").append(k).append(": ").append(v));
        if (!complete) {
            sb.append("\n  INCOMPLETE READ (nothing deleted or deactivated): ").append(incompleteReason);
        }
        if (guardTripped) {
            sb.append("\n  GUARD TRIPPED (removals not applied): ").append(guardReason);
        }
        for (List<String> cycle : cycles) {
            sb.append("\n  nested-group cycle: ").append(String.join(" -> ", cycle));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return summary();
    }
}
