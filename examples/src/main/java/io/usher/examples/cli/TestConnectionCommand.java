package io.usher.examples.cli;

import io.usher.core.Source;
import io.usher.core.UsherException;
import io.usher.core.spi.ConnectionTest;
import io.usher.core.spi.SnapshotSink;
import io.usher.core.spi.SourceGroup;
import io.usher.core.spi.SourceUser;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code usher test-connection}: validates the configuration, connects, binds and reads a little. */
@Command(name = "test-connection", mixinStandardHelpOptions = true,
        description = "Checks the configuration, then connects to the source, authenticates and reads a little. "
                + "Prints one line per step on stdout. Exit 0 when every step passed, 2 for a configuration "
                + "error, 3 when the source cannot be reached or refuses the credentials.")
final class TestConnectionCommand implements Callable<Integer> {
    @ParentCommand
    UsherCli cli;

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        return cli.guarded("test-connection", () -> {
            CliConfig cfg = CliConfig.load(config.file, cli.env);
            Source source = Sources.build(cfg);
            try {
                cli.out.println("configuration: ok (" + cfg.file() + ", source '" + source.id() + "', type "
                        + source.connector().type() + ")");
                if (source.connector() instanceof ConnectionTest) {
                    ConnectionTest.Result r = ((ConnectionTest) source.connector()).test();
                    for (String step : r.steps()) {
                        cli.out.println("  " + step);
                    }
                    cli.out.println(r.ok() ? "connection: ok" : "connection: FAILED");
                    return r.ok() ? ExitCode.OK : ExitCode.CONNECTION;
                }
                return probe(source);
            } finally {
                source.connector().close();
            }
        });
    }

    /** For connectors without a connection test: read the first few records, then stop. */
    private int probe(Source source) {
        int[] read = {0};
        try {
            source.connector().snapshot(new SnapshotSink() {
                @Override
                public void user(SourceUser user) {
                    count();
                }

                @Override
                public void group(SourceGroup group) {
                    count();
                }

                private void count() {
                    if (++read[0] >= 5) {
                        throw new UsherException(UsherException.Code.INTERRUPTED, "probe done");
                    }
                }
            });
        } catch (UsherException e) {
            if (e.code() != UsherException.Code.INTERRUPTED) {
                cli.out.println("  failed: " + e.code() + ": " + e.getMessage());
                cli.out.println("connection: FAILED");
                return ExitCode.CONNECTION;
            }
        }
        cli.out.println("  read " + read[0] + " records (the connector offers no connection test of its own)");
        cli.out.println("connection: ok");
        return ExitCode.OK;
    }
}
