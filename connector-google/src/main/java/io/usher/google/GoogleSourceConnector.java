package io.usher.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.core.UsherException;
import io.usher.core.http.OAuthTokenSource;
import io.usher.core.http.RestClient;
import io.usher.core.http.RestException;
import io.usher.core.http.RetryPolicy;
import io.usher.core.model.CredentialPolicy;
import io.usher.core.model.MemberKind;
import io.usher.core.spi.ConnectionTest;
import io.usher.core.spi.NestedGroupSource;
import io.usher.core.spi.SnapshotSink;
import io.usher.core.spi.SourceConnector;
import io.usher.core.spi.SourceException;
import io.usher.core.spi.SourceGroup;
import io.usher.core.spi.SourceUser;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads users and groups from Google Workspace through the Admin SDK Directory API, with nothing heavier than
 * the JDK's {@code HttpClient}, Jackson and nimbus-jose-jwt (no Google client library).
 *
 * <p><b>Auth</b>: a service account key and domain-wide delegation: a JWT signed RS256 with the key
 * ({@code iss} the service account, {@code sub} the configured admin, the three read-only Directory scopes,
 * {@code aud} the token URI, one hour) exchanged for an access token, cached and refreshed before it expires.
 *
 * <p><b>Snapshot</b>: {@code users.list} ({@code maxResults} up to 500), then {@code groups.list} (200) and each
 * group's {@code members.list} (200, several groups at once up to {@code maxConcurrency}), following
 * {@code nextPageToken}, always with {@code fields=} naming only what is mapped. Suspended users are inactive;
 * archived users per {@link GoogleConfig.Archived}. Member groups are kept as group-in-group edges
 * ({@link NestedGroupSource}); the engine computes effective membership and reports cycles. Aliases are ignored.
 *
 * <p><b>No delta</b>: Google offers none for the directory, so every sync is a snapshot and deletions are found
 * by the engine's snapshot diff. To make the pass cheap, the connector remembers each user's {@code etag} and
 * mapped value from the last complete snapshot; a user whose etag is unchanged is not parsed or mapped again
 * (its page is read only up to the etag). {@link #lastUnchangedUsers()} says how many were skipped. This costs
 * memory for one mapped user per directory user; turn it off with {@code etagCache=false}.
 *
 * <p><b>Throttling</b>: 403 with reason {@code userRateLimitExceeded}, {@code rateLimitExceeded} or
 * {@code quotaExceeded}, 429, and 500/502/503/504 are retried with exponential backoff and jitter; the reason is
 * read from Google's error body ({@code error.errors[0].reason}).
 *
 * <p>Errors are {@link RestException}s naming the endpoint and Google's reason; a failed read fails the
 * snapshot, which then deletes nothing. A refused delegation ({@code unauthorized_client}) is said in plain
 * words. Keys, tokens and assertions never appear in messages or logs.
 *
 * <p>Thread-safe for one read at a time (the engine's contract); {@link #test()} and {@link #close()} may be
 * called from any thread.
 */
public final class GoogleSourceConnector implements SourceConnector, NestedGroupSource, ConnectionTest {
    /** The type name this connector registers under. */
    public static final String TYPE = "google";
    private static final Logger LOG = LoggerFactory.getLogger(GoogleSourceConnector.class);
    static final Set<String> THROTTLE_REASONS = Set.of("userRateLimitExceeded", "rateLimitExceeded",
            "quotaExceeded");
    private static final String USER_FIELDS = "nextPageToken,users(id,etag,primaryEmail,name(givenName,familyName,"
            + "fullName),suspended,archived,orgUnitPath)";
    private static final String GROUP_FIELDS = "nextPageToken,groups(id,etag,email,name,description)";
    private static final String MEMBER_FIELDS = "nextPageToken,members(id,type)";
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9\\-_.@+]{0,319}");

    private final GoogleConfig config;
    private final OAuthTokenSource tokens;
    private final RestClient api;
    /** What {@link #toUser} answers for a user it reported unreadable: never cached, so it is reported again. */
    private static final SourceUser UNREADABLE = SourceUser.builder("unreadable").build();
    private volatile Map<String, Cached> etags = Map.of();
    private volatile long lastUnchanged;
    private volatile boolean closed;

    /** A user as last read: its etag and what it was mapped to (null: left out by the filters). */
    private record Cached(String etag, SourceUser user) {}

    public GoogleSourceConnector(GoogleConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        HttpClient http = config.httpClient != null ? config.httpClient
                : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                        .followRedirects(HttpClient.Redirect.NEVER).build();
        RetryPolicy retry = new RetryPolicy(config.maxAttempts, Duration.ofSeconds(1), Duration.ofSeconds(64),
                Duration.ofMinutes(5), Set.of(429, 500, 502, 503, 504));
        DelegationJwt jwt = new DelegationJwt(config.key, GoogleConfig.scope(), config.adminEmail, config.clock);
        this.tokens = OAuthTokenSource.builder(config.tokenUri).httpClient(http).clock(config.clock)
                .sleeper(config.sleeper).retryPolicy(retry.withMaxAttempts(Math.min(3, config.maxAttempts)))
                .requestTimeout(config.requestTimeout)
                .form(() -> {
                    Map<String, String> f = new LinkedHashMap<>();
                    f.put("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
                    f.put("assertion", jwt.sign());
                    return f;
                }).build();
        this.api = RestClient.builder(config.apiBase).httpClient(http).tokenSource(tokens).retryPolicy(retry)
                .maxConcurrency(config.maxConcurrency).requestTimeout(config.requestTimeout).clock(config.clock)
                .sleeper(config.sleeper).errorCodes(GoogleSourceConnector::reason)
                .retryWhen((status, reason) -> status == 403 && reason != null && THROTTLE_REASONS.contains(reason))
                .build();
    }

    /**
     * Google's error reason: {@code error.errors[0].reason} ({@code userRateLimitExceeded}, {@code forbidden},
     * {@code notFound}, …), else {@code error.status}, else an OAuth {@code error} string.
     */
    static String reason(JsonNode root) {
        JsonNode error = root.get("error");
        if (error != null && error.isObject()) {
            JsonNode r = error.path("errors").path(0).path("reason");
            if (r.isTextual()) {
                return r.asText();
            }
            JsonNode s = error.get("status");
            return s != null && s.isTextual() ? s.asText() : null;
        }
        return error != null && error.isTextual() ? error.asText() : null;
    }

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * {@link CredentialPolicy#SSO_ONLY}: Google Workspace is the identity provider its users sign in with, so the host
     * should not let them set or use a local password. A source may say otherwise
     * ({@code Source.Builder.credentials}, or {@code credentials = host}).
     */
    @Override
    public CredentialPolicy defaultCredentials() {
        return CredentialPolicy.SSO_ONLY;
    }

    /** HTTP requests sent so far: API calls (retries included) and token fetches. */
    public long httpRequests() {
        return api.requestsSent() + tokens.fetches();
    }

    /** API requests that were tried again (throttling, server errors, lost responses, refused tokens). */
    public long retries() {
        return api.retries();
    }

    /** How many users the last complete snapshot took unchanged (same etag) from the previous one. */
    public long lastUnchangedUsers() {
        return lastUnchanged;
    }

    // ================================================================== snapshot

    @Override
    public void snapshot(SnapshotSink sink) throws SourceException {
        Objects.requireNonNull(sink, "sink");
        requireOpen();
        try {
            if (config.groups.isEmpty()) {
                Users users = readUsers(sink, null);
                readGroups(sink, users.read());
                finish(users.cache());
            } else {
                scopedSnapshot(sink);
            }
        } catch (RestException e) {
            throw plain(e);
        }
    }

    /** What a users pass read: how many, and the etag cache for the next pass (empty when the cache is off). */
    private record Users(long read, Map<String, Cached> cache) {}

    private void finish(Map<String, Cached> seen) {
        if (config.etagCache) {
            etags = seen;
        }
    }

    private String listQuery() {
        return config.domain != null ? "domain=" + enc(config.domain) : "customer=" + enc(config.customer);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Every user page by page; users whose etag is unchanged come from memory. With {@code only} given, just
     * those user ids are handed on.
     */
    private Users readUsers(SnapshotSink sink, Set<String> only) {
        Map<String, Cached> previous = config.etagCache ? etags : Map.of();
        BiPredicate<String, String> unchanged = previous.isEmpty() ? null
                : (id, etag) -> {
                    Cached c = previous.get(id);
                    return c != null && c.etag().equals(etag);
                };
        Map<String, Cached> seen = config.etagCache ? new HashMap<>(Math.max(16, previous.size() * 4 / 3 + 1))
                : Map.of();
        String base = "users?" + listQuery() + "&maxResults=" + config.pageSize + "&projection=basic&fields="
                + enc(USER_FIELDS);
        String token = null;
        long read = 0;
        long same = 0;
        do {
            String link = token == null ? base : base + "&pageToken=" + enc(token);
            Page page = api.get(link, p -> Page.read(p, "users", unchanged));
            for (ObjectNode o : page.items()) {
                String id = Page.text(o, "id");
                if (id == null) {
                    throw new SourceException(UsherException.Code.SOURCE_DATA, "a user object without an id");
                }
                read++;
                SourceUser u;
                String etag = Page.text(o, "etag");
                if (Page.unchanged(o)) {
                    same++;
                    u = previous.get(id).user();
                } else {
                    u = toUser(o, sink);
                }
                if (u == UNREADABLE) {
                    continue;
                }
                if (config.etagCache && etag != null) {
                    seen.put(id, new Cached(etag, u));
                }
                if (u != null && (only == null || only.contains(id))) {
                    sink.user(u);
                }
            }
            sink.progress(read, -1);
            token = page.nextPageToken();
        } while (token != null);
        lastUnchanged = same;
        LOG.info("read {} users, {} unchanged since the last pass (by etag)", read, same);
        return new Users(read, seen);
    }

    /** Maps a user object; null if the filters leave it out, {@link #UNREADABLE} if reported unreadable. */
    SourceUser toUser(ObjectNode o, SnapshotSink sink) {
        String id = Page.text(o, "id");
        String email = Page.text(o, "primaryEmail");
        if (email == null || email.indexOf('@') <= 0) {
            sink.unreadable(MemberKind.USER, id, "primaryEmail is missing or not an e-mail address");
            return UNREADABLE;
        }
        String ou = Page.text(o, "orgUnitPath");
        if (!inOrgUnits(ou == null ? "/" : ou)) {
            return null;
        }
        boolean archived = o.path("archived").asBoolean(false);
        if (archived && config.archived == GoogleConfig.Archived.EXCLUDE) {
            return null;
        }
        boolean suspended = o.path("suspended").asBoolean(false);
        boolean active = !suspended && !(archived && config.archived == GoogleConfig.Archived.INACTIVE);
        JsonNode name = o.path("name");
        String login = config.username == GoogleConfig.Username.LOCAL_PART ? email.substring(0, email.indexOf('@'))
                : email;
        return SourceUser.builder(id).loginName(login).displayName(Page.text(name, "fullName"))
                .givenName(Page.text(name, "givenName")).familyName(Page.text(name, "familyName")).email(email)
                .active(active).attribute("primaryEmail", email).attribute("orgUnitPath", ou == null ? "/" : ou)
                .attribute("suspended", Boolean.toString(suspended)).attribute("archived", Boolean.toString(archived))
                .build();
    }

    /** Whether an org unit path is one of the configured ones or below one; no configuration: everyone. */
    boolean inOrgUnits(String path) {
        if (config.orgUnits.isEmpty()) {
            return true;
        }
        String p = path.toLowerCase(Locale.ROOT);
        for (String unit : config.orgUnits) {
            String u = unit.toLowerCase(Locale.ROOT);
            if (u.equals("/") || p.equals(u) || p.startsWith(u + "/")) {
                return true;
            }
        }
        return false;
    }

    /** Every group page by page; each page's member lists read in parallel, handed on in order. */
    private void readGroups(SnapshotSink sink, long read) {
        ExecutorService pool = pool();
        try {
            String base = "groups?" + listQuery() + "&maxResults=" + Math.min(200, config.pageSize) + "&fields="
                    + enc(GROUP_FIELDS);
            String token = null;
            do {
                Page page = api.get(token == null ? base : base + "&pageToken=" + enc(token),
                        p -> Page.read(p, "groups", null));
                List<Future<Members>> members = new ArrayList<>();
                for (ObjectNode o : page.items()) {
                    String id = Page.text(o, "id");
                    if (id == null || !SAFE_ID.matcher(id).matches()) {
                        throw new SourceException(UsherException.Code.SOURCE_DATA, "a group object without a usable id");
                    }
                    members.add(pool.submit(() -> members(id)));
                }
                for (int i = 0; i < page.items().size(); i++) {
                    ObjectNode o = page.items().get(i);
                    Members m = await(members.get(i));
                    read++;
                    if (m == null) {
                        LOG.debug("group {} was deleted while the snapshot read it; left out", Page.text(o, "id"));
                        continue;
                    }
                    SourceGroup g = toGroup(o, m, sink);
                    if (g != null) {
                        sink.group(g);
                    }
                }
                sink.progress(read, -1);
                token = page.nextPageToken();
            } while (token != null);
        } finally {
            pool.shutdownNow();
        }
    }

    private static SourceGroup toGroup(ObjectNode o, Members m, SnapshotSink sink) {
        String id = Page.text(o, "id");
        String name = Page.text(o, "name");
        String email = Page.text(o, "email");
        if (name == null && email == null) {
            sink.unreadable(MemberKind.GROUP, id, "the group has neither name nor email");
            return null;
        }
        Map<String, List<String>> attrs = email == null ? Map.of() : Map.of("email", List.of(email));
        return new SourceGroup(id, name != null ? name : email, Page.text(o, "description"), m.users(), m.groups(),
                attrs);
    }

    private ExecutorService pool() {
        return Executors.newFixedThreadPool(config.maxConcurrency, r -> {
            Thread t = new Thread(r, "usher-google-members");
            t.setDaemon(true);
            return t;
        });
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException(UsherException.Code.INTERRUPTED, "interrupted while reading group members", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw SourceException.unavailable("reading group members failed", e.getCause());
        }
    }

    /** A group's direct members by kind (with includeDerivedMembership: every effective user, no groups). */
    private record Members(Set<String> users, Set<String> groups) {}

    /** The group's members, or null if the group no longer exists. */
    private Members members(String groupId) {
        Set<String> us = new LinkedHashSet<>();
        Set<String> gs = new LinkedHashSet<>();
        String base = "groups/" + enc(groupId) + "/members?maxResults=" + Math.min(200, config.pageSize)
                + (config.includeDerivedMembership ? "&includeDerivedMembership=true" : "") + "&fields="
                + enc(MEMBER_FIELDS);
        String token = null;
        try {
            do {
                Page page = api.get(token == null ? base : base + "&pageToken=" + enc(token),
                        p -> Page.read(p, "members", null));
                for (ObjectNode o : page.items()) {
                    String id = Page.text(o, "id");
                    String type = Page.text(o, "type");
                    if (id == null) {
                        continue; // CUSTOMER-type members ("everyone in the account") carry no member id
                    }
                    if ("USER".equals(type)) {
                        us.add(id);
                    } else if ("GROUP".equals(type) && !config.includeDerivedMembership) {
                        gs.add(id);
                    }
                }
                token = page.nextPageToken();
            } while (token != null);
        } catch (RestException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
        return new Members(us, gs);
    }

    /**
     * Scoped to configured groups: lists the groups, reads the configured ones and the groups nested in them
     * with their members, then hands on the users among those members (from users.list, etags as usual) and
     * the groups.
     */
    private void scopedSnapshot(SnapshotSink sink) {
        Map<String, ObjectNode> all = new LinkedHashMap<>();
        Map<String, String> byEmail = new HashMap<>();
        String base = "groups?" + listQuery() + "&maxResults=" + Math.min(200, config.pageSize) + "&fields="
                + enc(GROUP_FIELDS);
        String token = null;
        do {
            Page page = api.get(token == null ? base : base + "&pageToken=" + enc(token),
                    p -> Page.read(p, "groups", null));
            for (ObjectNode o : page.items()) {
                String id = Page.text(o, "id");
                if (id != null && SAFE_ID.matcher(id).matches()) {
                    all.put(id, o);
                    String email = Page.text(o, "email");
                    if (email != null) {
                        byEmail.put(email.toLowerCase(Locale.ROOT), id);
                    }
                }
            }
            token = page.nextPageToken();
        } while (token != null);
        Deque<String> todo = new ArrayDeque<>();
        Set<String> inScope = new LinkedHashSet<>();
        for (String key : config.groups) {
            String id = all.containsKey(key) ? key : byEmail.get(key.toLowerCase(Locale.ROOT));
            if (id == null) {
                throw new SourceException(UsherException.Code.SOURCE_DATA, "configured group " + key
                        + " does not exist (check the groups setting)");
            }
            if (inScope.add(id)) {
                todo.add(id);
            }
        }
        Map<String, Members> members = new LinkedHashMap<>();
        Set<String> users = new LinkedHashSet<>();
        while (!todo.isEmpty()) {
            String gid = todo.poll();
            Members m = members(gid);
            if (m == null) {
                continue;
            }
            members.put(gid, m);
            users.addAll(m.users());
            for (String nested : m.groups()) {
                if (all.containsKey(nested) && inScope.add(nested)) {
                    todo.add(nested);
                }
            }
        }
        Users seen = readUsers(sink, users);
        long read = seen.read();
        for (Map.Entry<String, Members> e : members.entrySet()) {
            SourceGroup g = toGroup(all.get(e.getKey()), e.getValue(), sink);
            if (g != null) {
                sink.group(g);
            }
            read++;
        }
        sink.progress(read, read);
        finish(seen.cache());
        LOG.debug("scoped snapshot: {} groups, {} member users", members.size(), users.size());
    }

    /** A refused delegation in plain words; anything else as it is. */
    private RestException plain(RestException e) {
        if (e.vendorCode().filter("unauthorized_client"::equals).isPresent()) {
            return new RestException(UsherException.Code.SOURCE_AUTH, e.status(), "unauthorized_client", e.endpoint(),
                    false, null, delegationHint(), e);
        }
        return e;
    }

    private String delegationHint() {
        return "domain-wide delegation is not set up for this service account: in the Google Admin console "
                + "(Security > Access and data control > API controls > Domain-wide delegation), authorise client id "
                + config.clientIdOrEmail() + " for the scopes " + GoogleConfig.scope().replace(' ', ',');
    }

    // ================================================================== test, close

    /**
     * Exchanges a token, reads one page of users and one of groups, and says in plain words what is wrong:
     * missing delegation, an admin that is not one, a missing scope. Never throws.
     */
    @Override
    public Result test() {
        List<String> steps = new ArrayList<>();
        if (closed) {
            return Result.failed(List.of("the connector is closed"));
        }
        try {
            tokens.token();
            steps.add("exchanged a delegation JWT for a token: service account " + config.key.clientEmail()
                    + " acting as " + config.adminEmail);
        } catch (RestException e) {
            String code = e.vendorCode().orElse("");
            if (code.equals("unauthorized_client")) {
                steps.add("the token endpoint refused the delegation (unauthorized_client): " + delegationHint());
            } else if (code.equals("invalid_grant")) {
                steps.add("the token endpoint refused the grant (invalid_grant): check that the key file is current "
                        + "(not deleted in the Cloud console), that the clock is right, and that adminEmail "
                        + config.adminEmail + " is a user of the domain");
            } else {
                steps.add("could not get a token: " + e.getMessage());
            }
            return Result.failed(steps);
        } catch (RuntimeException e) {
            steps.add("could not get a token: " + e.getMessage());
            return Result.failed(steps);
        }
        boolean ok = probe("users?" + listQuery() + "&maxResults=1&fields=" + enc("users(id)"), "users", steps);
        ok &= probe("groups?" + listQuery() + "&maxResults=1&fields=" + enc("groups(id)"), "groups", steps);
        return ok ? Result.ok(steps) : Result.failed(steps);
    }

    private boolean probe(String path, String what, List<String> steps) {
        try {
            api.getJson(path);
            steps.add("read one page of " + what);
            return true;
        } catch (RestException e) {
            String reason = e.vendorCode().orElse("");
            if (e.status() == 403 && reason.equals("forbidden")) {
                steps.add("reading " + what + " was refused (forbidden): " + config.adminEmail
                        + " is not an administrator allowed to read the directory");
            } else if (e.status() == 403 && reason.equals("insufficientPermissions")) {
                steps.add("reading " + what + " was refused (insufficientPermissions): the token lacks a scope; "
                        + delegationHint());
            } else {
                steps.add("reading " + what + " failed: " + e.getMessage());
            }
            return false;
        } catch (RuntimeException e) {
            steps.add("reading " + what + " failed: " + e.getMessage());
            return false;
        }
    }

    /** Idempotent; later reads throw {@link SourceException} with code {@code SOURCE_UNAVAILABLE}. */
    @Override
    public void close() {
        closed = true;
    }

    private void requireOpen() {
        if (closed) {
            throw SourceException.unavailable("the connector is closed", null);
        }
    }

    @Override
    public String toString() {
        return "GoogleSourceConnector[" + config + "]";
    }
}
