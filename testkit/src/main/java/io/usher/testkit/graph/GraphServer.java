package io.usher.testkit.graph;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.usher.core.spi.SourceException;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.internal.LoopbackHttpServer;
import io.usher.testkit.internal.OpaqueTokens;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stateful fake of Microsoft Graph and the Entra ID token endpoint, serving an {@link InMemoryDirectory} on a
 * free loopback port with the JDK's HTTP server. Changing the directory changes what it serves.
 *
 * <p>What it serves, with the shapes Microsoft documents:
 * <ul>
 *   <li>{@code POST /{tenant}/oauth2/v2.0/token}: the client credentials grant with a client secret or a client
 *       assertion (checked: signature by a registered certificate named by {@code x5t#S256}, RS256 or PS256,
 *       {@code aud}, {@code iss}/{@code sub}, {@code exp}/{@code nbf}, {@code jti} replay); opaque access tokens
 *       carrying the app's granted permissions and expiring after {@link Builder#tokenLifetime}.
 *   <li>{@code GET /v1.0/users}, {@code /groups}, {@code /users/{id}}, {@code /groups/{id}},
 *       {@code /groups/{id}/members}, {@code /groups/{id}/transitiveMembers}: {@code $select} (unknown
 *       properties are a 400), {@code $top} (1–999, else 400), {@code @odata.nextLink} with opaque, tamper-evident
 *       skip tokens; a full last page is followed by an empty one, as in the real service.
 *       {@code $filter} on users supports {@code mail eq '…'} and {@code userPrincipalName eq '…'}.
 *   <li>{@code GET /v1.0/users/delta} and {@code /groups/delta}: an initial round of everything, or
 *       {@code $deltatoken=latest}; then changes since a delta token, each object once in its latest state,
 *       {@code @removed} with reason {@code changed} (a soft-deleted user, see
 *       {@link InMemoryDirectory#softDeleteUser}) or {@code deleted}; groups with {@code members@delta} (the last
 *       change per member), a group's member changes spread over several objects when there are many (as Graph
 *       does); {@code @odata.deltaLink} at the end. A delta token older than the directory's change log is a 410
 *       with code {@code syncStateNotFound}.
 *   <li>{@code GET /v1.0/directory/deletedItems/{id}}: a soft-deleted user, whose {@code userPrincipalName}
 *       Entra ID prefixes with its id without hyphens.
 * </ul>
 *
 * <p>Permissions: {@code /users*} and deleted items need {@code User.Read.All} (or {@code Directory.Read.All});
 * {@code /groups*} need {@code Group.Read.All}, {@code GroupMember.Read.All} or {@code Directory.Read.All};
 * a missing one is a 403 {@code Authorization_RequestDenied}, as Graph answers.
 *
 * <p>Fault injection (all thread-safe, cleared by {@link #clearFaults()}): {@link #throttleNext},
 * {@link #throttleEvery} (a 429 storm), {@link #failNext} (5xx), {@link #failAfterRecords} (a source that stops
 * answering), {@link #expireDeltaTokens}, {@link #expireAccessTokens}, {@link #insertEmptyPages}, {@link #partialDeltaUsers}. The directory's
 * own serving-read faults answer 503.
 *
 * <p>Thread-safe. Close it to stop the server.
 */
public final class GraphServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GraphServer.class);

    static {
        LoopbackHttpServer.preferNoDelay(); // must run before the JDK's server classes load
    }
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory JSON = MAPPER.getFactory();

    /** The application permissions the Usher connector needs. */
    public static final Set<String> CONNECTOR_PERMISSIONS = Set.of("User.Read.All", "Group.Read.All",
            "GroupMember.Read.All");

    private final InMemoryDirectory directory;
    private final String tenant;
    private final Clock clock;
    private final LoopbackHttpServer http;
    private final OpaqueTokens tokens = new OpaqueTokens();
    private final TokenEndpoint tokenEndpoint;
    private final GraphApi api;
    private final URI base;

    private final Object faults = new Object();
    private int throttleRemaining;
    private Duration throttleRetryAfter = Duration.ofSeconds(1);
    private int throttleEvery;
    private Duration stormRetryAfter = Duration.ofSeconds(1);
    private int failRemaining;
    private int failStatus;
    private long failBudget = -1;
    private int failBudgetStatus;
    private boolean failing;
    private long deltaGeneration;
    private long tokenGeneration;
    private boolean emptyPages;
    private boolean partialDeltaUsers;

    private final AtomicLong graphRequests = new AtomicLong();
    private final AtomicLong tokenRequests = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong records = new AtomicLong();

    private GraphServer(Builder b) {
        this.directory = b.directory;
        this.tenant = b.tenant;
        this.clock = b.clock;
        this.http = LoopbackHttpServer.bind();
        this.base = http.base();
        this.tokenEndpoint = new TokenEndpoint(b.apps, tenant, clock, b.tokenLifetime, tokens);
        this.api = new GraphApi(this, directory, tokens, base.resolve("v1.0/").toString(), b.deltaPageSize,
                b.membersPerDeltaObject);
        http.start("fake-graph", b.threads, this::handle);
        LOG.debug("fake Microsoft Graph on {}", base);
    }

    /** A builder for a fake serving {@code directory}. */
    public static Builder builder(InMemoryDirectory directory) {
        return new Builder(directory);
    }

    /** The login host root (where {@code {tenant}/oauth2/v2.0/token} lives), ending with a slash. */
    public URI loginUri() {
        return base;
    }

    /** The Graph API root, {@code http://127.0.0.1:port/v1.0/}. */
    public URI graphUri() {
        return base.resolve("v1.0/");
    }

    /** The token endpoint, also the {@code aud} a client assertion must carry. */
    public URI tokenUri() {
        return base.resolve(tenant + "/oauth2/v2.0/token");
    }

    public String tenant() {
        return tenant;
    }

    public InMemoryDirectory directory() {
        return directory;
    }

    // ------------------------------------------------------------------ faults

    /** The next {@code count} Graph requests answer 429 with {@code Retry-After}. */
    public void throttleNext(int count, Duration retryAfter) {
        synchronized (faults) {
            throttleRemaining = count;
            throttleRetryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }

    /** Every {@code nth} Graph request answers 429 with {@code Retry-After} until cleared (a storm); 0 stops it. */
    public void throttleEvery(int nth, Duration retryAfter) {
        if (nth < 0 || nth == 1) {
            throw new IllegalArgumentException("nth must be 0 (off) or at least 2, so that requests get through");
        }
        synchronized (faults) {
            throttleEvery = nth;
            stormRetryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }

    /** The next {@code count} Graph requests answer {@code status} (500, 502, 503, 504). */
    public void failNext(int count, int status) {
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("status must be a 5xx status");
        }
        synchronized (faults) {
            failRemaining = count;
            failStatus = status;
        }
    }

    /**
     * After about {@code records} more records (users, groups, members, changes) have been served, every Graph
     * request answers {@code status} until {@link #clearFaults()}: a source that stops answering mid-read.
     */
    public void failAfterRecords(long records, int status) {
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("status must be a 5xx status");
        }
        synchronized (faults) {
            failBudget = records;
            failBudgetStatus = status;
            failing = false;
        }
    }

    /** Every delta token issued so far is answered with 410 {@code syncStateNotFound}. */
    public void expireDeltaTokens() {
        synchronized (faults) {
            deltaGeneration++;
        }
    }

    /** Every access token issued so far is answered with 401 {@code InvalidAuthenticationToken}. */
    public void expireAccessTokens() {
        synchronized (faults) {
            tokenGeneration++;
        }
    }

    /** Whether every non-empty page is followed by an extra empty page (Graph sends empty pages at times). */
    public void insertEmptyPages(boolean on) {
        synchronized (faults) {
            emptyPages = on;
        }
    }

    /** Disarms throttling, failures and empty pages (expired tokens stay expired). */
    public void clearFaults() {
        synchronized (faults) {
            throttleRemaining = 0;
            throttleEvery = 0;
            failRemaining = 0;
            failBudget = -1;
            failing = false;
            emptyPages = false;
            partialDeltaUsers = false;
        }
    }

    /**
     * Whether updated users in a delta round carry only {@code id} and {@code displayName}, as Graph may ("at
     * least the properties that have been updated"); clients must read the rest themselves.
     */
    public void partialDeltaUsers(boolean on) {
        synchronized (faults) {
            partialDeltaUsers = on;
        }
    }

    boolean partialDeltaUsers() {
        synchronized (faults) {
            return partialDeltaUsers;
        }
    }

    boolean emptyPages() {
        synchronized (faults) {
            return emptyPages;
        }
    }

    long deltaGeneration() {
        synchronized (faults) {
            return deltaGeneration;
        }
    }

    /** Graph API requests received so far (token requests not included). */
    public long graphRequests() {
        return graphRequests.get();
    }

    /** Token requests received so far. */
    public long tokenRequests() {
        return tokenRequests.get();
    }

    /** Requests answered with 429 so far. */
    public long throttledResponses() {
        return throttled.get();
    }

    /** Records (users, groups, members, delta objects) served so far. */
    public long recordsServed() {
        return records.get();
    }

    void served(int n) {
        records.addAndGet(n);
        synchronized (faults) {
            if (failBudget >= 0) {
                failBudget -= n;
                if (failBudget < 0) {
                    failing = true;
                }
            }
        }
    }

    // ------------------------------------------------------------------ dispatch

    private void handle(HttpExchange ex) {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            try {
                if ("POST".equals(ex.getRequestMethod()) && path.endsWith("/oauth2/v2.0/token")) {
                    tokenRequests.incrementAndGet();
                    token(ex, path);
                    return;
                }
                if (!path.startsWith("/v1.0/")) {
                    throw GraphError.notFound("Resource not found: the fake serves /v1.0/ and the token endpoint.");
                }
                graphRequests.incrementAndGet();
                if (!"GET".equals(ex.getRequestMethod())) {
                    throw new GraphError(405, "Request_BadRequest", "The fake serves GET only.");
                }
                TokenEndpoint.Issued caller = authenticate(ex);
                injectFaults();
                Map<String, String> query = query(ex.getRequestURI().getRawQuery());
                byte[] body = api.get(path.substring("/v1.0/".length()), query, caller.roles());
                send(ex, 200, body, Map.of());
            } catch (GraphError e) {
                if (e.status == 429) {
                    throttled.incrementAndGet();
                }
                send(ex, e.status, errorBody(e.code, e.getMessage()), e.headers);
            } catch (TokenEndpoint.OAuthError e) {
                send(ex, e.status, oauthError(e), Map.of());
            } catch (SourceException e) {
                send(ex, 503, errorBody("serviceNotAvailable", "The service is temporarily unavailable."), Map.of());
            } catch (RuntimeException e) {
                LOG.warn("fake Graph failed on {}: {}", path, e.toString());
                send(ex, 500, errorBody("generalException", "An internal error occurred."), Map.of());
            }
        } catch (IOException e) {
            LOG.debug("client went away: {}", e.toString());
        }
    }

    private void token(HttpExchange ex, String path) throws IOException {
        String[] parts = path.split("/");
        String pathTenant = parts.length > 1 ? parts[1] : "";
        String body = new String(ex.getRequestBody().readNBytes(64 * 1024), StandardCharsets.UTF_8);
        Map<String, String> form = query(body);
        long generation;
        synchronized (faults) {
            generation = tokenGeneration;
        }
        Map<String, Object> answer = tokenEndpoint.token(pathTenant, form, tokenUri().toString(), generation);
        send(ex, 200, MAPPER.writeValueAsBytes(answer), Map.of());
    }

    private TokenEndpoint.Issued authenticate(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null || !h.startsWith("Bearer ") || h.length() <= 7) {
            throw new GraphError(401, "InvalidAuthenticationToken", "Access token is empty.");
        }
        TokenEndpoint.Issued t = tokenEndpoint.issued.get(h.substring(7));
        long generation;
        synchronized (faults) {
            generation = tokenGeneration;
        }
        if (t == null || !clock.instant().isBefore(t.expiresAt()) || t.generation() < generation) {
            throw new GraphError(401, "InvalidAuthenticationToken",
                    "Lifetime validation failed, the token is expired.");
        }
        return t;
    }

    private void injectFaults() {
        synchronized (faults) {
            if (failing) {
                throw new GraphError(failBudgetStatus, "serviceNotAvailable", "Injected: the service stopped answering.");
            }
            if (failRemaining > 0) {
                failRemaining--;
                throw new GraphError(failStatus, failStatus == 504 ? "gatewayTimeout" : "serviceNotAvailable",
                        "Injected server error.");
            }
            if (throttleRemaining > 0) {
                throttleRemaining--;
                throw tooMany(throttleRetryAfter);
            }
            if (throttleEvery > 0 && graphRequests.get() % throttleEvery == 0) {
                throw tooMany(stormRetryAfter);
            }
        }
    }

    private static GraphError tooMany(Duration retryAfter) {
        return new GraphError(429, "TooManyRequests", "Too many requests.",
                Map.of("Retry-After", Long.toString(retryAfter.getSeconds())));
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            if (out.putIfAbsent(k, v) != null) {
                throw GraphError.badRequest("Query option '" + k + "' was specified more than once.");
            }
        }
        return out;
    }

    private static byte[] errorBody(String code, String message) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator g = JSON.createGenerator(out)) {
                g.writeStartObject();
                g.writeObjectFieldStart("error");
                g.writeStringField("code", code);
                g.writeStringField("message", message);
                g.writeObjectFieldStart("innerError");
                g.writeStringField("request-id", java.util.UUID.randomUUID().toString());
                g.writeEndObject();
                g.writeEndObject();
                g.writeEndObject();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] oauthError(TokenEndpoint.OAuthError e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", e.error);
        m.put("error_description", e.getMessage());
        String d = e.getMessage();
        if (d.startsWith("AADSTS")) {
            m.put("error_codes", List.of(Long.parseLong(d.substring(6, d.indexOf(':')))));
        }
        try {
            return MAPPER.writeValueAsBytes(m);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void send(HttpExchange ex, int status, byte[] body, Map<String, String> headers) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        headers.forEach(ex.getResponseHeaders()::set);
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "GraphServer[" + base + ", tenant=" + tenant + "]";
    }

    /** Builds and starts {@link GraphServer}s; setters validate at once. Not thread-safe. */
    public static final class Builder {
        private final InMemoryDirectory directory;
        private String tenant = "00000000-0000-4000-8000-00000000c0de";
        private Clock clock = Clock.systemUTC();
        private Duration tokenLifetime = Duration.ofHours(1);
        private int deltaPageSize = 200;
        private int membersPerDeltaObject = 100;
        private int threads = 8;
        private final Map<String, TokenEndpoint.App> apps = new LinkedHashMap<>();

        private Builder(InMemoryDirectory directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /** The tenant id in the token endpoint's path. */
        public Builder tenant(String id) {
            if (id == null || !id.matches("[A-Za-z0-9.\\-]{1,100}")) {
                throw new IllegalArgumentException("tenant must be a tenant id or domain name");
            }
            this.tenant = id;
            return this;
        }

        /** Registers an application that authenticates with a client secret, granted these permissions. */
        public Builder clientSecret(String clientId, String secret, Set<String> permissions) {
            register(new TokenEndpoint.App(requireText(clientId, "clientId"), requireText(secret, "secret"),
                    List.of(), Set.copyOf(permissions)));
            return this;
        }

        /** Registers an application that authenticates with a certificate (client assertions), granted these permissions. */
        public Builder clientCertificate(String clientId, X509Certificate certificate, Set<String> permissions) {
            Objects.requireNonNull(certificate, "certificate");
            TokenEndpoint.App old = apps.get(clientId);
            List<X509Certificate> certs = new ArrayList<>(old == null ? List.of() : old.certificates());
            certs.add(certificate);
            apps.put(requireText(clientId, "clientId"), new TokenEndpoint.App(clientId,
                    old == null ? null : old.secret(), certs, Set.copyOf(permissions)));
            return this;
        }

        private void register(TokenEndpoint.App app) {
            if (apps.containsKey(app.clientId())) {
                throw new IllegalArgumentException("client " + app.clientId() + " is already registered");
            }
            apps.put(app.clientId(), app);
        }

        private static String requireText(String v, String name) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
            return v;
        }

        /** The clock token expiry and assertion times are checked against (default: the system clock). */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** How long issued access tokens live (default 1 hour). */
        public Builder tokenLifetime(Duration d) {
            Objects.requireNonNull(d, "tokenLifetime");
            if (d.getSeconds() < 1) {
                throw new IllegalArgumentException("tokenLifetime must be at least a second");
            }
            this.tokenLifetime = d;
            return this;
        }

        /** Objects per delta page (default 200). */
        public Builder deltaPageSize(int n) {
            if (n < 1 || n > 999) {
                throw new IllegalArgumentException("deltaPageSize must be between 1 and 999");
            }
            this.deltaPageSize = n;
            return this;
        }

        /** At most this many {@code members@delta} entries per group object; more spread over several objects. */
        public Builder membersPerDeltaObject(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("membersPerDeltaObject must be at least 1");
            }
            this.membersPerDeltaObject = n;
            return this;
        }

        /** Server threads (default 8). */
        public Builder threads(int n) {
            if (n < 1 || n > 64) {
                throw new IllegalArgumentException("threads must be between 1 and 64");
            }
            this.threads = n;
            return this;
        }

        public GraphServer start() {
            if (apps.isEmpty()) {
                throw new IllegalStateException("register at least one application (clientSecret or clientCertificate)");
            }
            return new GraphServer(this);
        }
    }
}
