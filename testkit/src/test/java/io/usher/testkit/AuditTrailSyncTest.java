package io.usher.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.usher.core.ChangeKind;
import io.usher.core.DeletionGuard;
import io.usher.core.DeprovisionPolicy;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SyncMode;
import io.usher.core.SyncReport;
import io.usher.core.UsherException;
import io.usher.core.audit.AuditEvent;
import io.usher.core.audit.AuditOutcome;
import io.usher.core.audit.AuditRoute;
import io.usher.core.audit.JsonLinesAuditWriter;
import io.usher.core.model.MemberKind;
import io.usher.core.store.InMemoryUserStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail of syncs through testkit's in-memory connector, written as rotating JSON lines: each report's
 * counts reconcile with the lines of its run, and no password attribute of the directory reaches a line.
 */
class AuditTrailSyncTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void syncReportsReconcileWithTheJsonLinesAndNoPasswordIsWritten() throws IOException {
        InMemoryDirectory directory = DirectoryGenerator.builder().seed(5).users(300).groups(20).nestingDepth(2)
                .targetMemberships(900).build().generate();
        List<String> passwords = new ArrayList<>();
        List<String> ids = directory.users().map(DirectoryUser::id).collect(Collectors.toList());
        for (int i = 0; i < ids.size(); i += 7) {
            String pw = "Pw-" + i + "-never-audited-" + Integer.toHexString(i * 7919);
            passwords.add(pw);
            DirectoryUser u = directory.user(ids.get(i)).orElseThrow();
            directory.updateUser(u.toBuilder().attribute("userPassword", pw).build());
        }
        List<AuditEvent> events = new CopyOnWriteArrayList<>();
        ManualClock clock = new ManualClock(Instant.parse("2026-11-29T10:00:00Z"));
        InMemoryUserStore store = new InMemoryUserStore();
        List<SyncReport> reports = new ArrayList<>();
        try (JsonLinesAuditWriter writer = JsonLinesAuditWriter.builder(dir).clock(clock).maxBytes(64 * 1024)
                .keep(10_000).build()) {
            ProvisioningEngine engine = ProvisioningEngine.builder().store(store).clock(clock).audit(events::add)
                    .audit(writer).source(Source.builder("corp").connector(InMemorySourceConnector.of(directory, 50))
                            .deprovision(DeprovisionPolicy.DEACTIVATE).guard(DeletionGuard.maxCount(20)).build())
                    .build();
            reports.add(engine.synchronize("corp"));

            List<String> groups = directory.groups().map(DirectoryGroup::id).collect(Collectors.toList());
            String hire = directory.addUser(DirectoryUser.builder("new.hire").attribute("userPassword",
                    "Pw-hire-never-audited").build()).id();
            passwords.add("Pw-hire-never-audited");
            directory.addMember(groups.get(1), MemberKind.USER, hire);
            directory.renameUser(ids.get(1), "renamed.one");
            DirectoryUser two = directory.user(ids.get(2)).orElseThrow();
            directory.updateUser(two.toBuilder().displayName("Changed Name").attribute("userPassword", "Pw-rotated")
                    .build());
            passwords.add("Pw-rotated");
            directory.disableUser(ids.get(3));
            directory.deleteUser(ids.get(4));
            directory.renameGroup(groups.get(2), "renamed-group");
            directory.deleteGroup(groups.get(3));
            SyncReport inc = engine.synchronize("corp");
            assertThat(inc.mode()).isEqualTo(SyncMode.INCREMENTAL);
            reports.add(inc);

            directory.enableUser(ids.get(3));
            reports.add(engine.synchronize("corp"));

            // a mass leave: the guard refuses, every withheld removal is in the trail as refused
            for (int i = 10; i < 40; i++) {
                directory.deleteUser(ids.get(i));
            }
            SyncReport refused = engine.synchronize("corp");
            assertThat(refused.guardTripped()).isTrue();
            reports.add(refused);
        }

        List<JsonNode> lines = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.collect(Collectors.toList());
        }
        assertThat(files).as("rotated by size").hasSizeGreaterThan(1);
        for (Path f : files) {
            assertThat(Files.size(f)).isLessThanOrEqualTo(64 * 1024);
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                for (String pw : passwords) {
                    assertThat(line).doesNotContain(pw);
                }
                lines.add(JSON.readTree(line));
            }
        }
        assertThat(lines).hasSize(events.size());

        for (SyncReport r : reports) {
            List<JsonNode> run = lines.stream().filter(n -> n.get("runId").asText().equals(r.runId()))
                    .collect(Collectors.toList());
            Map<ChangeKind, Long> applied = new EnumMap<>(ChangeKind.class);
            run.stream().filter(n -> n.get("outcome").asText().equals("APPLIED"))
                    .forEach(n -> applied.merge(ChangeKind.valueOf(n.get("kind").asText()), 1L, Long::sum));
            assertThat(applied).as("run %s", r.runId()).isEqualTo(r.counts());
            assertThat(run.stream().filter(n -> n.get("outcome").asText().equals("FAILED")).count())
                    .isEqualTo(r.failureCount());
            assertThat(run.stream().filter(n -> n.get("outcome").asText().equals("REFUSED")
                    && n.get("code").asText().equals("GUARD")).count()).isEqualTo(r.withheld().size());
            assertThat(run).allMatch(n -> n.get("route").asText().equals("SYNC"));
        }
        SyncReport inc = reports.get(1);
        assertThat(inc.count(ChangeKind.USER_CREATED)).isEqualTo(1);
        assertThat(inc.count(ChangeKind.USER_RENAMED)).isEqualTo(1);
        assertThat(inc.count(ChangeKind.USER_UPDATED)).isEqualTo(1);
        assertThat(inc.count(ChangeKind.USER_DEACTIVATED)).isEqualTo(2);
        assertThat(inc.count(ChangeKind.GROUP_UPDATED)).isEqualTo(1);
        assertThat(inc.count(ChangeKind.GROUP_DELETED)).isEqualTo(1);
        assertThat(inc.count(ChangeKind.MEMBER_ADDED)).isPositive();
        assertThat(inc.count(ChangeKind.MEMBER_REMOVED)).isPositive();
        assertThat(reports.get(2).count(ChangeKind.USER_REACTIVATED)).isEqualTo(1);
        assertThat(reports.get(3).withheld()).hasSizeGreaterThan(20); // more than the guard allows (some were inactive already)
        assertThat(events).allMatch(e -> e.route() == AuditRoute.SYNC);
        assertThat(events.stream().filter(e -> e.outcome() == AuditOutcome.REFUSED)
                .allMatch(e -> e.code() == UsherException.Code.GUARD)).isTrue();
        AuditEvent updated = events.stream().filter(e -> e.kind() == ChangeKind.USER_UPDATED).findFirst()
                .orElseThrow();
        assertThat(updated.fields()).contains("displayName", "attributes.userPassword");
        assertThat(updated.values()).containsEntry("displayName", "Changed Name")
                .doesNotContainKey("attributes.userPassword");
    }
}
