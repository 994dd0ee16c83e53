package io.usher.benchmarks;

import io.usher.core.DeletionGuard;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SyncOptions;
import io.usher.core.SyncReport;
import io.usher.core.model.MemberKind;
import io.usher.core.store.JdbcSyncLock;
import io.usher.core.store.JdbcSyncStateStore;
import io.usher.examples.jdbc.Database;
import io.usher.examples.jdbc.JdbcUserStore;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.InMemorySourceConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Times whole syncs from the in-memory connector into the example {@link JdbcUserStore}, with the JDBC state
 * store and sync lock on the same database (the clustered-host setup): on an embedded H2 file database and,
 * when {@code USHER_TEST_POSTGRES_URL} is set, on PostgreSQL. Phases: the initial sync, a no-op resync (full
 * snapshot), and 1% changes (hires, renames, leavers, moves) read incrementally.
 *
 * <p>Run (see docs/BENCHMARKS.md):
 * {@code mvn -B -q -pl benchmarks -am package -DskipTests && java -Xmx512m -cp benchmarks/target/usher-benchmarks.jar
 * io.usher.benchmarks.JdbcSyncHarness [users groups memberships]} (defaults 10000 1000 50000).
 */
public final class JdbcSyncHarness {

    private JdbcSyncHarness() {}

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int groups = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        long memberships = args.length > 2 ? Long.parseLong(args[2]) : 50_000;
        out("Usher JDBC sync harness: %d users, %d groups, ~%d memberships; max heap %d MiB, %d cores", users, groups,
                memberships, Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());

        List<String[]> rows = new ArrayList<>();
        Path h2dir = Files.createTempDirectory("usher-jdbc-harness");
        try {
            rows.addAll(run("H2 (embedded file)", "jdbc:h2:file:" + h2dir.resolve("bench") + ";LOCK_TIMEOUT=10000",
                    users, groups, memberships));
        } finally {
            try (var files = Files.walk(h2dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        String pg = System.getenv("USHER_TEST_POSTGRES_URL");
        if (pg != null && !pg.isBlank()) {
            String schema = "usher_bench_" + ProcessHandle.current().pid();
            try (Connection c = DriverManager.getConnection(pg); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            }
            try {
                rows.addAll(run("PostgreSQL", pg + (pg.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                        users, groups, memberships));
            } finally {
                try (Connection c = DriverManager.getConnection(pg); Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA " + schema + " CASCADE");
                }
            }
        } else {
            out("USHER_TEST_POSTGRES_URL not set: PostgreSQL skipped (eval \"$(bash .ci/postgres.sh start)\" first)");
        }
        out("");
        out("| database | run | time | changes applied | records read |");
        out("|---|---|---|---|---|");
        rows.forEach(r -> out("| %s | %s | %s | %s | %s |", (Object[]) r));
    }

    private static List<String[]> run(String name, String url, int users, int groups, long memberships) {
        InMemoryDirectory dir = DirectoryGenerator.builder().seed(7).users(users).groups(groups).nestingDepth(3)
                .targetMemberships(memberships).build().generate();
        out("%s: generated %d users, %d groups, %d direct user memberships", name, dir.userCount(),
                dir.groupCount(), dir.membershipCount());
        List<String[]> rows = new ArrayList<>();
        try (Database db = Database.pooled(url, null, null, 8)) {
            JdbcUserStore store = JdbcUserStore.create(db).createSchema();
            JdbcSyncStateStore state = JdbcSyncStateStore.create(db).createSchema();
            JdbcSyncLock lock = JdbcSyncLock.builder(db).nodeId("harness").build().createSchema();
            try (ProvisioningEngine engine = ProvisioningEngine.builder().store(store)
                    .stateStore(lock.fenced(state)).listener(lock.renewer())
                    .source(Source.builder("bench").connector(InMemorySourceConnector.of(dir, 1000))
                            .guard(DeletionGuard.maxShare(0.05)).build()).build()) {
                rows.add(row(name, "initial sync", lock.synchronize(engine, "bench").orElseThrow()));
                rows.add(row(name, "no-op resync (full snapshot)",
                        lock.synchronize(engine, "bench", SyncOptions.fullSnapshot()).orElseThrow()));
                int changes = change(dir, users / 100);
                SyncReport inc = lock.synchronize(engine, "bench").orElseThrow();
                rows.add(row(name, "1% changes (" + changes + "), incremental", inc));
            }
        }
        return rows;
    }

    private static String[] row(String db, String run, SyncReport r) {
        out("%-20s %-36s %7.2f s  %s%s", db, run, r.duration().toNanos() / 1e9, r.counts(),
                r.isClean() ? "" : "  NOT CLEAN: " + r.failureCount() + " failures");
        return new String[] {db, run, String.format(Locale.ROOT, "%.2f s", r.duration().toNanos() / 1e9),
                Long.toString(r.totalChanges()), Long.toString(r.recordsRead())};
    }

    /** About n changes spread over hires, renames, leavers and moves between groups. */
    private static int change(InMemoryDirectory dir, int n) {
        Random r = new Random(n * 31L);
        List<String> userIds = dir.users().map(DirectoryUser::id).collect(Collectors.toList());
        List<String> groupIds = dir.groups().map(DirectoryGroup::id).collect(Collectors.toList());
        int done = 0;
        for (int i = 0; i < n / 4; i++) {
            String id = dir.addUser(DirectoryUser.of("hire" + i)).id();
            dir.addMember(groupIds.get(1 + r.nextInt(groupIds.size() - 1)), MemberKind.USER, id);
            done++;
        }
        for (int i = 0; i < n / 4; i++) {
            String id = userIds.get(r.nextInt(userIds.size()));
            if (dir.user(id).isPresent()) {
                dir.renameUser(id, "renamed" + i);
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
            var current = dir.user(id).isPresent() ? dir.groupsOf(MemberKind.USER, id) : java.util.Set.<String>of();
            String to = groupIds.get(1 + r.nextInt(groupIds.size() - 1));
            if (!current.isEmpty() && !current.contains(to)) {
                dir.moveUser(id, current.iterator().next(), to);
                done++;
            }
        }
        return done;
    }

    private static void out(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
