package io.usher.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.ChangeKind;
import io.usher.core.DeprovisionPolicy;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SyncOptions;
import io.usher.core.SyncReport;
import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.User;
import io.usher.core.store.InMemoryUserStore;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ldap.LdapDirectoryServer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The engine with the LDAP connector over the testkit's LDAP face: the LDAP issue's acceptance cases. */
class LdapFaceSyncTest {

    private static LdapSourceConnector connector(LdapDirectoryServer server, Preset preset, int pageSize) {
        return new LdapSourceConnector(LdapConfig.builder().url(server.url()).preset(preset)
                .bind(server.bindDn(), server.bindPassword()).usersBase(server.usersBase())
                .groupsBase(server.groupsBase()).pageSize(pageSize).build());
    }

    private static List<String> view(InMemoryUserStore s) {
        List<String> out = new ArrayList<>();
        for (User u : s.allUsers()) {
            out.add(u.origin().externalId() + " " + u.username() + " " + u.active());
        }
        for (Group g : s.allGroups()) {
            out.add(g.origin().externalId() + " " + g.name() + " " + s.members(g.key(), MemberKind.USER).stream()
                    .map(k -> s.findUser(k).orElseThrow().origin().externalId()).sorted().collect(Collectors.toList()));
        }
        out.sort(null);
        return out;
    }

