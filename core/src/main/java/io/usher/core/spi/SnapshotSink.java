package io.usher.core.spi;

/**
 * Receives a snapshot from a {@link SourceConnector}. Implemented by the engine; connectors only call it.
 * A sink may throw {@link io.usher.core.UsherException} with code {@code INTERRUPTED} to stop a read
 * early (for instance when the caller cancelled); the connector should let it propagate.
 */
public interface SnapshotSink {

    /** One user. Users come before groups. */
    void user(SourceUser user);

    /** One group with its direct members. */
    void group(SourceGroup group);

    /**
     * The cursor from which a later {@link IncrementalSource#changes} call continues. The engine stores it
     * only after everything read before it has been applied.
     */
    default void cursor(String cursor) {}

    /**
     * A record the connector could identify but not read (a value Usher refuses, a broken entry). The engine
     * reports it as a failure and treats the record as still present — it is neither created nor, if already
     * synced, deactivated or deleted — so one bad entry neither stops a snapshot nor loses a user.
     *
     * @param kind whether it is a user or a group
     * @param externalId its immutable id
     * @param reason what is wrong, naming the attribute, never its value
     */
    default void unreadable(io.usher.core.model.MemberKind kind, String externalId, String reason) {}

    /**
     * Progress of a long read, for callbacks and CLI progress lines.
     *
     * @param read records read so far
     * @param total expected total, or -1 if unknown
     */
    default void progress(long read, long total) {}
}
