package io.usher.scim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.core.DeprovisionPolicy;
import io.usher.core.ProvisioningEngine;
import io.usher.core.PushResult;
import io.usher.core.Source;
import io.usher.core.SourcePush;
import io.usher.core.UsherException;
import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.core.spi.SourceGroup;
import io.usher.core.spi.SourceUser;
import io.usher.core.spi.UserStore;
import io.usher.scim.ScimException;
import io.usher.scim.ScimException.ScimType;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What the SCIM resources do, without HTTP: reads from the host's store, every write through the source's
 * {@link SourcePush} (its filters, transformations, ownership and collision rules), never straight to the
 * store. Only records the SCIM source owns are visible; a record deleted over SCIM but kept by the source's
 * policy (deactivated, or left) is hidden and revived by a later create of the same name.
 *
 * <p>Thread-safe: writes to one resource are serialised by {@link ResourceLocks}; nested-group additions
 * take one more lock so that two concurrent additions cannot close a cycle between them.
 */
public final class ScimService {
    /** The outcome of one operation: status, body (or null), ETag (or null), Location (or null). */
    public record Result(int status, ObjectNode body, String etag, String location) {}

    private final Settings settings;
    private final ProvisioningEngine engine;
    private final String sid;
    private final UserStore store;
    private final ResourceLocks locks = new ResourceLocks(1024);
    private final Object nesting = new Object();

    public ScimService(Settings settings) {
        this.settings = settings;
        this.engine = settings.engine();
        this.sid = settings.sourceId();
        this.store = engine.store();
    }

    public Settings settings() {
        return settings;
    }

    /** The push route, its audit events carrying this request's caller (token id) and request id. */
    private SourcePush push() {
        return engine.push(sid, CallerContext.audit());
    }

    private Source source() {
        return engine.source(sid);
    }

    private Instant now() {
        return settings.clock().instant();
    }

    private <T> T engineCall(Supplier<T> call) {
        try {
            return call.get();
        } catch (UsherException e) {
            throw Errors.from(e);
        }
    }

    // ================================================================== users: reads

