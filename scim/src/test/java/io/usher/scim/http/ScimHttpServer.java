package io.usher.scim.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.usher.core.CollisionPolicy;
import io.usher.core.DeprovisionPolicy;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.store.InMemoryUserStore;
import io.usher.scim.BearerTokenAuthenticator;
import io.usher.scim.ScimServer;
import io.usher.testkit.ManualClock;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ContainerFactory;

/**
 * A SCIM server on a real JAX-RS runtime for tests: Jersey on the JDK's HTTP server, bound to the loopback
 * address on a free port, in front of an {@link InMemoryUserStore} through a {@link ProvisioningEngine}. The
 * client is {@link HttpClient}. Close it after the test.
 */
public final class ScimHttpServer implements AutoCloseable {
    public static final String TOKEN = "test-token-0123456789abcdef";
    public static final String OLD_TOKEN = "old-token-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    static {
        // the JDK server otherwise waits on delayed ACKs (~40 ms per small response)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** The remote address of the connection the request this thread handles came on. */
    private static final ThreadLocal<InetAddress> PEER = new ThreadLocal<>();
    /** The socket's remote address, for {@code IpAllowList.builder().peerAddress(...)}. */
    public static final io.usher.scim.IpAllowList.PeerAddress PEER_ADDRESS = PEER::get;

    public final InMemoryUserStore store;
    /** The store the engine writes to: {@link #store}, or a {@link CountingStore} around it. */
    final io.usher.core.spi.UserStore engineStore;
    public final ProvisioningEngine engine;
    public final ScimServer scim;
    public final ManualClock clock;
    private final HttpServer http;
    private final HttpClient client;
    public final String base;

    /** Options for a test server. */
    public static final class Options {
        CollisionPolicy collisions = CollisionPolicy.SKIP;
        DeprovisionPolicy deprovision = DeprovisionPolicy.DEACTIVATE;
        boolean flat;
        boolean mountedByLocator;
        Consumer<ScimServer.Builder> tweak = b -> { };
        boolean deleteGroups = true;
        boolean counting;
        io.usher.core.pipeline.Pipeline pipeline = io.usher.core.pipeline.Pipeline.DEFAULT;
        io.usher.core.SyncListener listener;
        io.usher.core.model.CredentialPolicy credentials;
        final java.util.List<io.usher.core.audit.AuditListener> audit = new java.util.ArrayList<>();

        public Options collisions(CollisionPolicy v) { collisions = v; return this; }
        public Options deprovision(DeprovisionPolicy v) { deprovision = v; return this; }
        public Options flat() { flat = true; return this; }
        public Options counting() { counting = true; return this; }
        public Options pipeline(io.usher.core.pipeline.Pipeline v) { pipeline = v; return this; }
        public Options mountedByLocator() { mountedByLocator = true; return this; }
        public Options leaveGroups() { deleteGroups = false; return this; }
        public Options tweak(Consumer<ScimServer.Builder> v) { tweak = v; return this; }
        public Options listener(io.usher.core.SyncListener v) { listener = v; return this; }
        public Options credentials(io.usher.core.model.CredentialPolicy v) { credentials = v; return this; }
        public Options audit(io.usher.core.audit.AuditListener v) { audit.add(v); return this; }
    }

    public static ScimHttpServer start() {
        return start(new Options());
    }

    public static ScimHttpServer startWithListener(io.usher.core.SyncListener listener) {
        return start(new Options().listener(listener));
    }

    public static ScimHttpServer start(Options o) {
        return new ScimHttpServer(o);
    }

    /** The host's own resource, mounting SCIM below one of its paths with a sub-resource locator. */
    @Path("api")
    public static final class HostResource {
        private final ScimServer scim;

        HostResource(ScimServer scim) {
            this.scim = scim;
        }

        @Path("scim/v2")
        public Object scim() {
            return scim.resource();
        }

        @GET
        @Path("health")
        public String health() {
            return "ok";
        }
    }

