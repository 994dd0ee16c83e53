package io.usher.examples.cli;

import io.usher.core.ConfigException;
import io.usher.core.UsherException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code usher} command: checks, previews, runs and explains the sync of a real directory, configured by
 * a properties file with the same keys a host uses ({@code Source.fromConfig}). Results go to stdout,
 * progress and errors to stderr; the exit code says what happened ({@link ExitCode}).
 *
 * <pre>
 * usher test-connection --config corp.properties
 * usher preview --config corp.properties --limit 50 --format json
 * usher sync --config corp.properties --state /var/lib/usher
 * usher explain --config corp.properties --user jdoe
 * </pre>
 *
 * <p>{@link #run} runs it in-process (tests); {@link #main} exits with its code.
 */
@Command(name = "usher", mixinStandardHelpOptions = true, version = "usher 0.1.0",
        description = "Keeps a host's users and groups in step with its identity provider: check a directory, "
                + "preview a sync, run it, and explain what becomes of one user.",
        subcommands = {TestConnectionCommand.class, PreviewCommand.class, SyncCommand.class, ExplainCommand.class,
                ExplainLoginCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nConfiguration file (properties):%n",
        footer = {
                "  # the source's id in the store (default: directory)",
                "  source.id = corp",
                "  # the connector type: ldap, azure (Entra ID), google or okta; its keys under connector. (below)",
                "  type = ldap",
                "  connector.url = ldaps://dc1.corp.example:636",
                "  connector.preset = activeDirectory",
                "  connector.bindDn = CN=usher,OU=Service,DC=corp,DC=example",
                "  # a secret from the environment, not the file",
                "  connector.bindPassword = $${env:LDAP_PASSWORD}",
                "  connector.usersBase = OU=People,DC=corp,DC=example",
                "  # and every other pipeline.* key",
                "  pipeline.username.case = lower",
                "  # deactivate | delete | leave",
                "  deprovision = deactivate",
                "  # refuse runs that remove more than 10%%",
                "  guard.maxShare = 0.1",
                "  # optional: sync into this database instead of --state",
                "  store.url = jdbc:postgresql://db/app",
                "  store.user = usher",
                "  store.password = $${env:DB_PASSWORD}",
                "Comments go on lines of their own (a # after a value is part of it). Any value may contain "
                        + "$${env:NAME} (see examples/README.md for escaping). Errors name the key, never the value.",
                ExitCode.HELP})
public final class UsherCli implements Callable<Integer> {
    final Map<String, String> env;
    final PrintWriter out;
    final PrintWriter err;

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Option(names = "--verbose", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "log at INFO on stderr (default: warnings and errors only)")
    boolean verbose;

    UsherCli(Map<String, String> env, PrintWriter out, PrintWriter err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
        }
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    /** Runs the command with these streams and environment; returns the exit code. */
    public static int run(String[] args, PrintStream stdout, PrintStream stderr, Map<String, String> env) {
        Objects.requireNonNull(args, "args");
        PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
        try {
            CommandLine cl = new CommandLine(new UsherCli(Map.copyOf(env), out, err));
            cl.setUsageHelpWidth(110);
            HelpText.complete(cl);
            cl.setOut(out);
            cl.setErr(err);
            cl.setExecutionExceptionHandler((e, line, parsed) -> {
                err.println("usher: internal error: " + e.getClass().getName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
                return ExitCode.INTERNAL;
            });
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** {@code usher} alone: the usage, on stderr, and exit code 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(err);
        return ExitCode.CONFIG;
    }

    /**
     * Runs a command body, turning Usher's exceptions into a message on stderr and an exit code: configuration
     * errors 2, connection and store errors 3, a held sync lock 5.
     */
    int guarded(String command, Callable<Integer> body) {
        try {
            return body.call();
        } catch (ConfigException e) {
            err.println("usher " + command + ": configuration error: " + e.getMessage());
            return ExitCode.CONFIG;
        } catch (UsherException e) {
            switch (e.code()) {
                case SOURCE_UNAVAILABLE:
                case SOURCE_AUTH:
                case STORE:
                    err.println("usher " + command + ": connection error: " + e.code() + ": " + e.getMessage());
                    return ExitCode.CONNECTION;
                case BUSY:
                    err.println("usher " + command + ": " + e.getMessage());
                    return ExitCode.BUSY;
                case CONFIG:
                    err.println("usher " + command + ": configuration error: " + e.getMessage());
                    return ExitCode.CONFIG;
                default:
                    err.println("usher " + command + ": " + e.code() + ": " + e.getMessage());
                    return ExitCode.PARTIAL;
            }
        } catch (RuntimeException e) {
            err.println("usher " + command + ": internal error: " + e.getClass().getName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return ExitCode.INTERNAL;
        } catch (Exception e) {
            err.println("usher " + command + ": " + e);
            return ExitCode.INTERNAL;
        }
    }
}
