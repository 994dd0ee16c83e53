package io.usher.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.User;
import io.usher.core.spi.SnapshotSink;
import io.usher.core.spi.SourceConnector;
import io.usher.core.spi.SourceGroup;
import io.usher.core.spi.SourceUser;
import io.usher.core.store.InMemoryUserStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A snapshot's new groups get their user members while the read goes on — once the batch that creates a group
 * has been applied — instead of all at the end: the final state and the counts are the same, a read that fails
 * among the groups leaves only memberships the source has, and what is not a plain new group (created by no
 * one, or sent twice) is reconciled at the end as before.
 */
class EarlyMembersTest {

    /** Users u0..u9 and groups g0..g(n-1); group i has users u(i%10), u((i+1)%10), u((i+2)%10). */
    private static ListConnector org(int groups) {
        ListConnector c = new ListConnector();
        for (int i = 0; i < 10; i++) {
            c.user("u" + i, "user" + i);
        }
        for (int i = 0; i < groups; i++) {
            c.group("g" + i, "group" + i, List.of("u" + i % 10, "u" + (i + 1) % 10, "u" + (i + 2) % 10), List.of());
        }
        return c;
    }

    /** The usernames of a group's direct user members in the store. */
    private static Set<String> membersOf(InMemoryUserStore store, String groupName) {
        Group g = store.findGroupByName(groupName).orElseThrow();
        return store.members(g.key(), MemberKind.USER).stream()
                .map(k -> store.findUser(k).map(User::username).orElseThrow()).collect(Collectors.toSet());
    }

    private static Set<String> sourceMembersOf(ListConnector c, String groupId) {
        return c.groups.get(groupId).memberUserIds().stream().map(id -> c.users.get(id).loginName())
                .collect(Collectors.toSet());
    }

    /** A connector that sends what {@code body} gives the sink, checking the store as it goes. */
    private static SourceConnector sending(java.util.function.Consumer<SnapshotSink> body) {
        return new SourceConnector() {
            @Override
            public String type() {
                return "scripted";
            }

            @Override
            public void snapshot(SnapshotSink sink) {
                body.accept(sink);
            }
        };
    }

    @Test
    void anEarlierGroupHasItsMembersBeforeTheReadEnds() {
        InMemoryUserStore store = new InMemoryUserStore();
        ListConnector source = org(30);
        List<Set<String>> seenMidway = new ArrayList<>();
        SourceConnector connector = sending(sink -> {
            source.users.values().forEach(sink::user);
            int n = 0;
            for (SourceGroup g : source.groups.values()) {
                if (n++ == 25) { // well after group0's batch (five operations a batch) was applied
                    seenMidway.add(membersOf(store, "group0"));
                }
                sink.group(g);
            }
        });
        SyncReport r = ProvisioningEngine.builder().store(store).batchSize(5)
                .source(Source.builder("corp").connector(connector).build()).build().synchronize("corp");

        assertThat(seenMidway).containsExactly(Set.of("user0", "user1", "user2"));
        assertThat(r.count(ChangeKind.MEMBER_ADDED)).isEqualTo(90);
        for (int i = 0; i < 30; i++) {
            assertThat(membersOf(store, "group" + i)).isEqualTo(sourceMembersOf(source, "g" + i));
        }
        // a second run finds nothing to do
        SyncReport again = ProvisioningEngine.builder().store(store).batchSize(5)
                .source(Source.builder("corp").connector(source).build()).build().synchronize("corp");
        assertThat(again.count(ChangeKind.MEMBER_ADDED)).isZero();
        assertThat(again.count(ChangeKind.MEMBER_REMOVED)).isZero();
    }

    @Test
    void listenersHearEachMembershipOnceWhetherAddedEarlyOrAtTheEnd() {
        InMemoryUserStore store = new InMemoryUserStore();
        List<Change> heard = new ArrayList<>();
        ProvisioningEngine e = ProvisioningEngine.builder().store(store).batchSize(4)
                .source(Source.builder("corp").connector(org(12)).build())
                .listener(new SyncListener() {
                    @Override
                    public void onChange(String runId, Change change) {
                        if (change.kind() == ChangeKind.MEMBER_ADDED) {
                            heard.add(change);
                        }
                    }
                }).build();
        SyncReport r = e.synchronize("corp");
        assertThat(r.count(ChangeKind.MEMBER_ADDED)).isEqualTo(36);
        assertThat(heard).hasSize(36);
        assertThat(heard.stream().map(c -> c.name() + "/" + c.memberName()).collect(Collectors.toSet())).hasSize(36);
    }

