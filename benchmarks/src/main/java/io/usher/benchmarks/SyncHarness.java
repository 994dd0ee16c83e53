package io.usher.benchmarks;

import io.usher.core.ChangeKind;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SyncOptions;
import io.usher.core.SyncReport;
import io.usher.core.DeletionGuard;
import io.usher.core.model.MemberKind;
import io.usher.core.store.InMemoryUserStore;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.InMemorySourceConnector;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Times whole syncs from the in-memory connector into {@link InMemoryUserStore} and prints the figures:
 * the initial sync of a generated organisation, a no-op resync (full snapshot), and a resync after 1%
 * changes (hires, renames, leavers, moves between groups) — read both incrementally and as a full snapshot.
 * Peak heap is the sum of the heap pools' peaks during each phase (the generated directory itself lives in
 * the same heap and is included).
 *
 * <p>Run (see docs/BENCHMARKS.md):
 * {@code mvn -B -q -pl benchmarks -am package -DskipTests && java -Xmx512m -jar benchmarks/target/usher-benchmarks.jar}
 * Arguments: users groups memberships (defaults 100000 10000 500000).
 */
public final class SyncHarness {

    private SyncHarness() {}

    public static void main(String[] args) {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int groups = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        long memberships = args.length > 2 ? Long.parseLong(args[2]) : 500_000;
        out("Usher sync harness: %d users, %d groups, ~%d memberships, nesting depth 3; max heap %d MiB, %d cores",
                users, groups, memberships, Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors());

        long t0 = System.nanoTime();
        InMemoryDirectory dir = DirectoryGenerator.builder().seed(7).users(users).groups(groups).nestingDepth(3)
                .targetMemberships(memberships).caseCollisions(20).build().generate();
        out("generated directory in %.2f s: %d users, %d groups, %d direct user memberships",
                secs(System.nanoTime() - t0), dir.userCount(), dir.groupCount(), dir.membershipCount());

        for (int round = 1; round <= 2; round++) {
            long r0 = System.nanoTime();
            long[] seen = new long[1];
            InMemorySourceConnector.of(dir, 1000).snapshot(new io.usher.core.spi.SnapshotSink() {
                @Override public void user(io.usher.core.spi.SourceUser u) { seen[0]++; }
                @Override public void group(io.usher.core.spi.SourceGroup g) { seen[0] += g.memberUserIds().size(); }
            });
            out("read-only snapshot #%d (the connector's share of any sync): %.2f s, %d records+members", round,
                    secs(System.nanoTime() - r0), seen[0]);
        }

        // Three rounds of initial sync + no-op resync, each into a fresh store; the medians are reported.
        int rounds = 3;
        long[] initialNanos = new long[rounds];
        long[] noopNanos = new long[rounds];
        ProvisioningEngine engine = null;
        SyncReport initial = null;
        SyncReport noop = null;
        for (int round = 0; round < rounds; round++) {
            engine = null; // let the previous round's store go before the next is filled
            InMemoryUserStore store = new InMemoryUserStore();
            ProvisioningEngine e = ProvisioningEngine.builder().store(store)
                    .source(Source.builder("bench").connector(InMemorySourceConnector.of(dir, 1000))
                            .guard(DeletionGuard.maxShare(0.05)).build())
                    .build();
            initial = phase("initial sync, round " + (round + 1), () -> e.synchronize("bench"));
            noop = phase("no-op resync, round " + (round + 1), () -> e.synchronize("bench", SyncOptions.fullSnapshot()));
            initialNanos[round] = initial.duration().toNanos();
            noopNanos[round] = noop.duration().toNanos();
            if (!initial.isClean() || noop.totalChanges() != 0) {
                out("WARNING: initial sync not clean or no-op resync changed something");
            }
            engine = e;
        }
        ProvisioningEngine last = engine;

        int changes = change(dir, users / 100);
        out("changed the directory: %d changes (hires, renames, leavers, group moves)", changes);
        SyncReport incremental = phase("1% changes, incremental", () -> last.synchronize("bench"));

        change(dir, users / 100);
        SyncReport snapshot = phase("1% changes, full snapshot",
                () -> last.synchronize("bench", SyncOptions.fullSnapshot()));

        long initialMedian = median(initialNanos);
        long noopMedian = median(noopNanos);
        out("");
        out("| run | time (median of %d) | all rounds | changes applied |", rounds);
        out("|---|---|---|---|");
        out("| initial sync | %.2f s | %s | %d |", secs(initialMedian), all(initialNanos), initial.totalChanges());
        out("| no-op resync (full snapshot) | %.2f s | %s | %d |", secs(noopMedian), all(noopNanos), noop.totalChanges());
        out("| 1%% changes, incremental | %.2f s | (one run) | %d |", secs(incremental.duration().toNanos()),
                incremental.totalChanges());
        out("| 1%% changes, full snapshot | %.2f s | (one run) | %d |", secs(snapshot.duration().toNanos()),
                snapshot.totalChanges());
        out("peak heap per phase (sum of heap pools' peaks): %s MiB", PEAKS);
        out("no-op / initial time ratio (medians): %.2f", (double) noopMedian / initialMedian);
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String all(long[] values) {
        StringBuilder sb = new StringBuilder();
        for (long v : values) {
            sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", secs(v)));
        }
        return sb.toString();
    }

    private static final List<Long> PEAKS = new ArrayList<>();

    private static SyncReport phase(String name, java.util.function.Supplier<SyncReport> body) {
        System.gc();
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
        pools.forEach(MemoryPoolMXBean::resetPeakUsage);
        SyncReport r = body.get();
        long peak = pools.stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        PEAKS.add(peak >> 20);
        out("%-32s %7.2f s  peak heap %4d MiB  %s", name, secs(r.duration().toNanos()), peak >> 20,
                r.counts());
        return r;
    }

    /** About n changes spread over hires, renames, leavers and moves. */
    private static int change(InMemoryDirectory dir, int n) {
        Random r = new Random(n * 31L + dir.currentSequence());
        List<String> userIds = dir.users().map(DirectoryUser::id).collect(java.util.stream.Collectors.toList());
        List<String> groupIds = dir.groups().map(DirectoryGroup::id).collect(java.util.stream.Collectors.toList());
        int done = 0;
        for (int i = 0; i < n / 4; i++) {
            String id = dir.addUser(DirectoryUser.of("hire" + dir.currentSequence() + "x" + i)).id();
            dir.addMember(groupIds.get(1 + r.nextInt(groupIds.size() - 1)), MemberKind.USER, id);
            done++;
        }
        for (int i = 0; i < n / 4; i++) {
            String id = userIds.get(r.nextInt(userIds.size()));
            if (dir.user(id).isPresent()) {
                dir.renameUser(id, "renamed" + dir.currentSequence());
                done++;
            }
        }
        for (int i = 0; i < n / 4; i++) {
            String id = userIds.get(r.nextInt(userIds.size()));
            if (dir.user(id).isPresent()) {
                dir.deleteUser(id);
                done++;
            }
        }
        for (int i = 0; i < n / 4; i++) {
            String id = userIds.get(r.nextInt(userIds.size()));
            if (dir.user(id).isEmpty()) {
                continue;
            }
            var current = dir.groupsOf(MemberKind.USER, id);
            String to = groupIds.get(1 + r.nextInt(groupIds.size() - 1));
            if (!current.isEmpty() && !current.contains(to)) {
                dir.moveUser(id, current.iterator().next(), to);
                done++;
            }
        }
        return done;
    }

    private static double secs(long nanos) {
        return nanos / 1e9;
    }

    private static void out(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
