package io.usher.core;

/**
 * Where a long run stands, for progress callbacks and CLI progress lines.
 *
 * @param sourceId the source being synced
 * @param phase the current phase
 * @param read records read from the source so far
 * @param total records the source expects to send, or -1 if unknown
 * @param applied changes applied (or planned, in a dry run) so far
 */
public record Progress(String sourceId, Phase phase, long read, long total, long applied) {

    /** The phases of a run, in order. */
    public enum Phase { READING_USERS, READING_GROUPS, MEMBERSHIPS, DEPROVISIONING, INCREMENTAL, DONE }
}
