package io.usher.benchmarks;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SyncReport;
import io.usher.ldap.LdapConfig;
import io.usher.ldap.LdapSourceConnector;
import io.usher.ldap.Preset;
import io.usher.ldap.servers.Slapd;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The ★ scale run of the LDAP issue: a first full sync of a million users from a real OpenLDAP {@code slapd}
 * (loaded with slapadd from an LDIF this harness streams to disk) through the LDAP connector and the engine,
 * in a heap of 512 MiB or less. The store is {@link CountingUserStore} (keys issued, writes counted, nothing
 * kept), standing in for a host database outside the JVM: an {@code InMemoryUserStore} of a million users does
 * not fit such a heap by design, and the example JDBC store on H2 writes ~1,000 changes/s here (see the JDBC
 * section of docs/BENCHMARKS.md), which would make this a two-hour run about H2. So the figures are the
 * connector's and the engine's: time, throughput, and the heap they need (the engine keeps ids per user and
 * member keys per group until the end of the read; the connector keeps a DN index of every entry).
 *
 * <p>The organisation (streamed, never in memory): {@code U} users {@code uid=uNNNNNNNN}; teams of 100
 * ({@code U/100} groups); 100 departments whose members are teams (nested groups, no users); 1,000 projects,
 * each user in two of them; and one group holding the first {@code min(U, 200,000)} users. About
 * {@code 3.2 × U} user memberships.
 *
 * <p>Run: {@code java -Xmx512m -cp benchmarks/target/usher-benchmarks.jar io.usher.benchmarks.LdapScaleHarness
 * [users]} (default 1000000). Prints a heap line every 5 s while syncing.
 */
public final class LdapScaleHarness {
    private static final String[] USER_ATTRS = {"entryUUID", "uid", "cn", "givenName", "sn", "mail", "employeeType",
        "memberOf", "pwdAccountLockedTime"};
    private static final String[] GROUP_ATTRS = {"entryUUID", "cn", "description", "member", "uniqueMember",
        "memberUid"};
    private static final int PROJECTS = 1000;
    private static final int DEPARTMENTS = 100;
    private static final int BIG_GROUP = 200_000;
    private static final long P1 = 7919;
    private static final long P2 = 104_729;

    private LdapScaleHarness() {}

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        if (users < 10_000 || users % 100 != 0) {
            throw new IllegalArgumentException("users: a multiple of 100, at least 10000");
        }
        if (!Slapd.available()) {
            throw new IllegalStateException("slapd is not installed (apt-get install slapd); .ci/run installs it");
        }
        out("LDAP scale harness: %d users; slapd in its own process; store: CountingUserStore; max heap %d MiB",
                users, Runtime.getRuntime().maxMemory() >> 20);
        long t0 = System.nanoTime();
        Path ldif = Files.createTempFile("usher-scale-", ".ldif");
        ldif.toFile().deleteOnExit();
        long[] shape = writeLdif(ldif, users);
        out("wrote LDIF in %.1f s: %d users, %d groups, %d user memberships, %d group memberships, %d MiB",
                secs(System.nanoTime() - t0), users, shape[0], shape[1], shape[2], Files.size(ldif) >> 20);