    private ScimHttpServer(Options o) {
        store = o.flat ? InMemoryUserStore.flat() : new InMemoryUserStore();
        clock = new ManualClock(Instant.parse("2026-11-29T08:00:00Z"));
        engineStore = o.counting ? new CountingStore(store) : store;
        Source.Builder sb = Source.builder("scim").pipeline(o.pipeline).collisions(o.collisions)
                .deprovision(o.deprovision).deleteGroups(o.deleteGroups);
        if (o.credentials != null) {
            sb.credentials(o.credentials);
        }
        ProvisioningEngine.Builder eb = ProvisioningEngine.builder().store(engineStore).source(sb.build()).clock(clock);
        if (o.listener != null) {
            eb.listener(o.listener);
        }
        o.audit.forEach(eb::audit);
        engine = eb.build();
        AtomicLong ids = new AtomicLong();
        ScimServer.Builder b = ScimServer.builder(engine, "scim")
                .authenticator(BearerTokenAuthenticator.builder().token("current", TOKEN).token("previous", OLD_TOKEN)
                        .build())
                .clock(clock)
                .ids(() -> String.format("id-%04d", ids.incrementAndGet()));
        o.tweak.accept(b);
        scim = b.build();
        ResourceConfig config;
        String contextPath;
        if (o.mountedByLocator) {
            config = new ResourceConfig().registerInstances(new HostResource(scim));
            contextPath = "/app";
        } else {
            config = ResourceConfig.forApplication(scim.application());
            contextPath = "/scim/v2";
        }
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpHandler jersey = ContainerFactory.createContainer(HttpHandler.class, config);
        // what a host on the JDK's server does for IpAllowList: remember the socket's remote address per request
        HttpHandler handler = exchange -> {
            PEER.set(exchange.getRemoteAddress().getAddress());
            try {
                jersey.handle(exchange);
            } finally {
                PEER.remove();
            }
        };
        http.createContext(contextPath, handler);
        http.setExecutor(Executors.newFixedThreadPool(16));
        http.start();
        String root = "http://127.0.0.1:" + http.getAddress().getPort() + contextPath;
        base = o.mountedByLocator ? root + "/api/scim/v2" : root;
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    /** One response: status, headers, parsed JSON body (or null). */
    public record Resp(int status, java.net.http.HttpHeaders headers, JsonNode body, String raw) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + raw;
        }
    }

    /** How often a group's user members were enumerated (needs {@code Options.counting()}). */
    public long memberEnumerations() {
        return ((CountingStore) engineStore).memberEnumerations.get();
    }

    public Resp send(String method, String path, String body, String... headers) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path));
        boolean hasType = false;
        boolean hasAuth = false;
        for (int i = 0; i < headers.length; i += 2) {
            rb.header(headers[i], headers[i + 1]);
            hasType |= headers[i].equalsIgnoreCase("Content-Type");
            hasAuth |= headers[i].equalsIgnoreCase("Authorization");
        }
        if (!hasAuth) {
            rb.header("Authorization", "Bearer " + TOKEN);
        }
        if (body != null && !hasType) {
            rb.header("Content-Type", "application/scim+json");
        }
        rb.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = client.send(rb.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            if (!r.body().isEmpty()) {
                try {
                    json = JSON.readTree(r.body());
                } catch (IOException e) {
                    json = null;
                }
            }
            return new Resp(r.statusCode(), r.headers(), json, r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Resp get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    public Resp post(String path, String body, String... headers) {
        return send("POST", path, body, headers);
    }

    public Resp put(String path, String body, String... headers) {
        return send("PUT", path, body, headers);
    }

    public Resp patch(String path, String body, String... headers) {
        return send("PATCH", path, body, headers);
    }

    public Resp delete(String path, String... headers) {
        return send("DELETE", path, null, headers);
    }

    /** JSON text from single-quoted text (tests read better without escaped quotes). */
    public static String j(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    /** Creates a user and returns its id. */
    public String createUser(String userName) {
        Resp r = post("/Users", j("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:User'],'userName':'" + userName
                + "','name':{'givenName':'G','familyName':'F'},'emails':[{'value':'" + userName
                + "@example.com','type':'work','primary':true}]}"));
        if (r.status() != 201) {
            throw new AssertionError("create user failed: " + r);
        }
        return r.body().get("id").asText();
    }

    /** Creates a group with the given member ids (users) and returns its id. */
    public String createGroup(String name, String... userIds) {
        StringBuilder members = new StringBuilder();
        for (String id : userIds) {
            members.append(members.length() == 0 ? "" : ",").append("{'value':'").append(id).append("'}");
        }
        Resp r = post("/Groups", j("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:Group'],'displayName':'" + name
                + "','members':[" + members + "]}"));
        if (r.status() != 201) {
            throw new AssertionError("create group failed: " + r);
        }
        return r.body().get("id").asText();
    }

    @Override
    public void close() {
        http.stop(0);
        ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
    }

}
