package io.usher.examples.cli;

import io.usher.core.Progress;
import io.usher.core.SyncListener;
import java.io.PrintWriter;

/**
 * The progress line on stderr: one line per phase and one every {@value #EVERY} records, rewritten in place
 * (carriage return) when stderr is a terminal. Public so the demo ({@code io.usher.examples.demo}) shows the
 * same line. Thread-safe.
 */
public final class ProgressLine implements SyncListener {
    static final int EVERY = 5000;
    private final PrintWriter err;
    private final boolean terminal;
    private Progress.Phase phase;
    private long lastRead = -1;
    private boolean open;

    /** A progress line written to {@code err}, rewritten in place when {@code terminal}. */
    public ProgressLine(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public synchronized void onProgress(Progress p) {
        if (p.phase() == phase && p.read() - lastRead < EVERY && p.phase() != Progress.Phase.DONE) {
            return;
        }
        boolean newPhase = p.phase() != phase;
        phase = p.phase();
        lastRead = p.read();
        String line = "[" + p.sourceId() + "] " + p.phase().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + ": " + p.read() + (p.total() >= 0 ? " of " + p.total() : "") + " records read, " + p.applied()
                + " changes";
        if (terminal) {
            if (newPhase && open) {
                err.print('\n');
            }
            err.print("\r" + line + "   ");
            open = true;
            if (p.phase() == Progress.Phase.DONE) {
                err.print('\n');
                open = false;
            }
            err.flush();
        } else {
            err.println(line);
        }
    }
}
