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
     * Progress of a long read, for callbacks and CLI progress lines.
     *
     * @param read records read so far
     * @param total expected total, or -1 if unknown
     */
    default void progress(long read, long total) {}
}
