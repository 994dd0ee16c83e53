package io.usher.core.audit;

import io.usher.core.MovableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesAuditWriterTest {
    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock(T0);

    private static List<String> lines(Path p) throws IOException {
        return Files.readAllLines(p, StandardCharsets.UTF_8);
    }

    private List<Path> allFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().collect(java.util.stream.Collectors.toList());
        }
    }

    @Test
    void writesOneParsableLinePerEvent() throws IOException {
        try (JsonLinesAuditWriter w = JsonLinesAuditWriter.builder(dir).clock(clock).build()) {
            w.onEvent(Events.created(T0, 1));
            w.onEvent(Events.refused(T0));
            List<String> lines = lines(w.currentFile());
            assertThat(lines).hasSize(2);
            JsonNode first = JSON.readTree(lines.get(0));
            assertThat(first.get("eventId").asText()).isEqualTo("run#1");
            assertThat(first.get("context").get("tokenId").asText()).isEqualTo("entra");
            JsonNode second = JSON.readTree(lines.get(1));
            assertThat(second.get("outcome").asText()).isEqualTo("REFUSED");
            assertThat(second.get("code").asText()).isEqualTo("GUARD");
            assertThat(w.currentFile().getFileName().toString()).isEqualTo("usher-audit.jsonl");
        }
    }

    @Test
    void rotatesBySizeNeverSplitsAnEventAndKeepsTheNewestFiles() throws IOException {
        int events = 200;
        try (JsonLinesAuditWriter w = JsonLinesAuditWriter.builder(dir).name("audit").clock(clock).maxBytes(1024)
                .keep(3).rotateDaily(false).build()) {
            for (int i = 0; i < events; i++) {
                w.onEvent(Events.created(T0, i));
            }
            List<Path> rotated = w.rotatedFiles();
            assertThat(rotated).hasSize(3);
            assertThat(rotated).extracting(p -> p.getFileName().toString())
                    .allMatch(n -> n.matches("audit-2026-11-29-\\d{6}\\.jsonl"));
            // newest kept: the highest sequence numbers, contiguous
            List<Long> seqs = new ArrayList<>();
            for (Path p : rotated) {
                String n = p.getFileName().toString();
                seqs.add(Long.parseLong(n.substring(n.lastIndexOf('-') + 1, n.length() - 6)));
            }
            assertThat(seqs.get(2) - seqs.get(0)).isEqualTo(2);
            assertThat(seqs.get(2)).isGreaterThan(3);
            List<Path> files = new ArrayList<>(rotated);
            files.add(w.currentFile());
            int last = -1;
            for (Path f : files) {
                assertThat(Files.size(f)).isLessThanOrEqualTo(1024);
                for (String line : lines(f)) {
                    int n = Integer.parseInt(JSON.readTree(line).get("eventId").asText().substring(4));
                    if (last >= 0) {
                        assertThat(n).isEqualTo(last + 1); // in order, none lost between kept files
                    }
                    last = n;
                }
            }
            assertThat(last).isEqualTo(events - 1);
        }
        assertThat(allFiles()).hasSize(4);
    }

    @Test
    void anEventLargerThanTheLimitGetsAFileOfItsOwn() throws IOException {
        try (JsonLinesAuditWriter w = JsonLinesAuditWriter.builder(dir).clock(clock).maxBytes(1024).build()) {
            w.onEvent(Events.created(T0, 1));
            w.onEvent(Events.named(T0, "x".repeat(3000)));
            w.onEvent(Events.created(T0, 2));
            assertThat(w.rotatedFiles()).hasSize(2);
            assertThat(lines(w.rotatedFiles().get(1))).singleElement().asString().contains("xxxx");
            assertThat(lines(w.currentFile())).hasSize(1);
        }
    }

    @Test
    void rotatesAtANewDayNamingTheFileAfterItsDay() throws IOException {
        try (JsonLinesAuditWriter w = JsonLinesAuditWriter.builder(dir).clock(clock).build()) {
            w.onEvent(Events.created(T0, 1));
            clock.advance(Duration.ofHours(13)); // 2026-11-29T23:00
            w.onEvent(Events.created(T0, 2));
            assertThat(w.rotatedFiles()).isEmpty();
            clock.advance(Duration.ofHours(2)); // 2026-11-30T01:00
            w.onEvent(Events.created(T0, 3));
            assertThat(w.rotatedFiles()).singleElement().extracting(p -> p.getFileName().toString())
                    .isEqualTo("usher-audit-2026-11-29-000001.jsonl");
            assertThat(lines(w.rotatedFiles().get(0))).hasSize(2);
            assertThat(lines(w.currentFile())).hasSize(1);
        }
    }

    @Test
    void aRestartAppendsAndKeepsNumberingRotatedFiles() throws IOException {
        List<Path> first;
        try (JsonLinesAuditWriter w = JsonLinesAuditWriter.builder(dir).clock(clock).maxBytes(1024)
                .rotateDaily(false).build()) {
            for (int i = 0; i < 20; i++) {
                w.onEvent(Events.created(T0, i));
            }
            first = w.rotatedFiles();
        }
        assertThat(first).isNotEmpty();
        String lastOfFirst = first.get(first.size() - 1).getFileName().toString();
        int linesBefore = lines(dir.resolve("usher-audit.jsonl")).size();
        try (JsonLinesAuditWriter w = JsonLinesAuditWriter.builder(dir).clock(clock).maxBytes(1024)
                .rotateDaily(false).build()) {
            for (int i = 20; i < 40; i++) {
                w.onEvent(Events.created(T0, i));
            }
            List<Path> after = w.rotatedFiles();
            assertThat(after).containsAll(first);
            assertThat(after.get(first.size()).getFileName().toString()).isGreaterThan(lastOfFirst);
            // the file left by the first writer was continued, not overwritten: all 40 events are there, in order
            List<Integer> ids = new ArrayList<>();
            List<Path> files = new ArrayList<>(after);
            files.add(w.currentFile());
            for (Path f : files) {
                for (String line : lines(f)) {
                    ids.add(Integer.parseInt(JSON.readTree(line).get("eventId").asText().substring(4)));
                }
            }
            assertThat(ids).hasSize(40).isSorted();
            assertThat(linesBefore).isPositive();
        }
    }

    @Test
    void aLineCutShortByACrashIsEndedBeforeTheNextEvent() throws IOException {
        Path file = dir.resolve("usher-audit.jsonl");
        String whole = Events.created(T0, 1).toJson();
        Files.writeString(file, whole + "\n" + whole.substring(0, 40), StandardCharsets.UTF_8);
        try (JsonLinesAuditWriter w = JsonLinesAuditWriter.builder(dir).clock(clock).build()) {
            w.onEvent(Events.created(T0, 2));
        }
        List<String> lines = lines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).isEqualTo(whole.substring(0, 40));
        assertThat(JSON.readTree(lines.get(2)).get("eventId").asText()).isEqualTo("run#2");
    }

    @Test
    void concurrentWritersProduceWholeLines() throws Exception {
        int threads = 4;
        int each = 250;
        try (JsonLinesAuditWriter w = JsonLinesAuditWriter.builder(dir).clock(clock).maxBytes(8192).keep(1000)
                .fsync(false).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * each;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        w.onEvent(Events.created(T0, base + i));
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        Set<String> ids = new HashSet<>();
        for (Path f : allFiles()) {
            for (String line : lines(f)) {
                ids.add(JSON.readTree(line).get("eventId").asText());
            }
        }
        assertThat(ids).hasSize(threads * each);
    }

    @Test
    void fsyncModeWritesToo() throws IOException {
        try (JsonLinesAuditWriter w = JsonLinesAuditWriter.builder(dir).clock(clock).fsync(true).build()) {
            w.onEvent(Events.created(T0, 1));
            assertThat(lines(w.currentFile())).hasSize(1);
        }
    }

    @Test
    void aClosedWriterRefusesAndAnUnwritableDirectoryFailsNamingTheFileOnly() throws IOException {
        JsonLinesAuditWriter w = JsonLinesAuditWriter.builder(dir).clock(clock).build();
        w.close();
        assertThatThrownBy(() -> w.onEvent(Events.created(T0, 1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        Path file = dir.resolve("not-a-dir");
        Files.writeString(file, "x");
        JsonLinesAuditWriter bad = JsonLinesAuditWriter.builder(file).clock(clock).build();
        assertThatThrownBy(() -> bad.onEvent(Events.named(T0, "secret-looking-name")))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("not-a-dir")
                .hasMessageNotContaining("secret-looking-name");
    }

    @Test
    void theBuilderChecksEachSetting() {
        assertThatThrownBy(() -> JsonLinesAuditWriter.builder(dir).maxBytes(100)).hasMessageContaining("1024");
        assertThatThrownBy(() -> JsonLinesAuditWriter.builder(dir).keep(-1)).hasMessageContaining("keep");
        assertThatThrownBy(() -> JsonLinesAuditWriter.builder(dir).name("../etc/passwd"))
                .hasMessageContaining("name must be");
        assertThatThrownBy(() -> JsonLinesAuditWriter.builder(null)).isInstanceOf(NullPointerException.class);
    }
}
