package io.usher.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.model.MemberKind;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class InMemoryDirectoryTest {

    @Test
    void mutationsAreLoggedAndIdsStay() {
        InMemoryDirectory d = new InMemoryDirectory();
        String a = d.addUser("ann");
        String g = d.addGroup("team");
        long since = d.currentSequence();
        d.addMember(g, MemberKind.USER, a);
        d.renameUser(a, "anna");
        d.disableUser(a);
        assertThat(d.user(a).orElseThrow().loginName()).isEqualTo("anna");
        assertThat(d.user(a).orElseThrow().enabled()).isFalse();
        assertThat(d.changesSince(since)).extracting(InMemoryDirectory.LoggedChange::type).containsExactly(
                InMemoryDirectory.ChangeType.MEMBER_ADDED, InMemoryDirectory.ChangeType.USER_UPSERTED,
                InMemoryDirectory.ChangeType.USER_UPSERTED);
        d.deleteUser(a);
        assertThat(d.members(g, MemberKind.USER)).isEmpty();
        assertThat(d.changesSince(since)).extracting(InMemoryDirectory.LoggedChange::type)
                .endsWith(InMemoryDirectory.ChangeType.MEMBER_REMOVED, InMemoryDirectory.ChangeType.USER_DELETED);
    }

    @Test
    void expiredLogRefusesOldCursors() {
        InMemoryDirectory d = new InMemoryDirectory();
        d.addUser("a");
        long old = d.currentSequence() - 1;
        d.expireChangeLog();
        assertThatThrownBy(() -> d.changesSince(old)).isInstanceOf(InMemoryDirectory.ChangeLogExpired.class);
        assertThat(d.changesSince(d.currentSequence())).isEmpty();
    }

    @Test
    void faultInjectionStopsASnapshot() {
        InMemoryDirectory d = DirectoryGenerator.builder().users(50).groups(5).build().generate();
        InMemorySourceConnector c = new InMemorySourceConnector(d, 10).failAfter(25);
        SourceConnectorContract.Recorder r = new SourceConnectorContract.Recorder();
        assertThatThrownBy(() -> c.snapshot(r)).hasMessageContaining("injected fault");
        assertThat(r.users).hasSize(25);
        assertThat(r.cursor).isNull();
    }

    @Test
    void registryServesFlatConfiguration() throws Exception {
        InMemoryDirectory d = new InMemoryDirectory();
        d.addUser("x");
        try (AutoCloseable reg = d.register("dir-test")) {
            var conn = io.usher.core.Connectors.discover().create("memory", java.util.Map.of("directory", "dir-test",
                    "pageSize", "2"));
            SourceConnectorContract.Recorder r = new SourceConnectorContract.Recorder();
            conn.snapshot(r);
            assertThat(r.users).hasSize(1);
            assertThatThrownBy(() -> d.register("dir-test")).hasMessageContaining("already registered");
        }
        assertThatThrownBy(() -> io.usher.core.Connectors.discover().create("memory",
                java.util.Map.of("directory", "dir-test"))).hasMessageContaining("'directory'");
        assertThatThrownBy(() -> io.usher.core.Connectors.discover().create("memory",
                java.util.Map.of("directory", "dir-test", "pagesize", "2"))).hasMessageContaining("'pagesize'");
    }

    /** Any sequence of mutations keeps both sides of every membership in agreement. */
    @Property(tries = 200)
    void indexesStayConsistent(@ForAll @Size(max = 60) List<@IntRange(min = 0, max = 999) Integer> ops) {
        InMemoryDirectory d = new InMemoryDirectory();
        List<String> users = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            users.add(d.addUser("u" + i));
            groups.add(d.addGroup("g" + i));
        }
        for (int op : ops) {
            int kind = op % 6;
            String u = users.isEmpty() ? null : users.get((op / 6) % users.size());
            String g = groups.isEmpty() ? null : groups.get((op / 36) % groups.size());
            String g2 = groups.isEmpty() ? null : groups.get((op / 7) % groups.size());
            switch (kind) {
                case 0: users.add(d.addUser("n" + d.currentSequence())); break;
                case 1: if (u != null && g != null) d.addMember(g, MemberKind.USER, u); break;
                case 2: if (u != null && g != null) d.removeMember(g, MemberKind.USER, u); break;
                case 3: if (u != null) { d.deleteUser(u); users.remove(u); } break;
                case 4: if (g != null && g2 != null && !g.equals(g2)) d.addMember(g, MemberKind.GROUP, g2); break;
                default: if (g != null) { d.deleteGroup(g); groups.remove(g); }
            }
        }
        for (String g : d.groupIds()) {
            for (String u : d.members(g, MemberKind.USER)) {
                assertThat(d.user(u)).isPresent();
                assertThat(d.groupsOf(MemberKind.USER, u)).contains(g);
            }
            for (String c : d.members(g, MemberKind.GROUP)) {
                assertThat(d.groupsOf(MemberKind.GROUP, c)).contains(g);
            }
        }
        for (String u : d.userIds()) {
            for (String g : d.groupsOf(MemberKind.USER, u)) {
                assertThat(d.members(g, MemberKind.USER)).contains(u);
            }
        }
    }
}
