package io.usher.testkit.graph;

import com.fasterxml.jackson.core.JsonGenerator;
import io.usher.core.model.MemberKind;
import io.usher.core.spi.SourceUser;
import io.usher.testkit.ChangeBatch;
import io.usher.testkit.DirectoryChange;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.internal.OpaqueTokens;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Graph resources of a {@link GraphServer}: each request answered from the directory's current state. */
final class GraphApi {
    static final List<String> USER_PROPERTIES = List.of("id", "userPrincipalName", "displayName", "givenName",
            "surname", "mail", "otherMails", "accountEnabled", "userType", "onPremisesSamAccountName",
            "onPremisesImmutableId", "onPremisesUserPrincipalName", "department", "jobTitle", "employeeId",
            "companyName", "officeLocation", "mobilePhone", "businessPhones", "preferredLanguage", "mailNickname",
            "proxyAddresses", "usageLocation", "city", "country", "state", "createdDateTime", "deletedDateTime");
    static final List<String> USER_DEFAULT = List.of("businessPhones", "displayName", "givenName", "jobTitle", "mail",
            "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id");
    static final List<String> GROUP_PROPERTIES = List.of("id", "displayName", "description", "mail", "mailNickname",
            "mailEnabled", "securityEnabled", "groupTypes", "createdDateTime", "onPremisesSamAccountName", "members");
    static final List<String> GROUP_DEFAULT = List.of("id", "displayName", "description", "mail", "mailNickname",
            "mailEnabled", "securityEnabled", "groupTypes", "createdDateTime", "onPremisesSamAccountName");
    private static final Set<String> USER_READ = Set.of("User.Read.All", "Directory.Read.All");
    private static final Set<String> GROUP_READ = Set.of("Group.Read.All", "GroupMember.Read.All", "Directory.Read.All");
    private static final Pattern FILTER = Pattern.compile("(mail|userPrincipalName) eq '((?:[^']|'')*)'");
    private static final String USER_TYPE = "#microsoft.graph.user";
    private static final String GROUP_TYPE = "#microsoft.graph.group";

    private final GraphServer server;
    private final InMemoryDirectory dir;
    private final OpaqueTokens tokens;
    private final String root;
    private final int deltaPageSize;
    private final int membersPerObject;

    GraphApi(GraphServer server, InMemoryDirectory dir, OpaqueTokens tokens, String root, int deltaPageSize,
             int membersPerObject) {
        this.server = server;
        this.dir = dir;
        this.tokens = tokens;
        this.root = root;
        this.deltaPageSize = deltaPageSize;
        this.membersPerObject = membersPerObject;
    }

    byte[] get(String path, Map<String, String> q, Set<String> roles) {
        String[] seg = path.split("/", -1);
        if (seg.length == 1 && seg[0].equals("users")) {
            need(roles, USER_READ);
            return users(q);
        }
        if (seg.length == 2 && seg[0].equals("users") && seg[1].equals("delta")) {
            need(roles, USER_READ);
            return delta(true, q);
        }
        if (seg.length == 2 && seg[0].equals("users")) {
            need(roles, USER_READ);
            DirectoryUser u = dir.user(seg[1]).orElseThrow(() -> GraphError.notFound(
                    "Resource '" + seg[1] + "' does not exist or one of its queried reference-property objects are not present."));
            List<String> sel = select(q, USER_PROPERTIES, USER_DEFAULT);
            return json(g -> writeUser(g, u, sel, null));
        }
        if (seg.length == 1 && seg[0].equals("groups")) {
            need(roles, GROUP_READ);
            return groups(q);
        }
        if (seg.length == 2 && seg[0].equals("groups") && seg[1].equals("delta")) {
            need(roles, GROUP_READ);
            return delta(false, q);
        }
        if (seg.length == 2 && seg[0].equals("groups")) {
            need(roles, GROUP_READ);
            DirectoryGroup grp = group(seg[1]);
            List<String> sel = select(q, GROUP_PROPERTIES, GROUP_DEFAULT);
            return json(g -> writeGroup(g, grp, sel));
        }
        if (seg.length == 3 && seg[0].equals("groups")
                && (seg[2].equals("members") || seg[2].equals("transitiveMembers"))) {
            need(roles, GROUP_READ);
            return members(seg[1], seg[2].equals("transitiveMembers"), q);
        }
        if (seg.length == 3 && seg[0].equals("directory") && seg[1].equals("deletedItems")) {
            need(roles, USER_READ);
            DirectoryUser u = dir.deletedUser(seg[2]).orElseThrow(() -> GraphError.notFound(
                    "Resource '" + seg[2] + "' does not exist or one of its queried reference-property objects are not present."));
            List<String> sel = select(q, USER_PROPERTIES, USER_DEFAULT);
            String prefixed = u.id().replace("-", "") + u.loginName();
            return json(g -> writeUser(g, u, sel, prefixed));
        }
        throw GraphError.badRequest("Resource not found for the segment '" + seg[0] + "'.");
    }

