package io.usher.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.Connectors;
import io.usher.core.spi.ConnectorProvider;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code usher --help} and every {@code usher COMMAND --help} are complete: they are checked against the
 * command model itself (every subcommand, every option with a description) and against {@link ExitCode}'s
 * constants and the connectors on the class path, so a new command, option, exit code or connector that the
 * help does not describe fails here.
 */
class UsherCliHelpTest {
    @TempDir
    Path tmp;

    /** The command tree exactly as {@link UsherCli#run} builds it. */
    private static CommandLine model() {
        PrintWriter sink = new PrintWriter(new StringWriter());
        CommandLine cl = new CommandLine(new UsherCli(Map.of(), sink, sink));
        HelpText.complete(cl);
        return cl;
    }

    /** Every {@code public static final int} of {@link ExitCode}. */
    private static List<Integer> exitCodes() throws IllegalAccessException {
        List<Integer> codes = new ArrayList<>();
        for (Field f : ExitCode.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                codes.add(f.getInt(null));
            }
        }
        return codes;
    }

    private static String exitCodeLine(int code) {
        return String.format("  %-2d %s", code, "").stripTrailing();
    }

    @Test
    void helpListsEverySubcommandAndEveryExitCode() throws Exception {
        CliHarness.Result r = new CliHarness(tmp).run("--help");

        assertThat(r.code()).isZero();
        assertThat(model().getSubcommands().keySet()).contains("test-connection", "preview", "sync", "explain", "help");
        for (String sub : model().getSubcommands().keySet()) {
            assertThat(r.out()).as("usher --help names " + sub).containsPattern("(?m)^\\s+" + sub + "\\s+\\S");
        }
        assertThat(exitCodes()).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 70);
        String exitSection = r.out().substring(r.out().indexOf("Exit codes:"));
        for (int code : exitCodes()) {
            assertThat(exitSection).as("exit code " + code).containsPattern("(?m)^" + exitCodeLine(code) + " +\\w");
        }
    }

    @Test
    void everySubcommandsHelpDescribesEachOptionAndListsTheExitCodes() throws Exception {
        for (CommandLine sub : model().getSubcommands().values()) {
            if (sub.getCommandSpec().userObject() instanceof CommandLine.HelpCommand) {
                continue;
            }
            String name = sub.getCommandName();
            CliHarness.Result r = new CliHarness(tmp).run(name, "--help");
            assertThat(r.code()).as(name).isZero();
            assertThat(sub.getCommandSpec().usageMessage().description()).as(name + " has a description").isNotEmpty();
            for (OptionSpec o : sub.getCommandSpec().options()) {
                assertThat(String.join(" ", o.description()).trim()).as(name + " " + o.longestName() + " is described")
                        .isNotEmpty();
                assertThat(r.out()).as(name + " --help shows " + o.longestName()).contains(o.longestName());
            }
            assertThat(r.out()).as(name).contains("Exit codes:");
            String exitSection = r.out().substring(r.out().indexOf("Exit codes:"));
            for (int code : exitCodes()) {
                assertThat(exitSection).as(name + ": exit code " + code)
                        .containsPattern("(?m)^" + exitCodeLine(code) + " +\\w");
            }
        }
    }

    @Test
    void helpPrintsEnvironmentReferencesAsWrittenNeverTheirValues() {
        CliHarness cli = new CliHarness(tmp);
        cli.env.put("LDAP_PASSWORD", "Help-Must-Not-Print-This");
        cli.env.put("DB_PASSWORD", "Nor-This-One");

        CliHarness.Result r = cli.run("--help");

        assertThat(r.out()).contains("connector.bindPassword = ${env:LDAP_PASSWORD}",
                "store.password = ${env:DB_PASSWORD}", "(* = a secret: use ${env:NAME})")
                .doesNotContain("Help-Must-Not-Print-This", "Nor-This-One", "= null");
    }

    /**
     * The example in the help is a file an admin can copy: it loads and builds its source (no I/O). Regression:
     * it had "# comments" after values, which a properties file keeps as part of the value (source.id invalid).
     */
    @Test
    void theHelpsExampleConfigurationLoads() throws Exception {
        String help = new CliHarness(tmp).run("--help").out();
        String example = help.substring(help.indexOf("Configuration file (properties):"), help.indexOf("Comments go on"))
                .lines().skip(1).map(String::trim).collect(java.util.stream.Collectors.joining("\n"));
        java.nio.file.Path file = java.nio.file.Files.writeString(tmp.resolve("help.properties"), example);

        io.usher.core.Source source = Sources.build(CliConfig.load(file,
                Map.of("LDAP_PASSWORD", "x", "DB_PASSWORD", "y")));

        assertThat(source.id()).isEqualTo("corp");
        assertThat(source.connector().type()).isEqualTo("ldap");
        assertThat(CliConfig.load(file, Map.of("LDAP_PASSWORD", "x", "DB_PASSWORD", "y")).get("store.url"))
                .isEqualTo("jdbc:postgresql://db/app");
    }

    @Test
    void everyConnectorTypeOnTheClassPathIsUsableAndItsKeysAreInTheHelp() {
        Connectors connectors = Connectors.discover();
        assertThat(connectors.types()).contains("ldap", "azure", "google", "okta");

        CliHarness.Result r = new CliHarness(tmp).run("--help");

        String section = r.out().substring(r.out().indexOf("Connector types on the class path"));
        for (String type : connectors.types()) {
            ConnectorProvider p = connectors.provider(type);
            assertThat(section).as(type).containsPattern("(?m)^  " + type + " +\\S");
            if (p.keys().isEmpty()) {
                assertThat(section).containsPattern("(?m)^  " + type + " +\\(the connector does not declare its keys");
            }
            for (String key : p.keys()) {
                assertThat(section).as(type + " key " + key)
                        .containsPattern("[ ,]" + java.util.regex.Pattern.quote(key)
                                + (p.secretKeys().contains(key) ? "\\*" : "") + "[,\\s]");
            }
        }
    }
}
