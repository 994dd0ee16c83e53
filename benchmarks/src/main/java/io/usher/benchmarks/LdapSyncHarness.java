package io.usher.benchmarks;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SyncReport;
import io.usher.core.store.InMemoryUserStore;
import io.usher.ldap.LdapConfig;
import io.usher.ldap.LdapSourceConnector;
import io.usher.ldap.Preset;
import io.usher.ldap.servers.OpenLdapLdif;
import io.usher.ldap.servers.Slapd;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * LDAP sync speed against a real OpenLDAP {@code slapd} in its own process (the in-memory LDAP server pages
 * quadratically and is the wrong yardstick; see shared/FACTS.md): a generated organisation loaded with
 * slapadd, then a bare UnboundID paged read of the same entries and attributes, the full sync through the
 * LDAP connector into {@link InMemoryUserStore}, and an incremental sync after 100 changes — all in one run,
 * so the ratios compare like with like. Needs Debian's slapd ({@code .ci/run} installs it).
 *
 * <p>Run: {@code java -Xms512m -Xmx512m -cp benchmarks/target/usher-benchmarks.jar
 * io.usher.benchmarks.LdapSyncHarness [users groups memberships]} (defaults 100000 10000 500000). The bare read
 * and the full sync alternate for {@code -Dusher.bench.rounds} rounds (default 12; the first two warm the JIT):
 * the table gives the best of each and the median of the per-round ratios from the third round on.
 *
 * <p>Why a fixed heap ({@code -Xms} = {@code -Xmx}): each round ends the previous round's store and calls
 * {@code System.gc()} before its sync, and after that full collection G1 gives the heap back down to ~30 MiB; the
 * sync then fills a 100 MiB store into a heap that must grow again — many small young collections and a
 * concurrent marking cycle that a bare read, which keeps nothing, never pays. That is the harness resetting the
 * JVM, not the sync's cost; a fixed heap takes it out, as JVM benchmarks usually do. Without {@code -Xms} the
 * same run is also worth recording (docs/BENCHMARKS.md gives both).
 */
public final class LdapSyncHarness {
    private static final String[] USER_ATTRS = {"entryUUID", "uid", "cn", "givenName", "sn", "mail", "employeeType",
        "memberOf", "pwdAccountLockedTime"};
    private static final String[] GROUP_ATTRS = {"entryUUID", "cn", "description", "member", "uniqueMember",
        "memberUid"};

    private LdapSyncHarness() {}

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int groups = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        long memberships = args.length > 2 ? Long.parseLong(args[2]) : 500_000;
        if (!Slapd.available()) {
            throw new IllegalStateException("slapd is not installed (apt-get install slapd); .ci/run installs it");
        }
        out("LDAP sync harness: %d users, %d groups, ~%d memberships, nesting depth 3; slapd in its own process; "
                + "max heap %d MiB, initial heap %d MiB", users, groups, memberships, Runtime.getRuntime().maxMemory() >> 20,
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getInit() >> 20);
        long t0 = System.nanoTime();
        Prepared prep = prepare(users, groups, memberships); // the directory itself is garbage after this
        Path ldif = prep.ldif;
        List<DirectoryUser> sample = prep.sample;
        out("generated and wrote LDIF in %.2f s (largest group: %d members)", secs(System.nanoTime() - t0),
                prep.biggest);

