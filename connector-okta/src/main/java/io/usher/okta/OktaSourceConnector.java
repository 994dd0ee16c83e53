package io.usher.okta;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.usher.core.UsherException;
import io.usher.core.http.RestClient;
import io.usher.core.http.RestException;
import io.usher.core.http.RetryPolicy;
import io.usher.core.http.Response;
import io.usher.core.http.Sleeper;
import io.usher.core.http.TokenSource;
import io.usher.core.model.CredentialPolicy;
import io.usher.core.model.MemberKind;
import io.usher.core.spi.ChangeSink;
import io.usher.core.spi.ConnectionTest;
import io.usher.core.spi.IncrementalSource;
import io.usher.core.spi.SnapshotSink;
import io.usher.core.spi.SourceConnector;
import io.usher.core.spi.SourceException;
import io.usher.core.spi.SourceGroup;
import io.usher.core.spi.SourceUser;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads users and groups from Okta's management API.
 *
 * <p><b>Snapshot</b>: {@code /api/v1/users} (every status but {@code DEPROVISIONED}), then
 * {@code /api/v1/users?filter=status eq "DEPROVISIONED"}, then the in-scope groups from {@code /api/v1/groups}
 * ({@code OKTA_GROUP}, and {@code APP_GROUP} if configured) with each group's members from
 * {@code /api/v1/groups/{id}/users} — never groups per user. Every list follows the {@code Link: <…>; rel="next"}
 * header exactly as Okta sent it, {@code limit} 200.
 *
 * <p><b>Incremental</b> ({@link IncrementalSource}): users with {@code filter=lastUpdated gt "…"} (every status);
 * groups with {@code lastUpdated gt "…" or lastMembershipUpdated gt "…"} (a changed name is a
 * {@link ChangeSink#groupFields}, a new group is read whole); and the System Log ({@code /api/v1/logs?since=…})
 * for what the filters cannot show: {@code user.lifecycle.delete.completed} (a deleted user is simply gone from
 * {@code /users}), {@code user.lifecycle.deactivate}, {@code group.user_membership.add/remove} (one membership
 * at a time, so a big group costs nothing) and {@code group.lifecycle.delete}. A group whose
 * {@code lastMembershipUpdated} moved but whose events the log does not show yet is read whole. The cursor is
 * a timestamp read back {@code timestampOverlap} (clock skew, the log's eventual consistency) with fingerprints
 * of what the overlap re-reads, so nothing is reported twice; after {@code fullReconcileAfter} the cursor
 * expires and the engine takes a full snapshot, the safety net for anything a feed missed.
 *
 * <p><b>Rate limits</b>: see {@link RateGovernor}; 429s ({@code E0000047}) wait for {@code X-Rate-Limit-Reset}
 * and are retried ({@code maxAttempts}), as are 5xx answers and lost responses.
 *
 * <p>Okta has no nested groups, so this connector is not a {@link io.usher.core.spi.NestedGroupSource}.
 * Status mapping: {@code ACTIVE}, {@code STAGED}, {@code PROVISIONED}, {@code RECOVERY},
 * {@code PASSWORD_EXPIRED}, {@code LOCKED_OUT} are active; {@code SUSPENDED} and {@code DEPROVISIONED} inactive;
 * a status Okta does not document is reported as unreadable (the user is kept as it was).
 *
 * <p>Not thread-safe for concurrent reads (the engine runs one read of a source at a time); {@link #close()} and
 * the counters may be called from any thread.
 */
public final class OktaSourceConnector implements SourceConnector, IncrementalSource, ConnectionTest {
    private static final Logger LOG = LoggerFactory.getLogger(OktaSourceConnector.class);
    /** Okta's documented user statuses and whether each is active. */
    static final Map<String, Boolean> STATUS_ACTIVE = Map.of("ACTIVE", true, "STAGED", true, "PROVISIONED", true,
            "RECOVERY", true, "PASSWORD_EXPIRED", true, "LOCKED_OUT", true, "SUSPENDED", false, "DEPROVISIONED", false);
    private static final List<String> LOG_EVENTS = List.of("user.lifecycle.delete.completed",
            "user.lifecycle.deactivate", "user.lifecycle.reactivate", "user.lifecycle.activate",
            "group.user_membership.add", "group.user_membership.remove", "group.lifecycle.delete");

    private final OktaConfig config;
    private final Clock clock;
    private final RestClient api;
    private final TokenSource tokens;
    private final RateGovernor governor;

    /** A connector with the system clock and real waiting. */
    public OktaSourceConnector(OktaConfig config) {
        this(config, Clock.systemUTC(), Sleeper.SYSTEM);
    }

    /** A connector with an injected clock and sleeper (tests pass a manual clock and a sleeper that advances it). */
    public OktaSourceConnector(OktaConfig config, Clock clock, Sleeper sleeper) {
        this.config = config;
        this.clock = clock;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.tokens = config.apiToken() != null ? OktaTokens.ssws(config.apiToken())
                : new OktaTokens.Service(config, http, clock, sleeper);
        this.governor = new RateGovernor(config.rateLimitShare, clock, sleeper);
        this.api = RestClient.builder(config.orgUrl.resolve("api/v1/")).httpClient(http).tokenSource(tokens)
                .retryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(config.maxAttempts)
                        .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30)))
                .requestTimeout(config.requestTimeout).maxConcurrency(1).clock(clock).sleeper(sleeper)
                .throttle(governor).build();
    }

    @Override
    public String type() {
        return "okta";
    }

    /**
     * {@link CredentialPolicy#SSO_ONLY}: Okta is the identity provider its users sign in with, so the host
     * should not let them set or use a local password. A source may say otherwise
     * ({@code Source.Builder.credentials}, or {@code credentials = host}).
     */
    @Override
    public CredentialPolicy defaultCredentials() {
        return CredentialPolicy.SSO_ONLY;
    }

    /** Requests sent to the API so far (retries included; token requests not). */
    public long requestsSent() {
        return api.requestsSent();
    }

    /** Time spent waiting for rate limits so far. */
    public Duration rateLimitWaits() {
        return governor.waited();
    }

    // ------------------------------------------------------------------ snapshot

    @Override
    public void snapshot(SnapshotSink sink) throws SourceException {
        Instant start = clock.instant();
        OktaCursor cursor = new OktaCursor(start, start);
        Instant window = start.minus(config.timestampOverlap);
        long[] read = {0};
        Consumer<JsonNode> onUser = u -> {
            emitUser(u, sink);
            fingerprintUser(cursor, u, window, start);
            sink.progress(++read[0], -1);
        };
        pages("users?limit=" + config.pageSize, OktaSourceConnector::objects, onUser);
        pages("users?limit=" + config.pageSize + "&filter=" + enc("status eq \"DEPROVISIONED\""),
                OktaSourceConnector::objects, onUser);
        pages("groups?limit=" + config.pageSize + typeFilter(), OktaSourceConnector::objects, g -> {
            String id = text(g, "id");
            if (id == null || !inScope(g)) {
                return;
            }
            sink.group(readWholeGroup(g));
            fingerprintGroup(cursor, g, window, start);
            sink.progress(++read[0], -1);
        });
        cursor.prune(window);
        sink.cursor(cursor.encode());
        LOG.info("Okta snapshot: {} records, {} requests so far", read[0], api.requestsSent());
    }

    private String typeFilter() {
        List<String> terms = new ArrayList<>();
        for (OktaConfig.GroupType t : config.groupTypes) {
            terms.add("type eq \"" + t.name() + "\"");
        }
        return "&filter=" + enc(String.join(" or ", terms));
    }

    private SourceGroup readWholeGroup(JsonNode g) {
        String id = text(g, "id");
        Set<String> members = new LinkedHashSet<>();
        pagesOfIds("groups/" + enc(id) + "/users?limit=" + config.pageSize, members::add);
        JsonNode profile = g.path("profile");
        return new SourceGroup(id, groupName(g), textOrNull(profile, "description"), members, Set.of(),
                Map.of("type", List.of(g.path("type").asText("OKTA_GROUP"))));
    }

    private static String groupName(JsonNode g) {
        String n = textOrNull(g.path("profile"), "name");
        return n == null ? text(g, "id") : n;
    }

    private boolean inScope(JsonNode g) {
        OktaConfig.GroupType type;
        try {
            type = OktaConfig.GroupType.valueOf(g.path("type").asText(""));
        } catch (IllegalArgumentException e) {
            return false; // BUILT_IN (Everyone) and anything newer
        }
        return config.inScope(text(g, "id"), type, textOrNull(g.path("profile"), "name"));
    }

    // ------------------------------------------------------------------ users

    private void emitUser(JsonNode u, SnapshotSink sink) {
        String id = text(u, "id");
        if (id == null) {
            LOG.warn("Okta returned a user without an id; skipped");
            return;
        }
        String status = u.path("status").asText("");
        Boolean active = STATUS_ACTIVE.get(status);
        if (active == null) {
            sink.unreadable(MemberKind.USER, id, "status is not one Okta documents");
            return;
        }
        JsonNode p = u.path("profile");
        String login = textOrNull(p, "login");
        String email = textOrNull(p, "email");
        String loginName;
        switch (config.usernameFrom) {
            case LOGIN_NAME_PART:
                loginName = login == null ? null : login.contains("@") ? login.substring(0, login.indexOf('@')) : login;
                break;
            case EMAIL:
                loginName = email != null ? email : login;
                break;
            default:
                loginName = login;
        }
        if (loginName == null || loginName.isBlank()) {
            sink.unreadable(MemberKind.USER, id, "profile.login is missing");
            return;
        }
        SourceUser.Builder b = SourceUser.builder(id).loginName(loginName).active(active)
                .givenName(textOrNull(p, "firstName")).familyName(textOrNull(p, "lastName"));
        String display = textOrNull(p, "displayName");
        String first = textOrNull(p, "firstName");
        String last = textOrNull(p, "lastName");
        if (display == null && (first != null || last != null)) {
            display = ((first == null ? "" : first) + " " + (last == null ? "" : last)).trim();
        }
        b.displayName(display);
        if (email != null) {
            b.email(email);
        }
        String second = textOrNull(p, "secondEmail");
        if (second != null && !second.equals(email)) {
            b.email(second);
        }
        b.attribute("status", status);
        if (login != null) {
            b.attribute("login", login);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getValue().isValueNode() && !f.getValue().isNull() && !f.getKey().equals("login")
                    && f.getKey().length() <= 100) {
                b.attribute(f.getKey(), f.getValue().asText());
            }
        }
        SourceUser user;
        try {
            user = b.build();
        } catch (IllegalArgumentException | UsherException e) {
            sink.unreadable(MemberKind.USER, id, "a profile value Usher refuses");
            return;
        }
        sink.user(user);
    }

    /**
     * Remembers that a user was reported, if a later read's overlap would return it again. A record changed
     * after the read started is not remembered: it may have been read mid-change, so the next read reports it
     * again (changes made during a read are replayed).
     */
    private static void fingerprintUser(OktaCursor c, JsonNode u, Instant window, Instant start) {
        String id = text(u, "id");
        String lu = textOrNull(u, "lastUpdated");
        if (id != null && lu != null && parse(lu).map(t -> t.isAfter(window) && !t.isAfter(start)).orElse(false)) {
            c.users.put(id, lu);
        }
    }

    private static void fingerprintGroup(OktaCursor c, JsonNode g, Instant window, Instant start) {
        String id = text(g, "id");
        String fp = groupFingerprint(g);
        Instant newest = OktaCursor.newest(fp);
        if (id != null && newest.isAfter(window) && !newest.isAfter(start)) {
            c.groups.put(id, fp);
        }
    }

    private static String groupFingerprint(JsonNode g) {
        return g.path("lastUpdated").asText("") + "|" + g.path("lastMembershipUpdated").asText("");
    }

    // ------------------------------------------------------------------ incremental

    @Override
    public void changes(String cursorText, ChangeSink sink) throws SourceException {
        OktaCursor cursor = OktaCursor.decode(cursorText);
        Instant start = clock.instant();
        if (Duration.between(cursor.full, start).compareTo(config.fullReconcileAfter) > 0) {
            throw SourceException.cursorInvalid("a periodic full reconciliation is due (last snapshot "
                    + cursor.full + ")");
        }
        Instant from = cursor.high.minus(config.timestampOverlap);
        String since = from.toString();
        Instant window = start.minus(config.timestampOverlap);
        Set<String> reportedUsers = new HashSet<>();
        Set<String> deletedUsers = new HashSet<>();
        Map<String, Boolean> groupScope = new HashMap<>();
        Set<String> wholeGroups = new HashSet<>();
        Set<String> membershipMoved = new LinkedHashSet<>();
        Set<String> membershipSeen = new HashSet<>();
        Map<String, JsonNode> movedGroups = new HashMap<>();
        Set<String> lookUp = new LinkedHashSet<>();

        // 1. users changed since the mark, every status
        pages("users?limit=" + config.pageSize + "&filter=" + enc("lastUpdated gt \"" + since + "\""),
                OktaSourceConnector::objects, u -> {
                    String id = text(u, "id");
                    String lu = textOrNull(u, "lastUpdated");
                    if (id == null || (lu != null && lu.equals(cursor.users.get(id)))) {
                        return; // already reported by the read that set the mark
                    }
                    emitUser(u, sink);
                    reportedUsers.add(id);
                    cursor.users.remove(id);
                    fingerprintUser(cursor, u, window, start);
                });

        // 2. groups whose fields or membership changed
        pages("groups?limit=" + config.pageSize + "&filter=" + enc("lastUpdated gt \"" + since
                + "\" or lastMembershipUpdated gt \"" + since + "\""), OktaSourceConnector::objects, g -> {
                    String id = text(g, "id");
                    if (id == null) {
                        return;
                    }
                    boolean in = inScope(g);
                    groupScope.put(id, in);
                    String fp = groupFingerprint(g);
                    String old = cursor.groups.get(id);
                    if (fp.equals(old)) {
                        return;
                    }
                    cursor.groups.remove(id);
                    fingerprintGroup(cursor, g, window, start);
                    if (!in) {
                        if (config.groupNameRegex != null || !config.groupIds.isEmpty()) {
                            sink.groupDeleted(id); // renamed out of scope; unknown to the engine otherwise
                        }
                        return;
                    }
                    Instant created = parse(textOrNull(g, "created")).orElse(Instant.MIN);
                    Instant lu = parse(textOrNull(g, "lastUpdated")).orElse(Instant.MIN);
                    Instant lmu = parse(textOrNull(g, "lastMembershipUpdated")).orElse(Instant.MIN);
                    String oldLu = old == null ? null : old.substring(0, Math.max(0, old.indexOf('|')));
                    String oldLmu = old == null ? null : old.substring(old.indexOf('|') + 1);
                    boolean fieldsMoved = lu.isAfter(from) && !g.path("lastUpdated").asText("").equals(oldLu);
                    if (created.isAfter(from) || (fieldsMoved && config.groupNameRegex != null)) {
                        sink.group(readWholeGroup(g)); // new, or maybe renamed into scope: read whole
                        wholeGroups.add(id);
                        return;
                    }
                    if (fieldsMoved) {
                        sink.groupFields(new SourceGroup(id, groupName(g),
                                textOrNull(g.path("profile"), "description"), Set.of(), Set.of(),
                                Map.of("type", List.of(g.path("type").asText("OKTA_GROUP")))));
                    }
                    if (lmu.isAfter(from) && !g.path("lastMembershipUpdated").asText("").equals(oldLmu)) {
                        membershipMoved.add(id);
                        movedGroups.put(id, g);
                    }
                });

        // 3. the System Log: deletions, deactivations, one membership at a time
        String logFilter = LOG_EVENTS.stream().map(e -> "eventType eq \"" + e + "\"")
                .reduce((a, b) -> a + " or " + b).orElseThrow();
        String logs = "logs?since=" + enc(since) + "&sortOrder=ASCENDING&limit=1000&filter=" + enc(logFilter);
        try {
            pollLog(logs, e -> {
                String uuid = text(e, "uuid");
                if (uuid == null || cursor.events.containsKey(uuid)) {
                    return;
                }
                Instant published = parse(textOrNull(e, "published")).orElse(start);
                if (!published.isAfter(start)) {
                    cursor.events.put(uuid, published.toString());
                }
                String type = e.path("eventType").asText("");
                String user = target(e, "User");
                String group = target(e, "UserGroup");
                switch (type) {
                    case "user.lifecycle.delete.completed":
                        if (user != null && deletedUsers.add(user)) {
                            sink.userDeleted(user);
                        }
                        break;
                    case "user.lifecycle.deactivate":
                    case "user.lifecycle.reactivate":
                    case "user.lifecycle.activate":
                        if (user != null) {
                            lookUp.add(user); // read after the log: a later event may say it was deleted
                        }
                        break;
                    case "group.user_membership.add":
                    case "group.user_membership.remove":
                        if (user == null || group == null || wholeGroups.contains(group)) {
                            break;
                        }
                        if (!groupScope.computeIfAbsent(group, this::lookUpScope)) {
                            break;
                        }
                        membershipSeen.add(group);
                        if (type.endsWith(".add")) {
                            sink.memberAdded(group, MemberKind.USER, user);
                        } else {
                            sink.memberRemoved(group, MemberKind.USER, user);
                        }
                        break;
                    case "group.lifecycle.delete":
                        if (group != null) {
                            sink.groupDeleted(group);
                            wholeGroups.add(group);
                        }
                        break;
                    default:
                        break;
                }
            });
        } catch (RestException e) {
            if (e.status() == 400 && e.endpoint().contains("/logs")) {
                throw SourceException.cursorInvalid("the System Log no longer reaches back to the cursor");
            }
            throw e;
        }

        // 4. users whose status changed but whom the filter did not return (yet) and no deletion explains
        for (String id : lookUp) {
            if (!reportedUsers.contains(id) && !deletedUsers.contains(id)) {
                readUser(id, sink, reportedUsers, deletedUsers);
            }
        }

        // 5. membership moved but the log does not show it (yet): read those groups whole
        for (String id : membershipMoved) {
            if (!membershipSeen.contains(id) && !wholeGroups.contains(id)) {
                LOG.debug("group {}: membership changed without log events; reading its members", id);
                sink.group(readWholeGroup(movedGroups.get(id)));
            }
        }

        cursor.high = start;
        cursor.prune(window);
        sink.cursor(cursor.encode());
    }

    /** A user a log event named but the filter did not return (yet): read it, or report it gone. */
    private void readUser(String id, ChangeSink sink, Set<String> reported, Set<String> deleted) {
        try {
            JsonNode u = api.getJson("users/" + enc(id));
            emitUser(u, sink);
            reported.add(id);
        } catch (RestException e) {
            if (e.status() == 404) {
                deleted.add(id);
                sink.userDeleted(id);
                return;
            }
            throw e;
        }
    }

    private boolean lookUpScope(String groupId) {
        try {
            return inScope(api.getJson("groups/" + enc(groupId)));
        } catch (RestException e) {
            if (e.status() == 404) {
                return false; // deleted since; its delete event follows
            }
            throw e;
        }
    }

    private static String target(JsonNode event, String type) {
        for (JsonNode t : event.path("target")) {
            if (type.equals(t.path("type").asText()) && t.path("id").isTextual()) {
                return t.path("id").asText();
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ test

    @Override
    public Result test() {
        List<String> steps = new ArrayList<>();
        steps.add("org " + config.orgUrl + ", authenticating with " + (config.apiToken() != null ? "an SSWS API token"
                : "service app " + config.clientId + " (private_key_jwt, scopes " + String.join(" ", config.scopes)
                + ")"));
        String current = "users";
        try {
            if (tokens instanceof OktaTokens.Service s) {
                s.token();
                steps.add("got an access token" + (s.usesDpop() ? " (DPoP-bound: the app requires DPoP)" : ""));
            }
            List<JsonNode> users = api.get("users?limit=" + Math.min(config.pageSize, 20),
                    OktaSourceConnector::objects);
            steps.add("read a page of users: " + users.size());
            current = "groups";
            List<JsonNode> groups = api.get("groups?limit=" + Math.min(config.pageSize, 20) + typeFilter(),
                    OktaSourceConnector::objects);
            steps.add("read a page of groups: " + groups.size());
            current = "logs";
            api.get("logs?limit=1&since=" + enc(clock.instant().minus(Duration.ofHours(1)).toString()) + "&until="
                    + enc(clock.instant().toString()), OktaSourceConnector::objects);
            steps.add("read the System Log (incremental sync works)");
            return Result.ok(steps);
        } catch (RestException e) {
            steps.add(explain(e, current));
            return Result.failed(steps);
        } catch (SourceException e) {
            steps.add("failed: " + e.getMessage());
            return Result.failed(steps);
        }
    }

    /** A failure in plain words: what Okta said and what to do. */
    private String explain(RestException e, String reading) {
        String code = e.vendorCode().orElse("");
        String scope = "okta." + reading + ".read";
        if (code.equals("E0000011") || (e.status() == 401 && config.apiToken() != null)) {
            return "Okta refused the " + (config.apiToken() != null ? "API token" : "access token")
                    + " (E0000011, invalid token): check that it is complete, not revoked, and that its admin is active";
        }
        if (e.status() == 403 || code.equals("E0000006")) {
            return config.apiToken() != null
                    ? "the API token's admin may not read " + reading + " (E0000006): give the admin a role that can"
                    : "the app lacks the scope " + scope + " (E0000006): grant " + scope
                            + " under Okta API Scopes in the Admin Console";
        }
        if (e.code() == UsherException.Code.SOURCE_AUTH) {
            return "authentication failed: " + e.getMessage();
        }
        return "reading " + reading + " failed: " + e.getMessage();
    }

    // ------------------------------------------------------------------ paging

    /** Every page of a list, following {@code Link: rel="next"} verbatim. */
    private void pages(String first, io.usher.core.http.JsonReader<List<JsonNode>> reader, Consumer<JsonNode> each) {
        String next = first;
        Set<String> seen = new HashSet<>();
        while (next != null) {
            if (!seen.add(next)) {
                throw new SourceException(UsherException.Code.SOURCE_DATA, "Okta's next link repeats a page ("
                        + RestClient.describe("GET", api.resolve(next)) + "); stopped rather than loop");
            }
            Response<List<JsonNode>> r = api.getResponse(next, reader);
            r.body().forEach(each);
            next = r.nextLink().orElse(null);
        }
    }

    private void pagesOfIds(String first, Consumer<String> each) {
        String next = first;
        while (next != null) {
            Response<List<String>> r = api.getResponse(next, OktaSourceConnector::ids);
            r.body().forEach(each);
            next = r.nextLink().orElse(null);
        }
    }

    /** A polling read of the System Log: follow {@code next} until a page comes back empty. */
    private void pollLog(String first, Consumer<JsonNode> each) {
        String next = first;
        int pages = 0;
        while (next != null) {
            Response<List<JsonNode>> r = api.getResponse(next, OktaSourceConnector::objects);
            r.body().forEach(each);
            if (r.body().isEmpty() || ++pages > 100_000) {
                break;
            }
            next = r.nextLink().orElse(null);
        }
    }

    /** A JSON array of objects, each as a small tree. */
    static List<JsonNode> objects(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_ARRAY) {
            throw new com.fasterxml.jackson.core.JsonParseException(p, "expected an array");
        }
        List<JsonNode> out = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            out.add(p.readValueAsTree());
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new com.fasterxml.jackson.core.JsonParseException(p, "expected objects in the array");
        }
        return out;
    }

    /** The {@code id} of each object of a JSON array, skipping everything else. */
    static List<String> ids(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_ARRAY) {
            throw new com.fasterxml.jackson.core.JsonParseException(p, "expected an array");
        }
        List<String> out = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if ("id".equals(name) && t == JsonToken.VALUE_STRING) {
                    out.add(p.getText());
                } else {
                    p.skipChildren();
                }
            }
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new com.fasterxml.jackson.core.JsonParseException(p, "expected objects in the array");
        }
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() && !v.asText().isEmpty() ? v.asText() : null;
    }

    private static String textOrNull(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isValueNode() && !v.isNull() && !v.asText().isEmpty() ? v.asText() : null;
    }

    private static Optional<Instant> parse(String s) {
        if (s == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(s));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "OktaSourceConnector[" + config + "]";
    }
}
