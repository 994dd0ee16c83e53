package io.usher.examples.cli;

import io.usher.core.Connectors;
import io.usher.core.spi.ConnectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Completes the usage help at run time with what annotations cannot know: the connector types found on the
 * class path (each with its {@code connector.*} keys, secrets marked), and the exit codes at the foot of every
 * subcommand's help, so {@code usher --help} and {@code usher COMMAND --help} are complete whatever commands and
 * connectors the jar holds.
 */
final class HelpText {
    private static final int WIDTH = 106;

    private HelpText() {}

    static void complete(CommandLine root) {
        UsageMessageSpec usage = root.getCommandSpec().usageMessage();
        List<String> footer = escapedFooter(usage);
        int exitCodes = footer.indexOf(ExitCode.HELP);
        footer.addAll(exitCodes < 0 ? footer.size() : exitCodes, connectorKeys(Connectors.discover()));
        usage.footer(footer.toArray(new String[0]));
        for (CommandLine sub : root.getSubcommands().values()) {
            UsageMessageSpec u = sub.getCommandSpec().usageMessage();
            if (sub.getCommandSpec().userObject() instanceof CommandLine.HelpCommand
                    || java.util.Arrays.asList(u.footer()).contains(ExitCode.HELP)) {
                continue;
            }
            // a command's own footer (e.g. explain-login's example file) is kept, before the codes
            List<String> own = escapedFooter(u);
            own.add(ExitCode.HELP);
            u.footer(own.toArray(new String[0]));
        }
    }

    /**
     * The footer as it stands, to be set again: the getter answers interpolated text, so it is escaped once more,
     * or {@code ${env:NAME}} in an example would be resolved from the environment (printing, say, a password).
     */
    private static List<String> escapedFooter(UsageMessageSpec usage) {
        List<String> lines = new ArrayList<>();
        for (String line : usage.footer()) {
            lines.add(line.replace("${", "$${"));
        }
        return lines;
    }

    /** One paragraph per connector type: its {@code connector.*} keys, the secret ones marked. */
    static List<String> connectorKeys(Connectors connectors) {
        List<String> lines = new ArrayList<>();
        lines.add("%nConnector types on the class path and their connector.* keys (* = a secret: use $${env:NAME}):");
        for (String type : connectors.types()) {
            ConnectorProvider p = connectors.provider(type);
            List<String> keys = new ArrayList<>();
            for (String k : new TreeSet<>(p.keys())) {
                keys.add(p.secretKeys().contains(k) ? k + "*" : k);
            }
            String head = String.format(Locale.ROOT, "  %-8s", type);
            if (keys.isEmpty()) {
                lines.add(head + "(the connector does not declare its keys: see its README)");
                continue;
            }
            StringBuilder line = new StringBuilder(head);
            for (int i = 0; i < keys.size(); i++) {
                String word = keys.get(i) + (i < keys.size() - 1 ? "," : "");
                if (line.length() > head.length() && line.length() + 1 + word.length() > WIDTH) {
                    lines.add(line.toString());
                    line = new StringBuilder(" ".repeat(head.length()));
                }
                line.append(line.length() > head.length() ? " " : "").append(word);
            }
            lines.add(line.toString());
        }
        lines.add("Every key, its default and meaning: README.md (CLI reference) and each connector's README.");
        return lines;
    }
}
