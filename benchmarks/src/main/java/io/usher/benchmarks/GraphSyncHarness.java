package io.usher.benchmarks;

import io.usher.azure.AzureConfig;
import io.usher.azure.AzureSourceConnector;
import io.usher.core.DeletionGuard;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SyncMode;
import io.usher.core.SyncReport;
import io.usher.core.model.MemberKind;
import io.usher.core.store.InMemoryUserStore;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.graph.GraphServer;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Times the Entra ID connector through the fake Microsoft Graph (testkit's {@link GraphServer} on loopback,
 * the same JVM) into {@link InMemoryUserStore}: a full sync of a generated tenant, then 100 changes in the
 * directory (hires, renames, disabled accounts, soft deletes, moves between groups) synced incrementally
 * through Graph delta queries. Prints wall time and HTTP requests of each, and the ratios delta/full.
 *
 * <p>Run (see docs/BENCHMARKS.md):
 * {@code mvn -B -q -pl benchmarks -am package -DskipTests && java -Xmx1g -cp benchmarks/target/usher-benchmarks.jar io.usher.benchmarks.GraphSyncHarness}
 * Arguments: users groups memberships (defaults 50000 5000 250000).
 */
public final class GraphSyncHarness {

    private GraphSyncHarness() {}

    public static void main(String[] args) {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int groups = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        long memberships = args.length > 2 ? Long.parseLong(args[2]) : 250_000;
        out("Usher Graph harness: %d users, %d groups, ~%d memberships; max heap %d MiB, %d cores", users, groups,
                memberships, Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        InMemoryDirectory dir = DirectoryGenerator.builder().seed(7).users(users).groups(groups).nestingDepth(3)
                .targetMemberships(memberships).caseCollisions(0).build().generate();
        out("generated: %d users, %d groups, %d direct memberships", dir.userCount(), dir.groupCount(),
                dir.membershipCount());

        try (GraphServer server = GraphServer.builder(dir).threads(8)
                .clientSecret("bench-app", "bench-secret", GraphServer.CONNECTOR_PERMISSIONS).start()) {
            AzureConfig config = AzureConfig.builder().tenantId(server.tenant()).clientId("bench-app")
                    .clientSecret("bench-secret").loginBaseUrl(server.loginUri()).graphBaseUrl(server.graphUri())
                    .maxConcurrency(4).build();

            // warm-up: one full sync into a store that is then dropped (JIT, connection pool)
            run(server, new InMemoryUserStore(), config, "warm-up full sync");

            InMemoryUserStore store = new InMemoryUserStore();
            AzureSourceConnector connector = new AzureSourceConnector(config);
            ProvisioningEngine engine = ProvisioningEngine.builder().store(store)
                    .source(Source.builder("entra").connector(connector).guard(DeletionGuard.maxShare(0.05)).build())
                    .build();
            long req0 = server.graphRequests() + server.tokenRequests();
            SyncReport full = engine.synchronize("entra");
            long fullRequests = server.graphRequests() + server.tokenRequests() - req0;
            check(full, SyncMode.SNAPSHOT);
            out("full sync: %.2f s, %d HTTP requests, %d changes applied", secs(full), fullRequests,
                    full.totalChanges());

            int changes = change(dir);
            long req1 = server.graphRequests() + server.tokenRequests();
            SyncReport delta = engine.synchronize("entra");
            long deltaRequests = server.graphRequests() + server.tokenRequests() - req1;
            check(delta, SyncMode.INCREMENTAL);
            out("delta sync of %d directory changes: %.3f s, %d HTTP requests, %d changes applied (%s)", changes,
                    secs(delta), deltaRequests, delta.totalChanges(), delta.counts());
            out("ratio delta/full: time %.2f%%, requests %.2f%% (floor: <= 5%%)",
                    100.0 * delta.duration().toNanos() / full.duration().toNanos(),
                    100.0 * deltaRequests / fullRequests);
        }
    }

    private static void run(GraphServer server, InMemoryUserStore store, AzureConfig config, String what) {
        long r0 = server.graphRequests();
        SyncReport r = ProvisioningEngine.builder().store(store)
                .source(Source.builder("warm").connector(new AzureSourceConnector(config)).build()).build()
                .synchronize("warm");
        check(r, SyncMode.SNAPSHOT);
        out("%s: %.2f s, %d Graph requests", what, secs(r), server.graphRequests() - r0);
    }

    /** 100 changes: 20 hires (each into a group), 30 renames, 15 disabled, 10 soft deletes, 25 moves. */
    private static int change(InMemoryDirectory dir) {
        Random rnd = new Random(42);
        List<DirectoryUser> pool = dir.users().filter(DirectoryUser::enabled).limit(2_000).collect(Collectors.toList());
        List<DirectoryGroup> gs = dir.groups().limit(500).collect(Collectors.toList());
        int n = 0;
        for (int i = 0; i < 20; i++, n++) {
            DirectoryUser u = dir.addUser(DirectoryUser.builder("bench.hire" + i + "@corp.example")
                    .displayName("Hire " + i).email("bench.hire" + i + "@corp.example").build());
            dir.addMember(gs.get(rnd.nextInt(gs.size())).id(), MemberKind.USER, u.id());
        }
        int next = 0;
        for (int i = 0; i < 30; i++, n++) {
            DirectoryUser u = pool.get(next++);
            dir.renameUser(u.id(), "renamed." + i + "." + u.loginName());
        }
        for (int i = 0; i < 15; i++, n++) {
            dir.disableUser(pool.get(next++).id());
        }
        for (int i = 0; i < 10; i++, n++) {
            dir.softDeleteUser(pool.get(next++).id());
        }
        int moved = 0;
        while (moved < 25) {
            DirectoryUser u = pool.get(next++);
            List<String> in = List.copyOf(dir.groupsOf(MemberKind.USER, u.id()));
            if (in.isEmpty()) {
                continue;
            }
            DirectoryGroup to = gs.get(rnd.nextInt(gs.size()));
            if (in.contains(to.id())) {
                continue;
            }
            dir.moveUser(u.id(), in.get(0), to.id());
            moved++;
            n++;
        }
        return n;
    }

    private static void check(SyncReport r, SyncMode expected) {
        if (r.mode() != expected || !r.complete() || r.failureCount() > 0) {
            throw new IllegalStateException("unexpected run: " + r.summary());
        }
    }

    private static double secs(SyncReport r) {
        return r.duration().toNanos() / 1e9;
    }

    private static void out(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
