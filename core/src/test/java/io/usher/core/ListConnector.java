package io.usher.core;

import io.usher.core.model.MemberKind;
import io.usher.core.spi.ChangeSink;
import io.usher.core.spi.IncrementalSource;
import io.usher.core.spi.NestedGroupSource;
import io.usher.core.spi.SnapshotSink;
import io.usher.core.spi.SourceConnector;
import io.usher.core.spi.SourceException;
import io.usher.core.spi.SourceGroup;
import io.usher.core.spi.SourceUser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A small mutable source for core's own tests (core cannot use testkit, which depends on it): users and
 * groups in maps, a change log of sink calls for incremental reads, and a switch to fail mid-read.
 */
class ListConnector implements SourceConnector, IncrementalSource, NestedGroupSource {
    final Map<String, SourceUser> users = new LinkedHashMap<>();
    final Map<String, SourceGroup> groups = new LinkedHashMap<>();
    final List<Consumer<ChangeSink>> log = new ArrayList<>();
    int failAfterRecords = -1;
    final java.util.Set<String> unreadable = new java.util.HashSet<>();
    boolean cursorExpired;
    int snapshots;

    /** {@code n} users u0..u(n-1) (logins user0..) all in one group "everyone" (id "g"). */
    static ListConnector everyone(int n) {
        ListConnector c = new ListConnector();
        List<String> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            c.user("u" + i, "user" + i);
            all.add("u" + i);
        }
        return c.group("g", "everyone", all, List.of());
    }

    ListConnector user(String id, String login) {
        return user(SourceUser.builder(id).loginName(login).displayName("User " + login).build());
    }

    ListConnector user(SourceUser u) {
        users.put(u.externalId(), u);
        log.add(s -> s.user(u));
        return this;
    }

    ListConnector rename(String id, String login) {
        return user(users.get(id).toBuilder().loginName(login).build());
    }

    ListConnector removeUser(String id) {
        users.remove(id);
        for (SourceGroup g : List.copyOf(groups.values())) {
            if (g.memberUserIds().contains(id)) {
                Set<String> m = new java.util.LinkedHashSet<>(g.memberUserIds());
                m.remove(id);
                groups.put(g.externalId(), new SourceGroup(g.externalId(), g.name(), g.description(), m,
                        g.memberGroupIds(), Map.of()));
                log.add(s -> s.memberRemoved(g.externalId(), MemberKind.USER, id));
            }
        }
        log.add(s -> s.userDeleted(id));
        return this;
    }

    ListConnector group(String id, String name, List<String> users, List<String> childGroups) {
        SourceGroup g = SourceGroup.of(id, name, null, users, childGroups);
        groups.put(id, g);
        log.add(s -> s.group(g));
        return this;
    }

    @Override
    public String type() {
        return "list";
    }

    @Override
    public void snapshot(SnapshotSink sink) {
        snapshots++;
        int n = 0;
        String cursor = Integer.toString(log.size());
        for (SourceUser u : List.copyOf(users.values())) {
            if (failAfterRecords >= 0 && n++ >= failAfterRecords) {
                throw SourceException.unavailable("connection reset while reading page 2", null);
            }
            if (unreadable.contains(u.externalId())) {
                sink.unreadable(MemberKind.USER, u.externalId(), "attribute 'cn' holds a control character");
            } else {
                sink.user(u);
            }
        }
        for (SourceGroup g : List.copyOf(groups.values())) {
            if (failAfterRecords >= 0 && n++ >= failAfterRecords) {
                throw SourceException.unavailable("connection reset while reading groups", null);
            }
            sink.group(g);
        }
        sink.cursor(cursor);
    }

    @Override
    public void changes(String cursor, ChangeSink sink) {
        if (cursorExpired) {
            throw SourceException.cursorInvalid("cursor expired");
        }
        int from = Integer.parseInt(cursor);
        for (int i = from; i < log.size(); i++) {
            log.get(i).accept(sink);
        }
        sink.cursor(Integer.toString(log.size()));
    }
}
