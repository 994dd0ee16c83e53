package io.usher.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.ChangeKind;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SyncMode;
import io.usher.core.SyncOptions;
import io.usher.core.SyncReport;
import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.User;
import io.usher.core.store.InMemoryUserStore;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The engine over a generated organisation: incremental syncs must land where a fresh full sync lands. */
class EndToEndSyncTest {

    private static List<String> view(InMemoryUserStore s) {
        List<String> out = new ArrayList<>();
        for (User u : s.allUsers()) {
            out.add(u.origin().externalId() + " " + u.username() + " " + u.active());
        }
        for (Group g : s.allGroups()) {
            out.add(g.origin().externalId() + " " + g.name() + " " + s.members(g.key(), MemberKind.USER).stream()
                    .map(k -> s.findUser(k).orElseThrow().origin().externalId()).sorted().collect(Collectors.toList())
                    + " " + s.members(g.key(), MemberKind.GROUP).stream()
                    .map(k -> s.findGroup(k).orElseThrow().origin().externalId()).sorted().collect(Collectors.toList()));
        }
        out.sort(null);
        return out;
    }

    @Test
    void incrementalSyncsConvergeWithAFreshFullSync() {
        InMemoryDirectory dir = DirectoryGenerator.builder().seed(3).users(2000).groups(150).nestingDepth(3)
                .targetMemberships(8000).caseCollisions(4).build().generate();
        InMemoryUserStore store = new InMemoryUserStore();
        InMemorySourceConnector connector = InMemorySourceConnector.of(dir, 100);
        ProvisioningEngine engine = ProvisioningEngine.builder().store(store)
                .source(Source.builder("corp").connector(connector).build()).build();
        SyncReport first = engine.synchronize("corp");
        assertThat(first.complete()).isTrue();
        assertThat(first.count(ChangeKind.USER_CREATED)).isEqualTo(2000 - 4);
        assertThat(first.warningCount()).isGreaterThanOrEqualTo(4);

        List<String> users = dir.users().map(DirectoryUser::id).collect(java.util.stream.Collectors.toList());
        List<String> groups = dir.groups().map(DirectoryGroup::id).collect(java.util.stream.Collectors.toList());
        String hire = dir.addUser(DirectoryUser.of("brand.new")).id();
        dir.addMember(groups.get(5), MemberKind.USER, hire);
        dir.renameUser(users.get(10), "renamed.user");
        dir.disableUser(users.get(11));
        dir.deleteUser(users.get(12));
        String mover = users.get(13);
        for (String g : dir.groupsOf(MemberKind.USER, mover)) {
            dir.moveUser(mover, g, groups.get(7));
        }
        dir.renameGroup(groups.get(9), "renamed-group");
        dir.deleteGroup(groups.get(20));

        SyncReport inc = engine.synchronize("corp");
        assertThat(inc.mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(inc.count(ChangeKind.USER_CREATED)).isEqualTo(1);
        assertThat(inc.count(ChangeKind.USER_RENAMED)).isEqualTo(1);
        assertThat(inc.count(ChangeKind.USER_DEACTIVATED)).isEqualTo(2);
        assertThat(inc.count(ChangeKind.GROUP_DELETED)).isEqualTo(1);
        

        InMemoryUserStore fresh = new InMemoryUserStore();
        ProvisioningEngine.builder().store(fresh).source(Source.builder("corp")
                .connector(InMemorySourceConnector.of(dir)).build()).build().synchronize("corp");
        // a fresh sync never saw the deleted user; compare everything else
        List<String> incremental = view(store);
        incremental.removeIf(line -> line.startsWith(users.get(12) + " "));
        assertThat(incremental).containsExactlyInAnyOrderElementsOf(view(fresh));

        SyncReport noop = engine.synchronize("corp", SyncOptions.fullSnapshot());
        assertThat(noop.totalChanges()).isZero();
    }

    @Test
    void anExpiredCursorFallsBackToASnapshot() {
        InMemoryDirectory dir = DirectoryGenerator.builder().users(300).groups(20).build().generate();
        InMemorySourceConnector connector = InMemorySourceConnector.of(dir);
        ProvisioningEngine engine = ProvisioningEngine.builder().store(new InMemoryUserStore())
                .source(Source.builder("corp").connector(connector).build()).build();
        engine.synchronize("corp");
        dir.addUser(DirectoryUser.of("late.joiner")).id();
        dir.trimChangeLog(dir.currentSequence());
        SyncReport r = engine.synchronize("corp");
        assertThat(r.mode()).isEqualTo(SyncMode.SNAPSHOT_AFTER_INVALID_CURSOR);
        assertThat(r.count(ChangeKind.USER_CREATED)).isEqualTo(1);
        
    }

    @Test
    void aFaultMidSnapshotDeletesNothing() {
        InMemoryDirectory dir = DirectoryGenerator.builder().users(300).groups(20).build().generate();
        InMemorySourceConnector connector = InMemorySourceConnector.of(dir, 50);
        InMemoryUserStore store = new InMemoryUserStore();
        ProvisioningEngine engine = ProvisioningEngine.builder().store(store)
                .source(Source.builder("corp").connector(connector).build()).build();
        engine.synchronize("corp");
        long active = store.allUsers().stream().filter(User::active).count();
        dir.failAfter(120);
        SyncReport r = engine.synchronize("corp", SyncOptions.fullSnapshot());
        assertThat(r.complete()).isFalse();
        assertThat(r.incompleteReason()).contains("injected fault");
        assertThat(store.allUsers().stream().filter(User::active).count()).isEqualTo(active);
        assertThat(r.count(ChangeKind.MEMBER_REMOVED) + r.count(ChangeKind.GROUP_DELETED)).isZero();
    }

    @Test
    void incrementalRenameChainWithTheShippedConnector() {
        InMemoryDirectory dir = InMemoryDirectory.create();
        String ann = dir.addUser(DirectoryUser.of("ann")).id();
        String bob = dir.addUser(DirectoryUser.of("bob")).id();
        InMemoryUserStore store = new InMemoryUserStore();
        ProvisioningEngine e = ProvisioningEngine.builder().store(store)
                .source(Source.builder("corp").connector(InMemorySourceConnector.of(dir)).build()).build();
        e.synchronize("corp");
        dir.renameUser(bob, "robert");
        dir.renameUser(ann, "bob");
        SyncReport r = e.synchronize("corp");
        assertThat(r.mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(store.findUserByOrigin(io.usher.core.model.Origin.of("corp", ann)).orElseThrow().username())
                .isEqualTo("bob");
        assertThat(store.findUserByOrigin(io.usher.core.model.Origin.of("corp", bob)).orElseThrow().username())
                .isEqualTo("robert");
    }

    @Test
    void removeThenReaddMembershipWithTheShippedConnector() {
        InMemoryDirectory dir = InMemoryDirectory.create();
        String ann = dir.addUser(DirectoryUser.of("ann")).id();
        String g = dir.addGroup("team").id();
        dir.addMember(g, MemberKind.USER, ann);
        InMemoryUserStore store = new InMemoryUserStore();
        ProvisioningEngine e = ProvisioningEngine.builder().store(store)
                .source(Source.builder("corp").connector(InMemorySourceConnector.of(dir)).build()).build();
        e.synchronize("corp");
        dir.removeMember(g, MemberKind.USER, ann);
        dir.addMember(g, MemberKind.USER, ann);
        e.synchronize("corp");
        Group team = store.findGroupByName("team").orElseThrow();
        assertThat(store.members(team.key(), MemberKind.USER)).hasSize(1);
    }
}
