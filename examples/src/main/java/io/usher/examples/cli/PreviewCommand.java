package io.usher.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.usher.core.Change;
import io.usher.core.ChangeSet;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SyncReport;
import io.usher.core.store.InMemoryUserStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code usher preview}: a dry run of the sync, with counts and the first planned changes and why. */
@Command(name = "preview", mixinStandardHelpOptions = true,
        description = "A dry run: reads the whole source and lists what a sync would create, update, rename, "
                + "deactivate and delete, and why, against the state a previous sync left (or an empty store "
                + "when there is none). Nothing is written. Exit 0, 1 when the mass-deletion guard would "
                + "refuse the removals, 2 for a configuration error, 3 when the source cannot be read "
                + "completely.")
final class PreviewCommand implements Callable<Integer> {
    enum Format { table, json }

    @ParentCommand
    UsherCli cli;

    @Mixin
    ConfigOption config;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "list at most N changes (counts are always complete; default 20)")
    int limit;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table or json (default table)")
    Format format;

    @Option(names = "--state", paramLabel = "DIR", defaultValue = State.DEFAULT_DIR,
            description = "the state directory a sync keeps (default usher-state); ignored with store.url")
    Path stateDir;

    @Override
    public Integer call() {
        return cli.guarded("preview", () -> {
            if (limit < 0) {
                throw new io.usher.core.ConfigException("--limit", "must be zero or more");
            }
            CliConfig cfg = CliConfig.load(config.file, cli.env);
            Source source = Sources.build(cfg);
            boolean hasState = State.exists(cfg, stateDir);
            State state = hasState ? State.open(cfg, stateDir) : null;
            try (ProvisioningEngine engine = ProvisioningEngine.builder()
                    .store(state != null ? state.store : new InMemoryUserStore())
                    .listener(new ProgressLine(cli.err, System.console() != null))
                    .source(source).build()) {
                cli.err.println(hasState ? "comparing with the state in " + state.where
                        : "no state yet (" + stateDir + " does not exist): planning a first sync into an empty store");
                ChangeSet plan = engine.plan(source.id(), limit);
                if (format == Format.json) {
                    printJson(plan);
                } else {
                    printTable(plan);
                }
                SyncReport r = plan.report();
                if (!r.complete()) {
                    return ExitCode.CONNECTION;
                }
                return r.guardTripped() ? ExitCode.GUARD : ExitCode.OK;
            } finally {
                if (state != null) {
                    state.close();
                }
            }
        });
    }

    private void printTable(ChangeSet plan) {
        SyncReport r = plan.report();
        cli.out.println(r.summary());
        if (!r.complete()) {
            cli.out.println("the source could not be read completely: the plan below is partial, and a sync now "
                    + "would delete and deactivate nothing");
        } else if (r.guardTripped()) {
            cli.out.println("guard: WOULD REFUSE the removals: " + r.guardReason());
        } else {
            cli.out.println("guard: would pass");
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"KIND", "NAME", "DETAIL", "WHY"});
        for (Change c : plan.changes()) {
            rows.add(Changes.row(c));
        }
        if (plan.changes().isEmpty()) {
            cli.out.println(r.totalChanges() > 0 ? "(--limit 0: no rows listed)"
                    : r.complete() ? "no changes" : "no changes found in what was read");
        } else {
            cli.out.println();
            Changes.printTable(cli.out, rows);
        }
        long listed = plan.changes().size();
        if (listed < r.totalChanges()) {
            cli.out.println("(" + listed + " of " + r.totalChanges() + " changes listed; --limit N lists more)");
        }
        if (!r.withheld().isEmpty()) {
            cli.out.println();
            cli.out.println("withheld by the guard (" + r.withheld().size() + " listed):");
            List<String[]> held = new ArrayList<>();
            held.add(new String[] {"KIND", "NAME", "DETAIL", "WHY"});
            r.withheld().stream().limit(Math.max(limit, 1)).forEach(c -> held.add(Changes.row(c)));
            Changes.printTable(cli.out, held);
        }
        Changes.printProblems(cli.out, r);
    }

    private void printJson(ChangeSet plan) throws Exception {
        SyncReport r = plan.report();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("source", r.sourceId());
        json.put("mode", r.mode().name());
        json.put("complete", r.complete());
        json.put("incompleteReason", r.incompleteReason());
        json.put("recordsRead", r.recordsRead());
        json.put("unchanged", r.unchanged());
        json.put("excluded", r.excluded());
        Map<String, Long> counts = new LinkedHashMap<>();
        r.counts().forEach((k, v) -> counts.put(k.name(), v));
        json.put("counts", counts);
        json.put("totalChanges", r.totalChanges());
        Map<String, Object> guard = new LinkedHashMap<>();
        guard.put("wouldRefuse", r.guardTripped());
        guard.put("reason", r.guardReason());
        json.put("guard", guard);
        List<Map<String, Object>> changes = new ArrayList<>();
        plan.changes().forEach(c -> changes.add(Changes.json(c)));
        json.put("changes", changes);
        json.put("listed", plan.changes().size());
        json.put("truncated", plan.changes().size() < r.totalChanges());
        List<Map<String, Object>> withheld = new ArrayList<>();
        r.withheld().forEach(c -> withheld.add(Changes.json(c)));
        json.put("withheld", withheld);
        List<Map<String, Object>> failures = new ArrayList<>();
        r.failures().forEach(f -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("subject", f.subject());
            m.put("code", f.code().name());
            m.put("message", f.message());
            failures.add(m);
        });
        json.put("failures", failures);
        json.put("failureCount", r.failureCount());
        json.put("warnings", r.warnings());
        json.put("warningCount", r.warningCount());
        cli.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
    }
}
