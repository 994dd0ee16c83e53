package io.usher.core.spi;

import io.usher.core.UsherException;

/**
 * A connector could not read its source. Connectors throw it from snapshot and changes reads; any such
 * failure makes the snapshot incomplete, and an incomplete snapshot deletes nothing.
 */
public class SourceException extends UsherException {
    private static final long serialVersionUID = 1L;

    public SourceException(Code code, String message) {
        super(code, message);
    }

    public SourceException(Code code, String message, Throwable cause) {
        super(code, message, cause);
    }

    /** The cursor given to an incremental read has expired or is unknown: the engine falls back to a snapshot. */
    public static SourceException cursorInvalid(String why) {
        return new SourceException(Code.CURSOR_INVALID, why);
    }

    public static SourceException unavailable(String why, Throwable cause) {
        return new SourceException(Code.SOURCE_UNAVAILABLE, why, cause);
    }
}
