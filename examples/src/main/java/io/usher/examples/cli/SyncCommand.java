package io.usher.examples.cli;

import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SyncOptions;
import io.usher.core.SyncReport;
import io.usher.core.store.JdbcSyncLock;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code usher sync}: runs the sync into the state database, incrementally when a cursor is stored. */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Runs the sync into the state database: the --state directory (an H2 database, created on "
                + "first use) or the database named by store.url. The first run reads a snapshot; later runs "
                + "read only the changes when the connector can. Runs of one source never overlap (a lock "
                + "with a lease in the same database). Exit 0, 1 when the mass-deletion guard refused the "
                + "removals (inspect them with preview, then --override-guard), 2 for a configuration error, "
                + "3 when the source or database cannot be reached or the read was incomplete, 4 when some "
                + "records failed, 5 when another run holds the lock.")
final class SyncCommand implements Callable<Integer> {
    @ParentCommand
    UsherCli cli;

    @Mixin
    ConfigOption config;

    @Option(names = "--state", paramLabel = "DIR", defaultValue = State.DEFAULT_DIR,
            description = "where users, groups and cursors are kept (default usher-state); ignored with store.url")
    Path stateDir;

    @Option(names = "--full", description = "read a full snapshot even when a cursor is stored")
    boolean full;

    @Option(names = "--override-guard",
            description = "apply removals even above the guard's limits (after inspecting them with preview)")
    boolean overrideGuard;

    @Override
    public Integer call() {
        return cli.guarded("sync", () -> {
            CliConfig cfg = CliConfig.load(config.file, cli.env);
            Source source = Sources.build(cfg);
            try (State state = State.open(cfg, stateDir);
                 ProvisioningEngine engine = ProvisioningEngine.builder()
                         .store(state.store)
                         .stateStore(state.lock.fenced(state.cursors))
                         .listener(state.lock.renewer())
                         .listener(new ProgressLine(cli.err, System.console() != null))
                         .source(source).build()) {
                cli.err.println("syncing source '" + source.id() + "' into " + state.where
                        + (state.cursors.cursor(source.id()).isPresent() && !full ? " (incremental: a cursor is stored)"
                        : " (full snapshot)"));
                SyncOptions options = full ? SyncOptions.fullSnapshot() : SyncOptions.DEFAULT;
                if (overrideGuard) {
                    options = options.withOverrideGuard();
                }
                Optional<SyncReport> ran = state.lock.synchronize(engine, source.id(), options);
                if (ran.isEmpty()) {
                    Optional<JdbcSyncLock.Holder> h = state.lock.holder(source.id());
                    cli.err.println("usher sync: another run holds the sync lock of source '" + source.id() + "'"
                            + h.map(x -> " (" + x.nodeId() + ", until " + x.expiresAt() + ")").orElse("")
                            + "; nothing done");
                    return ExitCode.BUSY;
                }
                SyncReport r = ran.get();
                cli.out.println(r.summary());
                Changes.printProblems(cli.out, r);
                if (!r.complete()) {
                    return ExitCode.CONNECTION;
                }
                if (r.guardTripped()) {
                    cli.out.println("removals were NOT applied; inspect them with 'usher preview', then rerun with "
                            + "--override-guard to confirm");
                    return ExitCode.GUARD;
                }
                return r.failureCount() > 0 ? ExitCode.PARTIAL : ExitCode.OK;
            }
        });
    }
}