    private static void need(Set<String> roles, Set<String> anyOf) {
        for (String r : anyOf) {
            if (roles.contains(r)) {
                return;
            }
        }
        throw new GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
    }

    private DirectoryGroup group(String id) {
        return dir.group(id).orElseThrow(() -> GraphError.notFound("Resource '" + id
                + "' does not exist or one of its queried reference-property objects are not present."));
    }

    // ------------------------------------------------------------------ query options

    static List<String> select(Map<String, String> q, List<String> known, List<String> defaults) {
        String s = q.get("$select");
        if (s == null) {
            return defaults;
        }
        List<String> out = new ArrayList<>();
        for (String p : s.split(",")) {
            String name = p.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (!known.contains(name)) {
                throw GraphError.badRequest("Could not find a property named '" + name.replaceAll("[^A-Za-z0-9@.#]", "?")
                        + "' on type 'microsoft.graph." + (known == USER_PROPERTIES ? "user" : "group") + "'.");
            }
            if (!out.contains(name)) {
                out.add(name);
            }
        }
        if (!out.contains("id")) {
            out.add(0, "id");
        }
        return out;
    }

    static int top(Map<String, String> q, int dflt) {
        String t = q.get("$top");
        if (t == null) {
            return dflt;
        }
        int n;
        try {
            n = Integer.parseInt(t.trim());
        } catch (NumberFormatException e) {
            throw GraphError.badRequest("Invalid page size specified: '" + t.replaceAll("[^0-9\\-]", "?") + "'.");
        }
        if (n < 1 || n > 999) {
            throw GraphError.badRequest("Invalid page size specified: '" + n + "'. Must be between 1 and 999 inclusive.");
        }
        return n;
    }

    private String[] skip(Map<String, String> q, String kind) {
        String t = q.get("$skiptoken");
        if (t == null) {
            return null;
        }
        String[] f = tokens.open(t);
        if (f == null || f.length == 0 || !f[0].equals(kind)) {
            throw GraphError.badRequest("Invalid skip token.");
        }
        return f;
    }

    private String link(String resource, Map<String, String> keep, String tokenName, String token) {
        StringBuilder b = new StringBuilder(root).append(resource).append('?');
        keep.forEach((k, v) -> {
            if (v != null) {
                b.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&');
            }
        });
        return b.append(tokenName).append('=').append(token).toString();
    }

    // ------------------------------------------------------------------ lists

    private byte[] users(Map<String, String> q) {
        List<String> sel = select(q, USER_PROPERTIES, USER_DEFAULT);
        int top = top(q, 100);
        String filter = q.get("$filter");
        if (filter != null) {
            Matcher m = FILTER.matcher(filter.trim());
            if (!m.matches()) {
                throw GraphError.badRequest("Unsupported or invalid query filter clause specified.");
            }
            String value = m.group(2).replace("''", "'").toLowerCase(Locale.ROOT);
            boolean byMail = m.group(1).equals("mail");
            List<DirectoryUser> hits = new ArrayList<>();
            dir.users().filter(u -> byMail ? !u.emails().isEmpty() && u.emails().get(0).toLowerCase(Locale.ROOT).equals(value)
                    : u.loginName().toLowerCase(Locale.ROOT).equals(value)).limit(top).forEach(hits::add);
            server.served(hits.size());
            return page(hits, u -> g -> writeUser(g, u, sel, null), null, null);
        }
        String[] f = skip(q, "u");
        String after = f == null || f[1].isEmpty() ? null : f[1];
        if (f != null && f.length > 2 && f[2].equals("e")) {
            return page(List.of(), null, link("users", keep(q), "$skiptoken", tokens.seal("u", f[1])), null);
        }
        List<DirectoryUser> page = dir.readUserPage(after, top);
        server.served(page.size());
        String next = null;
        if (page.size() == top) {
            String last = page.get(page.size() - 1).id();
            next = link("users", keep(q), "$skiptoken", server.emptyPages()
                    ? tokens.seal("u", last, "e") : tokens.seal("u", last));
        }
        return page(page, u -> g -> writeUser(g, u, sel, null), next, null);
    }

