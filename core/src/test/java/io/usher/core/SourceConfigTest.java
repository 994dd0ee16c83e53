package io.usher.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.spi.ConnectorConfig;
import io.usher.core.spi.ConnectorProvider;
import io.usher.core.spi.SourceConnector;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SourceConfigTest {

    /** A provider whose connector needs "users" (a count) and a secret "token". */
    static final class TestProvider implements ConnectorProvider {
        @Override
        public String type() {
            return "test";
        }

        @Override
        public SourceConnector create(ConnectorConfig config) {
            config.rejectUnknown(Set.of("users", "token"));
            int n = config.intValue("users", 1, 0, 1000);
            config.require("token");
            ListConnector c = new ListConnector();
            for (int i = 0; i < n; i++) {
                c.user("u" + i, "user" + i);
            }
            return c;
        }
    }

    private final Connectors connectors = Connectors.empty().register(new TestProvider());

    @Test
    void aSourceFromPropertiesSyncs() {
        Map<String, String> p = new HashMap<>();
        p.put("type", "test");
        p.put("connector.users", "3");
        p.put("connector.token", "t0ken-secret");
        p.put("pipeline.username.case", "upper");
        p.put("deprovision", "delete");
        p.put("collision", "fail");
        p.put("guard.maxCount", "5");
        Source s = Source.fromConfig("corp", p, connectors);
        assertThat(s.deprovision()).isEqualTo(DeprovisionPolicy.DELETE);
        assertThat(s.collisions()).isEqualTo(CollisionPolicy.FAIL);
        assertThat(s.guard().maxCount()).isEqualTo(5);
        var store = new io.usher.core.store.InMemoryUserStore();
        SyncReport r = ProvisioningEngine.builder().store(store).source(s).build().synchronize("corp");
        assertThat(r.count(ChangeKind.USER_CREATED)).isEqualTo(3);
        assertThat(store.findUserByUsername("user0").orElseThrow().username()).isEqualTo("USER0");
    }

    @Test
    void configErrorsNameTheKey() {
        assertThatThrownBy(() -> Source.fromConfig("x", Map.of("type", "nosuch"), connectors))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'type'").hasMessageContaining("known types: test");
        assertThatThrownBy(() -> Source.fromConfig("x", Map.of("type", "test"), connectors))
                .hasMessageContaining("'token'").hasMessageContaining("required");
        assertThatThrownBy(() -> Source.fromConfig("x", Map.of("type", "test", "connector.token", "hunter2",
                "connector.tokne", "hunter2"), connectors))
                .hasMessageContaining("'tokne'").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> Source.fromConfig("x", Map.of("type", "push", "deprovison", "delete"), connectors))
                .hasMessageContaining("'deprovison'").hasMessageContaining("not a source key");
        assertThatThrownBy(() -> Source.fromConfig("x", Map.of("type", "push", "guard.maxShare", "2"), connectors))
                .hasMessageContaining("'guard.maxShare'").hasMessageContaining("between");
        assertThatThrownBy(() -> Source.fromConfig("x", Map.of("type", "push", "collision", "merge"), connectors))
                .hasMessageContaining("link, skip, fail");
    }

    @Test
    void discoveryFindsNothingUnregisteredAndSaysSo() {
        assertThatThrownBy(() -> Connectors.empty().create("ldap", Map.of()))
                .hasMessageContaining("(none on the class path)");
        assertThat(Connectors.discover().types()).doesNotContain("test");
    }
}
