package io.usher.testkit;

import io.usher.core.model.MemberKind;
import io.usher.core.spi.ChangeSink;
import io.usher.core.spi.SourceGroup;
import io.usher.core.spi.SourceUser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link ChangeSink} for tests: records every call in order and folds snapshots and changes into a model
 * of the source (users by external id, groups with their direct members), so that a test can compare
 * "snapshot, then changes" with the directory itself. Give the same sink to a snapshot and then to
 * incremental reads, and the model follows the source.
 *
 * <p>Calls that name a group or member the model does not know are still recorded, and listed in
 * {@link #anomalies()}.
 *
 * <p>Thread-safe: every method is synchronized; accessors return copies.
 */
public final class RecordingSink implements ChangeSink {

    /** The sink methods, as recorded. */
    public enum Method { USER, GROUP, USER_DELETED, GROUP_FIELDS, GROUP_DELETED, MEMBER_ADDED, MEMBER_REMOVED, CURSOR }

    /**
     * One recorded call: the method, the external id it was about (the group's, for membership calls; the
     * cursor, for {@link Method#CURSOR}), and for membership calls the member's kind and id. Immutable and
     * thread-safe.
     */
    public record Call(Method method, String id, MemberKind memberKind, String memberId) {
        public Call {
            Objects.requireNonNull(method, "method");
        }
    }

    private final List<Call> calls = new ArrayList<>();
    private final Map<String, SourceUser> users = new LinkedHashMap<>();
    private final Map<String, ModelGroup> groups = new LinkedHashMap<>();
    private final List<String> anomalies = new ArrayList<>();
    private String cursor;
    private long progressCalls;
    private long lastRead = -1;
    private long lastTotal = -1;

    private static final class ModelGroup {
        SourceGroup fields;
        final Set<String> users = new HashSet<>();
        final Set<String> groups = new HashSet<>();

        ModelGroup(SourceGroup g) {
            fields = g;
        }
    }

    private RecordingSink() {}

    /** An empty sink. */
    public static RecordingSink create() {
        return new RecordingSink();
    }

    @Override
    public synchronized void user(SourceUser user) {
        calls.add(new Call(Method.USER, user.externalId(), null, null));
        users.put(user.externalId(), user);
    }

    @Override
    public synchronized void group(SourceGroup group) {
        calls.add(new Call(Method.GROUP, group.externalId(), null, null));
        ModelGroup g = new ModelGroup(group);
        g.users.addAll(group.memberUserIds());
        g.groups.addAll(group.memberGroupIds());
        groups.put(group.externalId(), g);
    }

    @Override
    public synchronized void userDeleted(String externalId) {
        calls.add(new Call(Method.USER_DELETED, externalId, null, null));
        if (users.remove(externalId) == null) {
            anomalies.add("userDeleted for unknown user " + externalId);
        }
        groups.values().forEach(g -> g.users.remove(externalId));
    }

    @Override
    public synchronized void groupFields(SourceGroup group) {
        calls.add(new Call(Method.GROUP_FIELDS, group.externalId(), null, null));
        ModelGroup g = groups.get(group.externalId());
        if (g == null) {
            anomalies.add("groupFields for unknown group " + group.externalId());
            groups.put(group.externalId(), new ModelGroup(group));
        } else {
            g.fields = group;
        }
    }

    @Override
    public synchronized void groupDeleted(String externalId) {
        calls.add(new Call(Method.GROUP_DELETED, externalId, null, null));
        if (groups.remove(externalId) == null) {
            anomalies.add("groupDeleted for unknown group " + externalId);
        }
        groups.values().forEach(g -> g.groups.remove(externalId));
    }

    @Override
    public synchronized void memberAdded(String groupExternalId, MemberKind kind, String memberExternalId) {
        calls.add(new Call(Method.MEMBER_ADDED, groupExternalId, kind, memberExternalId));
        ModelGroup g = groups.get(groupExternalId);
        if (g == null) {
            anomalies.add("memberAdded to unknown group " + groupExternalId);
            return;
        }
        if (kind == MemberKind.USER ? !users.containsKey(memberExternalId) : !groups.containsKey(memberExternalId)) {
            anomalies.add("memberAdded of unknown " + kind + " " + memberExternalId);
        }
        (kind == MemberKind.USER ? g.users : g.groups).add(memberExternalId);
    }

    @Override
    public synchronized void memberRemoved(String groupExternalId, MemberKind kind, String memberExternalId) {
        calls.add(new Call(Method.MEMBER_REMOVED, groupExternalId, kind, memberExternalId));
        ModelGroup g = groups.get(groupExternalId);
        if (g == null) {
            anomalies.add("memberRemoved from unknown group " + groupExternalId);
            return;
        }
        (kind == MemberKind.USER ? g.users : g.groups).remove(memberExternalId);
    }

    @Override
    public synchronized void cursor(String newCursor) {
        calls.add(new Call(Method.CURSOR, newCursor, null, null));
        this.cursor = newCursor;
    }

    @Override
    public synchronized void progress(long read, long total) {
        progressCalls++;
        lastRead = read;
        lastTotal = total;
    }

    /** Every call in order (progress calls excepted). */
    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The calls of one method, in order. */
    public synchronized List<Call> calls(Method method) {
        return calls.stream().filter(c -> c.method() == method).toList();
    }

    /** Forgets the recorded calls (the model stays), so the next read's calls can be checked alone. */
    public synchronized void clearCalls() {
        calls.clear();
        anomalies.clear();
        cursor = null;
    }

    /** The last cursor given, if any since the last {@link #clearCalls()}. */
    public synchronized Optional<String> cursor() {
        return Optional.ofNullable(cursor);
    }

    public synchronized long progressCalls() {
        return progressCalls;
    }

    /** The {@code read} of the last progress call, or -1. */
    public synchronized long lastProgressRead() {
        return lastRead;
    }

    /** The {@code total} of the last progress call, or -1. */
    public synchronized long lastProgressTotal() {
        return lastTotal;
    }

    /** The model's users by external id (as last reported). */
    public synchronized Map<String, SourceUser> users() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(users));
    }

    /** The model's groups by external id, with the members the calls so far add up to. */
    public synchronized Map<String, SourceGroup> groups() {
        Map<String, SourceGroup> out = new LinkedHashMap<>();
        groups.forEach((id, g) -> out.put(id, new SourceGroup(id, g.fields.name(), g.fields.description(), g.users,
                g.groups, g.fields.attributes())));
        return Collections.unmodifiableMap(out);
    }

    /** Calls that named unknown records, in plain words. */
    public synchronized List<String> anomalies() {
        return List.copyOf(anomalies);
    }
}
