package io.usher.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.usher.core.audit.AuditContext;
import io.usher.core.audit.AuditFields;
import io.usher.core.audit.AuditOutcome;
import io.usher.core.audit.JsonLinesAuditWriter;
import io.usher.core.audit.Slf4jAuditWriter;
import io.usher.core.spi.SourceUser;
import io.usher.core.store.InMemoryUserStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit examples of README.md and core/README.md, kept compiling and true. */
class AuditReadmeExampleTest {
    @TempDir
    Path logDir;

    @Test
    void rootReadmeExample() throws Exception {
        InMemoryUserStore store = new InMemoryUserStore();
        Source corp = Source.builder("corp").connector(ListConnector.everyone(2)).build();
        Source scim = Source.builder("scim").build();
        // --- README.md "Audit trail"
        JsonLinesAuditWriter auditFile = JsonLinesAuditWriter.builder(logDir)
                .maxBytes(64L << 20)
                .keep(30)
                .fsync(false)
                .build();
        ProvisioningEngine engine = ProvisioningEngine.builder().store(store).source(corp).source(scim)
                .audit(auditFile)
                .audit(Slf4jAuditWriter.create())
                .auditFields(AuditFields.allow("user.username", "user.active", "group.name"))
                .build();
        // ---
        SyncReport r = engine.synchronize("corp");
        engine.push("scim", AuditContext.scim("entra-2026-11", "8d1e")).upsertUser(
                SourceUser.builder("2819c223").loginName("jdoe").displayName("J Doe").build());
        auditFile.close();
        List<String> lines = Files.readAllLines(auditFile.currentFile(), StandardCharsets.UTF_8);
        assertThat(lines).hasSize((int) r.totalChanges() + 1);
        JsonNode last = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertThat(last.get("route").asText()).isEqualTo("SCIM");
        assertThat(last.at("/context/tokenId").asText()).isEqualTo("entra-2026-11");
        assertThat(last.at("/values/username").asText()).isEqualTo("jdoe");
        assertThat(last.at("/values").has("displayName")).as("not on this allow-list").isFalse();
    }

    @Test
    void coreReadmeExample() {
        InMemoryUserStore store = new InMemoryUserStore();
        Source corp = Source.builder("corp").connector(ListConnector.everyone(2)).build();
        Map<String, LongAdder> counts = new ConcurrentHashMap<>();
        Metrics metrics = (kind, outcome) -> counts.computeIfAbsent(kind + "/" + outcome, k -> new LongAdder())
                .increment();
        SourceUser record = SourceUser.builder("e1").loginName("ann").build();
        // --- core/README.md "Plugging in an audit writer"
        JsonLinesAuditWriter audit = JsonLinesAuditWriter.builder(logDir)
                .maxBytes(64L << 20).keep(30).build();
        ProvisioningEngine engine = ProvisioningEngine.builder().store(store).source(corp)
                .source(Source.builder("api").build())
                .audit(audit)
                .audit(event -> metrics.count(event.kind(), event.outcome()))
                .auditFields(AuditFields.defaults())
                .build();
        engine.synchronize("corp");
        engine.push("api", AuditContext.api("hr-import")).upsertUser(record);
        audit.close();
        // ---
        assertThat(counts.get("USER_CREATED/APPLIED").sum()).isEqualTo(3);
        assertThat(counts.get("MEMBER_ADDED/APPLIED").sum()).isEqualTo(2);
    }

    interface Metrics {
        void count(ChangeKind kind, AuditOutcome outcome);
    }
}
