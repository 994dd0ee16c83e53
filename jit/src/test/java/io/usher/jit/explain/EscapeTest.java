package io.usher.jit.explain;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Login text made safe for a report: a table of inputs, and a property over any string. */
class EscapeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "jdoe|jdoe",
            "a\\b|a\\\\b",
            "Jöhn Dœ|Jöhn Dœ"})
    void plainTextStaysAndBackslashesDouble(String in, String out) {
        assertThat(Escape.text(in)).isEqualTo(out);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0a|\\u000a", "0d|\\u000d", "1b|\\u001b", "7f|\\u007f", "85|\\u0085", "2028|\\u2028", "2029|\\u2029",
            "202e|\\u202e", "200b|\\u200b", "feff|\\ufeff"})
    void controlSeparatorAndFormattingCharactersAreEscaped(String hex, String escaped) {
        String c = String.valueOf((char) Integer.parseInt(hex, 16));
        assertThat(Escape.text("a" + c + "b")).isEqualTo("a" + escaped + "b");
    }

    @ParameterizedTest
    @CsvSource({"200,false", "201,true", "5000,true"})
    void longValuesAreCapped(int length, boolean capped) {
        String out = Escape.text("x".repeat(length));
        assertThat(out.contains("more characters")).isEqualTo(capped);
        assertThat(out.length()).isLessThanOrEqualTo(Escape.MAX + 40);
        assertThat(Escape.json("x".repeat(length)).contains("more characters")).isEqualTo(capped);
    }

    @Property(tries = 500)
    void theResultIsOneLineOfVisibleTextAndShort(@ForAll String value) {
        String out = Escape.text(value);
        assertThat(out.lines().count()).isLessThanOrEqualTo(1);
        assertThat(out.chars().noneMatch(ch -> Escape.unsafe((char) ch))).isTrue();
        assertThat(out.length()).isLessThanOrEqualTo(Escape.MAX * 6 + 40);
    }
}
