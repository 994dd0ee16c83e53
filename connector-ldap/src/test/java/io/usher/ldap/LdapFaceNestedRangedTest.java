package io.usher.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.model.MemberKind;
import io.usher.core.spi.SourceGroup;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ManualClock;
import io.usher.testkit.RecordingSink;
import io.usher.testkit.ldap.LdapDirectoryServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Groups read once, with waiting groups, over the testkit's LDAP face in both flavours: a group of more members
 * than Active Directory's MaxValRange (ranged retrieval) whose member groups come before and after it, nested
 * groups in every order, cycles; then incremental reads (uSNChanged, modifyTimestamp) after new nesting and
 * members. Every group read must carry exactly the directory's direct members.
 */
class LdapFaceNestedRangedTest {

    private static void assertGroupsMatch(InMemoryDirectory dir, RecordingSink sink, List<String> groupIds) {
        for (String id : groupIds) {
            SourceGroup want = dir.toSourceGroup(dir.group(id).orElseThrow());
            SourceGroup got = sink.groups().get(id);
            assertThat(got).as("group %s read", want.name()).isNotNull();
            assertThat(got.memberUserIds()).as("users of %s", want.name())
                    .containsExactlyInAnyOrderElementsOf(want.memberUserIds());
            assertThat(got.memberGroupIds()).as("groups of %s", want.name())
                    .containsExactlyInAnyOrderElementsOf(want.memberGroupIds());
        }
    }

    @ParameterizedTest
    @EnumSource(LdapDirectoryServer.Flavour.class)
    void nestedAndRangedGroupsMatchTheDirectoryInSnapshotAndChanges(LdapDirectoryServer.Flavour flavour) {
        Random rnd = new Random(11);
        InMemoryDirectory dir = InMemoryDirectory.create(5);
        List<String> users = new ArrayList<>();
        for (int i = 0; i < LdapDirectoryServer.MAX_VAL_RANGE + 200; i++) {
            users.add(dir.addUser(DirectoryUser.of("User." + i)).id());
        }
        List<String> groups = new ArrayList<>();
        for (int j = 0; j < 12; j++) {
            groups.add(dir.addGroup(DirectoryGroup.of((j % 2 == 0 ? "Team " : "team-") + (char) ('a' + j))).id());
        }
        String big = groups.get(6); // in the middle: member groups on both sides of it
        users.forEach(u -> dir.addMember(big, MemberKind.USER, u));
        for (int j = 0; j < groups.size(); j++) {
            for (int k = 0; k < 3; k++) {
                int other = rnd.nextInt(groups.size());
                if (other != j) {
                    dir.addMember(groups.get(j), MemberKind.GROUP, groups.get(other)); // earlier, later, cycles
                }
            }
            for (int k = 0; k < 5; k++) {
                dir.addMember(groups.get(j), MemberKind.USER, users.get(rnd.nextInt(users.size())));
            }
        }
        ManualClock clock = new ManualClock();
        try (LdapDirectoryServer server = LdapDirectoryServer.start(dir, flavour);
             LdapSourceConnector conn = new LdapSourceConnector(LdapConfig.builder().url(server.url())
                     .preset(flavour == LdapDirectoryServer.Flavour.ACTIVE_DIRECTORY ? Preset.ACTIVE_DIRECTORY
                             : Preset.OPENLDAP)
                     .bind(server.bindDn(), server.bindPassword()).usersBase(server.usersBase())
                     .groupsBase(server.groupsBase()).pageSize(100).timestampMargin(Duration.ofSeconds(1)).build(),
                     clock)) {
            RecordingSink sink = RecordingSink.create();
            conn.snapshot(sink);
            assertThat(sink.anomalies()).isEmpty();
            assertThat(sink.groups()).hasSize(groups.size());
            assertThat(sink.groups().get(big).memberUserIds()).hasSizeGreaterThan(LdapDirectoryServer.MAX_VAL_RANGE);
            assertGroupsMatch(dir, sink, groups);

            // changes: new nesting both ways, a new group naming old ones, a member moved into the big group
            String cursor = sink.cursor().orElseThrow();
            String fresh = dir.addGroup(DirectoryGroup.of("Late Arrival")).id();
            dir.addMember(fresh, MemberKind.GROUP, groups.get(0));
            dir.addMember(fresh, MemberKind.GROUP, big);
            dir.addMember(fresh, MemberKind.USER, users.get(3));
            dir.addMember(groups.get(1), MemberKind.GROUP, fresh);
            String extra = dir.addUser(DirectoryUser.of("Newcomer")).id();
            dir.addMember(big, MemberKind.USER, extra);
            clock.advance(Duration.ofSeconds(5));
            RecordingSink changes = RecordingSink.create();
            conn.changes(cursor, changes);
            assertThat(changes.groups()).containsKeys(fresh, groups.get(1), big);
            assertGroupsMatch(dir, changes, List.of(fresh, groups.get(1), big));
        }
    }
}