    /** The live (not SCIM-deleted) user with this SCIM id. */
    Optional<User> liveUser(String id) {
        if (id == null || id.isEmpty() || id.length() > 1024) {
            return Optional.empty();
        }
        try {
            return store.findUserByOrigin(Origin.of(sid, id)).filter(ScimService::live);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    Optional<Group> liveGroup(String id) {
        if (id == null || id.isEmpty() || id.length() > 1024) {
            return Optional.empty();
        }
        try {
            return store.findGroupByOrigin(Origin.of(sid, id)).filter(ScimService::live);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static boolean live(User u) {
        return !u.attributes().containsKey(Stored.DELETED);
    }

    static boolean live(Group g) {
        return !g.attributes().containsKey(Stored.DELETED);
    }

    private User requireUser(String id) {
        return liveUser(id).orElseThrow(() -> Errors.notFound("User", id));
    }

    private Group requireGroup(String id) {
        return liveGroup(id).orElseThrow(() -> Errors.notFound("Group", id));
    }

    /** The full representation of a stored user; groups are computed only when {@code withGroups}. */
    ObjectNode userJson(User u, String base, boolean withGroups) {
        ArrayNode groups = withGroups ? groupsOfUser(u, base) : null;
        ObjectNode manager = null;
        String managerId = UserMapper.first(u.attributes(), Stored.ENTERPRISE_PREFIX + "manager");
        if (managerId != null) {
            manager = Json.object().put("value", managerId).put("$ref", base + "/Users/" + managerId);
            Optional<User> m = liveUser(managerId);
            if (m.isPresent()) {
                UserMapper.putText(manager, "displayName", m.get().displayName());
            }
        }
        return UserMapper.toJson(u, base, groups, manager);
    }

    /** The user's groups of this source: direct, and indirect through nested groups. */
    private ArrayNode groupsOfUser(User u, String base) {
        ArrayNode arr = Json.NODES.arrayNode();
        Set<String> seen = new HashSet<>();
        ArrayDeque<String> todo = new ArrayDeque<>();
        for (String g : store.groupsOf(MemberKind.USER, u.key())) {
            if (seen.add(g)) {
                store.findGroup(g).filter(x -> x.isOwnedBy(sid) && live(x)).ifPresent(x ->
                        arr.add(groupRef(base, x, "direct")));
                todo.add(g);
            }
        }
        while (!todo.isEmpty() && seen.size() < 10_000) {
            for (String parent : store.groupsOf(MemberKind.GROUP, todo.poll())) {
                if (seen.add(parent)) {
                    store.findGroup(parent).filter(x -> x.isOwnedBy(sid) && live(x)).ifPresent(x ->
                            arr.add(groupRef(base, x, "indirect")));
                    todo.add(parent);
                }
            }
        }
        return arr;
    }

    private static ObjectNode groupRef(String base, Group g, String type) {
        ObjectNode o = Json.object();
        o.put("value", g.origin().externalId());
        o.put("$ref", base + "/Groups/" + g.origin().externalId());
        o.put("display", g.name());
        o.put("type", type);
        return o;
    }

    public Result getUser(String id, Projection projection, String ifNoneMatch, String base) {
        User u = requireUser(id);
        String etag = Meta.etag(u.attributes());
        if (Meta.matches(ifNoneMatch, etag)) {
            return new Result(304, null, etag, null);
        }
        return new Result(200, projection.apply(userJson(u, base, projection.includes("groups"))), etag, null);
    }

    // ================================================================== users: writes

    public Result createUser(ObjectNode body, String base) {
        checkSchemas(body, Urns.USER);
        String userName = UserMapper.string(body, "userName", "userName");
        if (userName == null || userName.isBlank()) {
            throw ScimException.badRequest(ScimType.invalidValue, "userName is required");
        }
        return locks.with("user-name:" + userName.toLowerCase(Locale.ROOT), () -> {
            String id = settings.ids().get();
            Map<String, List<String>> previousMeta = null;
            Optional<User> holder = findByUserName(userName);
            if (holder.isPresent() && holder.get().isOwnedBy(sid)) {
                if (live(holder.get())) {
                    throw ScimException.of(409, ScimType.uniqueness, "userName is already taken by another User");
                }
                id = holder.get().origin().externalId(); // revived: deleted over SCIM, kept by the policy
                previousMeta = new HashMap<>(holder.get().attributes());
                previousMeta.remove(Stored.CREATED);
            }
            SourceUser su = UserMapper.toSourceUser(body, id, Meta.next(previousMeta, now()));
            PushResult r = engineCall(() -> push().upsertUser(su));
            User stored = (User) r.value();
            if (stored == null) {
                throw ScimException.of(409, ScimType.uniqueness, "userName is already taken");
            }
            String location = base + "/Users/" + id;
            return new Result(201, userJson(stored, base, true), Meta.etag(stored.attributes()), location);
        });
    }

    /** The user holding this userName in the store (after the source's username transformations). */
    private Optional<User> findByUserName(String userName) {
        Optional<User> direct = store.findUserByUsername(userName);
        if (direct.isPresent()) {
            return direct;
        }
        try {
            User mapped = source().pipeline().toUser(SourceUser.builder("lookup").loginName(userName).build(),
                    Origin.of(sid, "lookup"));
            return mapped.username().equals(userName) ? Optional.empty() : store.findUserByUsername(mapped.username());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    public Result replaceUser(String id, ObjectNode body, String ifMatch, String base) {
        checkSchemas(body, Urns.USER);
        return locks.with("user:" + id, () -> {
            User cur = requireUser(id);
            checkIfMatch(ifMatch, cur.attributes());
            return writeUser(cur, body, base);
        });
    }

    /** Writes a new full representation of an existing user through the engine (nothing when unchanged). */
    Result writeUser(User cur, ObjectNode body, String base) {
        String id = cur.origin().externalId();
        SourceUser same = UserMapper.toSourceUser(body, id, metaOf(cur.attributes()));
        User desired;
        try {
            desired = source().pipeline().toUser(same, cur.origin());
        } catch (UsherException e) {
            throw Errors.from(e);
        } catch (IllegalArgumentException e) {
            throw ScimException.badRequest(ScimType.invalidValue, e.getMessage());
        }
        User stored = cur;
        if (!desired.sameValuesAs(cur)) {
            SourceUser su = UserMapper.toSourceUser(body, id, Meta.next(cur.attributes(), now()));
            PushResult r = engineCall(() -> push().upsertUser(su));
            stored = r.value() instanceof User ? (User) r.value() : requireUser(id);
        }
        return new Result(200, userJson(stored, base, true), Meta.etag(stored.attributes()), null);
    }

    private static Map<String, List<String>> metaOf(Map<String, List<String>> attrs) {
        Map<String, List<String>> m = new HashMap<>();
        for (String k : List.of(Stored.CREATED, Stored.LAST_MODIFIED, Stored.VERSION)) {
            if (attrs.containsKey(k)) {
                m.put(k, attrs.get(k));
            }
        }
        return m;
    }

    public Result patchUser(String id, ObjectNode body, String ifMatch, String base) {
        return locks.with("user:" + id, () -> {
            User cur = requireUser(id);
            checkIfMatch(ifMatch, cur.attributes());
            ObjectNode current = userJson(cur, base, false);
            ObjectNode patched = Patching.applyToUser(current, body);
            return writeUser(cur, patched, base);
        });
    }

    public Result deleteUser(String id, String ifMatch) {
        return locks.with("user:" + id, () -> {
            User cur = requireUser(id);
            checkIfMatch(ifMatch, cur.attributes());
            engineCall(() -> push().removeUser(id));
            Optional<User> after = store.findUserByOrigin(cur.origin());
            if (after.isPresent()) {
                // the source keeps removed users (deactivate or leave): out of its groups, and hidden from SCIM
                for (String g : store.groupsOf(MemberKind.USER, after.get().key())) {
                    store.findGroup(g).filter(x -> x.isOwnedBy(sid)).ifPresent(x ->
                            engineCall(() -> push().removeMember(x.origin().externalId(), MemberKind.USER, id)));
                }
                User u = after.get();
                Map<String, List<String>> attrs = new HashMap<>(u.attributes());
                attrs.putAll(Meta.next(u.attributes(), now()));
                attrs.put(Stored.DELETED, List.of(now().toString()));
                String login = UserMapper.first(u.attributes(), Stored.USER_NAME);
                SourceUser su = SourceUser.builder(id).loginName(login != null ? login : u.username())
                        .displayName(u.displayName()).givenName(u.givenName()).familyName(u.familyName())
                        .emails(u.emails()).active(u.active() && source().deprovision() == DeprovisionPolicy.LEAVE)
                        .attributes(attrs).build();
                engineCall(() -> push().upsertUser(su));
            }
            return new Result(204, null, null, null);
        });
    }

    // ================================================================== groups: reads

    /** The group's members of this source, as SCIM values (enumerates the members: only when asked for). */
    private ArrayNode membersOf(Group g, String base) {
        ArrayNode arr = Json.NODES.arrayNode();
        for (String k : store.members(g.key(), MemberKind.USER)) {
            store.findUser(k).filter(u -> u.isOwnedBy(sid) && live(u)).ifPresent(u ->
                    arr.add(GroupMapper.memberJson(base, MemberKind.USER, u.origin().externalId(),
                            u.displayName() != null ? u.displayName() : u.username())));
        }
        if (store.supportsNestedGroups()) {
            for (String k : store.members(g.key(), MemberKind.GROUP)) {
                store.findGroup(k).filter(x -> x.isOwnedBy(sid) && live(x)).ifPresent(x ->
                        arr.add(GroupMapper.memberJson(base, MemberKind.GROUP, x.origin().externalId(), x.name())));
            }
        }
        return arr;
    }

    ObjectNode groupJson(Group g, String base, boolean withMembers) {
        return GroupMapper.toJson(g, base, withMembers ? membersOf(g, base) : null);
    }

    public Result getGroup(String id, Projection projection, String ifNoneMatch, String base) {
        Group g = requireGroup(id);
        String etag = Meta.etag(g.attributes());
        if (Meta.matches(ifNoneMatch, etag)) {
            return new Result(304, null, etag, null);
        }
        return new Result(200, projection.apply(groupJson(g, base, projection.includes("members"))), etag, null);
    }

    // ================================================================== groups: writes

    public Result createGroup(ObjectNode body, String base) {
        checkSchemas(body, Urns.GROUP);
        String name = GroupMapper.displayName(body);
        return locks.with("group-name:" + name.toLowerCase(Locale.ROOT), () -> {
            String id = settings.ids().get();
            Map<String, List<String>> previous = null;
            Optional<Group> holder = store.findGroupByName(name);
            if (holder.isPresent()) {
                if (!holder.get().isOwnedBy(sid) || live(holder.get())) {
                    throw ScimException.of(409, ScimType.uniqueness, "displayName is already taken by another Group");
                }
                id = holder.get().origin().externalId();
                previous = new HashMap<>(holder.get().attributes());
                previous.remove(Stored.CREATED);
            }
            Members members = resolve(GroupMapper.members(Json.field(body, "members")));
            SourceGroup sg = sourceGroup(id, name, null, members.users, members.groups,
                    GroupMapper.attributes(body, Meta.next(previous, now())));
            Group stored;
            if (!members.groups.isEmpty()) {
                synchronized (nesting) {
                    // a revived group keeps its id, so it may still sit inside the groups it would now contain
                    checkNoCycle(id, members.groups);
                    stored = (Group) engineCall(() -> push().upsertGroup(sg)).value();
                }
            } else {
                stored = (Group) engineCall(() -> push().upsertGroup(sg)).value();
            }
            if (stored == null) {
                throw ScimException.of(409, ScimType.uniqueness, "displayName is already taken");
            }
            return new Result(201, groupJson(stored, base, true), Meta.etag(stored.attributes()),
                    base + "/Groups/" + id);
        });
    }

    public Result replaceGroup(String id, ObjectNode body, String ifMatch, String base) {
        checkSchemas(body, Urns.GROUP);
        return locks.with("group:" + id, () -> {
            Group cur = requireGroup(id);
            checkIfMatch(ifMatch, cur.attributes());
            String name = GroupMapper.displayName(body);
            Members members = resolve(GroupMapper.members(Json.field(body, "members")));
            SourceGroup sg = sourceGroup(id, name, null, members.users, members.groups,
                    GroupMapper.attributes(body, Meta.next(cur.attributes(), now())));
            Group stored;
            if (!members.groups.isEmpty()) {
                synchronized (nesting) {
                    checkNoCycle(id, members.groups);
                    stored = (Group) engineCall(() -> push().upsertGroup(sg)).value();
                }
            } else {
                stored = (Group) engineCall(() -> push().upsertGroup(sg)).value();
            }
            return new Result(200, groupJson(stored, base, true), Meta.etag(stored.attributes()), null);
        });
    }

    /**
     * PATCH of a group: the group's own attributes are patched as JSON (never its member list), member
     * additions and removals are applied one membership at a time, so the cost does not grow with the
     * group's size. All operations are checked before any is applied.
     */
    public Result patchGroup(String id, ObjectNode body, String ifMatch, Projection projection, boolean wantBody,
                             String base) {
        return locks.with("group:" + id, () -> {
            Group cur = requireGroup(id);
            checkIfMatch(ifMatch, cur.attributes());
            Patching.GroupPatch p = Patching.applyToGroup(groupJson(cur, base, false), body);
            String name = GroupMapper.displayName(p.group());
            Map<String, List<String>> attrsNow = GroupMapper.attributes(p.group(), metaOf(cur.attributes()));
            boolean fieldsChanged = !name.equals(cur.name()) || !attrsNow.equals(cur.attributes());
            // resolve and check every member change first: all or nothing
            List<MemberChange> changes = new ArrayList<>();
            Members replacement = null;
            if (p.replaceMembers() != null) {
                replacement = resolve(p.replaceMembers());
            }
            for (Patching.MemberOp op : p.memberOps()) {
                for (GroupMapper.MemberRef ref : op.members()) {
                    if (op.add()) {
                        MemberKind kind = kindOf(ref, true);
                        changes.add(new MemberChange(true, kind, ref.id()));
                    } else {
                        MemberKind kind = kindOf(ref, false);
                        if (kind != null) {
                            changes.add(new MemberChange(false, kind, ref.id()));
                        }
                    }
                }
            }
            Set<String> newGroupMembers = new LinkedHashSet<>();
            if (replacement != null) {
                newGroupMembers.addAll(replacement.groups);
            }
            for (MemberChange c : changes) {
                if (c.add && c.kind == MemberKind.GROUP) {
                    newGroupMembers.add(c.id);
                }
            }
            boolean[] membersChanged = {false};
            Members rep = replacement;
            Runnable apply = () -> {
                if (!newGroupMembers.isEmpty()) {
                    checkNoCycle(id, newGroupMembers);
                }
                if (rep != null) {
                    SourceGroup sg = sourceGroup(id, name, null, rep.users, rep.groups,
                            GroupMapper.attributes(p.group(), metaOf(cur.attributes())));
                    membersChanged[0] |= engineCall(() -> push().upsertGroup(sg)).changed();
                }
                for (MemberChange c : changes) {
                    boolean already = isMember(cur, c.kind, c.id);
                    if (c.add && !already) {
                        engineCall(() -> push().addMember(id, c.kind, c.id));
                        membersChanged[0] = true;
                    } else if (!c.add && already) {
                        engineCall(() -> push().removeMember(id, c.kind, c.id));
                        membersChanged[0] = true;
                    }
                }
            };
            if (newGroupMembers.isEmpty()) {
                apply.run();
            } else {
                synchronized (nesting) {
                    apply.run();
                }
            }
            Group stored = cur;
            if (fieldsChanged || membersChanged[0]) {
                SourceGroup fields = sourceGroup(id, name, null, Set.of(), Set.of(),
                        GroupMapper.attributes(p.group(), Meta.next(cur.attributes(), now())));
                engineCall(() -> push().updateGroupFields(fields));
                stored = requireGroup(id);
            }
            String etag = Meta.etag(stored.attributes());
            if (!wantBody) {
                return new Result(204, null, etag, null);
            }
            return new Result(200, projection.apply(groupJson(stored, base, projection.includes("members"))), etag,
                    null);
        });
    }

    private record MemberChange(boolean add, MemberKind kind, String id) {}

    private boolean isMember(Group g, MemberKind kind, String memberId) {
        Optional<String> key = kind == MemberKind.USER
                ? store.findUserByOrigin(Origin.of(sid, memberId)).map(User::key)
                : store.findGroupByOrigin(Origin.of(sid, memberId)).map(Group::key);
        return key.isPresent() && store.isMember(g.key(), kind, key.get());
    }

    /** The kind of a member reference; an unknown id is a 400 for an addition and ignored (null) for a removal. */
    private MemberKind kindOf(GroupMapper.MemberRef ref, boolean mustExist) {
        if (ref.kind() != MemberKind.GROUP && liveUser(ref.id()).isPresent()) {
            return MemberKind.USER;
        }
        if (ref.kind() != MemberKind.USER && liveGroup(ref.id()).isPresent()) {
            if (!store.supportsNestedGroups()) {
                throw ScimException.badRequest(ScimType.invalidValue,
                        "this server keeps groups flat: a Group cannot be a member of a Group");
            }
            return MemberKind.GROUP;
        }
        if (mustExist) {
            throw ScimException.badRequest(ScimType.invalidValue, "member '" + ref.id() + "' is no "
                    + (ref.kind() == null ? "User or Group" : ref.kind() == MemberKind.USER ? "User" : "Group")
                    + " of this server");
        }
        return null;
    }

    private record Members(Set<String> users, Set<String> groups) {}

    private Members resolve(List<GroupMapper.MemberRef> refs) {
        Set<String> users = new LinkedHashSet<>();
        Set<String> groups = new LinkedHashSet<>();
        for (GroupMapper.MemberRef r : refs) {
            (kindOf(r, true) == MemberKind.USER ? users : groups).add(r.id());
        }
        return new Members(users, groups);
    }

    /** Refuses (400 invalidValue) member groups that are the group itself or already contain it. */
    private void checkNoCycle(String groupId, Set<String> memberGroupIds) {
        Optional<Group> self = store.findGroupByOrigin(Origin.of(sid, groupId));
        for (String child : memberGroupIds) {
            if (child.equals(groupId)) {
                throw ScimException.badRequest(ScimType.invalidValue, "a Group cannot be a member of itself");
            }
            if (self.isEmpty()) {
                continue;
            }
            Group c = store.findGroupByOrigin(Origin.of(sid, child)).orElse(null);
            if (c == null) {
                continue;
            }
            ArrayDeque<String> todo = new ArrayDeque<>(List.of(c.key()));
            Set<String> seen = new HashSet<>(todo);
            while (!todo.isEmpty()) {
                for (String next : store.members(todo.poll(), MemberKind.GROUP)) {
                    if (next.equals(self.get().key())) {
                        throw ScimException.badRequest(ScimType.invalidValue, "Group '" + child
                                + "' already contains this Group; the membership would create a cycle");
                    }
                    if (seen.add(next)) {
                        todo.add(next);
                    }
                }
            }
        }
    }

    public Result deleteGroup(String id, String ifMatch) {
        return locks.with("group:" + id, () -> {
            Group cur = requireGroup(id);
            checkIfMatch(ifMatch, cur.attributes());
            engineCall(() -> push().removeGroup(id));
            Optional<Group> after = store.findGroupByOrigin(cur.origin());
            if (after.isPresent()) { // the source leaves removed groups: hidden from SCIM
                Map<String, List<String>> attrs = new HashMap<>(after.get().attributes());
                attrs.putAll(Meta.next(after.get().attributes(), now()));
                attrs.put(Stored.DELETED, List.of(now().toString()));
                engineCall(() -> push().updateGroupFields(sourceGroup(id, after.get().name(), null, Set.of(),
                        Set.of(), attrs)));
            }
            return new Result(204, null, null, null);
        });
    }

    // ================================================================== lists

    public ObjectNode listUsers(ListRequest q, String base) {
        Filtering.Compiled f = compile(q.filter(), "User");
        boolean withGroups = q.projection().includes("groups") || f != null && f.mentions("groups");
        return page(q, candidatesUsers(f), u -> userJson(u, base, withGroups), f);
    }

    public ObjectNode listGroups(ListRequest q, String base) {
        Filtering.Compiled f = compile(q.filter(), "Group");
        boolean withMembers = q.projection().includes("members") || f != null && f.mentions("members");
        return page(q, candidatesGroups(f), g -> groupJson(g, base, withMembers), f);
    }

    /** Root search: Users then Groups, one ListResponse. */
    public ObjectNode searchAll(ListRequest q, String base) {
        Filtering.Compiled fu = compile(q.filter(), "User");
        Filtering.Compiled fg = compile(q.filter(), "Group");
        boolean withGroups = q.projection().includes("groups") || fu != null && fu.mentions("groups");
        boolean withMembers = q.projection().includes("members") || fg != null && fg.mentions("members");
        Stream<ObjectNode> users = bounded(candidatesUsers(fu), fu).map(u -> userJson(u, base, withGroups))
                .filter(j -> fu == null || fu.matches(j));
        Stream<ObjectNode> groups = bounded(candidatesGroups(fg), fg).map(g -> groupJson(g, base, withMembers))
                .filter(j -> fg == null || fg.matches(j));
        try (Stream<ObjectNode> all = Stream.concat(users, groups)) {
            return pageOf(q, all);
        }
    }

    private Filtering.Compiled compile(String filter, String type) {
        if (filter == null) {
            return null;
        }
        if (filter.length() > settings.maxFilterLength()) {
            throw ScimException.badRequest(ScimType.invalidFilter, "the filter is longer than "
                    + settings.maxFilterLength() + " characters");
        }
        return Filtering.compile(filter, type);
    }

    /** Candidates for a filter: point lookups for pushable equality terms, otherwise every record of the source. */
    private Stream<User> candidatesUsers(Filtering.Compiled f) {
        if (f != null) {
            for (Filtering.EqTerm t : f.pushable()) {
                switch (t.attribute()) {
                    case "id":
                        return liveUser(t.value()).stream();
                    case "userName":
                        return findByUserName(t.value()).filter(u -> u.isOwnedBy(sid) && live(u)).stream();
                    case "externalId":
                        return store.findUsersByField(sid, "attributes." + Stored.EXTERNAL_ID, t.value())
                                .filter(ScimService::live);
                    case "displayName":
                        return store.findUsersByField(sid, "displayName", t.value()).filter(ScimService::live);
                    default:
                        break;
                }
            }
        }
        return store.usersOwnedBy(sid).filter(ScimService::live);
    }

    private Stream<Group> candidatesGroups(Filtering.Compiled f) {
        if (f != null) {
            for (Filtering.EqTerm t : f.pushable()) {
                switch (t.attribute()) {
                    case "id":
                        return liveGroup(t.value()).stream();
                    case "displayName":
                        return store.findGroupByName(t.value()).filter(g -> g.isOwnedBy(sid) && live(g)).stream();
                    case "externalId":
                        return store.findGroupsByField(sid, "attributes." + Stored.EXTERNAL_ID, t.value())
                                .filter(ScimService::live);
                    default:
                        break;
                }
            }
        }
        return store.groupsOwnedBy(sid).filter(ScimService::live);
    }

    private <T> ObjectNode page(ListRequest q, Stream<T> candidates, java.util.function.Function<T, ObjectNode> json,
                                Filtering.Compiled f) {
        try (Stream<T> s = candidates) {
            if (f == null && q.sortBy() == null) {
                return unfilteredPage(q, s, json);
            }
            Stream<T> examined = bounded(s, f);
            return pageOf(q, examined.map(json).filter(j -> f == null || f.matches(j)));
        }
    }

    /** The candidates of a filter the store could not narrow, at most {@code maxFilterCandidates} of them (else 400 tooMany). */
    private <T> Stream<T> bounded(Stream<T> candidates, Filtering.Compiled f) {
        if (f == null || !f.pushable().isEmpty()) {
            return candidates;
        }
        long[] seen = {0};
        int max = settings.maxFilterCandidates();
        return candidates.peek(x -> {
            if (++seen[0] > max) {
                throw ScimException.badRequest(ScimType.tooMany, "the filter has no userName, externalId, "
                        + "displayName or id equality the store can answer, and more than " + max
                        + " resources would be examined; add one");
            }
        });
    }

    /** Without a filter or sorting, only the records on the page are rendered; the rest are counted. */
    private <T> ObjectNode unfilteredPage(ListRequest q, Stream<T> records, java.util.function.Function<T, ObjectNode> json) {
        int count = q.count() == null ? settings.defaultCount() : Math.min(q.count(), settings.maxResults());
        int start = q.startIndex();
        List<T> page = new ArrayList<>();
        long[] n = {0};
        records.forEach(r -> {
            n[0]++;
            if (n[0] >= start && page.size() < count) {
                page.add(r);
            }
        });
        List<ObjectNode> rendered = new ArrayList<>(page.size());
        page.forEach(r -> rendered.add(json.apply(r)));
        return listResponse(q, n[0], start, rendered);
    }

    /**
     * One page of matches: without sortBy the matches stream (only the page is kept, however many match);
     * with sortBy they are collected, at most {@code maxSortedResults} of them.
     */
    private ObjectNode pageOf(ListRequest q, Stream<ObjectNode> matches) {
        int count = q.count() == null ? settings.defaultCount() : Math.min(q.count(), settings.maxResults());
        int start = q.startIndex();
        List<ObjectNode> page = new ArrayList<>();
        long total;
        if (q.sortBy() != null) {
            List<ObjectNode> all = new ArrayList<>();
            matches.forEach(j -> {
                if (all.size() >= settings.maxSortedResults()) {
                    throw ScimException.badRequest(ScimType.tooMany, "more than " + settings.maxSortedResults()
                            + " resources match; narrow the filter to sort them");
                }
                all.add(j);
            });
            Projection.Path path = Projection.parse(q.sortBy());
            Comparator<ObjectNode> cmp = Comparator.comparing(j -> Sorting.key(j, path),
                    Comparator.nullsLast(String.CASE_INSENSITIVE_ORDER));
            if (q.descending()) {
                cmp = Comparator.comparing((ObjectNode j) -> Sorting.key(j, path),
                        Comparator.nullsLast(String.CASE_INSENSITIVE_ORDER.reversed()));
            }
            all.sort(cmp);
            total = all.size();
            for (int i = start - 1; i < all.size() && page.size() < count; i++) {
                page.add(all.get(i));
            }
        } else {
            long[] n = {0};
            matches.forEach(j -> {
                n[0]++;
                if (n[0] >= start && page.size() < count) {
                    page.add(j);
                }
            });
            total = n[0];
        }
        return listResponse(q, total, start, page);
    }

    private static ObjectNode listResponse(ListRequest q, long total, int start, List<ObjectNode> page) {
        ObjectNode out = Json.object();
        out.putArray("schemas").add(Urns.LIST);
        out.put("totalResults", total);
        out.put("startIndex", start);
        out.put("itemsPerPage", page.size());
        ArrayNode res = out.putArray("Resources");
        page.forEach(j -> res.add(q.projection().apply(j)));
        return out;
    }

    // ================================================================== helpers

    /** A source group from client values: a value the model refuses (a control character, ...) is a 400. */
    private static SourceGroup sourceGroup(String id, String name, String description, Set<String> users,
                                           Set<String> groups, Map<String, List<String>> attributes) {
        try {
            return new SourceGroup(id, name, description, users, groups, attributes);
        } catch (IllegalArgumentException e) {
            throw ScimException.badRequest(ScimType.invalidValue, e.getMessage());
        }
    }

    private static void checkIfMatch(String ifMatch, Map<String, List<String>> attrs) {
        if (ifMatch != null && !Meta.matches(ifMatch, Meta.etag(attrs))) {
            throw ScimException.of(412, null, "the resource has changed (its version no longer matches If-Match)");
        }
    }

    /** A body's schemas, when given, must name the resource's core schema. */
    private static void checkSchemas(ObjectNode body, String core) {
        JsonNode schemas = Json.field(body, "schemas");
        if (schemas == null || schemas.isNull()) {
            return;
        }
        if (!schemas.isArray()) {
            throw ScimException.badRequest(ScimType.invalidSyntax, "schemas must be an array of schema URIs");
        }
        for (JsonNode s : schemas) {
            if (s.isTextual() && s.asText().equalsIgnoreCase(core)) {
                return;
            }
        }
        throw ScimException.badRequest(ScimType.invalidSyntax, "schemas must include " + core);
    }
}
