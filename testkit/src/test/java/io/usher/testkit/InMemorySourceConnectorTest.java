package io.usher.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.ConfigException;
import io.usher.core.UsherException;
import io.usher.core.model.MemberKind;
import io.usher.core.spi.ConnectionTest;
import io.usher.core.spi.ConnectorConfig;
import io.usher.core.spi.SourceException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemorySourceConnectorTest {
    private final InMemoryDirectory dir = DirectoryGenerator.builder().seed(5).users(120).groups(15).build().generate();

    /** Issue 10: the in-memory directory stands for any source, so it leaves credentials to the host. */
    @Test
    void itLeavesCredentialsToTheHost() {
        InMemoryDirectory dir = InMemoryDirectory.create(2);
        dir.addUser(DirectoryUser.of("amy"));
        dir.addUser(DirectoryUser.of("ben"));
        InMemorySourceConnector c = InMemorySourceConnector.of(dir);
        assertThat(c.defaultCredentials())
                .isEqualTo(io.usher.core.model.CredentialPolicy.HOST);
        io.usher.core.store.InMemoryUserStore store = new io.usher.core.store.InMemoryUserStore();
        try (io.usher.core.ProvisioningEngine e = io.usher.core.ProvisioningEngine.builder().store(store)
                .source(io.usher.core.Source.builder("mem").connector(c).build()).build()) {
            e.synchronize("mem");
        }
        assertThat(store.allUsers()).hasSize(2)
                .allSatisfy(u -> assertThat(u.credentials()).isEqualTo(io.usher.core.model.CredentialPolicy.HOST));
    }

    @Test
    void snapshotReadsPageByPageAndReportsProgress() {
        InMemorySourceConnector c = InMemorySourceConnector.of(dir, 10);
        RecordingSink sink = RecordingSink.create();

        c.snapshot(sink);

        long total = dir.userCount() + dir.groupCount();
        assertThat(dir.recordsServed()).isEqualTo(total);
        assertThat(sink.progressCalls()).isEqualTo(12 + 2);
        assertThat(sink.lastProgressRead()).isEqualTo(total);
        assertThat(sink.lastProgressTotal()).isEqualTo(total);
        assertThat(sink.users().values()).anyMatch(u -> u.kind() == io.usher.core.spi.SourceUser.Kind.GUEST
                || u.kind() == io.usher.core.spi.SourceUser.Kind.SERVICE);
    }

    @Test
    void snapshotCursorIsTheSequenceAtTheStart() {
        long start = dir.currentSequence();
        RecordingSink sink = RecordingSink.create();

        InMemorySourceConnector.of(dir).snapshot(sink);

        assertThat(sink.cursor()).contains("seq:" + start);
    }

    @Test
    void changesMapEachLogEntryToOneSinkCall() {
        InMemorySourceConnector c = InMemorySourceConnector.of(dir);
        long start = dir.currentSequence();
        DirectoryGroup g = dir.addGroup(DirectoryGroup.of("nouveau", "new"));
        String userId = dir.users().findFirst().orElseThrow().id();
        dir.addMember(g.id(), MemberKind.USER, userId);
        dir.renameGroup(g.id(), "renommé");
        dir.removeMember(g.id(), MemberKind.USER, userId);
        RecordingSink sink = RecordingSink.create();

        c.changes("seq:" + start, sink);

        assertThat(sink.calls()).containsExactly(
                new RecordingSink.Call(RecordingSink.Method.GROUP, g.id(), null, null),
                new RecordingSink.Call(RecordingSink.Method.MEMBER_ADDED, g.id(), MemberKind.USER, userId),
                new RecordingSink.Call(RecordingSink.Method.GROUP_FIELDS, g.id(), null, null),
                new RecordingSink.Call(RecordingSink.Method.MEMBER_REMOVED, g.id(), MemberKind.USER, userId),
                new RecordingSink.Call(RecordingSink.Method.CURSOR, "seq:" + (start + 4), null, null));
        assertThat(sink.groups().get(g.id()).name()).isEqualTo("renommé");
        assertThat(sink.groups().get(g.id()).memberUserIds()).isEmpty();
    }

    @Test
    void cursorsThatAreGarbageFromTheFutureOrInvalidatedAreRefused() {
        InMemorySourceConnector c = InMemorySourceConnector.of(dir);
        long now = dir.currentSequence();

        for (String bad : new String[] {"", "seq:", "seq:abc", "seq:-1", "42", "seq:" + (now + 1)}) {
            assertThatThrownBy(() -> c.changes(bad, RecordingSink.create())).as("cursor '%s'", bad)
                    .isInstanceOf(SourceException.class).extracting(e -> ((SourceException) e).code())
                    .isEqualTo(UsherException.Code.CURSOR_INVALID);
        }
        dir.invalidateNextCursor();
        assertThatThrownBy(() -> c.changes("seq:" + now, RecordingSink.create()))
                .extracting(e -> ((SourceException) e).code()).isEqualTo(UsherException.Code.CURSOR_INVALID);
        RecordingSink ok = RecordingSink.create();
        c.changes("seq:" + now, ok);
        assertThat(ok.cursor()).contains("seq:" + now);
    }

    @Test
    void aClosedConnectorRefusesToRead() {
        InMemorySourceConnector c = InMemorySourceConnector.of(dir);
        c.close();

        assertThatThrownBy(() -> c.snapshot(RecordingSink.create()))
                .extracting(e -> ((SourceException) e).code()).isEqualTo(UsherException.Code.SOURCE_UNAVAILABLE);
        assertThat(c.test().ok()).isFalse();
    }

    @Test
    void connectionTestReportsAnInjectedFaultAsAFailedResult() {
        InMemorySourceConnector c = InMemorySourceConnector.of(dir);
        assertThat(c.test().ok()).isTrue();

        dir.failNextRead(SourceException.unavailable("down", null));
        ConnectionTest.Result r = c.test();
        assertThat(r.ok()).isFalse();
        assertThat(r.steps()).anyMatch(s -> s.contains("SOURCE_UNAVAILABLE"));
    }

    @Test
    void pageSizeIsValidated() {
        assertThatThrownBy(() -> InMemorySourceConnector.of(dir, 0)).hasMessageContaining("pageSize");
        assertThat(InMemorySourceConnector.of(dir, 1).pageSize()).isEqualTo(1);
    }

    @Test
    void providerNamesTheKeyInEveryConfigError() {
        InMemoryConnectorProvider p = new InMemoryConnectorProvider();
        assertThat(p.type()).isEqualTo("memory");
        assertThat(configError(p, Map.of())).isEqualTo("directory");
        assertThat(configError(p, Map.of("directory", "never-registered"))).isEqualTo("directory");
        assertThat(configError(p, Map.of("directory", "x", "pagesize", "5"))).isEqualTo("pagesize");
        try (InMemoryDirectory.Registration r = dir.register("provider-test-" + System.nanoTime())) {
            assertThat(configError(p, Map.of("directory", r.name(), "pageSize", "0"))).isEqualTo("pageSize");
            assertThat(configError(p, Map.of("directory", r.name(), "pageSize", "many"))).isEqualTo("pageSize");
            InMemorySourceConnector c = (InMemorySourceConnector) p.create(
                    ConnectorConfig.of(Map.of("directory", r.name(), "pageSize", "77")));
            assertThat(c.pageSize()).isEqualTo(77);
            assertThat(c.directory()).isSameAs(dir);
        }
    }

    private static String configError(InMemoryConnectorProvider p, Map<String, String> config) {
        try {
            p.create(ConnectorConfig.of(config));
        } catch (ConfigException e) {
            return e.key();
        }
        throw new AssertionError("expected a ConfigException for " + config.keySet());
    }
}