        try (Slapd slapd = Slapd.create(32L << 30, true)) {
            long l0 = System.nanoTime();
            slapd.slapadd(ldif);
            slapd.start();
            out("slapadd + start: %.1f s", secs(System.nanoTime() - l0));
            Files.deleteIfExists(ldif);

            long b0 = System.nanoTime();
            long n = bareRead(slapd, Slapd.PEOPLE_DN, "(objectClass=inetOrgPerson)", USER_ATTRS)
                    + bareRead(slapd, Slapd.GROUPS_DN, "(objectClass=groupOfNames)", GROUP_ATTRS);
            long bare = System.nanoTime() - b0;
            out("bare paged read: %.1f s, %d entries (%.0f entries/s)", secs(bare), n, n / secs(bare));

            CountingUserStore store = new CountingUserStore();
            LdapSourceConnector connector = new LdapSourceConnector(LdapConfig.builder().url(slapd.url())
                    .preset(Preset.OPENLDAP).bind(slapd.bindDn(), slapd.bindPassword()).usersBase(Slapd.PEOPLE_DN)
                    .groupsBase(Slapd.GROUPS_DN).pageSize(1000).timestampMargin(Duration.ofSeconds(1))
                    .responseTimeout(Duration.ofMinutes(5)).build());
            ProvisioningEngine engine = ProvisioningEngine.builder().store(store)
                    .source(Source.builder("scale").connector(connector).build()).build();
            System.gc();
            List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
            pools.forEach(MemoryPoolMXBean::resetPeakUsage);
            HeapWatch watch = new HeapWatch(pools);
            Thread watcher = new Thread(watch, "heap-watch");
            watcher.setDaemon(true);
            watcher.start();
            long gc0 = gcMillis();
            long cpu0 = cpuNanos();
            SyncReport r = engine.synchronize("scale");
            long cpu = cpuNanos() - cpu0;
            watch.stop = true;
            watcher.join();
            connector.close();
            double s = r.duration().toNanos() / 1e9;
            long peak = pools.stream().filter(p -> p.getType() == MemoryType.HEAP)
                    .mapToLong(p -> p.getPeakUsage().getUsed()).sum() >> 20;
            out("full sync: %.1f s, complete=%s, %s, failures %d, warnings %d", s, r.complete(), r.counts(),
                    r.failureCount(), r.warningCount());
            out("");
            out("| figure | value |");
            out("|---|---|");
            out("| bare paged read of the same entries | %.1f s (%.0f entries/s) |", secs(bare), n / secs(bare));
            out("| full sync, wall | %.1f s (%.2f× the bare read) |", s, s / secs(bare));
            out("| full sync, JVM CPU (all threads, GC included) | %.1f s; GC pauses %.1f s |", cpu / 1e9,
                    (gcMillis() - gc0) / 1000.0);
            out("| throughput | %.0f users/s; %.0f entries/s; %.0f changes/s |", users / s, n / s,
                    r.counts().values().stream().mapToLong(Long::longValue).sum() / s);
            out("| store writes counted | %d users, %d groups, %d user + %d group memberships |", store.users.get(),
                    store.groups.get(), store.userMemberships.get(), store.groupMemberships.get());
            out("| peak heap, sum of heap pools' peaks (upper bound) | %d MiB of %d MiB |", peak,
                    Runtime.getRuntime().maxMemory() >> 20);
            out("| largest heap in use after a collection (live data bound) | %d MiB |", watch.maxAfterGc >> 20);
        }
    }

    /** Prints the heap every 5 s and keeps the largest old-generation occupancy seen right after a collection. */
    private static final class HeapWatch implements Runnable {
        private final List<MemoryPoolMXBean> pools;
        volatile boolean stop;
        volatile long maxAfterGc;

        HeapWatch(List<MemoryPoolMXBean> pools) {
            this.pools = pools;
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            long lastPrint = start;
            while (!stop) {
                long after = 0;
                for (MemoryPoolMXBean p : pools) {
                    MemoryUsage u = p.getType() == MemoryType.HEAP ? p.getCollectionUsage() : null;
                    if (u != null) {
                        after += u.getUsed();
                    }
                }
                maxAfterGc = Math.max(maxAfterGc, after);
                long now = System.nanoTime();
                if (now - lastPrint >= 5_000_000_000L) {
                    lastPrint = now;
                    Runtime rt = Runtime.getRuntime();
                    out("  %5.0f s: heap used %d MiB, after the last collection %d MiB", secs(now - start),
                            (rt.totalMemory() - rt.freeMemory()) >> 20, after >> 20);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Writes the organisation; returns {groups, user memberships, group memberships}. */
    static long[] writeLdif(Path file, int users) throws IOException {
        long groups = 0;
        long userMemberships = 0;
        long groupMemberships = 0;
        int teams = users / 100;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder b = new StringBuilder(512);
            for (int i = 0; i < users; i++) {
                String uid = uid(i);
                b.setLength(0);
                b.append("dn: uid=").append(uid).append(',').append(Slapd.PEOPLE_DN).append('\n')
                        .append("objectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\n")
                        .append("objectClass: inetOrgPerson\n")
                        .append("uid: ").append(uid).append('\n')
                        .append("cn: Given").append(i).append(" Family").append(i % 9973).append('\n')
                        .append("sn: Family").append(i % 9973).append('\n')
                        .append("givenName: Given").append(i).append('\n')
                        .append("mail: ").append(uid).append("@example.test\n")
                        .append("entryUUID: ").append(uuid(1, i)).append("\n\n");
                w.append(b);
            }
            for (int t = 0; t < teams; t++) {
                startGroup(w, "team-" + t, uuid(2, t));
                for (int i = t * 100; i < t * 100 + 100; i++) {
                    member(w, i);
                }
                w.write('\n');
                groups++;
                userMemberships += 100;
            }
            for (int d = 0; d < DEPARTMENTS; d++) {
                startGroup(w, "department-" + d, uuid(3, d));
                for (int t = d; t < teams; t += DEPARTMENTS) {
                    w.append("member: cn=team-").append(Integer.toString(t)).append(',').append(Slapd.GROUPS_DN)
                            .append('\n');
                    groupMemberships++;
                }
                w.write('\n');
                groups++;
            }
            // user i is in projects (i*P1) mod 1000 and (i*P2 + 17) mod 1000: never the same one (see below)
            long inv1 = BigInteger.valueOf(P1).modInverse(BigInteger.valueOf(PROJECTS)).longValue();
            long inv2 = BigInteger.valueOf(P2).modInverse(BigInteger.valueOf(PROJECTS)).longValue();
            for (int p = 0; p < PROJECTS; p++) {
                startGroup(w, "project-" + p, uuid(4, p));
                long r1 = p * inv1 % PROJECTS;
                long r2 = Math.floorMod((p - 17L) * inv2, PROJECTS);
                for (long i = r1; i < users; i += PROJECTS) {
                    member(w, (int) i);
                    userMemberships++;
                }
                // i*P1 ≡ i*P2 + 17 (mod 1000) has no solution (96810·i is even, −17 is odd), so no duplicate
                for (long i = r2; i < users; i += PROJECTS) {
                    member(w, (int) i);
                    userMemberships++;
                }
                w.write('\n');
                groups++;
            }
            startGroup(w, "early-joiners", uuid(5, 0));
            for (int i = 0; i < Math.min(users, BIG_GROUP); i++) {
                member(w, i);
                userMemberships++;
            }
            w.write('\n');
            groups++;
        }
        return new long[] {groups, userMemberships, groupMemberships};
    }

    private static void startGroup(BufferedWriter w, String cn, String uuid) throws IOException {
        w.append("dn: cn=").append(cn).append(',').append(Slapd.GROUPS_DN).append('\n')
                .append("objectClass: top\nobjectClass: groupOfNames\n")
                .append("cn: ").append(cn).append('\n')
                .append("entryUUID: ").append(uuid).append('\n');
    }

    private static void member(BufferedWriter w, int user) throws IOException {
        w.append("member: uid=").append(uid(user)).append(',').append(Slapd.PEOPLE_DN).append('\n');
    }

    private static String uid(int i) {
        return String.format(Locale.ROOT, "u%08d", i);
    }

    private static String uuid(int kind, long n) {
        return String.format(Locale.ROOT, "5ca1e000-0000-4000-8%03x-%012x", kind, n);
    }

    private static long bareRead(Slapd slapd, String base, String filter, String[] attrs) throws Exception {
        long n = 0;
        try (LDAPConnection c = slapd.connection()) {
            c.getConnectionOptions().setMaxMessageSize(256 << 20);
            ASN1OctetString cookie = null;
            do {
                SearchRequest r = new SearchRequest(base, SearchScope.SUB, filter, attrs);
                r.setControls(new SimplePagedResultsControl(1000, cookie, false));
                r.setResponseTimeoutMillis(300_000);
                SearchResult res = c.search(r);
                n += res.getEntryCount();
                SimplePagedResultsControl back = SimplePagedResultsControl.get(res);
                cookie = back == null ? null : back.getCookie();
            } while (cookie != null && cookie.getValueLength() > 0);
        }
        return n;
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).map(t -> Math.max(0, t)).sum();
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double secs(long nanos) {
        return nanos / 1e9;
    }

    private static void out(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