    private byte[] groups(Map<String, String> q) {
        List<String> sel = select(q, GROUP_PROPERTIES, GROUP_DEFAULT);
        if (sel.contains("members")) {
            throw GraphError.badRequest("'members' can only be selected on delta queries; use $expand or /members.");
        }
        int top = top(q, 100);
        if (q.containsKey("$filter")) {
            throw GraphError.badRequest("Unsupported or invalid query filter clause specified.");
        }
        String[] f = skip(q, "g");
        String after = f == null || f[1].isEmpty() ? null : f[1];
        if (f != null && f.length > 2 && f[2].equals("e")) {
            return page(List.of(), null, link("groups", keep(q), "$skiptoken", tokens.seal("g", f[1])), null);
        }
        List<DirectoryGroup> page = dir.readGroupPage(after, top);
        server.served(page.size());
        String next = null;
        if (page.size() == top) {
            String last = page.get(page.size() - 1).id();
            next = link("groups", keep(q), "$skiptoken", server.emptyPages()
                    ? tokens.seal("g", last, "e") : tokens.seal("g", last));
        }
        return page(page, grp -> g -> writeGroup(g, grp, sel), next, null);
    }

    private static Map<String, String> keep(Map<String, String> q) {
        Map<String, String> k = new LinkedHashMap<>();
        k.put("$select", q.get("$select"));
        k.put("$top", q.get("$top"));
        return k;
    }

    private byte[] members(String groupId, boolean transitive, Map<String, String> q) {
        group(groupId);
        List<String> sel = select(q, USER_PROPERTIES, USER_DEFAULT);
        int top = top(q, 100);
        String[] f = skip(q, "m");
        int offset = 0;
        if (f != null) {
            if (f.length != 3 || !f[1].equals(groupId)) {
                throw GraphError.badRequest("Invalid skip token.");
            }
            offset = Integer.parseInt(f[2]);
        }
        List<String> userIds;
        List<String> groupIds;
        if (transitive) {
            Set<String> us = new HashSet<>();
            Set<String> gs = new LinkedHashSet<>();
            Deque<String> todo = new ArrayDeque<>(List.of(groupId));
            Set<String> visited = new HashSet<>(List.of(groupId));
            while (!todo.isEmpty()) {
                String g = todo.poll();
                us.addAll(dir.members(g, MemberKind.USER));
                for (String child : dir.members(g, MemberKind.GROUP)) {
                    if (visited.add(child)) {
                        gs.add(child);
                        todo.add(child);
                    }
                }
            }
            userIds = sorted(us);
            groupIds = sorted(gs);
        } else {
            userIds = sorted(dir.members(groupId, MemberKind.USER));
            groupIds = sorted(dir.members(groupId, MemberKind.GROUP));
        }
        int total = userIds.size() + groupIds.size();
        List<Writer> items = new ArrayList<>();
        for (int i = offset; i < Math.min(total, offset + top); i++) {
            if (i < userIds.size()) {
                Optional<DirectoryUser> u = dir.user(userIds.get(i));
                u.ifPresent(user -> items.add(g -> {
                    g.writeStartObject();
                    g.writeStringField("@odata.type", USER_TYPE);
                    userFields(g, user, sel, null);
                    g.writeEndObject();
                }));
            } else {
                Optional<DirectoryGroup> grp = dir.group(groupIds.get(i - userIds.size()));
                grp.ifPresent(gr -> items.add(g -> {
                    g.writeStartObject();
                    g.writeStringField("@odata.type", GROUP_TYPE);
                    g.writeStringField("id", gr.id());
                    if (sel.contains("displayName")) {
                        g.writeStringField("displayName", gr.name());
                    }
                    g.writeEndObject();
                }));
            }
        }
        server.served(items.size());
        String next = offset + top < total
                ? link("groups/" + groupId + (transitive ? "/transitiveMembers" : "/members"), keep(q), "$skiptoken",
                        tokens.seal("m", groupId, Integer.toString(offset + top)))
                : null;
        return page(items, w -> w, next, null);
    }

    private static List<String> sorted(Set<String> s) {
        List<String> l = new ArrayList<>(s);
        Collections.sort(l);
        return l;
    }

    // ------------------------------------------------------------------ delta

