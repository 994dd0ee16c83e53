package io.usher.testkit;

import io.usher.core.spi.ChangeSink;
import io.usher.core.spi.ConnectionTest;
import io.usher.core.spi.IncrementalSource;
import io.usher.core.spi.NestedGroupSource;
import io.usher.core.spi.SnapshotSink;
import io.usher.core.spi.SourceConnector;
import io.usher.core.spi.SourceException;
import io.usher.core.spi.SourceGroup;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SourceConnector} over an {@link InMemoryDirectory}: the reference connector, with every capability
 * (incremental changes, nested groups, connection test). External ids are the directory's ids.
 *
 * <p>{@link #snapshot} reads page by page through the directory's serving reads (so fault injection
 * applies), users first, then groups, reports progress after each page, and ends with a cursor holding the
 * directory's sequence number taken <em>before</em> the first page: whatever changed during the read is
 * replayed by the next {@link #changes} call.
 *
 * <p>{@link #changes} replays the directory's change log in order: user additions and changes (renames,
 * disable, enable) as {@link ChangeSink#user}, deletions as {@link ChangeSink#userDeleted} and
 * {@link ChangeSink#groupDeleted}, new groups as {@link ChangeSink#group} (with no members: members follow as
 * {@link ChangeSink#memberAdded}), renamed groups as {@link ChangeSink#groupFields}, and memberships one at a
 * time. Cursors look like {@code seq:42}; an unparseable, expired or future cursor gives
 * {@link SourceException#cursorInvalid}.
 *
 * <p>Thread-safe: it holds no per-read state; the directory it reads is thread-safe.
 */
public final class InMemorySourceConnector implements SourceConnector, IncrementalSource, NestedGroupSource,
        ConnectionTest {
    /** The type name, and the name of the {@link InMemoryConnectorProvider}. */
    public static final String TYPE = "memory";
    /** The default number of records per page. */
    public static final int DEFAULT_PAGE_SIZE = 500;
    static final int MAX_PAGE_SIZE = 100_000;
    private static final String CURSOR_PREFIX = "seq:";
    private static final Logger LOG = LoggerFactory.getLogger(InMemorySourceConnector.class);

    private final InMemoryDirectory directory;
    private final int pageSize;
    private volatile boolean closed;

    private InMemorySourceConnector(InMemoryDirectory directory, int pageSize) {
        this.directory = directory;
        this.pageSize = pageSize;
    }

    /** A connector reading the directory with the default page size. */
    public static InMemorySourceConnector of(InMemoryDirectory directory) {
        return of(directory, DEFAULT_PAGE_SIZE);
    }

    /**
     * A connector reading the directory {@code pageSize} records at a time.
     *
     * @throws IllegalArgumentException if the page size is not between 1 and 100,000
     */
    public static InMemorySourceConnector of(InMemoryDirectory directory, int pageSize) {
        Objects.requireNonNull(directory, "directory");
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("pageSize must be between 1 and " + MAX_PAGE_SIZE + ", was " + pageSize);
        }
        return new InMemorySourceConnector(directory, pageSize);
    }

    public InMemoryDirectory directory() {
        return directory;
    }

    public int pageSize() {
        return pageSize;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void snapshot(SnapshotSink sink) throws SourceException {
        Objects.requireNonNull(sink, "sink");
        requireOpen();
        long start = directory.currentSequence();
        long total = (long) directory.userCount() + directory.groupCount();
        long read = 0;
        LOG.debug("snapshot from sequence {}: about {} records, {} per page", start, total, pageSize);
        read = pages(read, total, sink, directory::readUserPage, DirectoryUser::id,
                u -> sink.user(directory.toSourceUser(u)));
        read = pages(read, total, sink, directory::readGroupPage, DirectoryGroup::id,
                g -> sink.group(directory.toSourceGroup(g)));
        sink.cursor(CURSOR_PREFIX + start);
        LOG.debug("snapshot done: {} records", read);
    }

    /** Reads one kind page by page after the last id seen, handing each record on; returns the new count. */
    private <T> long pages(long read, long total, SnapshotSink sink, PageReader<T> reader,
                           java.util.function.Function<T, String> idOf, java.util.function.Consumer<T> each) {
        String after = null;
        while (true) {
            List<T> page = reader.read(after, pageSize);
            page.forEach(each);
            read += page.size();
            if (!page.isEmpty()) {
                sink.progress(read, Math.max(total, read));
                after = idOf.apply(page.get(page.size() - 1));
            }
            if (page.size() < pageSize) {
                return read;
            }
        }
    }

    /** One page of a directory read. */
    @FunctionalInterface
    private interface PageReader<T> {
        List<T> read(String afterId, int limit) throws SourceException;
    }

    @Override
    public void changes(String cursor, ChangeSink sink) throws SourceException {
        Objects.requireNonNull(sink, "sink");
        requireOpen();
        long since = parseCursor(cursor);
        Optional<ChangeBatch> batch = directory.readChanges(since);
        if (batch.isEmpty()) {
            throw SourceException.cursorInvalid("the cursor is older than the directory's change log or from its "
                    + "future; a full snapshot is needed");
        }
        for (DirectoryChange c : batch.get().changes()) {
            replay(c, sink);
        }
        sink.cursor(CURSOR_PREFIX + batch.get().toSequence());
        LOG.debug("replayed {} changes from sequence {} to {}", batch.get().changes().size(), since,
                batch.get().toSequence());
    }

    private void replay(DirectoryChange c, ChangeSink sink) {
        if (c instanceof DirectoryChange.UserUpserted u) {
            sink.user(directory.toSourceUser(u.user()));
        } else if (c instanceof DirectoryChange.UserDeleted d) {
            sink.userDeleted(d.userId());
        } else if (c instanceof DirectoryChange.GroupAdded a) {
            sink.group(fieldsOnly(a.group()));
        } else if (c instanceof DirectoryChange.GroupUpdated g) {
            sink.groupFields(fieldsOnly(g.group()));
        } else if (c instanceof DirectoryChange.GroupDeleted d) {
            sink.groupDeleted(d.groupId());
        } else if (c instanceof DirectoryChange.MemberAdded m) {
            sink.memberAdded(m.groupId(), m.kind(), m.memberId());
        } else if (c instanceof DirectoryChange.MemberRemoved m) {
            sink.memberRemoved(m.groupId(), m.kind(), m.memberId());
        } else {
            throw new IllegalStateException("unknown change type " + c.getClass().getName());
        }
    }

    private static SourceGroup fieldsOnly(DirectoryGroup g) {
        return new SourceGroup(g.id(), g.name(), g.description(), Set.of(), Set.of(), Map.of());
    }

    private static long parseCursor(String cursor) {
        if (cursor == null || !cursor.startsWith(CURSOR_PREFIX)) {
            throw SourceException.cursorInvalid("the cursor was not made by the memory connector");
        }
        try {
            long seq = Long.parseLong(cursor.substring(CURSOR_PREFIX.length()));
            if (seq < 0) {
                throw SourceException.cursorInvalid("the cursor holds a negative sequence");
            }
            return seq;
        } catch (NumberFormatException e) {
            throw SourceException.cursorInvalid("the cursor does not hold a sequence number");
        }
    }

    /** Reads the directory's size; never throws, reports a failure as a failed result. */
    @Override
    public Result test() {
        if (closed) {
            return Result.failed(List.of("connector is closed"));
        }
        try {
            List<DirectoryUser> first = directory.readUserPage(null, 1);
            return Result.ok(List.of("directory reachable",
                    "read " + first.size() + " of " + directory.userCount() + " users"));
        } catch (SourceException e) {
            return Result.failed(List.of("directory not reachable: " + e.code()));
        }
    }

    /** Idempotent; later reads throw {@link SourceException} with code {@code SOURCE_UNAVAILABLE}. */
    @Override
    public void close() {
        closed = true;
    }

    private void requireOpen() {
        if (closed) {
            throw SourceException.unavailable("the connector is closed", null);
        }
    }

    @Override
    public String toString() {
        return "InMemorySourceConnector[pageSize=" + pageSize + "]";
    }
}
