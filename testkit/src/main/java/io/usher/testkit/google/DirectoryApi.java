package io.usher.testkit.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.core.model.MemberKind;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.internal.OpaqueTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The three list endpoints of the fake Directory API. Thread-safe (state lives in the directory). */
final class DirectoryApi {
    private static final String S = "https://www.googleapis.com/auth/admin.directory.";
    private static final Set<String> USER_SCOPES = Set.of(S + "user.readonly", S + "user");
    private static final Set<String> GROUP_SCOPES = Set.of(S + "group.readonly", S + "group");
    private static final Set<String> MEMBER_SCOPES = Set.of(S + "group.member.readonly", S + "group.member",
            S + "group.readonly", S + "group");
    static final Set<String> USER_FIELDS = Set.of("kind", "id", "etag", "primaryEmail", "name", "isAdmin",
            "suspended", "archived", "orgUnitPath", "aliases", "emails", "customerId");
    static final Set<String> GROUP_FIELDS = Set.of("kind", "id", "etag", "email", "name", "description",
            "directMembersCount");
    static final Set<String> MEMBER_FIELDS = Set.of("kind", "id", "etag", "email", "role", "type", "status");
    private static final Set<String> USERS_PARAMS = Set.of("customer", "domain", "maxResults", "pageToken", "fields",
            "projection", "viewType", "orderBy", "sortOrder", "prettyPrint", "showDeleted", "alt");
    private static final Set<String> MEMBERS_PARAMS = Set.of("maxResults", "pageToken", "fields",
            "includeDerivedMembership", "roles", "prettyPrint", "alt");

    private final GoogleDirectoryServer server;
    private final InMemoryDirectory dir;
    private final OpaqueTokens tokens;
    private final List<String> domains;
    private final String customerId;
    private final Set<String> admins;

    DirectoryApi(GoogleDirectoryServer server, InMemoryDirectory dir, OpaqueTokens tokens, List<String> domains,
                 String customerId, Set<String> admins) {
        this.server = server;
        this.dir = dir;
        this.tokens = tokens;
        this.domains = List.copyOf(domains);
        this.customerId = customerId;
        this.admins = admins;
    }

    byte[] get(String path, Map<String, String> q, Set<String> scopes) {
        String[] parts = path.split("/");
        if (parts.length == 1 && parts[0].equals("users")) {
            requireScope(scopes, USER_SCOPES);
            return users(q);
        }
        if (parts.length == 1 && parts[0].equals("groups")) {
            requireScope(scopes, GROUP_SCOPES);
            return groups(q);
        }
        if (parts.length == 3 && parts[0].equals("groups") && parts[2].equals("members")) {
            requireScope(scopes, MEMBER_SCOPES);
            return members(URLDecoder.decode(parts[1], StandardCharsets.UTF_8), q);
        }
        throw GoogleError.notFound("Not Found");
    }

    private static void requireScope(Set<String> granted, Set<String> anyOf) {
        if (granted.stream().noneMatch(anyOf::contains)) {
            throw GoogleError.forbidden("insufficientPermissions", "Request had insufficient authentication scopes.");
        }
    }

    // ------------------------------------------------------------------ representations

    String primaryEmail(DirectoryUser u) {
        return u.loginName().contains("@") ? u.loginName() : u.loginName() + "@" + domains.get(0);
    }

    String groupEmail(DirectoryGroup g) {
        return g.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-") + "@" + domains.get(0);
    }

    ObjectNode user(DirectoryUser u) {
        ObjectNode o = GoogleDirectoryServer.MAPPER.createObjectNode();
        o.put("kind", "admin#directory#user");
        o.put("id", u.id());
        o.put("etag", "");
        String primary = primaryEmail(u);
        o.put("primaryEmail", primary);
        ObjectNode name = o.putObject("name");
        if (u.givenName() != null) {
            name.put("givenName", u.givenName());
        }
        if (u.familyName() != null) {
            name.put("familyName", u.familyName());
        }
        if (u.displayName() != null) {
            name.put("fullName", u.displayName());
        }
        o.put("isAdmin", admins.contains(primary));
        o.put("suspended", !u.enabled());
        o.put("archived", "true".equals(first(u, "archived")));
        o.put("orgUnitPath", Optional.ofNullable(first(u, "orgUnitPath")).orElse("/"));
        o.put("customerId", customerId);
        ArrayNode emails = o.putArray("emails");
        emails.addObject().put("address", primary).put("primary", true);
        List<String> aliases = new ArrayList<>();
        for (String e : u.emails()) {
            if (!e.equalsIgnoreCase(primary)) {
                aliases.add(e);
                emails.addObject().put("address", e);
            }
        }
        if (!aliases.isEmpty()) {
            ArrayNode a = o.putArray("aliases");
            aliases.forEach(a::add);
        }
        o.put("etag", etag(o));
        return o;
    }