    private byte[] delta(boolean users, Map<String, String> q) {
        String kind = users ? "users" : "groups";
        String deltaToken = q.get("$deltatoken");
        String skipToken = q.get("$skiptoken");
        if (deltaToken != null && skipToken != null) {
            throw GraphError.badRequest("Specify either $deltatoken or $skiptoken, not both.");
        }
        if (deltaToken == null && skipToken == null) {
            List<String> sel = deltaSelect(users, q);
            long start = dir.currentSequence();
            return initialDeltaPage(users, sel, null, start);
        }
        if ("latest".equals(deltaToken)) {
            List<String> sel = deltaSelect(users, q);
            return page(List.of(), null, null, deltaLink(kind, dir.currentSequence(), sel));
        }
        String[] f = tokens.open(deltaToken != null ? deltaToken : skipToken);
        if (f == null || f.length < 2 || !f[1].equals(kind)) {
            throw GraphError.badRequest("Invalid " + (deltaToken != null ? "delta" : "skip") + " token.");
        }
        if (deltaToken != null) {
            // d|kind|seq|generation|select
            if (!f[0].equals("d") || f.length != 5) {
                throw GraphError.badRequest("Invalid delta token.");
            }
            long since = Long.parseLong(f[2]);
            if (Long.parseLong(f[3]) < server.deltaGeneration()) {
                throw expired();
            }
            Optional<ChangeBatch> batch = dir.readChanges(since);
            if (batch.isEmpty()) {
                throw expired();
            }
            return changesPage(users, since, batch.get().toSequence(), 0, List.of(f[4].split(",")));
        }
        // initial round: i|kind|afterId|start|select ; change round: c|kind|from|to|offset|select
        if (f[0].equals("i") && f.length == 5) {
            return initialDeltaPage(users, List.of(f[4].split(",")), f[2].isEmpty() ? null : f[2], Long.parseLong(f[3]));
        }
        if (f[0].equals("c") && f.length == 6) {
            return changesPage(users, Long.parseLong(f[2]), Long.parseLong(f[3]), Integer.parseInt(f[4]),
                    List.of(f[5].split(",")));
        }
        throw GraphError.badRequest("Invalid skip token.");
    }

    private static GraphError expired() {
        return new GraphError(410, "syncStateNotFound",
                "The sync state generation is not found or has expired. Please restart the sync.");
    }

    private List<String> deltaSelect(boolean users, Map<String, String> q) {
        return users ? select(q, USER_PROPERTIES, USER_DEFAULT)
                : select(q, GROUP_PROPERTIES, List.of("id", "displayName", "description", "members"));
    }

    private String deltaLink(String kind, long seq, List<String> sel) {
        return root + kind + "/delta?$deltatoken=" + tokens.seal("d", kind, Long.toString(seq),
                Long.toString(server.deltaGeneration()), String.join(",", sel));
    }

    private byte[] initialDeltaPage(boolean users, List<String> sel, String after, long start) {
        String kind = users ? "users" : "groups";
        List<Writer> items = new ArrayList<>();
        String last;
        int got;
        if (users) {
            List<DirectoryUser> page = dir.readUserPage(after, deltaPageSize);
            page.forEach(u -> items.add(g -> writeUser(g, u, sel, null)));
            got = page.size();
            last = got == 0 ? null : page.get(got - 1).id();
        } else {
            List<DirectoryGroup> page = dir.readGroupPage(after, deltaPageSize);
            for (DirectoryGroup grp : page) {
                List<Object[]> ms = new ArrayList<>();
                if (sel.contains("members")) {
                    sorted(dir.members(grp.id(), MemberKind.USER)).forEach(m -> ms.add(new Object[] {USER_TYPE, m, true}));
                    sorted(dir.members(grp.id(), MemberKind.GROUP)).forEach(m -> ms.add(new Object[] {GROUP_TYPE, m, true}));
                }
                addGroupObjects(items, grp.id(), grp, ms, sel);
            }
            got = page.size();
            last = got == 0 ? null : page.get(got - 1).id();
        }
        server.served(items.size());
        if (got == deltaPageSize) {
            return page(items, w -> w, root + kind + "/delta?$skiptoken=" + tokens.seal("i", kind, last,
                    Long.toString(start), String.join(",", sel)), null);
        }
        return page(items, w -> w, null, deltaLink(kind, start, sel));
    }

