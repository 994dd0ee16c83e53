package io.usher.core;

/**
 * Base of every exception Usher throws. Carries a {@link Code} a program can act on; messages name
 * fields, keys and positions, never secrets or personal values.
 */
public class UsherException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Machine-readable error codes. */
    public enum Code {
        /** Configuration is missing or invalid; fix it, retrying will not help. */
        CONFIG(false),
        /** A sync is already running for the source. */
        BUSY(true),
        /** The source could not be reached or answered with a transient error. */
        SOURCE_UNAVAILABLE(true),
        /** The source refused the credentials. */
        SOURCE_AUTH(false),
        /** The incremental cursor is no longer valid; a full snapshot is needed. */
        CURSOR_INVALID(false),
        /** The source sent data that could not be understood. */
        SOURCE_DATA(false),
        /** A username or group name is already taken by another record. */
        CONFLICT(false),
        /** The record does not exist. */
        NOT_FOUND(false),
        /** The record belongs to another source or is local; this source may not change it. */
        NOT_OWNED(false),
        /** Input was rejected (bad value, filtered out, failed validation). */
        INVALID(false),
        /** The mass-deletion guard refused to apply. */
        GUARD(false),
        /** The host's store failed. */
        STORE(true),
        /** The operation was interrupted. */
        INTERRUPTED(true);

        private final boolean retryable;

        Code(boolean retryable) {
            this.retryable = retryable;
        }

        public boolean isRetryable() {
            return retryable;
        }
    }

    private final Code code;

    public UsherException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public UsherException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }

    /** Whether trying the same thing again later may succeed. */
    public boolean isRetryable() {
        return code.isRetryable();
    }
}