    /**
     * A connection that drops after some entries of the very first page is a failed read, not one to start
     * again: only a connection that answered nothing (closed while idle in the pool) is read again.
     */
    @Test
    void aConnectionDroppedWithinTheFirstPageIsAFailedSnapshot() {
        InMemoryDirectory dir = DirectoryGenerator.builder().seed(7).users(80).groups(5).build().generate();
        for (boolean convertAsRead : new boolean[] {false, true}) {
            try (LdapDirectoryServer server = LdapDirectoryServer.start(dir, convertAsRead
                    ? LdapDirectoryServer.Flavour.OPENLDAP : LdapDirectoryServer.Flavour.ACTIVE_DIRECTORY);
                 LdapSourceConnector conn = connector(server, convertAsRead ? Preset.OPENLDAP
                         : Preset.ACTIVE_DIRECTORY, 500)) {
                server.dropConnectionAfterEntries(10);
                io.usher.testkit.RecordingSink sink = io.usher.testkit.RecordingSink.create();
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> conn.snapshot(sink))
                        .isInstanceOfSatisfying(io.usher.core.spi.SourceException.class, e -> assertThat(e.code())
                                .isEqualTo(io.usher.core.UsherException.Code.SOURCE_UNAVAILABLE));
            }
        }
    }

    @Test
    void aConnectionDroppedMidPageDeletesNothingAndTheNextRunConverges() {
        InMemoryDirectory dir = DirectoryGenerator.builder().seed(5).users(400).groups(30).build().generate();
        try (LdapDirectoryServer server = LdapDirectoryServer.start(dir, LdapDirectoryServer.Flavour.OPENLDAP);
             LdapSourceConnector conn = connector(server, Preset.OPENLDAP, 50)) {
            InMemoryUserStore store = new InMemoryUserStore();
            ProvisioningEngine engine = ProvisioningEngine.builder().store(store)
                    .source(Source.builder("ldap").connector(conn).deprovision(DeprovisionPolicy.DELETE).build())
                    .build();
            engine.synchronize("ldap");
            int usersBefore = store.userCount();
            long activeBefore = store.allUsers().stream().filter(User::active).count();

            DirectoryUser leaver = dir.users().skip(10).findFirst().orElseThrow();
            dir.deleteUser(leaver.id());
            DirectoryUser renamed = dir.users().skip(20).findFirst().orElseThrow();
            dir.renameUser(renamed.id(), "renamed.after.drop");
            server.dropConnectionAfterEntries(120);
            SyncReport broken = engine.synchronize("ldap", SyncOptions.fullSnapshot());
            assertThat(broken.complete()).isFalse();
            assertThat(broken.incompleteReason()).contains("SOURCE_UNAVAILABLE");
            assertThat(broken.count(ChangeKind.USER_DELETED) + broken.count(ChangeKind.USER_DEACTIVATED)
                    + broken.count(ChangeKind.GROUP_DELETED) + broken.count(ChangeKind.MEMBER_REMOVED)).isZero();
            assertThat(store.userCount()).isEqualTo(usersBefore);
            assertThat(store.allUsers().stream().filter(User::active).count()).isEqualTo(activeBefore);

            SyncReport again = engine.synchronize("ldap", SyncOptions.fullSnapshot());
            assertThat(again.complete()).isTrue();
            assertThat(again.count(ChangeKind.USER_DELETED)).isEqualTo(1);
            InMemoryUserStore fresh = new InMemoryUserStore();
            try (LdapSourceConnector other = connector(server, Preset.OPENLDAP, 50)) {
                ProvisioningEngine.builder().store(fresh).source(Source.builder("ldap").connector(other).build())
                        .build().synchronize("ldap");
            }
            assertThat(view(store)).isEqualTo(view(fresh));
        }
    }

    @Test
    void aFiveThousandMemberGroupArrivesWholeThroughRangedRetrieval() {
        InMemoryDirectory dir = InMemoryDirectory.create(17);
        DirectoryGroup big = dir.addGroup("big");
        for (int i = 0; i < 5000; i++) {
            dir.addMember(big.id(), MemberKind.USER, dir.addUser(DirectoryUser.of("member" + i)).id());
        }
        try (LdapDirectoryServer server = LdapDirectoryServer.start(dir, LdapDirectoryServer.Flavour.ACTIVE_DIRECTORY);
             LdapSourceConnector conn = connector(server, Preset.ACTIVE_DIRECTORY, 1000)) {
            InMemoryUserStore store = new InMemoryUserStore();
            SyncReport r = ProvisioningEngine.builder().store(store)
                    .source(Source.builder("ad").connector(conn).build()).build().synchronize("ad");
            assertThat(r.isClean()).as(r.summary()).isTrue();
            Group g = store.findGroupByName("big").orElseThrow();
            assertThat(store.members(g.key(), MemberKind.USER)).hasSize(5000);
        }
    }

    @Test
    void aMembershipCycleIsReported() {
        InMemoryDirectory dir = InMemoryDirectory.create(3);
        DirectoryGroup a = dir.addGroup("a");
        DirectoryGroup b = dir.addGroup("b");
        DirectoryGroup c = dir.addGroup("c");
        dir.addMember(a.id(), MemberKind.GROUP, b.id());
        dir.addMember(b.id(), MemberKind.GROUP, c.id());
        dir.addMember(c.id(), MemberKind.GROUP, a.id());
        dir.addMember(a.id(), MemberKind.USER, dir.addUser(DirectoryUser.of("someone")).id());
        try (LdapDirectoryServer server = LdapDirectoryServer.start(dir, LdapDirectoryServer.Flavour.ACTIVE_DIRECTORY);
             LdapSourceConnector conn = connector(server, Preset.ACTIVE_DIRECTORY, 100)) {
            SyncReport r = ProvisioningEngine.builder().store(new InMemoryUserStore())
                    .source(Source.builder("ad").connector(conn).build()).build().synchronize("ad");
            assertThat(r.cycles()).hasSize(1);
            assertThat(r.cycles().get(0)).contains("a", "b", "c");
        }
    }

    @Test
    void adIncrementalAfterARestoredDcFallsBackToASnapshot() {
        InMemoryDirectory dir = DirectoryGenerator.builder().seed(8).users(200).groups(15).build().generate();
        try (LdapDirectoryServer server = LdapDirectoryServer.start(dir, LdapDirectoryServer.Flavour.ACTIVE_DIRECTORY);
             LdapSourceConnector conn = connector(server, Preset.ACTIVE_DIRECTORY, 100)) {
            ProvisioningEngine engine = ProvisioningEngine.builder().store(new InMemoryUserStore())
                    .source(Source.builder("ad").connector(conn).build()).build();
            engine.synchronize("ad");
            dir.addUser(DirectoryUser.of("late.hire"));
            SyncReport inc = engine.synchronize("ad");
            assertThat(inc.mode()).isEqualTo(io.usher.core.SyncMode.INCREMENTAL);
            assertThat(inc.count(ChangeKind.USER_CREATED)).isEqualTo(1);
            server.resetInvocationId();
            dir.addUser(DirectoryUser.of("after.restore"));
            SyncReport fallback = engine.synchronize("ad");
            assertThat(fallback.mode()).isEqualTo(io.usher.core.SyncMode.SNAPSHOT_AFTER_INVALID_CURSOR);
            assertThat(fallback.warnings()).anyMatch(w -> w.contains("invocationId"));
            assertThat(fallback.count(ChangeKind.USER_CREATED)).isEqualTo(1);
        }
    }
}