    private byte[] changesPage(boolean users, long from, long to, int offset, List<String> sel) {
        String kind = users ? "users" : "groups";
        Optional<ChangeBatch> batch = dir.changesSince(from);
        if (batch.isEmpty()) {
            throw expired();
        }
        List<DirectoryChange> window = new ArrayList<>();
        for (DirectoryChange c : batch.get().changes()) {
            if (c.sequence() <= to) {
                window.add(c);
            }
        }
        List<Writer> all = users ? userChanges(window, sel) : groupChanges(window, sel);
        List<Writer> items = all.subList(Math.min(offset, all.size()), Math.min(all.size(), offset + deltaPageSize));
        server.served(items.size());
        if (offset + deltaPageSize < all.size()) {
            return page(items, w -> w, root + kind + "/delta?$skiptoken=" + tokens.seal("c", kind, Long.toString(from),
                    Long.toString(to), Integer.toString(offset + deltaPageSize), String.join(",", sel)), null);
        }
        return page(items, w -> w, null, deltaLink(kind, to, sel));
    }

    private List<Writer> userChanges(List<DirectoryChange> window, List<String> sel) {
        Set<String> ids = new LinkedHashSet<>();
        for (DirectoryChange c : window) {
            if (c instanceof DirectoryChange.UserUpserted u) {
                ids.add(u.user().id());
            } else if (c instanceof DirectoryChange.UserDeleted d) {
                ids.add(d.userId());
            }
        }
        List<Writer> out = new ArrayList<>();
        for (String id : ids) {
            Optional<DirectoryUser> now = dir.user(id);
            if (now.isPresent()) {
                List<String> shown = server.partialDeltaUsers()
                        ? sel.stream().filter(p -> p.equals("id") || p.equals("displayName")).collect(java.util.stream.Collectors.toList())
                        : sel;
                out.add(g -> writeUser(g, now.get(), shown, null));
            } else {
                String reason = dir.deletedUser(id).isPresent() ? "changed" : "deleted";
                out.add(g -> removed(g, null, id, reason));
            }
        }
        return out;
    }

    private List<Writer> groupChanges(List<DirectoryChange> window, List<String> sel) {
        Map<String, Map<String, Object[]>> memberChanges = new LinkedHashMap<>();
        Set<String> ids = new LinkedHashSet<>();
        for (DirectoryChange c : window) {
            if (c instanceof DirectoryChange.GroupAdded a) {
                ids.add(a.group().id());
            } else if (c instanceof DirectoryChange.GroupUpdated u) {
                ids.add(u.group().id());
            } else if (c instanceof DirectoryChange.GroupDeleted d) {
                ids.add(d.groupId());
            } else if (c instanceof DirectoryChange.MemberAdded m) {
                ids.add(m.groupId());
                memberChanges.computeIfAbsent(m.groupId(), k -> new LinkedHashMap<>())
                        .put(m.kind() + m.memberId(), new Object[] {typeOf(m.kind()), m.memberId(), true});
            } else if (c instanceof DirectoryChange.MemberRemoved m) {
                ids.add(m.groupId());
                memberChanges.computeIfAbsent(m.groupId(), k -> new LinkedHashMap<>())
                        .put(m.kind() + m.memberId(), new Object[] {typeOf(m.kind()), m.memberId(), false});
            }
        }
        List<Writer> out = new ArrayList<>();
        boolean withMembers = sel.contains("members");
        for (String id : ids) {
            Optional<DirectoryGroup> now = dir.group(id);
            if (now.isEmpty()) {
                out.add(g -> removed(g, null, id, "deleted"));
                continue;
            }
            List<Object[]> ms = withMembers ? new ArrayList<>(memberChanges.getOrDefault(id, Map.of()).values()) : List.of();
            addGroupObjects(out, id, now.get(), ms, sel);
        }
        return out;
    }

    private static String typeOf(MemberKind k) {
        return k == MemberKind.USER ? USER_TYPE : GROUP_TYPE;
    }

