package io.usher.benchmarks;

import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SyncReport;
import io.usher.core.model.MemberKind;
import io.usher.core.store.InMemoryUserStore;
import io.usher.okta.OktaConfig;
import io.usher.okta.OktaSourceConnector;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ManualClock;
import io.usher.testkit.okta.OktaServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Okta sync cost through the testkit's fake Okta on loopback: a generated organisation, a full sync through the
 * Okta connector into {@link InMemoryUserStore}, then 100 changes (40 profile changes, 20 renames, 10
 * deactivations, 10 deletions, 10 membership adds, 10 removals) and an incremental sync. Reports wall time and
 * the requests each sync made, per rate-limit bucket, and the least time those requests take at a given Okta
 * rate limit and share (the real bound on a real org, which the fake does not impose here).
 *
 * <p>The fake and the connector share a manual clock that stands still during a sync (the fake still stamps
 * each change a millisecond apart), so the organisation's creation lies hours before the first sync, as in a
 * real org, and no rate-limit window ends mid-run.
 *
 * <p>Run: {@code java -Xmx1g -cp benchmarks/target/usher-benchmarks.jar io.usher.benchmarks.OktaSyncHarness
 * [users groups memberships]} (defaults 50000 5000 250000).
 */
public final class OktaSyncHarness {
    /** Okta's per-minute limits assumed for the "at Okta's limits" figures (a common org: users 600, groups 500). */
    private static final int USERS_LIMIT = 600;
    private static final int GROUPS_LIMIT = 500;
    private static final int LOGS_LIMIT = 120;
    private static final double SHARE = 0.5;

    private OktaSyncHarness() {}

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int groups = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        long memberships = args.length > 2 ? Long.parseLong(args[2]) : 250_000;
        out("Okta sync harness: %d users, %d groups, ~%d memberships; fake Okta on loopback; max heap %d MiB",
                users, groups, memberships, Runtime.getRuntime().maxMemory() >> 20);
        long g0 = System.nanoTime();
        InMemoryDirectory dir = DirectoryGenerator.builder().seed(42).users(users).groups(groups).nestingDepth(1)
                .targetMemberships(memberships).disabledFraction(0.03).build().generate();
        out("generated in %.2f s: %d users, %d groups, %d user memberships", secs(System.nanoTime() - g0),
                dir.userCount(), dir.groupCount(), dir.groups().mapToLong(g -> dir.members(g.id(), MemberKind.USER)
                        .size()).sum());

        ManualClock clock = new ManualClock(Instant.parse("2026-11-29T00:00:00Z"));
        String token = "00benchmark-token";
        try (OktaServer server = OktaServer.builder(dir).clock(clock).apiToken(token).rateLimit(10_000_000)
                .threads(2).start()) {
            clock.advance(Duration.ofHours(6));
            OktaConfig config = OktaConfig.builder(server.orgUri()).apiToken(token).build();
            try (OktaSourceConnector connector = new OktaSourceConnector(config, clock, clock::advance)) {
                InMemoryUserStore store = new InMemoryUserStore();
                ProvisioningEngine engine = ProvisioningEngine.builder().store(store)
                        .source(Source.builder("okta").connector(connector)
                                .deprovision(io.usher.core.DeprovisionPolicy.DELETE).build()).build();

                long before = snapshot(server);
                long f0 = System.nanoTime();
                SyncReport full = engine.synchronize("okta");
                long fullNanos = System.nanoTime() - f0;
                long[] fullBuckets = buckets(server);
                out("full sync: %.2f s, %d API requests (users %d, groups %d, logs %d); %d users, %d groups stored; %s",
                        secs(fullNanos), server.apiRequests() - before, fullBuckets[0], fullBuckets[1], fullBuckets[2],
                        store.userCount(), store.groupCount(), full.summary());
                out("  at Okta's limits (users %d/min, groups %d/min, share %.0f%%): at least %.1f min",
                        USERS_LIMIT, GROUPS_LIMIT, SHARE * 100, atLimits(fullBuckets));

                clock.advance(Duration.ofMinutes(10));
                change(dir);
                clock.advance(Duration.ofSeconds(5));
                long[] b0 = buckets(server);
                long r0 = server.apiRequests();
                long i0 = System.nanoTime();
                SyncReport inc = engine.synchronize("okta");
                long incNanos = System.nanoTime() - i0;
                long[] b1 = buckets(server);
                long[] incBuckets = {b1[0] - b0[0], b1[1] - b0[1], b1[2] - b0[2]};
                long incRequests = server.apiRequests() - r0;
                out("incremental sync after 100 changes: %.3f s, %d API requests (users %d, groups %d, logs %d); %s",
                        secs(incNanos), incRequests, incBuckets[0], incBuckets[1], incBuckets[2], inc.summary());
                out("  at Okta's limits: at least %.2f min", atLimits(incBuckets));
                out("incremental / full: time %.2f%%, requests %.2f%%", 100.0 * incNanos / fullNanos,
                        100.0 * incRequests / (fullBuckets[0] + fullBuckets[1] + fullBuckets[2]));
            }
        }
    }

    private static long snapshot(OktaServer s) {
        return s.apiRequests();
    }

    private static long[] buckets(OktaServer s) {
        return new long[] {s.requests("users"), s.requests("groups"), s.requests("logs")};
    }

    /** Minutes the requests need at least when each bucket allows share × limit a minute. */
    private static double atLimits(long[] b) {
        return Math.max(Math.max(b[0] / (USERS_LIMIT * SHARE), b[1] / (GROUPS_LIMIT * SHARE)), b[2] / (LOGS_LIMIT * SHARE));
    }

    /** 100 changes of every kind the incremental read must see. */
    private static void change(InMemoryDirectory dir) {
        List<DirectoryUser> some = dir.users().filter(DirectoryUser::enabled).skip(100).limit(90)
                .collect(Collectors.toList());
        int i = 0;
        for (; i < 40; i++) {
            dir.updateUser(some.get(i).toBuilder().displayName("Changed " + i).build());
        }
        for (; i < 60; i++) {
            dir.renameUser(some.get(i).id(), "renamed." + i + "@bench.example");
        }
        for (; i < 70; i++) {
            dir.disableUser(some.get(i).id());
        }
        for (; i < 80; i++) {
            dir.deleteUser(some.get(i).id());
        }
        List<DirectoryGroup> groups = dir.groups().filter(g -> dir.members(g.id(), MemberKind.USER).size() > 2)
                .limit(10).collect(Collectors.toList());
        for (int k = 0; k < 10; k++) {
            dir.addMember(groups.get(k).id(), MemberKind.USER, some.get(80 + k).id());
            String leaving = dir.members(groups.get(k).id(), MemberKind.USER).stream().sorted().findFirst()
                    .orElseThrow();
            dir.removeMember(groups.get(k).id(), MemberKind.USER, leaving);
        }
    }

    private static double secs(long nanos) {
        return nanos / 1e9;
    }

    private static void out(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
