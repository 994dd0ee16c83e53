package io.usher.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.usher.core.UsherException;
import io.usher.core.model.MemberKind;
import io.usher.core.spi.ChangeSink;
import io.usher.core.spi.IncrementalSource;
import io.usher.core.spi.NestedGroupSource;
import io.usher.core.spi.SourceConnector;
import io.usher.core.spi.SourceException;
import io.usher.core.spi.SourceGroup;
import io.usher.core.spi.SourceUser;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules every {@link SourceConnector} keeps, as tests, run against a seeded {@link InMemoryDirectory}.
 * A connector author extends this class and serves the directory through the connector's own protocol
 * (usually one of testkit's faces: LDAP, Graph, Okta, Google):
 *
 * <pre>{@code
 * class LdapConnectorContractTest extends SourceConnectorContract {
 *     protected SourceConnector connectorFor(InMemoryDirectory directory) {
 *         return LdapConnector.builder().url(ldapFace(directory).url()).build();
 *     }
 * }
 * }</pre>
 *
 * <p>Assumptions: the connector reports the directory's ids as external ids and its login names as login
 * names, and whatever serves the directory to it reads through the directory's serving reads
 * ({@link InMemoryDirectory#readUserPage} and friends), so that injected faults and change-log expiry reach
 * the connector. Tests that need a capability the connector lacks ({@link IncrementalSource},
 * {@link NestedGroupSource}) are skipped, not failed. Each test gets a fresh directory from
 * {@link #newDirectory()} (override it to test another shape) and a fresh connector; the connector is closed
 * after the test.
 *
 * <p>Not thread-safe itself (JUnit makes one instance per test).
 */
public abstract class SourceConnectorContract {

    /** The directory of the current test. */
    protected InMemoryDirectory directory;
    /** The connector of the current test, from {@link #connectorFor}. */
    protected SourceConnector connector;

    /** A connector that reads the given directory. */
    protected abstract SourceConnector connectorFor(InMemoryDirectory directory);

    /** The directory each test starts from: a seeded organisation of 300 users and 40 groups, 3 levels deep. */
    protected InMemoryDirectory newDirectory() {
        return DirectoryGenerator.builder().seed(20261129L).users(300).groups(40).nestingDepth(3)
                .targetMemberships(1_200).caseCollisions(3).build().generate();
    }

    @BeforeEach
    void setUpConnector() {
        directory = newDirectory();
        connector = connectorFor(directory);
    }

    @AfterEach
    void closeConnector() {
        if (connector != null) {
            connector.close();
        }
    }

    private RecordingSink snapshot() {
        RecordingSink sink = RecordingSink.create();
        connector.snapshot(sink);
        return sink;
    }

    private IncrementalSource incremental() {
        assumeTrue(connector instanceof IncrementalSource, "connector is not an IncrementalSource");
        return (IncrementalSource) connector;
    }

    // ---------------------------------------------------------------- hooks for connectors over a server

    /**
     * Makes the connector's next reads fail after about {@code records} records, as a dropped connection
     * would. The default injects the fault into the directory's own read path; a connector reading the
     * directory through a server (LDAP, a fake REST API) overrides it to inject at the server.
     */
    protected void failReadsAfter(int records) {
        directory.failAfter(records);
    }

    /** Makes every cursor issued so far invalid (the default trims the directory's change log). */
    protected void expireCursors() {
        directory.trimChangeLog(directory.currentSequence());
    }

    /**
     * Whether {@code changes} reports exactly what changed. Connectors whose change feed reports a superset
     * say false: a timestamp with a safety margin (LDAP {@code modifyTimestamp}) re-reports recent entries,
     * and OpenLDAP's content sync lists deleted ids from its whole database (a deleted group's id also in the
     * users' list), which the engine ignores where no such record is synced.
     */
    protected boolean changesAreExact() {
        return true;
    }

    /** Whether {@code changes} reports deletions (a timestamp feed cannot; a full snapshot finds them). */
    protected boolean changesReportDeletions() {
        return true;
    }

    // ---------------------------------------------------------------- basics

    @Test
    void typeIsNamed() {
        assertThat(connector.type()).isNotBlank().matches("[a-z][a-z0-9-]*");
    }

    @Test
    void validateAcceptsAGoodConfiguration() {
        assertThatCode(connector::validate).doesNotThrowAnyException();
    }

    @Test
    void closeIsIdempotent() {
        assertThatCode(() -> {
            connector.close();
            connector.close();
        }).doesNotThrowAnyException();
    }

    // ---------------------------------------------------------------- snapshot

    @Test
    void snapshotYieldsExactlyTheDirectorysUsers() {
        RecordingSink sink = snapshot();

        Map<String, DirectoryUser> expected = directory.users().collect(Collectors.toMap(DirectoryUser::id, u -> u));
        assertThat(sink.calls(RecordingSink.Method.USER)).hasSize(expected.size());
        assertThat(sink.users().keySet()).isEqualTo(expected.keySet());
        sink.users().forEach((id, su) -> {
            DirectoryUser du = expected.get(id);
            assertThat(su.loginName()).as("login name of %s", id).isEqualTo(du.loginName());
            assertThat(su.active()).as("active of %s", id).isEqualTo(du.enabled());
        });
    }

    @Test
    void snapshotYieldsExactlyTheDirectorysGroupsAndDirectUserMembers() {
        RecordingSink sink = snapshot();

        Map<String, DirectoryGroup> expected = directory.groups().collect(Collectors.toMap(DirectoryGroup::id, g -> g));
        assertThat(sink.calls(RecordingSink.Method.GROUP)).hasSize(expected.size());
        assertThat(sink.groups().keySet()).isEqualTo(expected.keySet());
        sink.groups().forEach((id, sg) -> {
            assertThat(sg.name()).as("name of group %s", id).isEqualTo(expected.get(id).name());
            assertThat(sg.memberUserIds()).as("user members of group %s", id)
                    .isEqualTo(directory.members(id, MemberKind.USER));
        });
    }

    @Test
    void snapshotSendsEveryUserBeforeAnyGroup() {
        List<RecordingSink.Call> calls = snapshot().calls();

        int lastUser = -1;
        int firstGroup = Integer.MAX_VALUE;
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).method() == RecordingSink.Method.USER) {
                lastUser = i;
            } else if (calls.get(i).method() == RecordingSink.Method.GROUP) {
                firstGroup = Math.min(firstGroup, i);
            }
        }
        assertThat(lastUser).isGreaterThanOrEqualTo(0);
        assertThat(firstGroup).isLessThan(Integer.MAX_VALUE);
        assertThat(lastUser).isLessThan(firstGroup);
    }

    @Test
    void snapshotKeepsCaseOnlyLoginCollisionsApart() {
        Map<String, List<String>> byFolded = snapshot().users().values().stream()
                .filter(u -> u.loginName() != null)
                .collect(Collectors.groupingBy(u -> u.loginName().toLowerCase(java.util.Locale.ROOT),
                        Collectors.mapping(SourceUser::loginName, Collectors.toList())));
        long collisions = byFolded.values().stream().filter(l -> l.size() > 1).count();
        long expected = directory.users().collect(Collectors.groupingBy(
                u -> u.loginName().toLowerCase(java.util.Locale.ROOT), Collectors.counting()))
                .values().stream().filter(n -> n > 1).count();
        assumeTrue(expected > 0, "the directory has no case-only login collisions");
        assertThat(collisions).isEqualTo(expected);
    }

    @Test
    void directGroupNamesOnUsersMatchWhenReported() {
        RecordingSink sink = snapshot();
        boolean reported = sink.users().values().stream().anyMatch(u -> !u.groups().isEmpty());
        assumeTrue(reported, "connector does not report the user's groups");
        sink.users().forEach((id, su) -> {
            Set<String> names = directory.groupsOf(MemberKind.USER, id).stream()
                    .map(g -> directory.group(g).orElseThrow().name()).collect(Collectors.toSet());
            assertThat(su.groups()).as("groups of %s", id).isEqualTo(names);
        });
    }

    @Test
    void externalIdsAreStableAcrossARename() {
        DirectoryUser victim = directory.users().skip(7).findFirst().orElseThrow();
        String oldLogin = victim.loginName();
        directory.renameUser(victim.id(), "renamed.user");

        RecordingSink sink = snapshot();

        assertThat(sink.users().get(victim.id())).isNotNull();
        assertThat(sink.users().get(victim.id()).loginName()).isEqualTo("renamed.user");
        assertThat(sink.users().values()).noneMatch(u -> oldLogin.equals(u.loginName()));
        assertThat(sink.users()).hasSize(directory.userCount());
    }

    @Test
    void aFailedReadSurfacesAsASourceException() {
        failReadsAfter(directory.userCount() / 2);
        RecordingSink sink = RecordingSink.create();

        assertThatThrownBy(() -> connector.snapshot(sink)).isInstanceOf(SourceException.class)
                .extracting(e -> ((SourceException) e).code()).isEqualTo(UsherException.Code.SOURCE_UNAVAILABLE);
        assertThat(sink.calls(RecordingSink.Method.GROUP)).isEmpty();
        assertThat(sink.calls(RecordingSink.Method.CURSOR)).isEmpty();
    }

    @Test
    void nestedGroupSourcesReportMemberGroups() {
        assumeTrue(connector instanceof NestedGroupSource, "connector is not a NestedGroupSource");
        RecordingSink sink = snapshot();

        assumeTrue(directory.groups().anyMatch(g -> !directory.members(g.id(), MemberKind.GROUP).isEmpty()),
                "the directory has no nested groups");
        int nestedSeen = 0;
        for (Map.Entry<String, SourceGroup> e : sink.groups().entrySet()) {
            Set<String> expected = directory.members(e.getKey(), MemberKind.GROUP);
            assertThat(e.getValue().memberGroupIds()).as("member groups of %s", e.getKey()).isEqualTo(expected);
            nestedSeen += expected.size();
        }
        assertThat(nestedSeen).isPositive();
    }

    // ---------------------------------------------------------------- incremental

    @Test
    void snapshotOfAnIncrementalSourceEndsWithACursor() {
        incremental();
        List<RecordingSink.Call> calls = snapshot().calls();

        assertThat(calls).isNotEmpty();
        assertThat(calls.get(calls.size() - 1).method()).isEqualTo(RecordingSink.Method.CURSOR);
        assertThat(calls.get(calls.size() - 1).id()).isNotBlank();
    }

    @Test
    void changesReportExactlyTheMutationsAndANewCursor() {
        IncrementalSource source = incremental();
        assumeTrue(changesReportDeletions(), "the connector's change feed cannot see deletions");
        RecordingSink sink = snapshot();
        String cursor = sink.cursor().orElseThrow();
        sink.clearCalls();

        List<DirectoryUser> some = directory.users().limit(5).collect(Collectors.toList());
        List<DirectoryGroup> groups = directory.groups().collect(Collectors.toList());
        DirectoryUser added = directory.addUser(DirectoryUser.builder("new.hire").displayName("Zoë Neu").build());
        directory.renameUser(some.get(0).id(), some.get(0).loginName() + ".renamed");
        directory.disableUser(some.get(1).id());
        directory.deleteUser(some.get(2).id());
        DirectoryGroup newGroup = directory.addGroup("project-incremental");
        directory.addMember(newGroup.id(), MemberKind.USER, added.id());
        directory.addMember(newGroup.id(), MemberKind.USER, some.get(3).id());
        DirectoryGroup shrinking = groups.stream()
                .filter(g -> directory.members(g.id(), MemberKind.USER).size() >= 2).findFirst().orElseThrow();
        DirectoryGroup toRename = groups.stream().filter(g -> g != shrinking).findFirst().orElseThrow();
        DirectoryGroup renamedGroup = directory.renameGroup(toRename.id(), "renamed-group");
        String leaving = directory.members(shrinking.id(), MemberKind.USER).stream()
                .filter(id -> !id.equals(some.get(2).id())).sorted().findFirst().orElseThrow();
        directory.removeMember(shrinking.id(), MemberKind.USER, leaving);
        DirectoryGroup doomed = groups.stream().filter(g -> g != shrinking && g != toRename)
                .reduce((a, b) -> b).orElseThrow();
        directory.deleteGroup(doomed.id());

        source.changes(cursor, sink);

        Set<String> upserted = sink.calls(RecordingSink.Method.USER).stream().map(RecordingSink.Call::id)
                .collect(Collectors.toSet());
        if (changesAreExact()) {
            assertThat(upserted).containsExactlyInAnyOrder(added.id(), some.get(0).id(), some.get(1).id());
        } else {
            assertThat(upserted).contains(added.id(), some.get(0).id(), some.get(1).id());
        }
        if (changesAreExact()) {
            assertThat(sink.calls(RecordingSink.Method.USER_DELETED)).extracting(RecordingSink.Call::id)
                    .containsExactly(some.get(2).id());
            assertThat(sink.calls(RecordingSink.Method.GROUP_DELETED)).extracting(RecordingSink.Call::id)
                    .containsExactly(doomed.id());
        } else {
            assertThat(sink.calls(RecordingSink.Method.USER_DELETED)).extracting(RecordingSink.Call::id)
                    .contains(some.get(2).id()).doesNotContain(some.get(0).id(), some.get(1).id(), added.id());
            assertThat(sink.calls(RecordingSink.Method.GROUP_DELETED)).extracting(RecordingSink.Call::id)
                    .contains(doomed.id()).doesNotContain(newGroup.id(), renamedGroup.id());
        }
        assertThat(sink.cursor()).isPresent().get().isNotEqualTo(cursor);

        Set<String> touchedGroups = new HashSet<>();
        sink.calls().stream().filter(c -> c.method() == RecordingSink.Method.GROUP
                        || c.method() == RecordingSink.Method.GROUP_FIELDS
                        || c.method() == RecordingSink.Method.MEMBER_ADDED
                        || c.method() == RecordingSink.Method.MEMBER_REMOVED)
                .forEach(c -> touchedGroups.add(c.id()));
        assertThat(touchedGroups).contains(newGroup.id(), renamedGroup.id(), shrinking.id());
        if (changesAreExact()) {
            assertThat(touchedGroups).isSubsetOf(newGroup.id(), renamedGroup.id(), shrinking.id(), doomed.id());
        }

        assertModelMatchesDirectory(sink);
    }

    @Test
    void changesWithNothingChangedReportNothing() {
        IncrementalSource source = incremental();
        RecordingSink sink = snapshot();
        String cursor = sink.cursor().orElseThrow();
        sink.clearCalls();

        source.changes(cursor, sink);

        if (changesAreExact()) {
            assertThat(sink.calls()).allMatch(c -> c.method() == RecordingSink.Method.CURSOR);
        }
        assertThat(sink.cursor()).isPresent();
        assertModelMatchesDirectory(sink);
    }

    @Test
    void changesMadeDuringASnapshotAreReplayedNextTime() {
        IncrementalSource source = incremental();
        DirectoryUser last = directory.users().reduce((a, b) -> b).orElseThrow();
        RecordingSink sink = RecordingSink.create();
        boolean[] done = {false};
        ChangeSink mutating = new ForwardingSink(sink) {
            @Override
            public void user(SourceUser user) {
                super.user(user);
                if (!done[0]) {
                    done[0] = true;
                    directory.renameUser(last.id(), "renamed.during.snapshot");
                }
            }
        };
        connector.snapshot(mutating);
        String cursor = sink.cursor().orElseThrow();
        sink.clearCalls();

        source.changes(cursor, sink);

        assertThat(sink.users().get(last.id()).loginName()).isEqualTo("renamed.during.snapshot");
        assertThat(sink.calls(RecordingSink.Method.USER)).extracting(RecordingSink.Call::id).contains(last.id());
    }

    @Test
    void anInvalidCursorIsCursorInvalid() {
        IncrementalSource source = incremental();

        assertThatThrownBy(() -> source.changes("not-a-cursor-%%", RecordingSink.create()))
                .isInstanceOf(SourceException.class)
                .extracting(e -> ((SourceException) e).code()).isEqualTo(UsherException.Code.CURSOR_INVALID);
    }

    @Test
    void anExpiredCursorIsCursorInvalid() {
        IncrementalSource source = incremental();
        String cursor = snapshot().cursor().orElseThrow();
        directory.addUser(DirectoryUser.of("after.snapshot"));
        expireCursors();

        assertThatThrownBy(() -> source.changes(cursor, RecordingSink.create()))
                .isInstanceOf(SourceException.class)
                .extracting(e -> ((SourceException) e).code()).isEqualTo(UsherException.Code.CURSOR_INVALID);
    }

    /** Snapshot plus changes, folded by the sink, equals the directory now. */
    protected void assertModelMatchesDirectory(RecordingSink sink) {
        Map<String, String> expectedUsers = new HashMap<>();
        directory.users().forEach(u -> expectedUsers.put(u.id(), u.loginName()));
        Map<String, String> actualUsers = new HashMap<>();
        sink.users().forEach((id, u) -> actualUsers.put(id, u.loginName()));
        assertThat(actualUsers).isEqualTo(expectedUsers);
        Map<String, Boolean> expectedActive = new HashMap<>();
        directory.users().forEach(u -> expectedActive.put(u.id(), u.enabled()));
        Map<String, Boolean> actualActive = new HashMap<>();
        sink.users().forEach((id, u) -> actualActive.put(id, u.active()));
        assertThat(actualActive).isEqualTo(expectedActive);

        Map<String, DirectoryGroup> expectedGroups = directory.groups()
                .collect(Collectors.toMap(DirectoryGroup::id, g -> g));
        assertThat(sink.groups().keySet()).isEqualTo(expectedGroups.keySet());
        boolean nested = connector instanceof NestedGroupSource;
        sink.groups().forEach((id, g) -> {
            assertThat(g.name()).as("name of group %s", id).isEqualTo(expectedGroups.get(id).name());
            assertThat(g.memberUserIds()).as("user members of %s", id)
                    .isEqualTo(directory.members(id, MemberKind.USER));
            if (nested) {
                assertThat(g.memberGroupIds()).as("group members of %s", id)
                        .isEqualTo(directory.members(id, MemberKind.GROUP));
            }
        });
    }

    /** A {@link ChangeSink} that forwards every call, for tests that hook into one. As thread-safe as its target. */
    protected static class ForwardingSink implements ChangeSink {
        private final ChangeSink target;

        protected ForwardingSink(ChangeSink target) {
            this.target = target;
        }

        @Override public void user(SourceUser user) { target.user(user); }
        @Override public void group(SourceGroup group) { target.group(group); }
        @Override public void cursor(String cursor) { target.cursor(cursor); }
        @Override public void progress(long read, long total) { target.progress(read, total); }
        @Override public void userDeleted(String externalId) { target.userDeleted(externalId); }
        @Override public void groupFields(SourceGroup group) { target.groupFields(group); }
        @Override public void groupDeleted(String externalId) { target.groupDeleted(externalId); }
        @Override public void memberAdded(String g, MemberKind kind, String m) { target.memberAdded(g, kind, m); }
        @Override public void memberRemoved(String g, MemberKind kind, String m) { target.memberRemoved(g, kind, m); }
    }
}
