package io.usher.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.ConfigException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectorConfigTest {
    private static final String SECRET = "s3cr3t-Value-42";

    @Test
    void typedGettersParse() {
        ConnectorConfig c = ConnectorConfig.of(Map.of("n", " 12 ", "b", "yes", "d", "500ms", "d2", "PT2M",
                "l", "a, b,,c", "x", "0.25"));
        assertThat(c.intValue("n", 0, 1, 100)).isEqualTo(12);
        assertThat(c.bool("b", false)).isTrue();
        assertThat(c.duration("d", null)).isEqualTo(Duration.ofMillis(500));
        assertThat(c.duration("d2", null)).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.list("l")).containsExactly("a", "b", "c");
        assertThat(c.doubleValue("x", 0, 0, 1)).isEqualTo(0.25);
        assertThat(c.intValue("missing", 7, 1, 100)).isEqualTo(7);
        assertThat(c.subset("l").keys()).containsExactly("");
    }

    @Test
    void errorsNameTheKeyAndNeverEchoTheValue() {
        ConnectorConfig c = ConnectorConfig.of(Map.of("password", SECRET, "pageSize", SECRET, "timeout", SECRET,
                "tls", SECRET));
        for (Runnable r : new Runnable[] {
            () -> c.intValue("pageSize", 1, 1, 10),
            () -> c.duration("timeout", Duration.ZERO),
            () -> c.bool("tls", true),
            () -> c.doubleValue("password", 1, 0, 1),
            () -> c.require("bindDn"),
            () -> c.rejectUnknown(Set.of("pageSize")),
        }) {
            assertThatThrownBy(r::run).isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET).contains("configuration key '"));
        }
        assertThatThrownBy(() -> c.intValue("pageSize", 1, 1, 10)).extracting(e -> ((ConfigException) e).key())
                .isEqualTo("pageSize");
        assertThat(c.toString()).doesNotContain(SECRET).contains("password");
    }

    @Test
    void rangesAreChecked() {
        ConnectorConfig c = ConnectorConfig.of(Map.of("n", "0"));
        assertThatThrownBy(() -> c.intValue("n", 1, 1, 10)).hasMessageContaining("between 1 and 10");
    }
}