    /**
     * One group as delta objects: the first with its properties, and its member changes in chunks of
     * {@code membersPerObject}; later chunks come as objects with only the id and {@code members@delta}.
     */
    private void addGroupObjects(List<Writer> out, String id, DirectoryGroup grp, List<Object[]> members,
                                 List<String> sel) {
        int chunks = Math.max(1, (members.size() + membersPerObject - 1) / membersPerObject);
        for (int c = 0; c < chunks; c++) {
            List<Object[]> chunk = members.subList(c * membersPerObject, Math.min(members.size(), (c + 1) * membersPerObject));
            boolean first = c == 0;
            boolean anyMembers = sel.contains("members");
            out.add(g -> {
                g.writeStartObject();
                if (first) {
                    groupFields(g, grp, sel);
                } else {
                    g.writeStringField("id", id);
                }
                if (anyMembers && (!chunk.isEmpty() || !first)) {
                    g.writeArrayFieldStart("members@delta");
                    for (Object[] m : chunk) {
                        g.writeStartObject();
                        g.writeStringField("@odata.type", (String) m[0]);
                        g.writeStringField("id", (String) m[1]);
                        if (!(Boolean) m[2]) {
                            g.writeObjectFieldStart("@removed");
                            g.writeStringField("reason", "deleted");
                            g.writeEndObject();
                        }
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            });
        }
    }

    private static void removed(JsonGenerator g, String type, String id, String reason) throws IOException {
        g.writeStartObject();
        if (type != null) {
            g.writeStringField("@odata.type", type);
        }
        g.writeStringField("id", id);
        g.writeObjectFieldStart("@removed");
        g.writeStringField("reason", reason);
        g.writeEndObject();
        g.writeEndObject();
    }

    // ------------------------------------------------------------------ rendering

    /** Writes one JSON value. */
    @FunctionalInterface
    interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    private static <T> byte[] page(List<T> items, java.util.function.Function<T, Writer> writer, String nextLink,
                                   String deltaLink) {
        return json(g -> {
            g.writeStartObject();
            if (nextLink != null) {
                g.writeStringField("@odata.nextLink", nextLink);
            }
            g.writeArrayFieldStart("value");
            for (T item : items) {
                writer.apply(item).write(g);
            }
            g.writeEndArray();
            if (deltaLink != null) {
                g.writeStringField("@odata.deltaLink", deltaLink);
            }
            g.writeEndObject();
        });
    }

    static byte[] json(Writer w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator g = GraphServer.MAPPER.getFactory().createGenerator(out)) {
            w.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeUser(JsonGenerator g, DirectoryUser u, List<String> sel, String upnOverride)
            throws IOException {
        g.writeStartObject();
        userFields(g, u, sel, upnOverride);
        g.writeEndObject();
    }

    private static void userFields(JsonGenerator g, DirectoryUser u, List<String> sel, String upnOverride)
            throws IOException {
        for (String p : sel) {
            Object v = p.equals("userPrincipalName") && upnOverride != null ? upnOverride : userValue(u, p);
            g.writeFieldName(p);
            g.writeObject(v);
        }
    }

    static Object userValue(DirectoryUser u, String p) {
        switch (p) {
            case "id": return u.id();
            case "userPrincipalName": return u.loginName();
            case "displayName": return u.displayName();
            case "givenName": return u.givenName();
            case "surname": return u.familyName();
            case "mail": return u.emails().isEmpty() ? null : u.emails().get(0);
            case "otherMails": return u.emails().size() > 1 ? u.emails().subList(1, u.emails().size()) : List.of();
            case "accountEnabled": return u.enabled();
            case "userType": return u.kind() == SourceUser.Kind.GUEST ? "Guest" : "Member";
            case "businessPhones": case "proxyAddresses": return u.attributes().getOrDefault(p, List.of());
            default:
                List<String> vals = u.attributes().get(p);
                return vals == null || vals.isEmpty() ? null : vals.get(0);
        }
    }

    private static void writeGroup(JsonGenerator g, DirectoryGroup grp, List<String> sel) throws IOException {
        g.writeStartObject();
        groupFields(g, grp, sel);
        g.writeEndObject();
    }

    private static void groupFields(JsonGenerator g, DirectoryGroup grp, List<String> sel) throws IOException {
        for (String p : sel) {
            switch (p) {
                case "members": break;
                case "id": g.writeStringField("id", grp.id()); break;
                case "displayName": g.writeStringField("displayName", grp.name()); break;
                case "description": g.writeFieldName(p); g.writeObject(grp.description()); break;
                case "securityEnabled": g.writeBooleanField(p, true); break;
                case "mailEnabled": g.writeBooleanField(p, false); break;
                case "groupTypes": g.writeFieldName(p); g.writeObject(List.of()); break;
                default: g.writeNullField(p);
            }
        }
    }

    @Override
    public String toString() {
        return "GraphApi[" + root + ", " + Arrays.asList(deltaPageSize, membersPerObject) + "]";
    }
}
