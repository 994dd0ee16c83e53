package io.usher.examples.cli;

import io.usher.core.Source;
import io.usher.core.UsherException;
import io.usher.core.pipeline.Preview;
import io.usher.core.spi.SnapshotSink;
import io.usher.core.spi.SourceException;
import io.usher.core.spi.SourceGroup;
import io.usher.core.spi.SourceUser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code usher explain}: how one source record passes the filters and transformations. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Finds one user in the source and shows how it passes the filters and transformations: the "
                + "record as read, each step in order, and the user it becomes (or why it is left out). NAME "
                + "matches, in this order, the resulting username, the login name, the immutable id or an "
                + "email, ignoring case. Exit 0 when found, 4 when no user matches, 2 for a configuration "
                + "error, 3 when the source cannot be read.")
final class ExplainCommand implements Callable<Integer> {
    @ParentCommand
    UsherCli cli;

    @Mixin
    ConfigOption config;

    @Option(names = {"-u", "--user"}, required = true, paramLabel = "NAME", description = "the user to explain")
    String name;

    @Override
    public Integer call() {
        return cli.guarded("explain", () -> {
            CliConfig cfg = CliConfig.load(config.file, cli.env);
            Source source = Sources.build(cfg);
            try {
                Finder finder = new Finder(source, name);
                try {
                    source.connector().snapshot(finder);
                } catch (UsherException e) {
                    if (e.code() != UsherException.Code.INTERRUPTED || !finder.done) {
                        throw e instanceof SourceException ? e
                                : new UsherException(e.code(), e.getMessage());
                    }
                }
                SourceUser found = finder.best();
                if (found == null) {
                    cli.out.println("no user matching '" + name + "' among the " + finder.users
                            + " users of source '" + source.id() + "'");
                    return ExitCode.PARTIAL;
                }
                print(source, found, finder.matchedBy());
                return ExitCode.OK;
            } finally {
                source.connector().close();
            }
        });
    }

    private void print(Source source, SourceUser u, String matchedBy) {
        cli.out.println("user '" + name + "' in source '" + source.id() + "' (matched by " + matchedBy + ")");
        cli.out.println();
        cli.out.println("record as read:");
        line("externalId", u.externalId());
        line("loginName", u.loginName());
        line("displayName", u.displayName());
        line("givenName", u.givenName());
        line("familyName", u.familyName());
        line("emails", String.join(", ", u.emails()));
        line("active", Boolean.toString(u.active()));
        line("kind", u.kind().name().toLowerCase(Locale.ROOT));
        line("groups (direct)", String.join(", ", u.groups()));
        Map<String, List<String>> attrs = new TreeMap<>(u.attributes());
        attrs.forEach((k, v) -> line("attribute " + k, String.join(", ", v)));
        cli.out.println();
        Preview p = source.pipeline().preview(u);
        cli.out.println("pipeline:");
        for (String step : p.steps()) {
            cli.out.println("  - " + step);
        }
        cli.out.println();
        if (p.included()) {
            cli.out.println("result: included as '" + p.username() + "'");
            line("displayName", p.user().displayName());
            line("givenName", p.user().givenName());
            line("familyName", p.user().familyName());
            line("emails", String.join(", ", p.user().emails()));
            line("active", Boolean.toString(p.user().active()));
            line("credentials", p.user().isSsoOnly() ? "sso-only (the host should refuse local password login and reset)"
                    : "host (the host decides how the user signs in)");
            line("attributes kept", String.join(", ", new TreeMap<>(p.user().attributes()).keySet()));
        } else {
            cli.out.println("result: NOT synced: " + p.reason());
        }
    }

    private void line(String label, String value) {
        if (value != null && !value.isEmpty()) {
            cli.out.println(String.format(Locale.ROOT, "  %-18s %s", label + ":", value));
        }
    }

    /** Streams the snapshot's users, keeping the best match so far; stops at a match on the username. */
    private static final class Finder implements SnapshotSink {
        private static final String[] HOW = {"resulting username", "login name", "immutable id", "email"};
        private final Source source;
        private final String wanted;
        private final SourceUser[] matches = new SourceUser[HOW.length];
        long users;
        boolean done;

        Finder(Source source, String wanted) {
            this.source = source;
            this.wanted = wanted.toLowerCase(Locale.ROOT);
        }

        @Override
        public void user(SourceUser user) {
            users++;
            Preview p = source.pipeline().preview(user);
            List<Boolean> hits = new ArrayList<>();
            hits.add(p.username() != null && p.username().toLowerCase(Locale.ROOT).equals(wanted));
            hits.add(user.loginName() != null && user.loginName().toLowerCase(Locale.ROOT).equals(wanted));
            hits.add(user.externalId().toLowerCase(Locale.ROOT).equals(wanted));
            hits.add(user.emails().stream().anyMatch(e -> e.toLowerCase(Locale.ROOT).equals(wanted)));
            for (int i = 0; i < hits.size(); i++) {
                if (hits.get(i) && matches[i] == null) {
                    matches[i] = user;
                }
            }
            if (matches[0] != null) {
                done = true;
                throw new UsherException(UsherException.Code.INTERRUPTED, "found");
            }
        }

        @Override
        public void group(SourceGroup group) {
            // users come first; once groups arrive every user has been seen
            done = true;
            throw new UsherException(UsherException.Code.INTERRUPTED, "users read");
        }

        SourceUser best() {
            for (SourceUser u : matches) {
                if (u != null) {
                    return u;
                }
            }
            return null;
        }

        String matchedBy() {
            for (int i = 0; i < matches.length; i++) {
                if (matches[i] != null) {
                    return HOW[i];
                }
            }
            return "nothing";
        }
    }
}
