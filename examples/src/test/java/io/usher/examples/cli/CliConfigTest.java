package io.usher.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ${env:NAME} resolution of configuration values: a table of good and bad inputs, and properties. */
class CliConfigTest {
    private static final Map<String, String> ENV = Map.of("PW", "s3cret", "EMPTY", "", "HOST", "dc1");

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "plain                         | plain",
            "${env:PW}                     | s3cret",
            "ldap://${env:HOST}:636        | ldap://dc1:636",
            "${env:HOST}${env:HOST}        | dc1dc1",
            "a$b                           | a$b",
            "cost: 5$                      | cost: 5$",
            "$${env:PW}                    | ${env:PW}",
            "x${env:EMPTY}y                | xy",
            "{env:PW}                      | {env:PW}",
    })
    void resolves(String value, String expected) {
        assertThat(CliConfig.resolve("k", value, ENV)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "${env:UNSET}               | environment variable UNSET, which is not set",
            "pre${env:PW                | without a closing '}' at position 3",
            "${PW}                      | not ${env:NAME}",
            "${file:/etc/passwd}        | not ${env:NAME}",
            "${env:}                    | not a valid variable name",
            "${env:1X}                  | not a valid variable name",
            "${env:A-B}                 | not a valid variable name",
    })
    void rejectsNamingTheKey(String value, String problem) {
        assertThatThrownBy(() -> CliConfig.resolve("connector.bindPassword", value, ENV))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("connector.bindPassword"))
                .hasMessageContaining(problem);
    }

    @Property
    void textWithoutReferencesIsUnchanged(@ForAll("noReferences") String value) {
        assertThat(CliConfig.resolve("k", value, ENV)).isEqualTo(value);
    }

    @Property
    void aReferenceIsReplacedByTheVariablesValueWhateverItHolds(@ForAll String before, @ForAll String secret) {
        String prefix = before.replace("$", "");
        assertThat(CliConfig.resolve("k", prefix + "${env:SECRET}", Map.of("SECRET", secret))).isEqualTo(prefix + secret);
    }

    @Property
    void errorsNeverEchoTheValue(@ForAll("secrets") String secret) {
        String value = secret + "${env:NOT_SET_ANYWHERE}";
        assertThatThrownBy(() -> CliConfig.resolve("store.password", value, ENV))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret));
    }

    @Provide
    Arbitrary<String> noReferences() {
        return Arbitraries.strings().ofMaxLength(40).filter(s -> !s.contains("${"));
    }

    @Provide
    Arbitrary<String> secrets() {
        return Arbitraries.strings().alpha().numeric().ofMinLength(8).ofMaxLength(30);
    }

    @Test
    void theFilesKeysSplitIntoTheSourcesAndTheClis(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("u.properties");
        Files.writeString(file, "source.id = corp\ntype = ldap\nconnector.bindPassword = ${env:PW}\n"
                + "store.url = jdbc:h2:mem:x\nstore.password = ${env:PW}\n");

        CliConfig c = CliConfig.load(file, ENV);

        assertThat(c.sourceId()).isEqualTo("corp");
        assertThat(c.sourceKeys()).containsOnlyKeys("type", "connector.bindPassword")
                .containsEntry("connector.bindPassword", "s3cret");
        assertThat(c.get("store.password")).isEqualTo("s3cret");
    }
}
