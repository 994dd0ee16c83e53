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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glassfish.jersey.server.ContainerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * {@code POST /Bulk} with chained {@code bulkId} references, over real HTTP (Jersey on the JDK's HTTP server,
 * loopback): one request of {@code n} user creations in which each operation names another one's bulkId as its
 * manager,
 * <ol>
 *   <li><b>backward</b>: operation i refers to operation i-1 (each reference already resolved when it is read);
 *   <li><b>forward</b>: operation i refers to operation i+1 (each operation waits for a later one: the worst case,
 *       the chain resolves from the end);
 * </ol>
 * at 1,000 and 2,000 operations (the ratio shows how the cost grows), plus a chain of 1,000 nested groups (group i
 * has group i+1 as its member). Each figure is the median of several runs, each on a fresh server (after one small
 * request, so its lazy start-up is not counted); every response is checked (all 201).
 *
 * <p>Run (see docs/BENCHMARKS.md):
 * {@code mvn -B -q -pl benchmarks -am package -DskipTests && java -Xmx1g -cp benchmarks/target/usher-benchmarks.jar io.usher.benchmarks.ScimBulkHarness}
 */
public final class ScimBulkHarness {
    private static final String TOKEN = "benchmark-token-0123456789";
    private static final Pattern STATUS = Pattern.compile("\"status\":\"(\\d+)\"");

    private final HttpServer http;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;

    private ScimBulkHarness() throws IOException {
        ProvisioningEngine engine = ProvisioningEngine.builder().store(new InMemoryUserStore())
                .source(Source.builder("scim").build()).build();
        ScimServer scim = ScimServer.builder(engine, "scim")
                .authenticator(BearerTokenAuthenticator.builder().token("bench", TOKEN).build())
                .maxPayloadBytes(64L << 20).maxBulkOperations(10_000).build();
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/scim/v2", ContainerFactory.createContainer(HttpHandler.class,
                ResourceConfig.forApplication(scim.application())));
        http.setExecutor(Executors.newFixedThreadPool(4));
        http.start();
        base = "http://127.0.0.1:" + http.getAddress().getPort() + "/scim/v2";
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        out("Usher SCIM Bulk harness: max heap %d MiB, %d cores", Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors());
        run("warm-up", 1000, ScimBulkHarness::backward, 3);
        double b1 = run("backward chain", 1000, ScimBulkHarness::backward, 5);
        double b2 = run("backward chain", 2000, ScimBulkHarness::backward, 5);
        double f1 = run("forward chain", 1000, ScimBulkHarness::forward, 5);
        double f2 = run("forward chain", 2000, ScimBulkHarness::forward, 3);
        double g1 = run("nested-group chain", 1000, ScimBulkHarness::groups, 5);
        out("ratio 2,000 / 1,000 operations: backward %.2f, forward %.2f (2.0 = linear, 4.0 = quadratic, "
                + "8.0 = cubic)", b2 / b1, f2 / f1);
        out("summary: backward %.0f / %.0f ms, forward %.0f / %.0f ms (1,000 / 2,000 ops); nested groups %.0f ms "
                + "(1,000 ops)", b1, b2, f1, f2, g1);
    }

    /** Operation i creates user i with user i-1 (by bulkId) as its manager. */
    private static String backward(int i, int n) {
        return user(i, i == 0 ? null : "u" + (i - 1));
    }

    /** Operation i creates user i with user i+1 (by bulkId, defined later) as its manager. */
    private static String forward(int i, int n) {
        return user(i, i == n - 1 ? null : "u" + (i + 1));
    }

    private static String user(int i, String managerBulkId) {
        return "{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"u" + i + "\",\"data\":{\"schemas\":["
                + "\"urn:ietf:params:scim:schemas:core:2.0:User\","
                + "\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"],\"userName\":\"user" + i
                + "\",\"displayName\":\"User " + i + "\""
                + (managerBulkId == null ? "" : ",\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\":"
                + "{\"manager\":{\"value\":\"bulkId:" + managerBulkId + "\"}}") + "}}";
    }

    /** Operation i creates group i with group i+1 (by bulkId, defined later) as its member. */
    private static String groups(int i, int n) {
        return "{\"method\":\"POST\",\"path\":\"/Groups\",\"bulkId\":\"g" + i + "\",\"data\":{\"displayName\":"
                + "\"group " + i + "\",\"members\":[" + (i == n - 1 ? "" : "{\"type\":\"Group\",\"value\":\"bulkId:g"
                + (i + 1) + "\"}") + "]}}";
    }

    interface Op {
        String json(int i, int n);
    }

    /** The median wall time of {@code runs} bulk requests of {@code n} operations, each on a fresh server. */
    private static double run(String name, int n, Op op, int runs) throws Exception {
        StringBuilder ops = new StringBuilder();
        for (int i = 0; i < n; i++) {
            ops.append(i == 0 ? "" : ",").append(op.json(i, n));
        }
        String body = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],\"Operations\":["
                + ops + "]}";
        long[] t = new long[runs];
        for (int r = 0; r < runs; r++) {
            ScimBulkHarness h = new ScimBulkHarness();
            try {
                h.warmUp();
                long t0 = System.nanoTime();
                String resp = h.post(body);
                t[r] = System.nanoTime() - t0;
                Matcher m = STATUS.matcher(resp);
                int ok = 0;
                while (m.find()) {
                    if (!m.group(1).equals("201")) {
                        throw new IllegalStateException(name + ": an operation answered " + m.group(1));
                    }
                    ok++;
                }
                if (ok != n) {
                    throw new IllegalStateException(name + ": " + ok + " of " + n + " operations answered");
                }
            } finally {
                h.stop();
            }
        }
        java.util.Arrays.sort(t);
        double med = t[runs / 2] / 1e6;
        out("  %-20s %,6d operations: median %,9.1f ms over %d runs (min %,.1f, max %,.1f)", name, n, med, runs,
                t[0] / 1e6, t[runs - 1] / 1e6);
        return med;
    }

    /** A first request, so that the fresh server's lazy start-up is not counted. */
    private void warmUp() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/ServiceProviderConfig"))
                .header("Authorization", "Bearer " + TOKEN).GET().build();
        client.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private String post(String body) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/Bulk"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/scim+json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("POST /Bulk gave " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private void stop() {
        http.stop(0);
        ((ExecutorService) http.getExecutor()).shutdownNow();
    }

    private static void out(String fmt, Object... args) {
        System.out.println(String.format(Locale.ROOT, fmt, args));
    }
}
