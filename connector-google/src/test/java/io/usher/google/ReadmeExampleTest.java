package io.usher.google;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SyncReport;
import io.usher.core.store.InMemoryUserStore;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import org.junit.jupiter.api.Test;

/** The README's Google Workspace quick start, compiled and run against the fake Directory API. */
class ReadmeExampleTest {

    @Test
    void theQuickStartSyncsUsersAndTheSecondPassSkipsThemByEtag() {
        InMemoryDirectory dir = InMemoryDirectory.create(3);
        dir.addUser(DirectoryUser.of("jdoe"));
        dir.addUser(DirectoryUser.of("asmith"));
        try (Fixture f = Fixture.start(dir)) {
            String serviceAccountKeyJson = f.keyFile();
            InMemoryUserStore store = new InMemoryUserStore();

            // --- README ---
            GoogleSourceConnector google = new GoogleSourceConnector(GoogleConfig.builder()
                    .keyJson(serviceAccountKeyJson)
                    .adminEmail("admin@example.com")
                    .username(GoogleConfig.Username.LOCAL_PART)
                    .apiBaseUrl(f.server.apiUri())                      // the fake, not Google
                    .build());
            ProvisioningEngine engine = ProvisioningEngine.builder().store(store)
                    .source(Source.builder("google").connector(google).build()).build();
            engine.synchronize("google");
            // --- end ---

            assertThat(store.allUsers()).extracting(u -> u.username()).containsExactlyInAnyOrder("jdoe", "asmith");
            SyncReport again = engine.synchronize("google");
            assertThat(again.totalChanges()).isZero();
            assertThat(google.lastUnchangedUsers()).isEqualTo(2);
        }
    }
}
