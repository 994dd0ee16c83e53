package io.usher.core.spi;

/**
 * Capability: the source can report what changed since an opaque cursor (LDAP USN or DirSync cookie,
 * Graph delta link, Okta timestamp). The engine only stores cursors and hands them back.
 */
public interface IncrementalSource {

    /**
     * Streams the changes since {@code cursor} and ends with {@link ChangeSink#cursor(String)} giving the
     * cursor to continue from.
     *
     * @throws SourceException with code {@code CURSOR_INVALID} when the cursor has expired; the engine then
     *     falls back to a full snapshot and says so in the report
     */
    void changes(String cursor, ChangeSink sink) throws SourceException;
}
