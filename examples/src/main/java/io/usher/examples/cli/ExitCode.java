package io.usher.examples.cli;

/** The {@code usher} command's exit codes (also printed by {@code usher --help}). */
public final class ExitCode {
    /** Done; nothing refused, nothing failed. */
    public static final int OK = 0;
    /** The mass-deletion guard refused the removals (sync), or would refuse them (preview). */
    public static final int GUARD = 1;
    /** The configuration file or the command line is wrong; the message names the key. */
    public static final int CONFIG = 2;
    /** The source or the state database could not be reached, refused the credentials, or a read did not complete. */
    public static final int CONNECTION = 3;
    /** Finished, but some records failed (they are listed), explain found no such user, or explain-login would refuse the login. */
    public static final int PARTIAL = 4;
    /** Another node holds this source's sync lock: it is syncing, so nothing was done. */
    public static final int BUSY = 5;
    /** An unexpected error (a bug): the message says where. */
    public static final int INTERNAL = 70;

    private ExitCode() {}

    static final String HELP = "%nExit codes:%n"
            + "  0  ok%n"
            + "  1  changes refused by the mass-deletion guard (sync), or would be (preview)%n"
            + "  2  configuration or usage error (the message names the key, never its value)%n"
            + "  3  connection error: source or state database unreachable, credentials refused, read incomplete%n"
            + "  4  finished, but some records failed (listed), explain found no such user, or explain-login would%n"
            + "     refuse the login%n"
            + "  5  another node holds this source's sync lock; nothing was done%n"
            + "  70 internal error%n";
}
