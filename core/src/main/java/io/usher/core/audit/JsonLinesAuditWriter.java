package io.usher.core.audit;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the audit trail as JSON lines ({@link AuditEvent#toJson()}, one event per line, UTF-8) to
 * {@code DIR/NAME.jsonl}, rotating it by size and by day.
 *
 * <ul>
 *   <li><b>Rotation.</b> Before an event that would take the current file past {@code maxBytes}, and before
 *       the first event of a new day (the clock's zone), the current file is renamed to
 *       {@code NAME-YYYY-MM-DD-NNNNNN.jsonl} (the day its first line was written, and a sequence number that
 *       keeps growing across restarts) and a new one begins. An event is never split across files; one that
 *       alone exceeds {@code maxBytes} gets a file of its own.</li>
 *   <li><b>Retention.</b> The newest {@code keep} rotated files are kept; older ones are deleted.</li>
 *   <li><b>Flush policy.</b> Each event is written with one unbuffered write to the file channel before
 *       {@link #onEvent} returns, so it survives a crash of the JVM. With {@code fsync(true)} the channel is
 *       also forced to the disk after each event, so it survives a crash of the machine (slower).</li>
 * </ul>
 *
 * <p>A write that fails throws {@link UncheckedIOException} (naming the file, never the event's content);
 * the engine logs it at ERROR and the change stands. The next event tries again (reopening the file); a line
 * left cut short by a crash or a full disk is ended first, so every later event is a whole line of its own.
 *
 * <pre>{@code
 * JsonLinesAuditWriter audit = JsonLinesAuditWriter.builder(Path.of("/var/log/myapp/usher"))
 *         .maxBytes(64L << 20).keep(30).build();
 * ProvisioningEngine engine = ProvisioningEngine.builder().store(store).source(corp).audit(audit).build();
 * // ... at shutdown: audit.close();
 * }</pre>
 *
 * <p>Thread-safe: events from concurrent syncs and requests are written whole, one after another. One writer
 * per directory and name (two writers, or two processes, on the same file would interleave rotations).
 */
public final class JsonLinesAuditWriter implements AuditListener, Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesAuditWriter.class);
    private static final byte[] NEWLINE = {'\n'};

    private final Path directory;
    private final String name;
    private final Path current;
    private final Pattern rotatedName;
    private final long maxBytes;
    private final boolean daily;
    private final int keep;
    private final boolean fsync;
    private final Clock clock;

    // guarded by this
    private FileChannel channel;
    private long size;
    private LocalDate day;
    private long seq;
    private boolean closed;

    private JsonLinesAuditWriter(Builder b) {
        this.directory = b.directory;
        this.name = b.name;
        this.current = directory.resolve(name + ".jsonl");
        this.rotatedName = Pattern.compile(Pattern.quote(name) + "-(\\d{4}-\\d{2}-\\d{2})-(\\d{6,})\\.jsonl");
        this.maxBytes = b.maxBytes;
        this.daily = b.daily;
        this.keep = b.keep;
        this.fsync = b.fsync;
        this.clock = b.clock;
    }

    /** A builder writing into {@code directory} (created if missing). */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** The file events go to now. */
    public Path currentFile() {
        return current;
    }

    /** The rotated files still kept, oldest first. */
    public synchronized List<Path> rotatedFiles() {
        try {
            return rotated();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the audit directory " + directory, e);
        }
    }

    @Override
    public void onEvent(AuditEvent event) {
        byte[] line = event.toJson().getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the audit writer for " + current + " is closed");
            }
            try {
                open();
                LocalDate today = LocalDate.now(clock);
                if (size > 0 && (size + line.length + 1 > maxBytes || daily && !today.equals(day))) {
                    rotate();
                    open();
                }
                if (size == 0) {
                    day = today;
                }
                ByteBuffer buf = ByteBuffer.allocate(line.length + 1).put(line).put(NEWLINE).flip();
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
                size += line.length + 1;
                if (fsync) {
                    channel.force(false);
                }
            } catch (IOException e) {
                closeQuietly();
                throw new UncheckedIOException("cannot write the audit file " + current + ": " + e.getClass()
                        .getSimpleName(), e);
            }
        }
    }

    /** Closes the current file; later events are refused. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        closeQuietly();
    }

    private void open() throws IOException {
        if (channel != null) {
            return;
        }
        Files.createDirectories(directory);
        boolean existed = Files.exists(current);
        boolean cutShort = existed && endsCutShort();
        channel = FileChannel.open(current, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        size = channel.size();
        if (existed && size > 0) {
            // a file from an earlier run: its day is the day it was last written
            day = LocalDate.ofInstant(Files.getLastModifiedTime(current).toInstant(), clock.getZone());
            if (cutShort) {
                // a line cut short (a crash or a full disk mid-write): end it, so the next event is a line of its own
                ByteBuffer nl = ByteBuffer.wrap(NEWLINE);
                while (nl.hasRemaining()) {
                    channel.write(nl);
                }
                size++;
            }
        }
        if (seq == 0) {
            for (Path p : rotated()) {
                seq = Math.max(seq, seqOf(p));
            }
        }
    }

    /** Whether the current file's last byte is not a line end (a line cut short). */
    private boolean endsCutShort() throws IOException {
        try (FileChannel read = FileChannel.open(current, StandardOpenOption.READ)) {
            long n = read.size();
            if (n == 0) {
                return false;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            return read.read(last, n - 1) == 1 && last.get(0) != '\n';
        }
    }

    private void rotate() throws IOException {
        channel.close();
        channel = null;
        seq++;
        Path target = directory.resolve(String.format("%s-%s-%06d.jsonl", name, day, seq));
        try {
            Files.move(current, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(current, target);
        }
        size = 0;
        List<Path> old = rotated();
        for (int i = 0; i < old.size() - keep; i++) {
            try {
                Files.deleteIfExists(old.get(i));
            } catch (IOException e) {
                LOG.warn("cannot delete the old audit file {}: {}", old.get(i), e.toString());
            }
        }
    }

    private List<Path> rotated() throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory, name + "-*.jsonl")) {
            for (Path p : ds) {
                if (rotatedName.matcher(p.getFileName().toString()).matches()) {
                    out.add(p);
                }
            }
        }
        out.sort(Comparator.comparingLong(this::seqOf));
        return out;
    }

    private long seqOf(Path p) {
        Matcher m = rotatedName.matcher(p.getFileName().toString());
        if (!m.matches()) {
            return 0;
        }
        try {
            return Long.parseLong(m.group(2));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void closeQuietly() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("closing the audit file {} failed: {}", current, e.toString());
            }
            channel = null;
        }
    }

    @Override
    public String toString() {
        return "JsonLinesAuditWriter[" + current + ", maxBytes=" + maxBytes + ", daily=" + daily + ", keep=" + keep
                + ", fsync=" + fsync + "]";
    }

    /** Builds a {@link JsonLinesAuditWriter}; each setting is checked when given. Not thread-safe. */
    public static final class Builder {
        private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._]{1,64}");
        private final Path directory;
        private String name = "usher-audit";
        private long maxBytes = 64L << 20;
        private boolean daily = true;
        private int keep = 30;
        private boolean fsync;
        private Clock clock = Clock.systemUTC();

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /** The file name without {@code .jsonl} (default {@code usher-audit}): letters, digits, '.', '_'. */
        public Builder name(String value) {
            if (value == null || !NAME.matcher(value).matches()) {
                throw new IllegalArgumentException("name must be 1 to 64 letters, digits, '.' or '_'");
            }
            name = value;
            return this;
        }

        /** Rotate before a file would pass this size (default 64 MiB; at least 1 KiB). */
        public Builder maxBytes(long value) {
            if (value < 1024) {
                throw new IllegalArgumentException("maxBytes must be at least 1024");
            }
            maxBytes = value;
            return this;
        }

        /** Whether a new day starts a new file (default true). */
        public Builder rotateDaily(boolean value) {
            daily = value;
            return this;
        }

        /** How many rotated files to keep (default 30; 0 keeps only the current file). */
        public Builder keep(int value) {
            if (value < 0 || value > 100_000) {
                throw new IllegalArgumentException("keep must be between 0 and 100000");
            }
            keep = value;
            return this;
        }

        /** Whether to force each event to the disk (default false: written to the OS, not forced). */
        public Builder fsync(boolean value) {
            fsync = value;
            return this;
        }

        /** The clock whose date (in its zone) decides daily rotation (default UTC). */
        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public JsonLinesAuditWriter build() {
            return new JsonLinesAuditWriter(this);
        }
    }
}
