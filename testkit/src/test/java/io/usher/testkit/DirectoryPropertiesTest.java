package io.usher.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.model.MemberKind;
import io.usher.core.spi.SourceGroup;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Any sequence of mutations keeps the directory's indexes consistent, and replaying its whole change log
 * through the connector rebuilds exactly the directory.
 */
class DirectoryPropertiesTest {

    /** One random step: what to do, and two numbers to pick its targets with. */
    record Op(int code, int a, int b) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 13),
                Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(0, 1000)).as(Op::new);
        return op.list().ofMaxSize(120);
    }

    @Property(tries = 300)
    void randomMutationsKeepIndexesConsistentAndReplayable(@ForAll("ops") List<Op> ops) {
        InMemoryDirectory dir = InMemoryDirectory.create(7);
        Set<String> deletedUsers = new HashSet<>();
        Set<String> deletedGroups = new HashSet<>();
        int counter = 0;
        for (Op op : ops) {
            List<String> users = dir.users().map(DirectoryUser::id).collect(Collectors.toList());
            List<String> groups = dir.groups().map(DirectoryGroup::id).collect(Collectors.toList());
            String user = users.isEmpty() ? null : users.get(op.a() % users.size());
            String group = groups.isEmpty() ? null : groups.get(op.a() % groups.size());
            String otherGroup = groups.isEmpty() ? null : groups.get(op.b() % groups.size());
            String otherUser = users.isEmpty() ? null : users.get(op.b() % users.size());
            switch (op.code()) {
                case 0, 1 -> dir.addUser(DirectoryUser.of((op.b() % 2 == 0 ? "u" : "U") + counter++));
                case 2 -> {
                    if (user != null && dir.userByLoginName("r" + op.b()).isEmpty()) {
                        dir.renameUser(user, "r" + op.b());
                    }
                }
                case 3 -> {
                    if (user != null && dir.deleteUser(user)) {
                        deletedUsers.add(user);
                    }
                }
                case 4 -> dir.addGroup("g" + counter++);
                case 5 -> {
                    if (group != null && dir.deleteGroup(group)) {
                        deletedGroups.add(group);
                    }
                }
                case 6, 7, 8 -> {
                    if (group != null && otherUser != null) {
                        dir.addMember(group, MemberKind.USER, otherUser);
                    }
                }
                case 9 -> {
                    if (group != null && !group.equals(otherGroup)) {
                        dir.addMember(group, MemberKind.GROUP, otherGroup);
                    }
                }
                case 10 -> {
                    if (group != null) {
                        dir.members(group, MemberKind.USER).stream().sorted().findFirst()
                                .ifPresent(m -> dir.removeMember(group, MemberKind.USER, m));
                        dir.members(group, MemberKind.GROUP).stream().sorted().findFirst()
                                .ifPresent(m -> dir.removeMember(group, MemberKind.GROUP, m));
                    }
                }
                case 11 -> {
                    if (user != null && otherGroup != null) {
                        String from = dir.groupsOf(MemberKind.USER, user).stream().sorted().findFirst().orElse(null);
                        if (from != null) {
                            dir.moveUser(user, from, otherGroup);
                        }
                    }
                }
                case 12 -> {
                    if (user != null) {
                        if (op.b() % 2 == 0) {
                            dir.disableUser(user);
                        } else {
                            dir.enableUser(user);
                        }
                    }
                }
                default -> {
                    if (group != null && dir.groupByName("n" + op.b()).isEmpty()) {
                        dir.renameGroup(group, "n" + op.b());
                    }
                }
            }
        }

        assertIndexesConsistent(dir, deletedUsers, deletedGroups);
        assertReplayRebuildsTheDirectory(dir);
    }

    private static void assertIndexesConsistent(InMemoryDirectory dir, Set<String> deletedUsers,
                                                Set<String> deletedGroups) {
        long memberships = 0;
        for (DirectoryGroup g : dir.groups().collect(Collectors.toList())) {
            for (String u : dir.members(g.id(), MemberKind.USER)) {
                assertThat(dir.user(u)).as("member user %s of %s exists", u, g.id()).isPresent();
                assertThat(dir.groupsOf(MemberKind.USER, u)).contains(g.id());
                memberships++;
            }
            for (String child : dir.members(g.id(), MemberKind.GROUP)) {
                assertThat(dir.group(child)).as("member group %s of %s exists", child, g.id()).isPresent();
                assertThat(dir.groupsOf(MemberKind.GROUP, child)).contains(g.id());
                memberships++;
            }
            for (String parent : dir.groupsOf(MemberKind.GROUP, g.id())) {
                assertThat(dir.members(parent, MemberKind.GROUP)).contains(g.id());
            }
        }
        for (DirectoryUser u : dir.users().collect(Collectors.toList())) {
            for (String g : dir.groupsOf(MemberKind.USER, u.id())) {
                assertThat(dir.members(g, MemberKind.USER)).contains(u.id());
            }
            assertThat(dir.userByLoginName(u.loginName())).contains(u);
        }
        assertThat(dir.membershipCount()).isEqualTo(memberships);
        for (String gone : deletedUsers) {
            assertThat(dir.user(gone)).isEmpty();
            assertThat(dir.groupsOf(MemberKind.USER, gone)).isEmpty();
        }
        for (String gone : deletedGroups) {
            assertThat(dir.group(gone)).isEmpty();
            assertThat(dir.groupsOf(MemberKind.GROUP, gone)).isEmpty();
            assertThat(dir.members(gone, MemberKind.USER)).isEmpty();
        }
        List<Long> sequences = new ArrayList<>();
        dir.changesSince(0).orElseThrow().changes().forEach(c -> sequences.add(c.sequence()));
        for (int i = 0; i < sequences.size(); i++) {
            assertThat(sequences.get(i)).isEqualTo(i + 1L);
        }
        assertThat((long) sequences.size()).isEqualTo(dir.currentSequence());
    }

    private static void assertReplayRebuildsTheDirectory(InMemoryDirectory dir) {
        RecordingSink sink = RecordingSink.create();
        InMemorySourceConnector.of(dir).changes("seq:0", sink);

        assertThat(sink.anomalies()).isEmpty();
        assertThat(sink.users().keySet()).isEqualTo(dir.users().map(DirectoryUser::id).collect(Collectors.toSet()));
        sink.users().forEach((id, u) -> {
            DirectoryUser now = dir.user(id).orElseThrow();
            assertThat(u.loginName()).isEqualTo(now.loginName());
            assertThat(u.active()).isEqualTo(now.enabled());
        });
        assertThat(sink.groups().keySet()).isEqualTo(dir.groups().map(DirectoryGroup::id).collect(Collectors.toSet()));
        for (SourceGroup g : sink.groups().values()) {
            assertThat(g.name()).isEqualTo(dir.group(g.externalId()).orElseThrow().name());
            assertThat(g.memberUserIds()).isEqualTo(dir.members(g.externalId(), MemberKind.USER));
            assertThat(g.memberGroupIds()).isEqualTo(dir.members(g.externalId(), MemberKind.GROUP));
        }
        assertThat(sink.cursor()).contains("seq:" + dir.currentSequence());
    }
}
