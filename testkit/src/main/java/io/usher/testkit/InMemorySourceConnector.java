package io.usher.testkit;

import io.usher.core.model.MemberKind;
import io.usher.core.spi.ChangeSink;
import io.usher.core.spi.ConnectionTest;
import io.usher.core.spi.IncrementalSource;
import io.usher.core.spi.NestedGroupSource;
import io.usher.core.spi.SnapshotSink;
import io.usher.core.spi.SourceConnector;
import io.usher.core.spi.SourceException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link SourceConnector} over an {@link InMemoryDirectory}: snapshots page by page (users, then groups),
 * incremental reads replayed from the directory's change log, nested groups, and a connection test — so
 * the engine can be tested end to end without any server.
 *
 * <p>Fault injection for tests: {@link #failAfter(int)} makes the next reads fail with
 * {@code SOURCE_UNAVAILABLE} after that many records, like a connection reset mid-page. Expired cursors
 * come from {@link InMemoryDirectory#expireChangeLog()}.
 *
 * <p>Thread-safe as far as the engine needs: reads may run while tests mutate the directory.
 */
public final class InMemorySourceConnector implements SourceConnector, IncrementalSource, NestedGroupSource,
        ConnectionTest {
    private final InMemoryDirectory directory;
    private final int pageSize;
    private final AtomicInteger failAfter = new AtomicInteger(-1);
    private final AtomicInteger snapshots = new AtomicInteger();
    private volatile boolean closed;

    public InMemorySourceConnector(InMemoryDirectory directory) {
        this(directory, 500);
    }

    public InMemorySourceConnector(InMemoryDirectory directory, int pageSize) {
        this.directory = Objects.requireNonNull(directory, "directory");
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be at least 1");
        }
        this.pageSize = pageSize;
    }

    /** Reads fail after this many records from now on; a negative value turns the fault off. */
    public InMemorySourceConnector failAfter(int records) {
        failAfter.set(records);
        return this;
    }

    /** How many snapshots this connector has served. */
    public int snapshotCount() {
        return snapshots.get();
    }

    public InMemoryDirectory directory() {
        return directory;
    }

    @Override
    public String type() {
        return "memory";
    }

    @Override
    public void snapshot(SnapshotSink sink) {
        ensureOpen();
        snapshots.incrementAndGet();
        long cursor = directory.currentSequence();
        long total = directory.userCount() + (long) directory.groupCount();
        long read = 0;
        String after = null;
        while (true) {
            List<InMemoryDirectory.DirUser> page = directory.usersAfter(after, pageSize);
            for (InMemoryDirectory.DirUser u : page) {
                fault(read++);
                sink.user(directory.toSourceUser(u));
            }
            sink.progress(read, total);
            if (page.size() < pageSize) {
                break;
            }
            after = page.get(page.size() - 1).id();
        }
        after = null;
        while (true) {
            List<InMemoryDirectory.DirGroup> page = directory.groupsAfter(after, pageSize);
            for (InMemoryDirectory.DirGroup g : page) {
                fault(read++);
                sink.group(directory.toSourceGroup(g));
            }
            sink.progress(read, total);
            if (page.size() < pageSize) {
                break;
            }
            after = page.get(page.size() - 1).id();
        }
        sink.cursor(Long.toString(cursor));
    }

    @Override
    public void changes(String cursor, ChangeSink sink) {
        ensureOpen();
        long since;
        try {
            since = Long.parseLong(Objects.requireNonNull(cursor, "cursor"));
        } catch (NumberFormatException e) {
            throw SourceException.cursorInvalid("the cursor is not one this connector issued");
        }
        long now = directory.currentSequence();
        List<InMemoryDirectory.LoggedChange> changes;
        try {
            changes = directory.changesSince(since);
        } catch (InMemoryDirectory.ChangeLogExpired e) {
            throw SourceException.cursorInvalid(e.getMessage());
        }
        long read = 0;
        for (InMemoryDirectory.LoggedChange c : changes) {
            if (c.sequence() > now) {
                break;
            }
            fault(read++);
            switch (c.type()) {
                case USER_UPSERTED:
                    directory.user(c.id()).ifPresent(u -> sink.user(directory.toSourceUser(u)));
                    break;
                case USER_DELETED:
                    if (directory.user(c.id()).isEmpty()) {
                        sink.userDeleted(c.id());
                    }
                    break;
                case GROUP_UPSERTED:
                    directory.group(c.id()).ifPresent(g -> sink.group(directory.toSourceGroup(g)));
                    break;
                case GROUP_DELETED:
                    if (directory.group(c.id()).isEmpty()) {
                        sink.groupDeleted(c.id());
                    }
                    break;
                case MEMBER_ADDED:
                case MEMBER_REMOVED:
                    if (directory.group(c.id()).isPresent()) {
                        // replay the membership's state now, so a stale add/remove pair cannot undo a later one;
                        // a member deleted since is replayed as removed
                        if (directory.isMember(c.id(), c.memberKind(), c.memberId())) {
                            sink.memberAdded(c.id(), c.memberKind(), c.memberId());
                        } else {
                            sink.memberRemoved(c.id(), c.memberKind(), c.memberId());
                        }
                    }
                    break;
                default:
                    throw new IllegalStateException("unknown change type " + c.type());
            }
        }
        sink.cursor(Long.toString(now));
    }

    @Override
    public Result test() {
        if (closed) {
            return Result.failed(List.of("connector is closed"));
        }
        return Result.ok(List.of("directory reachable", "users: " + directory.userCount(),
                "groups: " + directory.groupCount()));
    }

    @Override
    public void close() {
        closed = true;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the connector is closed");
        }
    }

    private void fault(long read) {
        int limit = failAfter.get();
        if (limit >= 0 && read >= limit) {
            throw SourceException.unavailable("injected fault: connection reset after " + limit + " records", null);
        }
    }
}
