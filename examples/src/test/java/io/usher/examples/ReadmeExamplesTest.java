package io.usher.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.ChangeKind;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SyncReport;
import io.usher.core.store.JdbcSyncLock;
import io.usher.core.store.JdbcSyncStateStore;
import io.usher.examples.jdbc.Database;
import io.usher.examples.jdbc.JdbcUserStore;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.InMemorySourceConnector;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The README's and examples/README's clustered-host snippets, as written there, run on H2. */
class ReadmeExamplesTest {

    @Test
    void clusteredHostSnippetRuns() {
        InMemoryDirectory dir = DirectoryGenerator.builder().seed(3).users(30).groups(6).build().generate();
        String nodeName = "app-node-1";
        try (Database db = Database.pooled("jdbc:h2:mem:readme-cluster", "sa", "", 10)) {
            Source corp = Source.builder("corp").connector(InMemorySourceConnector.of(dir)).build();
            // --- as in the READMEs
            JdbcUserStore store = JdbcUserStore.create(db).createSchema();
            JdbcSyncStateStore cursors = JdbcSyncStateStore.create(db).createSchema();
            JdbcSyncLock lock = JdbcSyncLock.builder(db).nodeId(nodeName).lease(Duration.ofMinutes(5))
                    .build().createSchema();
            ProvisioningEngine engine = ProvisioningEngine.builder()
                    .store(store)
                    .stateStore(lock.fenced(cursors))
                    .listener(lock.renewer())
                    .source(corp).build();
            Optional<SyncReport> report = lock.synchronize(engine, "corp");
            // ---
            assertThat(report).hasValueSatisfying(r -> assertThat(r.count(ChangeKind.USER_CREATED)).isEqualTo(30));
            assertThat(cursors.cursor("corp")).isPresent();
        }
    }
}
