package io.usher.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.core.UsherException;
import io.usher.core.http.OAuthTokenSource;
import io.usher.core.http.RestClient;
import io.usher.core.http.RestException;
import io.usher.core.http.RetryPolicy;
import io.usher.core.model.CredentialPolicy;
import io.usher.core.model.MemberKind;
import io.usher.core.spi.ChangeSink;
import io.usher.core.spi.ConnectionTest;
import io.usher.core.spi.IncrementalSource;
import io.usher.core.spi.NestedGroupSource;
import io.usher.core.spi.SnapshotSink;
import io.usher.core.spi.SourceConnector;
import io.usher.core.spi.SourceException;
import io.usher.core.spi.SourceGroup;
import io.usher.core.spi.SourceUser;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
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
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads users and groups from Microsoft Entra ID through Microsoft Graph, with nothing heavier than the JDK's
 * {@code HttpClient}, Jackson and nimbus-jose-jwt.
 *
 * <p><b>Snapshot</b>: {@code /users} and {@code /groups} with {@code $select} of exactly the mapped properties
 * and {@code $top=999}, following {@code @odata.nextLink} verbatim (empty pages included); then each group's
 * direct members ({@code /groups/{id}/members}, paged, several groups at once up to {@code maxConcurrency});
 * never groups-per-user. Member groups are kept as group-in-group edges ({@link NestedGroupSource}); the
 * engine computes effective membership and reports cycles. Before reading, it asks Graph for the current
 * delta links ({@code $deltatoken=latest}), and ends with them as the cursor, so that whatever changes during
 * the read is replayed by the next {@link #changes} call.
 *
 * <p><b>Incremental</b> ({@link #changes}): {@code /users/delta} then {@code /groups/delta} from the stored
 * delta links. A user with {@code @removed} reason {@code changed} is soft-deleted (in the recycle bin for 30
 * days): it is read from {@code /directory/deletedItems} and reported inactive, so the host deactivates it; a
 * reason {@code deleted} is a permanent deletion. A group's {@code members@delta} entries, which Graph may
 * spread over several objects and pages, are merged and reported after every group's own changes. An expired
 * delta link (410, {@code syncStateNotFound}) is {@link SourceException#cursorInvalid}: the engine reads a
 * full snapshot and says so in its report. Configurations scoped to {@code groups}, or reading
 * {@code transitiveMembers}, read snapshots only (their snapshots end without a cursor).
 *
 * <p>Errors are {@link RestException}s (a {@link SourceException}) naming the endpoint and Graph's error code;
 * a failed read fails the snapshot, which then deletes nothing. Secrets, tokens and assertions never appear
 * in messages or logs.
 *
 * <p>Thread-safe for one read at a time (the engine's contract); {@link #test()} and {@link #close()} may be
 * called from any thread.
 */
public final class AzureSourceConnector implements SourceConnector, IncrementalSource, NestedGroupSource,
        ConnectionTest {
    /** The type name this connector registers under. */
    public static final String TYPE = "azure";
    private static final Logger LOG = LoggerFactory.getLogger(AzureSourceConnector.class);
    private static final String CURSOR_PREFIX = "graph-delta ";
    private static final String GROUP_SELECT = "id,displayName,description";
    private static final String USER_TYPE = "#microsoft.graph.user";
    private static final String GROUP_TYPE = "#microsoft.graph.group";
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9\\-_.]{0,127}");
    private static final Set<String> EXPIRED_CODES = Set.of("syncStateNotFound", "resyncRequired", "syncStateInvalid");

    private final AzureConfig config;
    private final OAuthTokenSource tokens;
    private final RestClient graph;
    private final UserMapper users;
    private volatile boolean closed;

    public AzureSourceConnector(AzureConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        HttpClient http = config.httpClient != null ? config.httpClient : RestClient.defaultHttpClient();
        RetryPolicy retry = RetryPolicy.DEFAULT.withMaxAttempts(config.maxAttempts);
        ClientAssertion assertion = config.usesSecret() ? null : new ClientAssertion(config.clientId,
                config.tokenUri().toString(), config.signingAlgorithm, config.certificate, config.privateKey(),
                config.clock);
        this.tokens = OAuthTokenSource.builder(config.tokenUri()).httpClient(http).clock(config.clock)
                .sleeper(config.sleeper).retryPolicy(retry.withMaxAttempts(Math.min(3, config.maxAttempts)))
                .requestTimeout(config.requestTimeout)
                .form(() -> {
                    Map<String, String> f = new LinkedHashMap<>();
                    f.put("grant_type", "client_credentials");
                    f.put("client_id", config.clientId);
                    f.put("scope", config.scope());
                    if (assertion == null) {
                        f.put("client_secret", config.clientSecret());
                    } else {
                        f.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
                        f.put("client_assertion", assertion.sign());
                    }
                    return f;
                }).build();
        this.graph = RestClient.builder(config.graphBase).httpClient(http).tokenSource(tokens).retryPolicy(retry)
                .maxConcurrency(config.maxConcurrency).requestTimeout(config.requestTimeout).clock(config.clock)
                .sleeper(config.sleeper).build();
        this.users = new UserMapper(config);
    }

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * {@link CredentialPolicy#SSO_ONLY}: Entra ID is the identity provider its users sign in with, so the host
     * should not let them set or use a local password. A source may say otherwise
     * ({@code Source.Builder.credentials}, or {@code credentials = host}).
     */
    @Override
    public CredentialPolicy defaultCredentials() {
        return CredentialPolicy.SSO_ONLY;
    }

    /** HTTP requests sent so far: Graph calls (retries included) and token fetches. */
    public long httpRequests() {
        return graph.requestsSent() + tokens.fetches();
    }

    /** Graph requests that were tried again (throttling, server errors, lost responses, refused tokens). */
    public long retries() {
        return graph.retries();
    }

    // ================================================================== snapshot

    @Override
    public void snapshot(SnapshotSink sink) throws SourceException {
        Objects.requireNonNull(sink, "sink");
        requireOpen();
        if (!config.groups.isEmpty()) {
            scopedSnapshot(sink);
            return;
        }
        String cursor = null;
        if (config.deltaCapable()) {
            String u = latestDeltaLink("users/delta?$select=" + users.select());
            String g = latestDeltaLink("groups/delta?$select=" + GROUP_SELECT + ",members");
            cursor = CURSOR_PREFIX + u + " " + g;
        }
        Predicate<String> mailShared = users.usesMail() ? sharedMails() : m -> false;
        long read = 0;
        String link = "users?$select=" + users.select() + "&$top=" + config.pageSize;
        int pages = 0;
        while (link != null) {
            Page page = graph.get(link, Page::read);
            pages++;
            for (ObjectNode o : page.items()) {
                SourceUser u = users.toUser(o, mailShared, false, null);
                if (u == null) {
                    throw new SourceException(UsherException.Code.SOURCE_DATA, "a user object without an id");
                }
                if (users.included(u)) {
                    sink.user(u);
                }
                read++;
            }
            sink.progress(read, -1);
            link = page.nextLink();
        }
        LOG.debug("read {} users in {} pages", read, pages);
        read = readGroups(sink, read);
        if (cursor != null) {
            sink.cursor(cursor);
        }
    }

    private String latestDeltaLink(String path) {
        Page p = graph.get(path + "&$deltatoken=latest", Page::read);
        if (p.deltaLink() == null || p.deltaLink().contains(" ")) {
            throw new SourceException(UsherException.Code.SOURCE_DATA,
                    "Graph answered a $deltatoken=latest request without a usable @odata.deltaLink");
        }
        graph.resolve(p.deltaLink());
        return p.deltaLink();
    }

    /** Counts mail addresses over all users (case-insensitive), for the duplicate-mail fallback to UPN. */
    private Predicate<String> sharedMails() {
        Map<String, Integer> counts = new HashMap<>();
        String link = "users?$select=id,mail&$top=" + config.pageSize;
        while (link != null) {
            Page page = graph.get(link, Page::read);
            for (ObjectNode o : page.items()) {
                String m = Page.text(o, "mail");
                if (m != null) {
                    counts.merge(m.toLowerCase(Locale.ROOT), 1, Integer::sum);
                }
            }
            link = page.nextLink();
        }
        return m -> counts.getOrDefault(m.toLowerCase(Locale.ROOT), 0) > 1;
    }

    /** Every group page by page; each page's member lists read in parallel, handed on in order. */
    private long readGroups(SnapshotSink sink, long read) {
        ExecutorService pool = Executors.newFixedThreadPool(config.maxConcurrency, r -> {
            Thread t = new Thread(r, "usher-azure-members");
            t.setDaemon(true);
            return t;
        });
        try {
            String link = "groups?$select=" + GROUP_SELECT + "&$top=" + config.pageSize;
            while (link != null) {
                Page page = graph.get(link, Page::read);
                List<Future<Members>> members = new ArrayList<>(page.items().size());
                for (ObjectNode o : page.items()) {
                    String id = Page.text(o, "id");
                    members.add(id == null || !SAFE_ID.matcher(id).matches() ? null
                            : pool.submit(() -> members(id, config.transitiveMembers)));
                }
                for (int i = 0; i < page.items().size(); i++) {
                    ObjectNode o = page.items().get(i);
                    String id = Page.text(o, "id");
                    if (id == null) {
                        throw new SourceException(UsherException.Code.SOURCE_DATA, "a group object without an id");
                    }
                    if (members.get(i) == null) {
                        read++;
                        sink.unreadable(MemberKind.GROUP, id, "the id is not a Graph object id");
                        continue;
                    }
                    Members m = await(members.get(i));
                    read++;
                    if (m == null) {
                        LOG.debug("group {} was deleted while the snapshot read it; left out", id);
                        continue;
                    }
                    String name = Page.text(o, "displayName");
                    if (name == null) {
                        sink.unreadable(MemberKind.GROUP, id, "displayName is empty");
                        continue;
                    }
                    sink.group(SourceGroup.of(id, name, Page.text(o, "description"), m.users, m.groups));
                }
                sink.progress(read, -1);
                link = page.nextLink();
            }
            return read;
        } finally {
            pool.shutdownNow();
        }
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

    /** A group's direct (or transitive) members by kind. */
    private record Members(Set<String> users, Set<String> groups) {}

    /** The group's members, or null if the group no longer exists. */
    private Members members(String groupId, boolean transitive) {
        Set<String> us = new LinkedHashSet<>();
        Set<String> gs = new LinkedHashSet<>();
        String link = "groups/" + groupId + (transitive ? "/transitiveMembers" : "/members") + "?$select=id&$top="
                + config.pageSize;
        try {
            while (link != null) {
                Page page = graph.get(link, Page::read);
                for (ObjectNode o : page.items()) {
                    String type = Page.text(o, "@odata.type");
                    String id = Page.text(o, "id");
                    if (id == null) {
                        continue;
                    }
                    if (USER_TYPE.equals(type)) {
                        us.add(id);
                    } else if (GROUP_TYPE.equals(type) && !transitive) {
                        gs.add(id);
                    }
                }
                link = page.nextLink();
            }
        } catch (RestException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
        return new Members(us, gs);
    }

    /**
     * Scoped to configured groups: reads those groups and the groups nested in them, and the users among their
     * members (with user properties, from the member lists), then hands on users and groups. No cursor.
     */
    private void scopedSnapshot(SnapshotSink sink) {
        long usersSent = 0;
        Map<String, ObjectNode> rawUsers = new LinkedHashMap<>();
        List<SourceGroup> groups = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>(config.groups);
        Set<String> seen = new HashSet<>(config.groups);
        while (!todo.isEmpty()) {
            String gid = todo.poll();
            if (!SAFE_ID.matcher(gid).matches()) {
                throw new SourceException(UsherException.Code.SOURCE_DATA, "a group id that is not a Graph object id");
            }
            JsonNode g;
            try {
                g = graph.getJson("groups/" + gid + "?$select=" + GROUP_SELECT);
            } catch (RestException e) {
                if (e.status() == 404 && config.groups.contains(gid)) {
                    throw new SourceException(UsherException.Code.SOURCE_DATA, "configured group " + gid
                            + " does not exist in the tenant; fix the 'groups' setting (nothing was changed)", e);
                }
                if (e.status() == 404) {
                    continue;
                }
                throw e;
            }
            Set<String> us = new LinkedHashSet<>();
            Set<String> gs = new LinkedHashSet<>();
            String link = "groups/" + gid + (config.transitiveMembers ? "/transitiveMembers" : "/members")
                    + "?$select=" + users.select() + "&$top=" + config.pageSize;
            while (link != null) {
                Page page = graph.get(link, Page::read);
                for (ObjectNode o : page.items()) {
                    String type = Page.text(o, "@odata.type");
                    String id = Page.text(o, "id");
                    if (id == null) {
                        continue;
                    }
                    if (USER_TYPE.equals(type)) {
                        us.add(id);
                        rawUsers.putIfAbsent(id, o);
                    } else if (GROUP_TYPE.equals(type) && !config.transitiveMembers) {
                        gs.add(id);
                        if (seen.add(id)) {
                            todo.add(id);
                        }
                    }
                }
                link = page.nextLink();
            }
            String name = Page.text(g, "displayName");
            if (name == null) {
                sink.unreadable(MemberKind.GROUP, gid, "displayName is empty");
                continue;
            }
            groups.add(SourceGroup.of(gid, name, Page.text(g, "description"), us, gs));
        }
        Map<String, Integer> mails = new HashMap<>();
        if (users.usesMail()) {
            rawUsers.values().forEach(o -> {
                String m = Page.text(o, "mail");
                if (m != null) {
                    mails.merge(m.toLowerCase(Locale.ROOT), 1, Integer::sum);
                }
            });
        }
        Predicate<String> shared = m -> mails.getOrDefault(m.toLowerCase(Locale.ROOT), 0) > 1;
        long read = 0;
        for (ObjectNode o : rawUsers.values()) {
            SourceUser u = users.toUser(o, shared, false, null);
            if (u != null && users.included(u)) {
                usersSent++;
                sink.user(u);
            }
            read++;
        }
        sink.progress(read, -1);
        for (SourceGroup g : groups) {
            sink.group(g);
            read++;
        }
        sink.progress(read, read);
        LOG.debug("scoped snapshot: {} groups, {} users", groups.size(), usersSent);
    }

    // ================================================================== incremental

    @Override
    public void changes(String cursor, ChangeSink sink) throws SourceException {
        Objects.requireNonNull(sink, "sink");
        requireOpen();
        if (!config.deltaCapable()) {
            throw SourceException.cursorInvalid("this configuration (groups scope or transitiveMembers) reads "
                    + "snapshots only");
        }
        String[] links = parseCursor(cursor);
        String nextUsers;
        String nextGroups;
        try {
            nextUsers = userChanges(links[0], sink);
            nextGroups = groupChanges(links[1], sink);
        } catch (RestException e) {
            if (e.status() == 410 || e.vendorCode().map(EXPIRED_CODES::contains).orElse(false)) {
                throw SourceException.cursorInvalid("the stored delta link has expired (Graph answered "
                        + (e.status() > 0 ? "HTTP " + e.status() : "") + e.vendorCode().map(c -> " " + c).orElse("")
                        + "); a full snapshot is needed");
            }
            throw e;
        }
        sink.cursor(CURSOR_PREFIX + nextUsers + " " + nextGroups);
    }

    private String[] parseCursor(String cursor) {
        if (cursor == null || !cursor.startsWith(CURSOR_PREFIX)) {
            throw SourceException.cursorInvalid("the cursor was not made by the azure connector");
        }
        String[] parts = cursor.substring(CURSOR_PREFIX.length()).split(" ");
        if (parts.length != 2) {
            throw SourceException.cursorInvalid("the cursor does not hold two delta links");
        }
        for (String p : parts) {
            try {
                graph.resolve(p);
            } catch (RestException e) {
                throw SourceException.cursorInvalid("the cursor's delta links do not point at the configured Graph "
                        + "root");
            }
            if (!p.contains("/delta?")) {
                throw SourceException.cursorInvalid("the cursor does not hold delta links");
            }
        }
        return parts;
    }

    private String userChanges(String link, ChangeSink sink) {
        long read = 0;
        Map<String, Boolean> mailCache = new HashMap<>();
        Predicate<String> shared = m -> mailCache.computeIfAbsent(m.toLowerCase(Locale.ROOT), this::mailIsShared);
        boolean first = true;
        while (true) {
            Page page = first ? storedLink(link) : graph.get(link, Page::read);
            first = false;
            for (ObjectNode o : page.items()) {
                read++;
                String id = Page.text(o, "id");
                if (id == null || !SAFE_ID.matcher(id).matches()) {
                    throw new SourceException(UsherException.Code.SOURCE_DATA, "a user delta object without a usable id");
                }
                JsonNode removed = o.get("@removed");
                if (removed != null) {
                    String reason = Page.text(removed, "reason");
                    if ("changed".equals(reason)) {
                        softDeleted(id, shared, sink);
                    } else {
                        sink.userDeleted(id);
                    }
                    continue;
                }
                ObjectNode full = complete(id, o);
                if (full == null) {
                    sink.userDeleted(id);
                    continue;
                }
                SourceUser u = users.toUser(full, shared, false, null);
                if (users.included(u)) {
                    sink.user(u);
                } else {
                    sink.userDeleted(id); // now outside the userTypes filter
                }
            }
            sink.progress(read, -1);
            if (page.nextLink() != null) {
                link = page.nextLink();
            } else if (page.deltaLink() != null) {
                graph.resolve(page.deltaLink());
                return page.deltaLink();
            } else {
                throw new SourceException(UsherException.Code.SOURCE_DATA,
                        "a users delta page with neither @odata.nextLink nor @odata.deltaLink");
            }
        }
    }

    /**
     * The first page of a stored delta link. Graph refusing the link itself as a bad request (a delta token it
     * no longer understands, say after a host restored an old cursor) makes the cursor invalid, so the engine
     * falls back to a snapshot instead of failing every run; a 400 on a later page, whose link Graph itself
     * just gave, stays a data error.
     */
    private Page storedLink(String link) {
        try {
            return graph.get(link, Page::read);
        } catch (RestException e) {
            if (e.status() == 400) {
                throw SourceException.cursorInvalid("Graph refused the stored delta link (HTTP 400"
                        + e.vendorCode().map(c -> " " + c).orElse("") + "); a full snapshot is needed");
            }
            throw e;
        }
    }

    /**
     * Vendor quirk: for an updated user, Graph's delta may send only the changed properties ("at least the
     * properties that have been updated"), for instance {@code {"id":"…","displayName":"New Name"}}. Mapping that
     * as a whole user would blank every other field, so a delta object missing any selected property is read
     * again in full from {@code /users/{id}}. Returns null if the user is gone by then.
     */
    private ObjectNode complete(String id, ObjectNode o) {
        for (String p : users.selected()) {
            if (!o.has(p)) {
                try {
                    JsonNode full = graph.getJson("users/" + id + "?$select=" + users.select());
                    return full instanceof ObjectNode on ? on : null;
                } catch (RestException e) {
                    if (e.status() == 404) {
                        return null;
                    }
                    throw e;
                }
            }
        }
        return o;
    }

    /** A soft-deleted user: reported inactive with its last known fields, or deleted if already purged. */
    private void softDeleted(String id, Predicate<String> shared, ChangeSink sink) {
        JsonNode item;
        try {
            item = graph.getJson("directory/deletedItems/" + id + "?$select=" + users.select());
        } catch (RestException e) {
            if (e.status() == 404) {
                sink.userDeleted(id);
                return;
            }
            throw e;
        }
        if (!(item instanceof ObjectNode o)) {
            sink.userDeleted(id);
            return;
        }
        String upn = UserMapper.stripDeletedItemsUpnPrefix(id, Page.text(o, "userPrincipalName"));
        SourceUser u = users.toUser(o, shared, true, upn);
        if (u != null && users.included(u)) {
            sink.user(u);
        } else {
            sink.userDeleted(id);
        }
    }

    private boolean mailIsShared(String mail) {
        String filter = "mail eq '" + mail.replace("'", "''") + "'";
        Page p = graph.get("users?$select=id&$top=2&$filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8)
                .replace("+", "%20"), Page::read);
        return p.items().size() > 1;
    }

    /** What one group's delta objects said, merged across objects and pages. */
    private static final class GroupDelta {
        SourceGroup fields;
        boolean unreadable;
        final Map<String, Boolean> users = new LinkedHashMap<>();
        final Map<String, Boolean> groups = new LinkedHashMap<>();
    }

    private String groupChanges(String link, ChangeSink sink) {
        Map<String, GroupDelta> changed = new LinkedHashMap<>();
        Set<String> deleted = new LinkedHashSet<>();
        long read = 0;
        String deltaLink;
        boolean first = true;
        while (true) {
            Page page = first ? storedLink(link) : graph.get(link, Page::read);
            first = false;
            for (ObjectNode o : page.items()) {
                read++;
                String id = Page.text(o, "id");
                if (id == null) {
                    throw new SourceException(UsherException.Code.SOURCE_DATA, "a group delta object without an id");
                }
                if (o.has("@removed")) {
                    deleted.add(id);
                    changed.remove(id);
                    continue;
                }
                deleted.remove(id);
                GroupDelta d = changed.computeIfAbsent(id, k -> new GroupDelta());
                if (o.has("displayName")) {
                    String name = Page.text(o, "displayName");
                    if (name == null) {
                        d.unreadable = true;
                    } else {
                        d.fields = SourceGroup.of(id, name, Page.text(o, "description"), List.of(), List.of());
                    }
                }
                JsonNode ms = o.get("members@delta");
                if (ms != null && ms.isArray()) {
                    for (JsonNode m : ms) {
                        String mid = Page.text(m, "id");
                        String type = Page.text(m, "@odata.type");
                        if (mid == null) {
                            continue;
                        }
                        boolean add = !m.has("@removed");
                        if (USER_TYPE.equals(type)) {
                            d.users.put(mid, add);
                        } else if (GROUP_TYPE.equals(type)) {
                            d.groups.put(mid, add);
                        }
                    }
                }
            }
            sink.progress(read, -1);
            if (page.nextLink() != null) {
                link = page.nextLink();
            } else if (page.deltaLink() != null) {
                graph.resolve(page.deltaLink());
                deltaLink = page.deltaLink();
                break;
            } else {
                throw new SourceException(UsherException.Code.SOURCE_DATA,
                        "a groups delta page with neither @odata.nextLink nor @odata.deltaLink");
            }
        }
        for (Map.Entry<String, GroupDelta> e : changed.entrySet()) {
            if (e.getValue().unreadable) {
                sink.unreadable(MemberKind.GROUP, e.getKey(), "displayName is empty");
            } else if (e.getValue().fields != null) {
                sink.groupFields(e.getValue().fields);
            }
        }
        for (Map.Entry<String, GroupDelta> e : changed.entrySet()) {
            if (e.getValue().unreadable) {
                continue;
            }
            String gid = e.getKey();
            e.getValue().users.forEach((m, add) -> member(sink, add, gid, MemberKind.USER, m));
            e.getValue().groups.forEach((m, add) -> member(sink, add, gid, MemberKind.GROUP, m));
        }
        deleted.forEach(sink::groupDeleted);
        LOG.debug("groups delta: {} changed, {} deleted", changed.size(), deleted.size());
        return deltaLink;
    }

    private static void member(ChangeSink sink, boolean add, String group, MemberKind kind, String member) {
        if (add) {
            sink.memberAdded(group, kind, member);
        } else {
            sink.memberRemoved(group, kind, member);
        }
    }

    // ================================================================== test, close

    /**
     * Acquires a token, reads one page of users and of groups and one group's members, and names any
     * permission Graph refused (User.Read.All, Group.Read.All, GroupMember.Read.All). Never throws.
     */
    @Override
    public Result test() {
        List<String> steps = new ArrayList<>();
        if (closed) {
            return Result.failed(List.of("the connector is closed"));
        }
        try {
            tokens.token();
            steps.add("acquired a token for client " + config.clientId + " from " + config.tokenUri().getHost());
        } catch (RuntimeException e) {
            steps.add("could not acquire a token: " + e.getMessage()
                    + " (check tenantId, clientId and the client secret or certificate)");
            return Result.failed(steps);
        }
        boolean ok = probe("users?$select=id&$top=1", "users", "User.Read.All", steps) != null;
        JsonNode groups = probe("groups?$select=id&$top=1", "groups", "Group.Read.All", steps);
        ok &= groups != null;
        if (groups != null) {
            JsonNode first = groups.path("value").path(0).path("id");
            if (first.isTextual() && SAFE_ID.matcher(first.asText()).matches()) {
                ok &= probe("groups/" + first.asText() + "/members?$select=id&$top=1", "group members",
                        "GroupMember.Read.All", steps) != null;
            } else {
                steps.add("no group to read members of; GroupMember.Read.All not checked");
            }
        }
        return ok ? Result.ok(steps) : Result.failed(steps);
    }

    private JsonNode probe(String path, String what, String permission, List<String> steps) {
        try {
            JsonNode n = graph.getJson(path);
            steps.add("read " + what);
            return n;
        } catch (RestException e) {
            if (e.status() == 403) {
                steps.add("reading " + what + " was refused" + e.vendorCode().map(c -> " (" + c + ")").orElse("")
                        + ": missing permission " + permission + " (application permission, with admin consent)");
            } else {
                steps.add("reading " + what + " failed: " + e.getMessage());
            }
            return null;
        } catch (RuntimeException e) {
            steps.add("reading " + what + " failed: " + e.getMessage());
            return null;
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
        return "AzureSourceConnector[" + config + "]";
    }
}