    @Test
    void aReadThatFailsAmongTheGroupsLeavesOnlyMembershipsTheSourceHasAndTheNextRunCompletes() {
        InMemoryUserStore store = new InMemoryUserStore();
        ListConnector source = org(30);
        source.failAfterRecords = 10 + 20; // ten users, then twenty groups, then the connection drops
        ProvisioningEngine e = ProvisioningEngine.builder().store(store).batchSize(5)
                .source(Source.builder("corp").connector(source).build()).build();
        assertThat(e.synchronize("corp").complete()).isFalse();

        int complete = 0;
        for (int i = 0; i < 30; i++) {
            if (store.findGroupByName("group" + i).isPresent()) {
                Set<String> have = membersOf(store, "group" + i);
                assertThat(sourceMembersOf(source, "g" + i)).containsAll(have);
                complete += have.equals(sourceMembersOf(source, "g" + i)) ? 1 : 0;
            }
        }
        assertThat(complete).as("groups whose members were added before the read failed").isPositive();
        assertThat(store.usersOwnedBy("corp")).hasSize(10);

        source.failAfterRecords = -1;
        SyncReport r = e.synchronize("corp");
        assertThat(r.count(ChangeKind.MEMBER_REMOVED)).isZero();
        assertThat(r.count(ChangeKind.MEMBER_ADDED)).isEqualTo(90 - 3L * complete);
        for (int i = 0; i < 30; i++) {
            assertThat(membersOf(store, "group" + i)).isEqualTo(sourceMembersOf(source, "g" + i));
        }
    }

    @Test
    void aGroupSentTwiceInOneSnapshotEndsWithTheMembersOfItsLastRecord() {
        InMemoryUserStore store = new InMemoryUserStore();
        ListConnector source = org(20);
        SourceGroup first = SourceGroup.of("twice", "twice", null, List.of("u0", "u1"), List.of());
        SourceGroup last = SourceGroup.of("twice", "twice", null, List.of("u1", "u2"), List.of());
        SourceConnector connector = sending(sink -> {
            source.users.values().forEach(sink::user);
            sink.group(first);
            source.groups.values().forEach(sink::group); // enough batches for the first record to be applied
            sink.group(last);
        });
        ProvisioningEngine.builder().store(store).batchSize(3)
                .source(Source.builder("corp").connector(connector).build()).build().synchronize("corp");
        assertThat(membersOf(store, "twice")).containsExactlyInAnyOrder("user1", "user2");
    }

    @Test
    void aGroupThatCouldNotBeCreatedGetsNoMembers() {
        InMemoryUserStore store = new InMemoryUserStore();
        store.createGroup(Group.local("group3")); // the host's own group holds the name
        ListConnector source = org(20);
        SyncReport r = ProvisioningEngine.builder().store(store).batchSize(3)
                .source(Source.builder("corp").connector(source).build()).build().synchronize("corp");
        assertThat(r.warnings()).anyMatch(w -> w.contains("group3")); // skipped: the name stays the host's
        Group local = store.findGroupByName("group3").orElseThrow();
        assertThat(local.isLocal()).isTrue();
        assertThat(store.members(local.key(), MemberKind.USER)).isEmpty();
        assertThat(r.count(ChangeKind.MEMBER_ADDED)).isEqualTo(19 * 3);
        Set<String> others = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            if (i != 3) {
                others.addAll(membersOf(store, "group" + i));
            }
        }
        assertThat(others).hasSize(10);
    }

    @Test
    void aNestedGroupIsStillAddedAtTheEndBesideTheEarlyUserMembers() {
        InMemoryUserStore store = new InMemoryUserStore();
        ListConnector source = org(12);
        source.group("parent", "parent", List.of("u9"), List.of("g0", "child-later"));
        source.group("child-later", "child-later", List.of("u8"), List.of());
        ProvisioningEngine.builder().store(store).batchSize(2)
                .source(Source.builder("corp").connector(source).build()).build().synchronize("corp");
        Group parent = store.findGroupByName("parent").orElseThrow();
        assertThat(membersOf(store, "parent")).containsExactly("user9");
        assertThat(store.members(parent.key(), MemberKind.GROUP)).containsExactlyInAnyOrder(
                store.findGroupByName("group0").orElseThrow().key(),
                store.findGroupByName("child-later").orElseThrow().key());
        assertThat(membersOf(store, "child-later")).containsExactly("user8");
    }
}
