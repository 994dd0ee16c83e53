package io.usher.benchmarks;

import io.usher.core.DeletionGuard;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SourcePush;
import io.usher.core.SyncReport;
import io.usher.core.audit.AuditContext;
import io.usher.core.audit.AuditListener;
import io.usher.core.audit.JsonLinesAuditWriter;
import io.usher.core.spi.SourceUser;
import io.usher.core.store.InMemoryUserStore;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.InMemorySourceConnector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What the audit trail costs: the initial sync of a generated organisation without audit, with a listener
 * that only counts events (the cost of building them), and with {@link JsonLinesAuditWriter} (64 MiB files);
 * then push calls (one user create each) without audit, with the writer, and with the writer forcing each event
 * to the disk ({@code fsync(true)}). Medians of 3 rounds; every round starts from a fresh store and directory
 * of audit files (in a temporary directory, deleted at the end).
 *
 * <p>Run (see docs/BENCHMARKS.md):
 * {@code mvn -B -q -pl benchmarks -am package -DskipTests && java -Xmx512m -cp
 * benchmarks/target/usher-benchmarks.jar io.usher.benchmarks.AuditHarness} Arguments: users groups memberships
 * pushes (defaults 20000 2000 100000 2000).
 */
public final class AuditHarness {
    private AuditHarness() {}

    public static void main(String[] args) throws IOException {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int groups = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        long memberships = args.length > 2 ? Long.parseLong(args[2]) : 100_000;
        int pushes = args.length > 3 ? Integer.parseInt(args[3]) : 2_000;
        out("Usher audit harness: %d users, %d groups, ~%d memberships; %d pushes; max heap %d MiB, %d cores",
                users, groups, memberships, pushes, Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors());
        InMemoryDirectory dir = DirectoryGenerator.builder().seed(7).users(users).groups(groups).nestingDepth(3)
                .targetMemberships(memberships).build().generate();
        Path tmp = Files.createTempDirectory("usher-audit-bench");
        try {
            LongAdder counted = new LongAdder();
            long changes = 0;
            long bytes = 0;
            String[] names = {"no audit", "counting listener", "JSON lines"};
            long[][] sync = new long[3][3];
            for (int round = 0; round < 3; round++) {
                for (int mode = 0; mode < 3; mode++) {
                    Path files = Files.createDirectories(tmp.resolve("sync-" + round + "-" + mode));
                    JsonLinesAuditWriter writer = JsonLinesAuditWriter.builder(files).build();
                    AuditListener listener = mode == 1 ? e -> counted.increment() : mode == 2 ? writer : null;
                    ProvisioningEngine e = engine(listener, s -> s.connector(InMemorySourceConnector.of(dir, 1000)));
                    System.gc();
                    SyncReport r = e.synchronize("bench");
                    writer.close();
                    sync[mode][round] = r.duration().toNanos();
                    changes = r.totalChanges();
                    if (mode == 2) {
                        bytes = size(files);
                    }
                }
            }
            out("");
            out("| initial sync (%d changes) | time (median of 3) | all rounds |", changes);
            out("|---|---|---|");
            for (int mode = 0; mode < 3; mode++) {
                out("| %s | %.2f s | %s |", names[mode], secs(median(sync[mode])), all(sync[mode]));
            }
            out("JSON lines written per sync: %d bytes (%.0f bytes per event); events counted: %d", bytes,
                    (double) bytes / changes, counted.sum());

            String[] pushNames = {"no audit", "JSON lines", "JSON lines, fsync each event"};
            long[][] push = new long[3][3];
            for (int round = 0; round < 3; round++) {
                for (int mode = 0; mode < 3; mode++) {
                    Path files = Files.createDirectories(tmp.resolve("push-" + round + "-" + mode));
                    JsonLinesAuditWriter writer = JsonLinesAuditWriter.builder(files).fsync(mode == 2).build();
                    ProvisioningEngine e = engine(mode == 0 ? null : writer, Function.identity());
                    SourcePush p = e.push("bench", AuditContext.scim("bench-token", "req"));
                    long t0 = System.nanoTime();
                    for (int i = 0; i < pushes; i++) {
                        p.upsertUser(SourceUser.builder("ext-" + i).loginName("user" + i).displayName("User " + i)
                                .build());
                    }
                    push[mode][round] = System.nanoTime() - t0;
                    writer.close();
                }
            }
            out("");
            out("| %d push creates | time (median of 3) | per push | all rounds |", pushes);
            out("|---|---|---|---|");
            for (int mode = 0; mode < 3; mode++) {
                long m = median(push[mode]);
                out("| %s | %.3f s | %.1f µs | %s |", pushNames[mode], secs(m), m / 1e3 / pushes, all(push[mode]));
            }
        } finally {
            try (Stream<Path> s = Files.walk(tmp)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }

    private static ProvisioningEngine engine(AuditListener listener, Function<Source.Builder, Source.Builder> src) {
        ProvisioningEngine.Builder b = ProvisioningEngine.builder().store(new InMemoryUserStore())
                .source(src.apply(Source.builder("bench").guard(DeletionGuard.none())).build());
        if (listener != null) {
            b.audit(listener);
        }
        return b.build();
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String all(long[] values) {
        StringBuilder sb = new StringBuilder();
        for (long v : values) {
            sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", secs(v)));
        }
        return sb.toString();
    }

    private static double secs(long nanos) {
        return nanos / 1e9;
    }

    private static void out(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