        try (Slapd slapd = Slapd.create()) {
            long l0 = System.nanoTime();
            slapd.slapadd(ldif);
            slapd.start();
            out("slapadd + start: %.2f s", secs(System.nanoTime() - l0));
            Thread.sleep(2100); // the loaded entries' modifyTimestamp must fall before the snapshot's margin

            // bare read and full sync alternate, round by round, so that both see the same machine (the build
            // machine is shared and noisy); the first rounds also warm the JIT for both
            int rounds = Integer.getInteger("usher.bench.rounds", 12);
            long bareBest = Long.MAX_VALUE; // the faster mode's
            long bareDefaultBest = Long.MAX_VALUE;
            long bareSyncBest = Long.MAX_VALUE;
            long bestFull = Long.MAX_VALUE;
            double bareCpu = Double.MAX_VALUE; // JVM + slapd seconds of the cheapest bare read
            double syncCpu = Double.MAX_VALUE; // ... and of the cheapest full sync
            List<Double> ratios = new java.util.ArrayList<>(); // per round, from the third on
            SyncReport full = null;
            ProvisioningEngine engine = null;
            LdapSourceConnector connector = null;
            long peak = 0;
            for (int round = 0; round < rounds; round++) {
                // the bare read twice: with the SDK's defaults (a reader thread per connection), and in its
                // synchronous mode (the searching thread reads the socket), as the connector reads; the round's
                // yardstick is the faster of the two
                long bare = Long.MAX_VALUE;
                for (boolean synchronous : new boolean[] {false, true}) {
                    long b0 = System.nanoTime();
                    Cpu bc0 = Cpu.now(slapd);
                    long n = bareRead(slapd, Slapd.PEOPLE_DN, "(objectClass=inetOrgPerson)", USER_ATTRS, synchronous);
                    long bareUsers = System.nanoTime() - b0;
                    n += bareRead(slapd, Slapd.GROUPS_DN, "(objectClass=groupOfNames)", GROUP_ATTRS, synchronous);
                    long took = System.nanoTime() - b0;
                    Cpu bc1 = Cpu.now(slapd);
                    bare = Math.min(bare, took);
                    if (synchronous) {
                        bareSyncBest = Math.min(bareSyncBest, took);
                    } else {
                        bareDefaultBest = Math.min(bareDefaultBest, took);
                    }
                    bareCpu = Math.min(bareCpu, bc1.total(bc0));
                    out("round %d: bare paged read%s %.2f s (users %.2f s, groups %.2f s), %d entries; %s", round + 1,
                            synchronous ? " (synchronous mode)" : "", secs(took), secs(bareUsers),
                            secs(took - bareUsers), n, bc1.since(bc0));
                }
                bareBest = Math.min(bareBest, bare);

                if (connector != null) {
                    connector.close();
                }
                engine = null;
                InMemoryUserStore store = new InMemoryUserStore();
                connector = new LdapSourceConnector(LdapConfig.builder().url(slapd.url())
                        .preset(Preset.OPENLDAP).bind(slapd.bindDn(), slapd.bindPassword()).usersBase(Slapd.PEOPLE_DN)
                        .groupsBase(Slapd.GROUPS_DN).pageSize(1000).timestampMargin(Duration.ofSeconds(1)).build());
                // -Dusher.bench.phases=true: times each phase, through a listener of progress only
                Phases phases = Boolean.getBoolean("usher.bench.phases") ? new Phases(slapd) : null;
                ProvisioningEngine.Builder builder = ProvisioningEngine.builder().store(store);
                if (phases != null) {
                    builder.listener(phases);
                }
                engine = builder.source(Source.builder("bench").connector(connector).build()).build();
                System.gc();
                List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
                pools.forEach(MemoryPoolMXBean::resetPeakUsage);
                Cpu c0 = Cpu.now(slapd);
                if (phases != null) {
                    phases.start();
                }
                // -Dusher.bench.threads=true: CPU per thread group (a poller thread; off by default, as it costs a little)
                ThreadCpu threads = Boolean.getBoolean("usher.bench.threads") ? ThreadCpu.start() : null;
                full = engine.synchronize("bench");
                if (phases != null) {
                    phases.end();
                }
                Cpu c1 = Cpu.now(slapd);
                String perThread = threads == null ? "-" : threads.stop();
                syncCpu = Math.min(syncCpu, c1.total(c0));
                peak = Math.max(peak, pools.stream().filter(p -> p.getType() == MemoryType.HEAP)
                        .mapToLong(p -> p.getPeakUsage().getUsed()).sum() >> 20);
                long took = full.duration().toNanos();
                bestFull = Math.min(bestFull, took);
                if (round >= 2) {
                    ratios.add((double) took / bare);
                }
                out("round %d: full sync %.2f s (%.2f× this round's bare read), %s; %s; %s; busiest threads: %s",
                        round + 1, secs(took), (double) took / bare, full.counts(),
                        phases == null ? "phases: -" : phases, c1.since(c0), perThread);
                if (round == rounds - 1 && Boolean.getBoolean("usher.bench.histogram")) {
                    // what the store, engine and connector keep after a full sync (the engine still references them)
                    out("%s", histogram(store, engine, connector));
                }
                System.gc();
            }
            java.util.Collections.sort(ratios);
            double median = ratios.isEmpty() ? Double.NaN : ratios.size() % 2 == 1 ? ratios.get(ratios.size() / 2)
                    : (ratios.get(ratios.size() / 2 - 1) + ratios.get(ratios.size() / 2)) / 2;

            Thread.sleep(1100); // modifyTimestamp has one-second resolution
            try (LDAPConnection c = slapd.connection()) {
                for (int i = 0; i < 50; i++) {
                    c.modify(OpenLdapLdif.userDn(sample.get(i)), new Modification(ModificationType.REPLACE, "cn",
                            "Changed " + i));
                }
                for (int i = 50; i < 75; i++) {
                    c.modifyDN(OpenLdapLdif.userDn(sample.get(i)), new RDN("uid", "renamed" + i).toString(), true);
                }
                for (int i = 0; i < 25; i++) {
                    c.add("dn: uid=hire" + i + "," + Slapd.PEOPLE_DN, "objectClass: inetOrgPerson", "uid: hire" + i,
                            "cn: Hire " + i, "sn: Hire");
                }
            }
            SyncReport inc = engine.synchronize("bench");
            out("incremental sync after 100 changes: %.3f s (%s), %s", secs(inc.duration().toNanos()), inc.mode(),
                    inc.counts());
            connector.close();

            out("");
            out("| run | time | |");
            out("|---|---|---|");
            out("| bare paged read (users + groups with members), SDK defaults | %.2f s | best of %d |",
                    secs(bareDefaultBest), rounds);
            out("| bare paged read, synchronous mode | %.2f s | best of %d |", secs(bareSyncBest), rounds);
            out("| full sync into InMemoryUserStore | %.2f s | best of %d; %.2f× the best bare read |", secs(bestFull),
                    rounds, (double) bestFull / bareBest);
            out("| full sync / bare read, round by round | %.2f× median | rounds 3–%d: %s |", median, rounds,
                    ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).collect(Collectors.joining(", ")));
            out("| CPU (JVM all threads + slapd) | %.2f s bare, %.2f s sync | %.2f× (cheapest sync / cheapest bare "
                    + "read) |", bareCpu, syncCpu, syncCpu / bareCpu);
            out("| incremental sync, 100 changes | %.3f s | %.1f%% of the full sync |", secs(inc.duration().toNanos()),
                    100.0 * inc.duration().toNanos() / bestFull);
            out("peak heap during the full sync (sum of heap pools' peaks, upper bound): %d MiB", peak);
        }
    }

    /** When each phase of a sync began, from the engine's progress reports. */
    private static final class Phases implements io.usher.core.SyncListener {
        /** At each phase's start: wall nanos, process CPU nanos, this (engine) thread's CPU nanos, slapd ticks. */
        private final Map<io.usher.core.Progress.Phase, long[]> began = new java.util.EnumMap<>(io.usher.core.Progress.Phase.class);
        private final Slapd slapd;
        private long[] t0;
        private long[] t1;

        Phases(Slapd slapd) {
            this.slapd = slapd;
        }

        private long[] now() {
            Cpu c = Cpu.now(slapd);
            long gc = 0;
            long jit = 0;
            for (Map.Entry<String, Long> t : ThreadCpu.tasks().entrySet()) {
                if (t.getKey().startsWith("GC ") || t.getKey().startsWith("G1 ") || t.getKey().startsWith("VM Thread")) {
                    gc += t.getValue();
                } else if (t.getKey().startsWith("C1 ") || t.getKey().startsWith("C2 ")) {
                    jit += t.getValue();
                }
            }
            return new long[] {System.nanoTime(), c.jvmNanos(),
                ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime(), c.slapdTicks(), gc, jit};
        }

        void start() {
            began.clear();
            t0 = now();
        }

        void end() {
            t1 = now();
        }

        @Override
        public void onProgress(io.usher.core.Progress p) {
            if (!began.containsKey(p.phase())) {
                began.put(p.phase(), now());
            }
        }

        /**
         * "reading_users 0.52 s (engine 0.20, rest of JVM 0.40, slapd 0.30 s CPU), ...": each phase until the next
         * one began; "rest of JVM" is the page reader, the collector and the compiler.
         */
        @Override
        public String toString() {
            StringBuilder out = new StringBuilder("phases:");
            long[] prev = t0;
            String name = "start";
            List<Map.Entry<io.usher.core.Progress.Phase, long[]>> list = new java.util.ArrayList<>(began.entrySet());
            list.add(Map.entry(io.usher.core.Progress.Phase.DONE, t1 == null ? now() : t1));
            for (Map.Entry<io.usher.core.Progress.Phase, long[]> e : list) {
                long[] v = e.getValue();
                double gc = (v[4] - prev[4]) / 100.0;
                double jit = (v[5] - prev[5]) / 100.0;
                out.append(String.format(Locale.ROOT, " %s %.2f s (CPU s: engine %.2f, reader %.2f, GC %.2f, JIT %.2f, "
                        + "slapd %.2f),", name, secs(v[0] - prev[0]), secs(v[2] - prev[2]),
                        secs(v[1] - prev[1] - (v[2] - prev[2])) - gc - jit, gc, jit, (v[3] - prev[3]) / 100.0));
                prev = v;
                name = e.getKey().name().toLowerCase(Locale.ROOT);
            }
            return out.substring(0, out.length() - 1);
        }
    }

    /**
     * CPU seconds per Java thread over a sync, polled every 10 ms (threads the sync starts and ends are caught
     * by their last poll): shows which stage of the pipeline bounds the wall time. GC threads are not Java
     * threads; their share is the JVM total less these.
     */
    private static final class ThreadCpu {
        private final java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        private final Map<Long, long[]> cpu = new java.util.concurrent.ConcurrentHashMap<>(); // id -> {first, last}
        private final Map<Long, String> names = new java.util.concurrent.ConcurrentHashMap<>();
        private final Set<Long> before = new java.util.HashSet<>();
        private volatile boolean running = true;
        private Thread poller;

        private final Map<String, Long> nativeBefore = tasks();

        /** CPU ticks per thread name (digits as N) of this process's threads, from /proc (empty where unreadable). */
        private static Map<String, Long> tasks() {
            Map<String, Long> out = new java.util.TreeMap<>();
            try (java.util.stream.Stream<Path> ts = java.nio.file.Files.list(Path.of("/proc/self/task"))) {
                for (Path t : (Iterable<Path>) ts::iterator) {
                    try {
                        String stat = java.nio.file.Files.readString(t.resolve("stat"));
                        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "N");
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        out.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                    } catch (java.io.IOException | RuntimeException e) {
                        // the thread ended
                    }
                }
            } catch (java.io.IOException e) {
                // not Linux
            }
            return out;
        }

        static ThreadCpu start() {
            ThreadCpu t = new ThreadCpu();
            for (long id : t.mx.getAllThreadIds()) {
                t.before.add(id);
            }
            t.poll();
            t.poller = new Thread(() -> {
                while (t.running) {
                    t.poll();
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "thread-cpu-poller");
            t.poller.setDaemon(true);
            t.poller.start();
            return t;
        }

        /** CPU times only; a thread's name is asked for once (a thread dump of all threads each poll would stop them). */
        private void poll() {
            for (long id : mx.getAllThreadIds()) {
                long ns = mx.getThreadCpuTime(id);
                if (ns < 0) {
                    continue;
                }
                if (!names.containsKey(id)) {
                    java.lang.management.ThreadInfo info = mx.getThreadInfo(id);
                    if (info == null) {
                        continue;
                    }
                    names.put(id, info.getThreadName().replaceAll("\\d+", "N"));
                }
                long first = before.contains(id) ? ns : 0; // a thread born during the sync counts from zero
                cpu.computeIfAbsent(id, x -> new long[] {first, ns})[1] = ns;
            }
        }

        String stop() throws InterruptedException {
            running = false;
            poller.join();
            poll();
            Map<String, Long> nativeTicks = tasks();
            nativeTicks.replaceAll((k, v) -> v - nativeBefore.getOrDefault(k, 0L));
            Map<String, long[]> byName = new java.util.TreeMap<>(); // name -> {threads, nanos}
            cpu.forEach((id, v) -> {
                long[] t = byName.computeIfAbsent(names.get(id), x -> new long[2]);
                t[0]++;
                t[1] += v[1] - v[0];
            });
            byName.remove("thread-cpu-poller");
            String natives = nativeTicks.entrySet().stream().filter(e -> e.getValue() >= 1)
                    .filter(e -> e.getKey().startsWith("GC ") || e.getKey().startsWith("G1 ") || e.getKey().startsWith("C1 ")
                            || e.getKey().startsWith("C2 ") || e.getKey().startsWith("VM "))
                    .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                    .map(e -> String.format(Locale.ROOT, "%s %.2f s", e.getKey(), e.getValue() / 100.0))
                    .collect(Collectors.joining(", "));
            return "JVM threads: " + natives + "; Java threads: " + byName.entrySet().stream().filter(e -> e.getValue()[1] >= 10_000_000L)
                    .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                    .map(e -> String.format(Locale.ROOT, "%s%s %.2f s", e.getKey(),
                            e.getValue()[0] > 1 ? " (" + e.getValue()[0] + " threads)" : "", e.getValue()[1] / 1e9))
                    .collect(Collectors.joining(", "));
        }
    }

    /**
     * CPU seconds so far: this JVM (all threads, GC included) and the slapd process (from /proc; -1 where
     * unreadable). On a shared 2-core machine they show whether a phase waited or worked.
     */
    private record Cpu(long jvmNanos, long slapdTicks, long gcMillis) {
        static Cpu now(Slapd slapd) {
            long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
            long gc = ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(b -> Math.max(0, b.getCollectionTime())).sum();
            long ticks = -1;
            try {
                String stat = java.nio.file.Files.readString(Path.of("/proc/" + slapd.pid() + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
            } catch (java.io.IOException | RuntimeException e) {
                // not Linux, or slapd gone: no figure
            }
            return new Cpu(jvm, ticks, gc);
        }

        /** JVM + slapd CPU seconds since {@code start} (JVM only where slapd's is unreadable). */
        double total(Cpu start) {
            double s = (jvmNanos - start.jvmNanos) / 1e9;
            return slapdTicks < 0 || start.slapdTicks < 0 ? s : s + (slapdTicks - start.slapdTicks) / 100.0;
        }

        String since(Cpu start) {
            return String.format(Locale.ROOT, "CPU: JVM %.2f s (GC pauses %.2f s), slapd %s", secs(jvmNanos - start.jvmNanos),
                    (gcMillis - start.gcMillis) / 1000.0, slapdTicks < 0 || start.slapdTicks < 0 ? "?"
                            : String.format(Locale.ROOT, "%.2f s", (slapdTicks - start.slapdTicks) / 100.0));
        }
    }

    private record Prepared(Path ldif, List<DirectoryUser> sample, long biggest) {}

    private static Prepared prepare(int users, int groups, long memberships) throws java.io.IOException {
        InMemoryDirectory dir = DirectoryGenerator.builder().seed(11).users(users).groups(groups).nestingDepth(3)
                .targetMemberships(memberships).caseCollisions(0).build().generate();
        long biggest = dir.groups().mapToLong(g -> dir.members(g.id(), io.usher.core.model.MemberKind.USER).size())
                .max().orElse(0);
        return new Prepared(OpenLdapLdif.write(dir), dir.users().limit(100).collect(Collectors.toList()), biggest);
    }

    private static long bareRead(Slapd slapd, String base, String filter, String[] attrs, boolean synchronous)
            throws Exception {
        long n = 0;
        com.unboundid.ldap.sdk.LDAPConnectionOptions options = new com.unboundid.ldap.sdk.LDAPConnectionOptions();
        options.setUseSynchronousMode(synchronous);
        try (LDAPConnection c = new LDAPConnection(options, slapd.host(), slapd.port(), slapd.bindDn(),
                slapd.bindPassword())) {
            ASN1OctetString cookie = null;
            do {
                SearchRequest r = new SearchRequest(base, SearchScope.SUB, filter, attrs);
                r.setControls(new SimplePagedResultsControl(1000, cookie, false));
                SearchResult res = c.search(r);
                for (SearchResultEntry e : res.getSearchEntries()) {
                    n++;
                }
                SimplePagedResultsControl back = SimplePagedResultsControl.get(res);
                cookie = back == null ? null : back.getCookie();
            } while (cookie != null && cookie.getValueLength() > 0);
        }
        return n;
    }

    /** The top of the JVM's live-object class histogram (a full GC first); the arguments stay reachable. */
    private static String histogram(Object... keepAlive) throws Exception {
        Object out = ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        java.lang.ref.Reference.reachabilityFence(keepAlive);
        return String.join("\n", java.util.Arrays.asList(out.toString().split("\n")).subList(0, 25));
    }

    private static double secs(long nanos) {
        return nanos / 1e9;
    }

    private static void out(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
