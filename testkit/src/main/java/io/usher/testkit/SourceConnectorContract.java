package io.usher.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.usher.core.UsherException;
import io.usher.core.model.MemberKind;
import io.usher.core.spi.ChangeSink;
import io.usher.core.spi.IncrementalSource;
import io.usher.core.spi.NestedGroupSource;
import io.usher.core.spi.SourceConnector;
import io.usher.core.spi.SourceException;
import io.usher.core.spi.SourceGroup;
import io.usher.core.spi.SourceUser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SourceConnector} must do, as tests. The base class seeds an {@link InMemoryDirectory};
 * the subclass serves it through its connector (directly, or over a fake LDAP server or REST API built on
 * the same directory):
 *
 * <pre>{@code
 * class LdapConnectorContractTest extends SourceConnectorContract {
 *     protected SourceConnector connectorFor(InMemoryDirectory dir) { return ldapConnectorFor(serve(dir)); }
 * }
 * }</pre>
 * Tests that need a capability the connector lacks are skipped.
 */
public abstract class SourceConnectorContract {

    /** A connector reading the given directory. Called once per test. */
    protected abstract SourceConnector connectorFor(InMemoryDirectory directory);

    protected InMemoryDirectory directory;
    protected SourceConnector connector;

    @BeforeEach
    void seed() {
        directory = DirectoryGenerator.builder().seed(11).users(120).groups(15).nestingDepth(3)
                .targetMemberships(400).caseCollisions(2).build().generate();
        connector = connectorFor(directory);
    }

    @AfterEach
    void closeConnector() throws Exception {
        connector.close();
    }

    /** Everything a sink received, in order. */
    protected static final class Recorder implements ChangeSink {
        public final List<SourceUser> users = new ArrayList<>();
        public final List<SourceGroup> groups = new ArrayList<>();
        public final List<String> events = new ArrayList<>();
        public String cursor;
        public boolean groupBeforeUser;

        @Override public void user(SourceUser user) {
            if (!groups.isEmpty()) {
                groupBeforeUser = true;
            }
            users.add(user);
            events.add("user " + user.externalId());
        }

        @Override public void group(SourceGroup group) {
            groups.add(group);
            events.add("group " + group.externalId());
        }

        @Override public void cursor(String c) { cursor = c; }
        @Override public void userDeleted(String id) { events.add("userDeleted " + id); }
        @Override public void groupFields(SourceGroup g) { events.add("groupFields " + g.externalId()); }
        @Override public void groupDeleted(String id) { events.add("groupDeleted " + id); }

        @Override public void memberAdded(String g, MemberKind k, String m) {
            events.add("memberAdded " + g + " " + k + " " + m);
        }

        @Override public void memberRemoved(String g, MemberKind k, String m) {
            events.add("memberRemoved " + g + " " + k + " " + m);
        }
    }

    protected Recorder snapshot() {
        Recorder r = new Recorder();
        connector.snapshot(r);
        return r;
    }

    @Test
    void validateAcceptsAWorkingConfiguration() {
        connector.validate();
        assertThat(connector.type()).isNotBlank();
    }

    @Test
    void snapshotYieldsExactlyTheDirectory() {
        Recorder r = snapshot();
        assertThat(r.groupBeforeUser).as("users come before groups").isFalse();
        Map<String, SourceUser> byId = new HashMap<>();
        r.users.forEach(u -> byId.put(u.externalId(), u));
        assertThat(byId.keySet()).containsExactlyInAnyOrderElementsOf(directory.userIds());
        assertThat(r.users).hasSize(directory.userCount());
        for (String id : directory.userIds()) {
            InMemoryDirectory.DirUser d = directory.user(id).orElseThrow();
            SourceUser s = byId.get(id);
            assertThat(s.loginName()).isEqualTo(d.loginName());
            assertThat(s.active()).isEqualTo(d.enabled());
            assertThat(s.kind()).isEqualTo(d.kind());
        }
        assertThat(r.groups).hasSize(directory.groupCount());
        for (SourceGroup g : r.groups) {
            assertThat(g.name()).isEqualTo(directory.group(g.externalId()).orElseThrow().name());
            assertThat(g.memberUserIds()).isEqualTo(directory.members(g.externalId(), MemberKind.USER));
        }
    }

    @Test
    void externalIdsSurviveARename() {
        String id = directory.userIds().get(3);
        directory.renameUser(id, "renamed.person");
        Recorder r = snapshot();
        assertThat(r.users).filteredOn(u -> u.externalId().equals(id)).singleElement()
                .extracting(SourceUser::loginName).isEqualTo("renamed.person");
    }

    @Test
    void nestedGroupSourcesReportMemberGroups() {
        assumeThat(connector).isInstanceOf(NestedGroupSource.class);
        Recorder r = snapshot();
        long edges = r.groups.stream().mapToLong(g -> g.memberGroupIds().size()).sum();
        long expected = directory.groupIds().stream().mapToLong(g -> directory.members(g, MemberKind.GROUP).size()).sum();
        assertThat(edges).isEqualTo(expected).isPositive();
    }

    @Test
    void incrementalReportsExactlyWhatChanged() {
        assumeThat(connector).isInstanceOf(IncrementalSource.class);
        Recorder first = snapshot();
        assertThat(first.cursor).isNotNull();
        String renamed = directory.userIds().get(0);
        String deleted = directory.userIds().get(1);
        directory.renameUser(renamed, "someone.else");
        directory.deleteUser(deleted);
        String hired = directory.addUser("new.hire");
        Recorder changes = new Recorder();
        ((IncrementalSource) connector).changes(first.cursor, changes);
        assertThat(changes.users).extracting(SourceUser::externalId).contains(renamed, hired).doesNotContain(deleted);
        assertThat(changes.events).contains("userDeleted " + deleted);
        assertThat(changes.cursor).isNotNull().isNotEqualTo(first.cursor);
        Recorder none = new Recorder();
        ((IncrementalSource) connector).changes(changes.cursor, none);
        assertThat(none.users).isEmpty();
        assertThat(none.events).isEmpty();
    }

    @Test
    void anInvalidCursorSaysSo() {
        assumeThat(connector).isInstanceOf(IncrementalSource.class);
        assertThatThrownBy(() -> ((IncrementalSource) connector).changes("not-a-cursor", new Recorder()))
                .isInstanceOf(SourceException.class)
                .extracting(e -> ((UsherException) e).code()).isEqualTo(UsherException.Code.CURSOR_INVALID);
    }

    @Test
    void closeIsIdempotent() throws Exception {
        connector.close();
        connector.close();
    }
}
