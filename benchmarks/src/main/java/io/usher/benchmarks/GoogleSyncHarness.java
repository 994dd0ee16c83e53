package io.usher.benchmarks;

import io.usher.core.DeletionGuard;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SyncMode;
import io.usher.core.SyncReport;
import io.usher.core.model.MemberKind;
import io.usher.core.store.InMemoryUserStore;
import io.usher.google.GoogleConfig;
import io.usher.google.GoogleSourceConnector;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.google.GoogleDirectoryServer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Times the Google Workspace connector through the fake Directory API (testkit's {@link GoogleDirectoryServer} on
 * loopback, the same JVM) into {@link InMemoryUserStore}: a full sync of a generated directory, then 1% of the
 * users changed (hires, renames, suspensions, deletions) and synced again by the same connector, which skips
 * users whose etag is unchanged; then another 1% synced by a connector without the etag cache, for comparison.
 * Google has no directory delta, so every pass is a snapshot. Prints wall time, HTTP requests and how many
 * users were taken unchanged.
 *
 * <p>Run (see docs/BENCHMARKS.md):
 * {@code mvn -B -q -pl benchmarks -am package -DskipTests && java -Xmx1g -cp benchmarks/target/usher-benchmarks.jar io.usher.benchmarks.GoogleSyncHarness}
 * Arguments: users groups memberships (defaults 50000 5000 250000).
 */
public final class GoogleSyncHarness {
    private static final String SA = "usher-bench@bench.iam.gserviceaccount.com";
    private static final String CLIENT_ID = "100000000000000000042";
    private static final String ADMIN = "admin@example.com";

    private GoogleSyncHarness() {}

    public static void main(String[] args) throws NoSuchAlgorithmException {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int groups = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        long memberships = args.length > 2 ? Long.parseLong(args[2]) : 250_000;
        out("Usher Google harness: %d users, %d groups, ~%d memberships; max heap %d MiB, %d cores", users, groups,
                memberships, Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        InMemoryDirectory dir = DirectoryGenerator.builder().seed(7).users(users).groups(groups).nestingDepth(3)
                .targetMemberships(memberships).caseCollisions(0).build().generate();
        out("generated: %d users, %d groups, %d direct memberships", dir.userCount(), dir.groupCount(),
                dir.membershipCount());
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair keys = g.generateKeyPair();

        try (GoogleDirectoryServer server = GoogleDirectoryServer.builder(dir).threads(8)
                .serviceAccount(SA, CLIENT_ID, keys.getPublic())
                .delegate(CLIENT_ID, GoogleDirectoryServer.READONLY_SCOPES).admin(ADMIN).start()) {
            String keyFile = server.keyFile(SA, keys.getPrivate());
            GoogleConfig cached = GoogleConfig.builder().keyJson(keyFile).adminEmail(ADMIN)
                    .apiBaseUrl(server.apiUri()).maxConcurrency(4).build();
            GoogleConfig uncached = GoogleConfig.builder().keyJson(keyFile).adminEmail(ADMIN)
                    .apiBaseUrl(server.apiUri()).maxConcurrency(4).etagCache(false).build();

            // warm-up: one full sync into a store that is then dropped (JIT, connection pool)
            InMemoryUserStore warm = new InMemoryUserStore();
            sync(server, engine(warm, new GoogleSourceConnector(cached)), "warm-up full sync", null);

            InMemoryUserStore store = new InMemoryUserStore();
            GoogleSourceConnector connector = new GoogleSourceConnector(cached);
            ProvisioningEngine engine = engine(store, connector);
            Result full = sync(server, engine, "full sync (nothing cached)", connector);

            int changed = change(dir, new Random(42), 1);
            Result etag = sync(server, engine, "second pass after " + changed + " changes, etag cache", connector);

            changed = change(dir, new Random(43), 2);
            GoogleSourceConnector plain = new GoogleSourceConnector(uncached);
            Result noCache = sync(server, engine(store, plain), "second pass after " + changed
                    + " changes, no etag cache", plain);
            out("ratio etag pass/full: time %.1f%%, requests %.1f%%; etag pass/no-cache pass: time %.1f%%",
                    100.0 * etag.seconds / full.seconds, 100.0 * etag.requests / full.requests,
                    100.0 * etag.seconds / noCache.seconds);
        }
    }

    private record Result(double seconds, long requests) {}

    private static ProvisioningEngine engine(InMemoryUserStore store, GoogleSourceConnector c) {
        return ProvisioningEngine.builder().store(store)
                .source(Source.builder("google").connector(c).guard(DeletionGuard.maxShare(0.05)).build()).build();
    }

    private static Result sync(GoogleDirectoryServer server, ProvisioningEngine engine, String what,
                               GoogleSourceConnector c) {
        long r0 = server.apiRequests() + server.tokenRequests();
        SyncReport r = engine.synchronize("google");
        long requests = server.apiRequests() + server.tokenRequests() - r0;
        if (r.mode() != SyncMode.SNAPSHOT || !r.complete() || r.failureCount() > 0) {
            throw new IllegalStateException("unexpected run: " + r.summary());
        }
        double secs = r.duration().toNanos() / 1e9;
        out("%s: %.2f s, %d HTTP requests, %d changes applied %s, %s users unchanged by etag", what, secs, requests,
                r.totalChanges(), r.counts(), c == null ? "-" : Long.toString(c.lastUnchangedUsers()));
        return new Result(secs, requests);
    }

    /** 1% of the users: a fifth hired (each into a group), two fifths renamed, a fifth suspended, a fifth deleted. */
    private static int change(InMemoryDirectory dir, Random rnd, int round) {
        int total = Math.max(5, dir.userCount() / 100);
        List<DirectoryUser> pool = dir.users().filter(DirectoryUser::enabled).skip(round * 2_000L)
                .limit(total).collect(Collectors.toList());
        List<DirectoryGroup> gs = dir.groups().limit(500).collect(Collectors.toList());
        int n = 0;
        int next = 0;
        for (int i = 0; i < total / 5; i++, n++) {
            DirectoryUser u = dir.addUser(DirectoryUser.builder("hire" + round + "x" + i).displayName("Hire " + i)
                    .build());
            dir.addMember(gs.get(rnd.nextInt(gs.size())).id(), MemberKind.USER, u.id());
        }
        for (int i = 0; i < total * 2 / 5; i++, n++) {
            DirectoryUser u = pool.get(next++);
            dir.renameUser(u.id(), "renamed" + round + "." + u.loginName());
        }
        for (int i = 0; i < total / 5; i++, n++) {
            dir.disableUser(pool.get(next++).id());
        }
        for (int i = 0; i < total / 5 && next < pool.size(); i++, n++) {
            dir.deleteUser(pool.get(next++).id());
        }
        return n;
    }

    private static void out(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
