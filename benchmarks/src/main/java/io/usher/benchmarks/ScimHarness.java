package io.usher.benchmarks;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.store.InMemoryUserStore;
import io.usher.scim.BearerTokenAuthenticator;
import io.usher.scim.ScimServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glassfish.jersey.server.ContainerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * SCIM server figures over real HTTP (Jersey on the JDK's HTTP server, loopback; {@link HttpClient}):
 * <ol>
 *   <li>{@code GET /Users?filter=userName eq "…"} latency with 1,000 and with 100,000 users (ratio);
 *   <li>a PATCH adding and removing one member on a 10-member and on a 100,000-member group (ratio);
 *   <li>throughput of mixed Entra-like traffic from 8 concurrent clients.
 * </ol>
 * Users are seeded through {@code POST /Bulk}, the big group through a PUT with the full member list.
 *
 * <p>Run (see docs/BENCHMARKS.md):
 * {@code mvn -B -q -pl benchmarks -am package -DskipTests && java -Xmx1g -cp benchmarks/target/usher-benchmarks.jar io.usher.benchmarks.ScimHarness}
 */
public final class ScimHarness {
    private static final String TOKEN = "benchmark-token-0123456789";
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    private final HttpServer http;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;
    private final InMemoryUserStore store = new InMemoryUserStore();

    private ScimHarness() throws IOException {
        ProvisioningEngine engine = ProvisioningEngine.builder().store(store)
                .source(Source.builder("scim").build()).build();
        ScimServer scim = ScimServer.builder(engine, "scim")
                .authenticator(BearerTokenAuthenticator.builder().token("bench", TOKEN).build())
                .maxPayloadBytes(64L << 20).maxBulkOperations(10_000).build();
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/scim/v2", ContainerFactory.createContainer(HttpHandler.class,
                ResourceConfig.forApplication(scim.application())));
        http.setExecutor(Executors.newFixedThreadPool(16));
        http.start();
        base = "http://127.0.0.1:" + http.getAddress().getPort() + "/scim/v2";
    }

    public static void main(String[] args) throws Exception {
        // the JDK server otherwise waits on delayed ACKs (~40 ms per small response); must precede its first use
        System.setProperty("sun.net.httpserver.nodelay", "true");
        out("Usher SCIM harness: max heap %d MiB, %d cores", Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors());
        double small = lookupLatency(1_000);
        double large = lookupLatency(100_000);
        out("userName eq lookup: median %.3f ms at 1k users, %.3f ms at 100k users, ratio %.2f", small, large,
                large / small);
        double[] patchSmall = patchLatency(10);
        double[] patchLarge = patchLatency(100_000);
        out("PATCH one member: median %.3f ms (add) / %.3f ms (remove) on 10 members, %.3f / %.3f ms on 100k members,"
                + " ratio %.2f / %.2f", patchSmall[0], patchSmall[1], patchLarge[0], patchLarge[1],
                patchLarge[0] / patchSmall[0], patchLarge[1] / patchSmall[1]);
        mixedTraffic(10_000, 8, 20);
    }

    // ------------------------------------------------------------------ scenarios

    private static double lookupLatency(int users) throws Exception {
        ScimHarness h = new ScimHarness();
        try {
            h.seedUsers("u", users);
            int samples = 2000;
            java.util.Random rnd = new java.util.Random(1);
            for (int i = 0; i < 5000; i++) { // warm-up
                h.lookup("u" + rnd.nextInt(users));
            }
            long[] t = new long[samples];
            for (int i = 0; i < samples; i++) {
                String name = "u" + rnd.nextInt(users);
                long t0 = System.nanoTime();
                String body = h.lookup(name);
                t[i] = System.nanoTime() - t0;
                if (!body.contains("\"totalResults\":1")) {
                    throw new IllegalStateException("lookup of " + name + " did not find one user");
                }
            }
            double med = median(t);
            out("  %,d users: userName eq median %.3f ms, p99 %.3f ms (%d lookups)", users, med, pct(t, 0.99), samples);
            return med;
        } finally {
            h.stop();
        }
    }

    private String lookup(String name) throws Exception {
        return send("GET", "/Users?filter=" + enc("userName eq \"" + name + "\""), null, 200);
    }

    /** Median latency of adding one member and of removing it again, on a group of {@code size} members. */
    private static double[] patchLatency(int size) throws Exception {
        ScimHarness h = new ScimHarness();
        try {
            List<String> ids = h.seedUsers("m", size + 200);
            StringBuilder members = new StringBuilder();
            for (int i = 0; i < size; i++) {
                members.append(i == 0 ? "" : ",").append("{\"value\":\"").append(ids.get(i)).append("\"}");
            }
            long t0 = System.nanoTime();
            String created = h.send("POST", "/Groups", "{\"displayName\":\"g\",\"members\":[" + members + "]}", 201);
            String gid = firstId(created);
            out("  group of %,d members created in %.2f s", size, secs(System.nanoTime() - t0));
            int samples = 200;
            long[] add = new long[samples];
            long[] remove = new long[samples];
            for (int round = 0; round < 4; round++) { // rounds 0-2 warm up, round 3 is measured
                for (int i = 0; i < samples; i++) {
                    String member = ids.get(size + i % 200);
                    String addBody = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":"
                            + "[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + member + "\"}]}]}";
                    String removeBody = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                            + "\"Operations\":[{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + member + "\\\"]\"}]}";
                    long a0 = System.nanoTime();
                    h.send("PATCH", "/Groups/" + gid, addBody, 204);
                    long a1 = System.nanoTime();
                    h.send("PATCH", "/Groups/" + gid, removeBody, 204);
                    long a2 = System.nanoTime();
                    add[i] = a1 - a0;
                    remove[i] = a2 - a1;
                }
            }
            out("  %,d members: add median %.3f ms (p99 %.3f), remove median %.3f ms (p99 %.3f)", size, median(add),
                    pct(add, 0.99), median(remove), pct(remove, 0.99));
            return new double[] {median(add), median(remove)};
        } finally {
            h.stop();
        }
    }

    /**
     * Entra-like traffic: per client, a loop of lookups by userName (most common), user creates, PATCH replace of
     * attributes, PATCH soft-deletes (active=false), group member adds and removes, and group reads without members.
     */
    private static void mixedTraffic(int users, int clients, int seconds) throws Exception {
        ScimHarness h = new ScimHarness();
        try {
            List<String> ids = h.seedUsers("t", users);
            List<String> groups = new ArrayList<>();
            for (int g = 0; g < 20; g++) {
                groups.add(firstId(h.send("POST", "/Groups", "{\"displayName\":\"team" + g + "\"}", 201)));
            }
            AtomicLong ops = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            AtomicLong created = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long warmEnd = System.nanoTime() + 3_000_000_000L;
            long[] measuredOps = new long[1];
            List<Future<?>> fs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                fs.add(pool.submit(() -> {
                    java.util.Random rnd = new java.util.Random(client);
                    while (System.nanoTime() < end) {
                        int dice = rnd.nextInt(100);
                        String id = ids.get(rnd.nextInt(ids.size()));
                        String g = groups.get(rnd.nextInt(groups.size()));
                        try {
                            if (dice < 40) {
                                h.lookup("t" + rnd.nextInt(users));
                            } else if (dice < 50) {
                                h.send("POST", "/Users", "{\"userName\":\"new-" + client + "-" + created.incrementAndGet()
                                        + "\",\"active\":true,\"emails\":[{\"value\":\"n@corp\",\"type\":\"work\",\"primary\":true}]}", 201);
                            } else if (dice < 70) {
                                h.send("PATCH", "/Users/" + id, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                                        + "\"Operations\":[{\"op\":\"Replace\",\"path\":\"displayName\",\"value\":\"D"
                                        + rnd.nextInt(1000) + "\"},{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"True\"}]}", 200);
                            } else if (dice < 85) {
                                h.send("PATCH", "/Groups/" + g, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                                        + "\"Operations\":[{\"op\":\"Add\",\"path\":\"members\",\"value\":[{\"value\":\"" + id + "\"}]}]}", 204);
                            } else if (dice < 95) {
                                h.send("PATCH", "/Groups/" + g, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                                        + "\"Operations\":[{\"op\":\"Remove\",\"path\":\"members\",\"value\":[{\"value\":\"" + id + "\"}]}]}", 204);
                            } else {
                                h.send("GET", "/Groups/" + g + "?excludedAttributes=members", null, 200);
                            }
                            ops.incrementAndGet();
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            while (System.nanoTime() < warmEnd) {
                Thread.sleep(50);
            }
            long startOps = ops.get();
            long t0 = System.nanoTime();
            for (Future<?> f : fs) {
                f.get();
            }
            measuredOps[0] = ops.get() - startOps;
            double s = secs(System.nanoTime() - t0);
            pool.shutdown();
            out("mixed Entra-like traffic, %d clients, %,d users, 20 groups: %,.0f requests/s over %.1f s after a 3 s "
                    + "warm-up (%,d requests, %d errors)", clients, users, measuredOps[0] / s, s, measuredOps[0],
                    errors.get());
        } finally {
            h.stop();
        }
    }

    // ------------------------------------------------------------------ plumbing

    /** Creates users name0..name(n-1) through /Bulk, 1000 per request; returns their ids in order. */
    private List<String> seedUsers(String prefix, int n) throws Exception {
        long t0 = System.nanoTime();
        List<String> ids = new ArrayList<>(n);
        for (int from = 0; from < n; from += 1000) {
            StringBuilder ops = new StringBuilder();
            int to = Math.min(n, from + 1000);
            for (int i = from; i < to; i++) {
                ops.append(i == from ? "" : ",").append("{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"b")
                        .append(i).append("\",\"data\":{\"userName\":\"").append(prefix).append(i)
                        .append("\",\"displayName\":\"User ").append(i).append("\",\"emails\":[{\"value\":\"")
                        .append(prefix).append(i).append("@corp.example\",\"type\":\"work\",\"primary\":true}]}}");
            }
            String r = send("POST", "/Bulk", "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],"
                    + "\"Operations\":[" + ops + "]}", 200);
            Matcher m = Pattern.compile("\"location\":\"[^\"]*/Users/([^\"]+)\"").matcher(r);
            while (m.find()) {
                ids.add(m.group(1));
            }
        }
        if (ids.size() != n) {
            throw new IllegalStateException("seeded " + ids.size() + " of " + n + " users");
        }
        out("  seeded %,d users through /Bulk in %.2f s", n, secs(System.nanoTime() - t0));
        return ids;
    }

    private String send(String method, String path, String body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            b.header("Content-Type", "application/scim+json");
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path.replaceAll("\\?.*", "") + " gave " + r.statusCode()
                    + " (expected " + expected + "): " + r.body());
        }
        return r.body();
    }

    private static String firstId(String json) {
        Matcher m = ID.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no id in the response");
        }
        return m.group(1);
    }

    private void stop() {
        http.stop(0);
        ((ExecutorService) http.getExecutor()).shutdownNow();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static double median(long[] t) {
        return pct(t, 0.5);
    }

    private static double pct(long[] t, double p) {
        long[] c = t.clone();
        Arrays.sort(c);
        return c[(int) Math.min(c.length - 1, Math.floor(p * c.length))] / 1e6;
    }

    private static double secs(long nanos) {
        return nanos / 1e9;
    }

    private static void out(String fmt, Object... args) {
        System.out.println(String.format(Locale.ROOT, fmt, args));
    }
}
