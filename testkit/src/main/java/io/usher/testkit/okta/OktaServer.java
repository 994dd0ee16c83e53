package io.usher.testkit.okta;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import com.sun.net.httpserver.HttpExchange;
import io.usher.core.model.MemberKind;
import io.usher.core.spi.SourceException;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.internal.LoopbackHttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stateful fake of the Okta management API and the org authorization server's token endpoint, serving an
 * {@link InMemoryDirectory} on a free loopback port with the JDK's HTTP server. Changing the directory changes
 * what it serves; Okta's own bookkeeping ({@code created}, {@code lastUpdated}, {@code lastMembershipUpdated},
 * the System Log) is derived from the directory's change log (see {@link OktaState}).
 *
 * <p>What it serves, with the shapes Okta documents:
 * <ul>
 *   <li>{@code GET /api/v1/users}: without {@code filter}, every user except {@code DEPROVISIONED} ones; with
 *       {@code filter} ({@code status eq "…"}, {@code lastUpdated gt "…"}, {@code id}, {@code profile.login},
 *       {@code profile.email}; {@code and}, {@code or}, parentheses), every status. Status: a user's
 *       {@code oktaStatus} attribute ({@code STAGED}, {@code PROVISIONED}, {@code RECOVERY},
 *       {@code PASSWORD_EXPIRED}, {@code LOCKED_OUT}, {@code SUSPENDED}, …) when set, else {@code ACTIVE}; a disabled
 *       user is {@code DEPROVISIONED} (or {@code SUSPENDED} when its attribute says so). An undocumented value
 *       (upper-case letters and underscores) is served as given.
 *       {@code GET /api/v1/users/{id}}.
 *   <li>{@code GET /api/v1/groups} ({@code filter} on {@code type}, {@code lastUpdated},
 *       {@code lastMembershipUpdated}, {@code id}, {@code profile.name}), {@code GET /api/v1/groups/{id}},
 *       {@code GET /api/v1/groups/{id}/users}. A group is an {@code OKTA_GROUP}, or an {@code APP_GROUP} when
 *       {@link Builder#appGroups} says so. Okta has no nested groups: group members of groups are not served.
 *   <li>{@code GET /api/v1/logs}: System Log events ({@code user.lifecycle.create/activate/deactivate/reactivate},
 *       {@code user.account.update_profile}, {@code user.lifecycle.delete.initiated/completed},
 *       {@code group.lifecycle.create/delete}, {@code group.profile.update},
 *       {@code group.user_membership.add/remove}) with {@code since} (inclusive), {@code until} (exclusive),
 *       {@code filter} ({@code eventType eq "…"}, …), {@code limit} (≤ 1000). Without {@code until} a request
 *       is a polling request and always has a {@code next} link, as Okta documents; {@code since} older than the
 *       log's retention is a 400.
 *   <li>Paging: {@code limit} (1–200 for users and groups, default 200; else a 400 {@code E0000001}) and
 *       {@code Link: <…>; rel="next"} headers whose {@code after} cursor is opaque; a tampered cursor is a 400.
 *   <li>{@code POST /oauth2/v1/token}: client credentials with {@code private_key_jwt}, scopes, DPoP (see
 *       {@link OktaAuth}). API requests accept {@code SSWS} API tokens and access tokens; a wrong token is a 401
 *       {@code E0000011}, a missing scope a 403 {@code E0000006} with {@code WWW-Authenticate} naming the scope
 *       ({@code okta.users.read} for users, {@code okta.groups.read} for groups and members,
 *       {@code okta.logs.read} for the System Log).
 *   <li>Rate limits: each bucket (users, groups, logs, token) allows {@link Builder#rateLimit} requests per
 *       clock minute; every answer carries {@code X-Rate-Limit-Limit}, {@code -Remaining} and {@code -Reset}
 *       (epoch seconds); past the limit, a 429 {@code E0000047}. {@link #maxRequestsInAWindow} tells how close a
 *       client came.
 * </ul>
 *
 * <p>Errors have Okta's shape: {@code errorCode}, {@code errorSummary}, {@code errorLink}, {@code errorId},
 * {@code errorCauses}. Fault injection (thread-safe, cleared by {@link #clearFaults()}): {@link #throttleNext}
 * and {@link #throttleEvery} (429s naming the window's reset), {@link #failNext} (5xx), {@link #failAfterRecords} (a source that stops
 * answering), {@link #expireAccessTokens}, and {@link #logDelay} (System Log events searchable only after a
 * delay, as Okta's log is eventually consistent). The directory's own serving-read faults answer 503.
 *
 * <p>Thread-safe. Close it to stop the server.
 */
public final class OktaServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OktaServer.class);

    static {
        LoopbackHttpServer.preferNoDelay(); // must run before the JDK's server classes load
    }
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory JSON = MAPPER.getFactory();
    /** The scopes the Usher connector asks for. */
    public static final Set<String> CONNECTOR_SCOPES = Set.of("okta.users.read", "okta.groups.read", "okta.logs.read");

    private final InMemoryDirectory directory;
    private final Clock clock;
    private final OktaState state;
    private final OktaAuth auth;
    private final LoopbackHttpServer http;
    private final URI base;
    private final int rateLimit;
    private final Duration logRetention;
    private volatile Duration logDelay = Duration.ZERO;

    private final Object faults = new Object();
    private int throttleRemaining;
    private int throttleEvery;
    private long stormCount;
    private int failRemaining;
    private int failStatus;
    private long failBudget = -1;

    private final Map<String, Window> windows = new HashMap<>();
    private final Map<String, Integer> maxInWindow = new ConcurrentHashMap<>();
    private final AtomicLong apiRequests = new AtomicLong();
    private final AtomicLong tokenRequests = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final Map<String, AtomicLong> byBucket = new ConcurrentHashMap<>();
    private final AtomicLong errorIds = new AtomicLong();

    private static final class Window {
        long start;
        int used;
    }

    private OktaServer(Builder b) {
        this.directory = b.directory;
        this.clock = b.clock;
        this.rateLimit = b.rateLimit;
        this.logRetention = b.logRetention;
        this.state = new OktaState(directory, clock, b.appGroups, b.seed);
        this.auth = new OktaAuth(clock, b.tokenLifetime, b.apiTokens, b.apps);
        this.http = LoopbackHttpServer.bind();
        this.base = http.base();
        http.start("fake-okta", b.threads, this::handle);
        LOG.debug("fake Okta on {}", base);
    }

    /** A builder for a fake serving {@code directory}. */
    public static Builder builder(InMemoryDirectory directory) {
        return new Builder(directory);
    }

    /** The org URL, {@code http://127.0.0.1:port/} (API under {@code api/v1/}). */
    public URI orgUri() {
        return base;
    }

    /** The token endpoint, also the {@code aud} a client assertion must carry. */
    public URI tokenUri() {
        return base.resolve("oauth2/v1/token");
    }

    public InMemoryDirectory directory() {
        return directory;
    }

    // ------------------------------------------------------------------ faults and counters

    /** The next {@code count} API requests answer 429 {@code E0000047}, with the window's reset time. */
    public void throttleNext(int count) {
        synchronized (faults) {
            throttleRemaining = count;
        }
    }

    /** Every {@code nth} API request answers 429 {@code E0000047} until cleared (a storm); 0 stops it. */
    public void throttleEvery(int nth) {
        if (nth < 0 || nth == 1) {
            throw new IllegalArgumentException("nth must be 0 (off) or at least 2, so that requests get through");
        }
        synchronized (faults) {
            throttleEvery = nth;
            stormCount = 0;
        }
    }

    /** The next {@code count} API requests answer {@code status} (500, 502, 503, 504). */
    public void failNext(int count, int status) {
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("status must be a 5xx status");
        }
        synchronized (faults) {
            failRemaining = count;
            failStatus = status;
        }
    }

    /** After about {@code records} more records are served, every API request answers 500 until cleared. */
    public void failAfterRecords(long records) {
        synchronized (faults) {
            failBudget = records;
        }
    }

    public void clearFaults() {
        synchronized (faults) {
            throttleRemaining = 0;
            throttleEvery = 0;
            failRemaining = 0;
            failBudget = -1;
        }
    }

    /** Every access token issued so far stops working (as if they had all expired). */
    public void expireAccessTokens() {
        auth.expireAll();
    }

    /**
     * System Log events become searchable only this long after they are published (Okta's log is eventually
     * consistent; a client must look back at least this far). Default zero.
     */
    public void logDelay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        this.logDelay = delay;
    }

    /** API requests received (token requests not included). */
    public long apiRequests() {
        return apiRequests.get();
    }

    public long tokenRequests() {
        return tokenRequests.get();
    }

    /** API requests answered 429. */
    public long throttled() {
        return throttled.get();
    }

    /** Requests received for one bucket: {@code users}, {@code groups}, {@code logs} or {@code token}. */
    public long requests(String bucket) {
        AtomicLong n = byBucket.get(bucket);
        return n == null ? 0 : n.get();
    }

    /** The most requests one bucket took within one rate-limit window, 429s included. */
    public int maxRequestsInAWindow(String bucket) {
        return maxInWindow.getOrDefault(bucket, 0);
    }

    /** The per-bucket, per-minute limit. */
    public int rateLimit() {
        return rateLimit;
    }

    // ------------------------------------------------------------------ serving

    private void handle(HttpExchange ex) {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            Map<String, String> headers = new LinkedHashMap<>();
            try {
                state.catchUp();
                String bucket = bucket(path);
                byBucket.computeIfAbsent(bucket, k -> new AtomicLong()).incrementAndGet();
                rateLimit(bucket, headers);
                if ("POST".equals(ex.getRequestMethod()) && path.equals("/oauth2/v1/token")) {
                    tokenRequests.incrementAndGet();
                    String body = new String(ex.getRequestBody().readNBytes(64 * 1024), StandardCharsets.UTF_8);
                    Map<String, Object> answer = auth.token(query(body), ex.getRequestHeaders().getFirst("DPoP"),
                            tokenUri().toString());
                    send(ex, 200, MAPPER.writeValueAsBytes(answer), headers);
                    return;
                }
                if (!path.startsWith("/api/v1/")) {
                    throw new OktaError(404, "E0000022", "The endpoint does not support the provided HTTP method");
                }
                apiRequests.incrementAndGet();
                if (!"GET".equals(ex.getRequestMethod())) {
                    throw new OktaError(405, "E0000022", "The endpoint does not support the provided HTTP method");
                }
                OktaAuth.Caller caller = authenticate(ex);
                injectFaults(bucket, headers);
                Map<String, String> query = query(ex.getRequestURI().getRawQuery());
                byte[] body = route(path.substring("/api/v1/".length()), query, caller, headers);
                send(ex, 200, body, headers);
            } catch (OktaError e) {
                if (e.status == 429) {
                    throttled.incrementAndGet();
                }
                headers.putAll(e.headers);
                send(ex, e.status, errorBody(e.code, e.getMessage(), e.causes), headers);
            } catch (OktaAuth.OAuthError e) {
                headers.putAll(e.headers);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("error", e.error);
                body.put("error_description", e.getMessage());
                send(ex, e.status, MAPPER.writeValueAsBytes(body), headers);
            } catch (SourceException e) {
                send(ex, 503, errorBody("E0000010", "Service is in read only mode"), headers);
            } catch (RuntimeException e) {
                LOG.warn("fake Okta failed on {}: {}", path, e.toString());
                send(ex, 500, errorBody("E0000009", "Internal Server Error"), headers);
            }
        } catch (IOException e) {
            LOG.debug("client went away: {}", e.toString());
        }
    }

    private static String bucket(String path) {
        if (path.startsWith("/api/v1/users")) return "users";
        if (path.startsWith("/api/v1/groups")) return "groups";
        if (path.startsWith("/api/v1/logs")) return "logs";
        if (path.startsWith("/oauth2/")) return "token";
        return "other";
    }

    private void rateLimit(String bucket, Map<String, String> headers) {
        long now = clock.instant().getEpochSecond();
        long start = now - Math.floorMod(now, 60);
        int used;
        synchronized (windows) {
            Window w = windows.computeIfAbsent(bucket, k -> new Window());
            if (w.start != start) {
                w.start = start;
                w.used = 0;
            }
            used = ++w.used;
            maxInWindow.merge(bucket, used, Math::max);
        }
        headers.put("X-Rate-Limit-Limit", Integer.toString(rateLimit));
        headers.put("X-Rate-Limit-Remaining", Integer.toString(Math.max(0, rateLimit - used)));
        headers.put("X-Rate-Limit-Reset", Long.toString(start + 60));
        if (used > rateLimit) {
            throw new OktaError(429, "E0000047", "API call exceeded rate limit due to too many requests.");
        }
    }

    private void injectFaults(String bucket, Map<String, String> headers) {
        synchronized (faults) {
            boolean storm = throttleEvery > 0 && ++stormCount % throttleEvery == 0;
            if (throttleRemaining > 0 || storm) {
                if (!storm) {
                    throttleRemaining--;
                }
                headers.put("X-Rate-Limit-Remaining", "0");
                throw new OktaError(429, "E0000047", "API call exceeded rate limit due to too many requests.");
            }
            if (failRemaining > 0) {
                failRemaining--;
                throw new OktaError(failStatus, "E0000009", "Internal Server Error");
            }
            if (failBudget == 0) {
                throw new OktaError(500, "E0000009", "Internal Server Error");
            }
        }
    }

    private void charge(int n) {
        records.addAndGet(n);
        synchronized (faults) {
            if (failBudget > 0) {
                failBudget = Math.max(0, failBudget - n);
            }
        }
    }

    private OktaAuth.Caller authenticate(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        OktaAuth.Caller c;
        try {
            c = auth.authenticate(h, ex.getRequestHeaders().getFirst("DPoP"), ex.getRequestMethod(),
                    base.resolve(ex.getRequestURI().getRawPath()).toString());
        } catch (OktaAuth.OAuthError e) {
            throw new OktaError(401, "E0000011", "Invalid token provided",
                    Map.of("WWW-Authenticate", "DPoP error=\"invalid_dpop_proof\", error_description=\""
                            + e.getMessage() + "\""));
        }
        if (c == null) {
            throw new OktaError(401, "E0000011", "Invalid token provided");
        }
        return c;
    }

    private static void requireScope(OktaAuth.Caller c, String scope) {
        if (!c.has(scope)) {
            throw new OktaError(403, "E0000006", "You do not have permission to perform the requested action",
                    Map.of("WWW-Authenticate", "Bearer realm=\"IdpMyAccountAPI\", error=\"insufficient_scope\", "
                            + "error_description=\"The access token provided does not contain the required scopes.\", "
                            + "scope=\"" + scope + "\""));
        }
    }

    private byte[] route(String rest, Map<String, String> q, OktaAuth.Caller caller, Map<String, String> headers)
            throws IOException {
        String[] parts = rest.split("/");
        switch (parts[0]) {
            case "users":
                requireScope(caller, "okta.users.read");
                if (parts.length == 1) {
                    return users(q, headers);
                }
                if (parts.length == 2) {
                    DirectoryUser u = directory.user(decode(parts[1])).orElseThrow(() -> notFound(parts[1], "User"));
                    return write(g -> user(g, u));
                }
                break;
            case "groups":
                requireScope(caller, "okta.groups.read");
                if (parts.length == 1) {
                    return groups(q, headers);
                }
                String id = decode(parts[1]);
                DirectoryGroup group = directory.group(id).orElseThrow(() -> notFound(parts[1], "UserGroup"));
                if (parts.length == 2) {
                    return write(g -> group(g, group));
                }
                if (parts.length == 3 && parts[2].equals("users")) {
                    return groupUsers(group, q, headers);
                }
                break;
            case "logs":
                requireScope(caller, "okta.logs.read");
                if (parts.length == 1) {
                    return logs(q, headers);
                }
                break;
            default:
                break;
        }
        throw new OktaError(404, "E0000007", "Not found: Resource not found: " + safe(rest) + " (Resource)");
    }

    private static OktaError notFound(String id, String type) {
        return new OktaError(404, "E0000007", "Not found: Resource not found: " + safe(id) + " (" + type + ")");
    }

    private static int limit(Map<String, String> q, int dflt, int max) {
        String l = q.get("limit");
        if (l == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(l);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the error
        }
        throw new OktaError(400, "E0000001", "Api validation failed: limit", List.of("limit: must be between 1 and "
                + max));
    }

    private static Predicate<Function<String, String>> filter(Map<String, String> q) {
        String f = q.get("filter");
        if (f == null) {
            return null;
        }
        try {
            OktaFilter.Node n = OktaFilter.parse(f);
            return n::test;
        } catch (OktaFilter.Invalid e) {
            throw new OktaError(400, "E0000031", "Invalid search criteria.", List.of(e.getMessage()));
        }
    }

    // ---------------------------------------------------------------- users

    private String status(DirectoryUser u) {
        String s = u.attributes().getOrDefault("oktaStatus", List.of()).stream().findFirst().orElse(null);
        if (u.enabled()) {
            // any other value is served as given, to stand for a status Okta may add one day
            return s != null && !s.equals("DEPROVISIONED") && !s.equals("SUSPENDED") && s.matches("[A-Z_]{1,40}") ? s
                    : "ACTIVE";
        }
        return "SUSPENDED".equals(s) ? "SUSPENDED" : "DEPROVISIONED";
    }

    private Function<String, String> userAttributes(DirectoryUser u) {
        OktaState.Meta m = state.user(u.id());
        return a -> {
            switch (a) {
                case "id": return u.id();
                case "status": return status(u);
                case "lastUpdated": return m == null ? null : m.lastUpdated.toString();
                case "created": return m == null ? null : m.created.toString();
                case "profile.login": return u.loginName();
                case "profile.email": return u.emails().isEmpty() ? null : u.emails().get(0);
                case "profile.firstName": return u.givenName();
                case "profile.lastName": return u.familyName();
                default: return null;
            }
        };
    }

    private byte[] users(Map<String, String> q, Map<String, String> headers) throws IOException {
        int limit = limit(q, 200, 200);
        String after = cursor(q, "u");
        Predicate<Function<String, String>> f = filter(q);
        Predicate<DirectoryUser> keep = f == null ? u -> !status(u).equals("DEPROVISIONED")
                : u -> f.test(userAttributes(u));
        List<DirectoryUser> page = new ArrayList<>();
        boolean more = false;
        String from = after;
        outer:
        while (true) {
            List<DirectoryUser> chunk = directory.readUserPage(from, 500);
            for (DirectoryUser u : chunk) {
                if (keep.test(u)) {
                    if (page.size() == limit) {
                        more = true;
                        break outer;
                    }
                    page.add(u);
                }
            }
            if (chunk.size() < 500) {
                break;
            }
            from = chunk.get(chunk.size() - 1).id();
        }
        charge(page.size());
        links(headers, "users", q, more ? "u:" + page.get(page.size() - 1).id() : null);
        return write(g -> {
            g.writeStartArray();
            for (DirectoryUser u : page) {
                user(g, u);
            }
            g.writeEndArray();
        });
    }

    private void user(JsonGenerator g, DirectoryUser u) throws IOException {
        OktaState.Meta m = state.user(u.id());
        Instant at = m == null ? state.now() : m.lastUpdated;
        g.writeStartObject();
        g.writeStringField("id", u.id());
        g.writeStringField("status", status(u));
        g.writeStringField("created", (m == null ? at : m.created).toString());
        g.writeStringField("activated", (m == null ? at : m.created).toString());
        g.writeStringField("statusChanged", (m == null ? at : m.statusChanged).toString());
        g.writeNullField("lastLogin");
        g.writeStringField("lastUpdated", at.toString());
        g.writeNullField("passwordChanged");
        g.writeObjectFieldStart("type");
        g.writeStringField("id", "oty1usher0000000000");
        g.writeEndObject();
        g.writeObjectFieldStart("profile");
        g.writeStringField("login", u.loginName());
        g.writeStringField("email", u.emails().isEmpty() ? null : u.emails().get(0));
        g.writeStringField("firstName", u.givenName());
        g.writeStringField("lastName", u.familyName());
        g.writeStringField("displayName", u.displayName());
        if (u.emails().size() > 1) {
            g.writeStringField("secondEmail", u.emails().get(1));
        }
        g.writeStringField("userType", u.kind() == io.usher.core.spi.SourceUser.Kind.MEMBER ? null
                : u.kind().name().toLowerCase(java.util.Locale.ROOT));
        for (Map.Entry<String, List<String>> a : u.attributes().entrySet()) {
            if (!a.getKey().equals("oktaStatus") && !a.getValue().isEmpty()) {
                g.writeStringField(a.getKey(), a.getValue().get(0));
            }
        }
        g.writeEndObject();
        g.writeObjectFieldStart("credentials");
        g.writeObjectFieldStart("provider");
        g.writeStringField("type", "OKTA");
        g.writeStringField("name", "OKTA");
        g.writeEndObject();
        g.writeEndObject();
        g.writeObjectFieldStart("_links");
        g.writeObjectFieldStart("self");
        g.writeStringField("href", base.resolve("api/v1/users/" + u.id()).toString());
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
    }

    // ---------------------------------------------------------------- groups

    private Function<String, String> groupAttributes(DirectoryGroup grp) {
        OktaState.Meta m = state.group(grp.id());
        return a -> {
            switch (a) {
                case "id": return grp.id();
                case "type": return state.isAppGroup(grp) ? "APP_GROUP" : "OKTA_GROUP";
                case "lastUpdated": return m == null ? null : m.lastUpdated.toString();
                case "lastMembershipUpdated": return m == null ? null : m.lastMembershipUpdated.toString();
                case "created": return m == null ? null : m.created.toString();
                case "profile.name": return grp.name();
                default: return null;
            }
        };
    }

    private byte[] groups(Map<String, String> q, Map<String, String> headers) throws IOException {
        int limit = limit(q, 200, 200);
        String after = cursor(q, "g");
        Predicate<Function<String, String>> f = filter(q);
        String prefix = q.get("q");
        List<DirectoryGroup> page = new ArrayList<>();
        boolean more = false;
        String from = after;
        outer:
        while (true) {
            List<DirectoryGroup> chunk = directory.readGroupPage(from, 500);
            for (DirectoryGroup grp : chunk) {
                if ((f == null || f.test(groupAttributes(grp))) && (prefix == null || grp.name().startsWith(prefix))) {
                    if (page.size() == limit) {
                        more = true;
                        break outer;
                    }
                    page.add(grp);
                }
            }
            if (chunk.size() < 500) {
                break;
            }
            from = chunk.get(chunk.size() - 1).id();
        }
        charge(page.size());
        links(headers, "groups", q, more ? "g:" + page.get(page.size() - 1).id() : null);
        return write(g -> {
            g.writeStartArray();
            for (DirectoryGroup grp : page) {
                group(g, grp);
            }
            g.writeEndArray();
        });
    }

    private void group(JsonGenerator g, DirectoryGroup grp) throws IOException {
        OktaState.Meta m = state.group(grp.id());
        Instant now = state.now();
        g.writeStartObject();
        g.writeStringField("id", grp.id());
        g.writeStringField("created", (m == null ? now : m.created).toString());
        g.writeStringField("lastUpdated", (m == null ? now : m.lastUpdated).toString());
        g.writeStringField("lastMembershipUpdated", (m == null ? now : m.lastMembershipUpdated).toString());
        g.writeArrayFieldStart("objectClass");
        g.writeString(state.isAppGroup(grp) ? "okta:windows_security_principal" : "okta:user_group");
        g.writeEndArray();
        g.writeStringField("type", state.isAppGroup(grp) ? "APP_GROUP" : "OKTA_GROUP");
        g.writeObjectFieldStart("profile");
        g.writeStringField("name", grp.name());
        g.writeStringField("description", grp.description());
        g.writeEndObject();
        g.writeObjectFieldStart("_links");
        g.writeObjectFieldStart("users");
        g.writeStringField("href", base.resolve("api/v1/groups/" + grp.id() + "/users").toString());
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
    }

    private byte[] groupUsers(DirectoryGroup grp, Map<String, String> q, Map<String, String> headers)
            throws IOException {
        int limit = limit(q, 1000, 1000);
        String after = cursor(q, "m");
        TreeSet<String> members = new TreeSet<>(directory.members(grp.id(), MemberKind.USER));
        List<DirectoryUser> page = new ArrayList<>();
        boolean more = false;
        for (String id : after == null ? members : members.tailSet(after, false)) {
            if (page.size() == limit) {
                more = true;
                break;
            }
            directory.user(id).ifPresent(page::add);
        }
        charge(page.size());
        links(headers, "groups/" + grp.id() + "/users", q, more ? "m:" + page.get(page.size() - 1).id() : null);
        return write(g -> {
            g.writeStartArray();
            for (DirectoryUser u : page) {
                user(g, u);
            }
            g.writeEndArray();
        });
    }

    // ---------------------------------------------------------------- System Log

    private byte[] logs(Map<String, String> q, Map<String, String> headers) throws IOException {
        int limit = limit(q, 100, 1000);
        Instant now = state.now();
        Instant since = instant(q, "since", now.minus(Duration.ofDays(7)));
        Instant until = q.containsKey("until") ? instant(q, "until", null) : null;
        if (since.isBefore(now.minus(logRetention))) {
            throw new OktaError(400, "E0000001", "Api validation failed: since",
                    List.of("since: The since parameter is over " + logRetention.toDays() + " days prior to the "
                            + "current day."));
        }
        if (q.containsKey("sortOrder") && !"ASCENDING".equals(q.get("sortOrder"))) {
            throw new OktaError(400, "E0000001", "Api validation failed: sortOrder",
                    List.of("sortOrder: the fake serves ASCENDING only"));
        }
        String after = cursor(q, "l");
        int from = 0;
        if (after != null) {
            try {
                from = Integer.parseInt(after);
            } catch (NumberFormatException e) {
                throw new OktaError(400, "E0000001", "Api validation failed: after", List.of("after: invalid"));
            }
        }
        Predicate<Function<String, String>> f = filter(q);
        int[] next = new int[1];
        List<OktaState.Event> page = state.events(since, until, now.minus(logDelay), from, limit,
                e -> f == null || f.test(a -> eventAttribute(e, a)), next);
        charge(page.size());
        boolean more = until == null || (next[0] < state.logSize() && page.size() == limit);
        links(headers, "logs", q, more ? "l:" + next[0] : null);
        return write(g -> {
            g.writeStartArray();
            for (OktaState.Event e : page) {
                g.writeStartObject();
                g.writeStringField("uuid", e.uuid());
                g.writeStringField("published", e.published().toString());
                g.writeStringField("eventType", e.eventType());
                g.writeStringField("version", "0");
                g.writeStringField("severity", "INFO");
                g.writeStringField("displayMessage", e.displayMessage());
                g.writeObjectFieldStart("actor");
                g.writeStringField("id", "00u1admin000000000");
                g.writeStringField("type", "User");
                g.writeStringField("alternateId", "admin@okta.example");
                g.writeStringField("displayName", "Fake Admin");
                g.writeEndObject();
                g.writeObjectFieldStart("outcome");
                g.writeStringField("result", "SUCCESS");
                g.writeNullField("reason");
                g.writeEndObject();
                g.writeArrayFieldStart("target");
                for (OktaState.Target t : e.targets()) {
                    g.writeStartObject();
                    g.writeStringField("id", t.id());
                    g.writeStringField("type", t.type());
                    g.writeStringField("alternateId", t.alternateId());
                    g.writeStringField("displayName", t.displayName());
                    g.writeNullField("detailEntry");
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    private static String eventAttribute(OktaState.Event e, String a) {
        switch (a) {
            case "eventType": return e.eventType();
            case "uuid": return e.uuid();
            case "published": return e.published().toString();
            case "outcome.result": return "SUCCESS";
            case "target.id": return e.targets().isEmpty() ? null : e.targets().get(0).id();
            default: return null;
        }
    }

    private static Instant instant(Map<String, String> q, String name, Instant dflt) {
        String v = q.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new OktaError(400, "E0000001", "Api validation failed: " + name,
                    List.of(name + ": must be an ISO 8601 timestamp"));
        }
    }

    // ---------------------------------------------------------------- paging

    /** The position an opaque {@code after} cursor stands for, checked to be one of this kind. */
    private static String cursor(Map<String, String> q, String kind) {
        String after = q.get("after");
        if (after == null) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = "";
        }
        if (!decoded.startsWith(kind + ":") || decoded.length() == kind.length() + 1) {
            throw new OktaError(400, "E0000001", "Api validation failed: after", List.of("after: invalid cursor"));
        }
        return decoded.substring(kind.length() + 1);
    }

    /** {@code Link} headers: self, and next with the same parameters and a new opaque {@code after}. */
    private void links(Map<String, String> headers, String path, Map<String, String> q, String nextPosition) {
        StringBuilder self = new StringBuilder(base.resolve("api/v1/" + path).toString());
        Map<String, String> params = new LinkedHashMap<>(q);
        append(self, params);
        String link = "<" + self + ">; rel=\"self\"";
        if (nextPosition != null) {
            params.put("after", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(nextPosition.getBytes(StandardCharsets.UTF_8)));
            StringBuilder next = new StringBuilder(base.resolve("api/v1/" + path).toString());
            append(next, params);
            link += "\n<" + next + ">; rel=\"next\""; // Okta sends one Link header per link
        }
        headers.put("Link", link);
    }

    private static void append(StringBuilder url, Map<String, String> params) {
        char sep = '?';
        for (Map.Entry<String, String> p : params.entrySet()) {
            url.append(sep).append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8).replace("+", "%20"));
            sep = '&';
        }
    }

    // ---------------------------------------------------------------- plumbing

    private interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Writer w) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            w.write(g);
        }
        return out.toByteArray();
    }

    private byte[] errorBody(String code, String summary) throws IOException {
        return errorBody(code, summary, List.of());
    }

    private byte[] errorBody(String code, String summary, List<String> causes) throws IOException {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("errorCode", code);
            g.writeStringField("errorSummary", summary);
            g.writeStringField("errorLink", code);
            g.writeStringField("errorId", "oae" + Long.toString(errorIds.incrementAndGet(), 36));
            g.writeArrayFieldStart("errorCauses");
            for (String c : causes) {
                g.writeStartObject();
                g.writeStringField("errorSummary", c);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void send(HttpExchange ex, int status, byte[] body, Map<String, String> headers)
            throws IOException {
        headers.forEach((k, v) -> {
            for (String one : v.split("\n")) {
                ex.getResponseHeaders().add(k, one);
            }
        });
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = decode(eq < 0 ? part : part.substring(0, eq));
            String v = eq < 0 ? "" : decode(part.substring(eq + 1));
            out.putIfAbsent(k, v);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new OktaError(400, "E0000001", "Api validation failed: the request URL is not valid");
        }
    }

    private static String safe(String s) {
        return s == null ? "" : s.replaceAll("[^A-Za-z0-9._/\\-]", "?");
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "OktaServer[" + base + "]";
    }

    /** An API error in Okta's shape. */
    static final class OktaError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;
        final Map<String, String> headers;
        final List<String> causes;

        OktaError(int status, String code, String summary) {
            this(status, code, summary, Map.of(), List.of());
        }

        OktaError(int status, String code, String summary, List<String> causes) {
            this(status, code, summary, Map.of(), causes);
        }

        OktaError(int status, String code, String summary, Map<String, String> headers) {
            this(status, code, summary, headers, List.of());
        }

        OktaError(int status, String code, String summary, Map<String, String> headers, List<String> causes) {
            super(summary, null, false, false);
            this.status = status;
            this.code = code;
            this.headers = headers;
            this.causes = causes;
        }
    }

    /** Builds an {@link OktaServer}; setters validate at once. Not thread-safe. */
    public static final class Builder {
        private final InMemoryDirectory directory;
        private Clock clock = Clock.systemUTC();
        private final Set<String> apiTokens = new HashSet<>();
        private final Map<String, OktaAuth.App> apps = new HashMap<>();
        private Duration tokenLifetime = Duration.ofHours(1);
        private Predicate<DirectoryGroup> appGroups = g -> false;
        private int rateLimit = 600;
        private Duration logRetention = Duration.ofDays(90);
        private int threads = 4;
        private long seed = 1;

        private Builder(InMemoryDirectory directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** An SSWS API token the org accepts (it acts with its admin's full read rights). */
        public Builder apiToken(String token) {
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("token must not be blank");
            }
            apiTokens.add(token);
            return this;
        }

        /**
         * A service app that signs client assertions with the private half of {@code publicKey} (RSA or EC P-256)
         * and was granted {@code scopes}; {@code requireDpop} makes its tokens DPoP-bound.
         */
        public Builder serviceApp(String clientId, JWK publicKey, Set<String> scopes, boolean requireDpop) {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(publicKey, "publicKey");
            if (publicKey.isPrivate()) {
                throw new IllegalArgumentException("register the public key only");
            }
            apps.put(clientId, new OktaAuth.App(clientId, publicKey, Set.copyOf(scopes), requireDpop));
            return this;
        }

        public Builder tokenLifetime(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("tokenLifetime must be positive");
            }
            this.tokenLifetime = d;
            return this;
        }

        /** Which groups are {@code APP_GROUP}s (imported from an app); the rest are {@code OKTA_GROUP}s. */
        public Builder appGroups(Predicate<DirectoryGroup> which) {
            this.appGroups = Objects.requireNonNull(which, "appGroups");
            return this;
        }

        /** Requests per bucket per minute (default 600, Okta's figure for {@code /api/v1/users} on many orgs). */
        public Builder rateLimit(int perMinute) {
            if (perMinute < 1) {
                throw new IllegalArgumentException("rateLimit must be at least 1");
            }
            this.rateLimit = perMinute;
            return this;
        }

        /** How far back {@code since} may reach in the System Log (default 90 days). */
        public Builder logRetention(Duration d) {
            this.logRetention = Objects.requireNonNull(d, "logRetention");
            return this;
        }

        public Builder threads(int n) {
            if (n < 1 || n > 64) {
                throw new IllegalArgumentException("threads must be between 1 and 64");
            }
            this.threads = n;
            return this;
        }

        /** Seed for event uuids. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public OktaServer start() {
            if (apiTokens.isEmpty() && apps.isEmpty()) {
                throw new IllegalStateException("register an apiToken or a serviceApp, or no request can authenticate");
            }
            return new OktaServer(this);
        }
    }
}