    private static String first(DirectoryUser u, String attribute) {
        List<String> v = u.attributes().get(attribute);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    ObjectNode group(DirectoryGroup g) {
        ObjectNode o = GoogleDirectoryServer.MAPPER.createObjectNode();
        o.put("kind", "admin#directory#group");
        o.put("id", g.id());
        o.put("etag", "");
        o.put("email", groupEmail(g));
        o.put("name", g.name());
        if (g.description() != null) {
            o.put("description", g.description());
        }
        o.put("directMembersCount", Integer.toString(dir.members(g.id(), MemberKind.USER).size()
                + dir.members(g.id(), MemberKind.GROUP).size()));
        o.put("etag", etag(o));
        return o;
    }

    /** A quoted hash of everything else in the record: it changes exactly when the record does. */
    private static String etag(ObjectNode o) {
        try {
            ObjectNode copy = o.deepCopy();
            copy.remove("etag");
            byte[] h = MessageDigest.getInstance("SHA-256").digest(GoogleDirectoryServer.MAPPER.writeValueAsBytes(copy));
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(h).substring(0, 27) + "\"";
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ endpoints

    private static int maxResults(Map<String, String> q, int dflt, int max) {
        String v = q.get("maxResults");
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw GoogleError.badRequest("invalid", "Invalid value '" + v.replaceAll("[^0-9-]", "?")
                + "'. Values must be within the range: [1, " + max + "]");
    }

    private static void rejectUnknown(Map<String, String> q, Set<String> known) {
        for (String k : q.keySet()) {
            if (!known.contains(k)) {
                throw GoogleError.badRequest("invalidParameter", "Unknown parameter: " + k.replaceAll("[^A-Za-z0-9_]", "?"));
            }
        }
    }

    /** The domain a list is restricted to (null: the whole customer). */
    private String scope(Map<String, String> q) {
        String customer = q.get("customer");
        String domain = q.get("domain");
        if (customer != null && domain != null) {
            throw GoogleError.badRequest("badRequest", "Give customer or domain, not both.");
        }
        if (customer == null && domain == null) {
            throw GoogleError.badRequest("badRequest", "Bad Request: customer or domain is required.");
        }
        if (customer != null) {
            if (!customer.equals("my_customer") && !customer.equals(customerId)) {
                throw GoogleError.badRequest("badRequest", "Bad Request: unknown customer.");
            }
            return null;
        }
        if (!domains.contains(domain.toLowerCase(Locale.ROOT))) {
            throw GoogleError.notFound("Domain not found.");
        }
        return domain.toLowerCase(Locale.ROOT);
    }

    private static boolean inDomain(String email, String domain) {
        return domain == null || email.toLowerCase(Locale.ROOT).endsWith("@" + domain);
    }

    private static FieldMask mask(Map<String, String> q, String items, Set<String> itemFields) {
        String f = q.get("fields");
        if (f == null) {
            return null;
        }
        FieldMask m;
        try {
            m = FieldMask.parse(f);
        } catch (IllegalArgumentException e) {
            throw GoogleError.badRequest("invalidParameter", e.getMessage());
        }
        String unknown = m.unknown(Set.of("kind", "etag", "nextPageToken", items), items, itemFields);
        if (unknown != null) {
            throw GoogleError.badRequest("invalidParameter", "Invalid field selection " + unknown);
        }
        return m;
    }

    private String[] openToken(Map<String, String> q, String kind, String scope) {
        String t = q.get("pageToken");
        if (t == null || t.isEmpty()) {
            return null;
        }
        String[] f = tokens.open(t);
        if (f == null || f.length != 3 || !f[0].equals(kind) || !f[2].equals(scope)) {
            throw GoogleError.badRequest("invalid", "Invalid Input: pageToken");
        }
        return f;
    }

    private byte[] users(Map<String, String> q) {
        rejectUnknown(q, USERS_PARAMS);
        String domain = scope(q);
        int max = maxResults(q, 100, 500);
        FieldMask mask = mask(q, "users", USER_FIELDS);
        String scopeKey = domain == null ? "*" : domain;
        String[] t = openToken(q, "u", scopeKey);
        List<DirectoryUser> page = dir.readUserPage(t == null ? null : t[1], max);
        ObjectNode root = GoogleDirectoryServer.MAPPER.createObjectNode();
        root.put("kind", "admin#directory#users");
        root.put("etag", "\"" + Integer.toHexString(page.hashCode()) + "\"");
        ArrayNode arr = root.putArray("users");
        for (DirectoryUser u : page) {
            if (inDomain(primaryEmail(u), domain)) {
                arr.add(user(u));
            }
        }
        if (page.size() == max) {
            root.put("nextPageToken", tokens.seal("u", page.get(page.size() - 1).id(), scopeKey));
        }
        server.served(arr.size());
        return write(root, mask);
    }

    private byte[] groups(Map<String, String> q) {
        rejectUnknown(q, Set.of("customer", "domain", "maxResults", "pageToken", "fields", "userKey", "orderBy",
                "sortOrder", "prettyPrint", "alt"));
        if (q.containsKey("userKey")) {
            throw GoogleError.badRequest("invalidParameter", "The fake does not serve userKey");
        }
        String domain = scope(q);
        int max = maxResults(q, 200, 200);
        FieldMask mask = mask(q, "groups", GROUP_FIELDS);
        String scopeKey = domain == null ? "*" : domain;
        String[] t = openToken(q, "g", scopeKey);
        List<DirectoryGroup> page = dir.readGroupPage(t == null ? null : t[1], max);
        ObjectNode root = GoogleDirectoryServer.MAPPER.createObjectNode();
        root.put("kind", "admin#directory#groups");
        root.put("etag", "\"" + Integer.toHexString(page.hashCode()) + "\"");
        ArrayNode arr = root.putArray("groups");
        for (DirectoryGroup g : page) {
            if (inDomain(groupEmail(g), domain)) {
                arr.add(group(g));
            }
        }
        if (page.size() == max) {
            root.put("nextPageToken", tokens.seal("g", page.get(page.size() - 1).id(), scopeKey));
        }
        server.served(arr.size());
        return write(root, mask);
    }

    private Optional<DirectoryGroup> groupByKey(String key) {
        Optional<DirectoryGroup> byId = dir.group(key);
        if (byId.isPresent()) {
            return byId;
        }
        return dir.groups().filter(g -> groupEmail(g).equalsIgnoreCase(key)).findFirst();
    }

    private byte[] members(String groupKey, Map<String, String> q) {
        rejectUnknown(q, MEMBERS_PARAMS);
        int max = maxResults(q, 200, 200);
        FieldMask mask = mask(q, "members", MEMBER_FIELDS);
        boolean derived = "true".equalsIgnoreCase(q.get("includeDerivedMembership"));
        DirectoryGroup g = groupByKey(groupKey).orElseThrow(() -> GoogleError.notFound("Resource Not Found: groupKey"));
        String scopeKey = g.id() + (derived ? "+d" : "");
        String[] t = openToken(q, "m", scopeKey);
        int offset = 0;
        if (t != null) {
            try {
                offset = Integer.parseInt(t[1]);
            } catch (NumberFormatException e) {
                throw GoogleError.badRequest("invalid", "Invalid Input: pageToken");
            }
        }
        List<String[]> all = new ArrayList<>(); // {type, id}
        Set<String> users = new TreeSet<>(derived ? transitiveUsers(g.id()) : dir.members(g.id(), MemberKind.USER));
        users.forEach(u -> all.add(new String[] {"USER", u}));
        new TreeSet<>(dir.members(g.id(), MemberKind.GROUP)).forEach(x -> all.add(new String[] {"GROUP", x}));
        ObjectNode root = GoogleDirectoryServer.MAPPER.createObjectNode();
        root.put("kind", "admin#directory#members");
        root.put("etag", "\"" + Integer.toHexString(all.size()) + "\"");
        ArrayNode arr = root.putArray("members");
        int end = Math.min(all.size(), offset + max);
        for (int i = offset; i < end; i++) {
            String[] m = all.get(i);
            ObjectNode o = arr.addObject();
            o.put("kind", "admin#directory#member");
            o.put("etag", "\"m" + Integer.toHexString((m[0] + m[1]).hashCode()) + "\"");
            o.put("id", m[1]);
            if (m[0].equals("USER")) {
                Optional<DirectoryUser> u = dir.user(m[1]);
                u.ifPresent(x -> o.put("email", primaryEmail(x)));
                o.put("role", "MEMBER").put("type", "USER")
                        .put("status", u.map(DirectoryUser::enabled).orElse(true) ? "ACTIVE" : "SUSPENDED");
            } else {
                dir.group(m[1]).ifPresent(x -> o.put("email", groupEmail(x)));
                o.put("role", "MEMBER").put("type", "GROUP");
            }
        }
        if (end < all.size()) {
            root.put("nextPageToken", tokens.seal("m", Integer.toString(end), scopeKey));
        }
        server.served(arr.size());
        return write(root, mask);
    }

    private Set<String> transitiveUsers(String groupId) {
        Set<String> out = new HashSet<>();
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(groupId));
        while (!todo.isEmpty()) {
            String g = todo.poll();
            if (seen.add(g)) {
                out.addAll(dir.members(g, MemberKind.USER));
                todo.addAll(dir.members(g, MemberKind.GROUP));
            }
        }
        return out;
    }

    private static byte[] write(ObjectNode root, FieldMask mask) {
        JsonNode out = mask == null ? root : mask.apply(root);
        try {
            return GoogleDirectoryServer.MAPPER.writeValueAsBytes(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
