package io.usher.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.SearchScope;
import io.usher.core.ChangeKind;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SyncMode;
import io.usher.core.SyncReport;
import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.core.store.InMemoryUserStore;
import io.usher.ldap.servers.OpenLdapLdif;
import io.usher.ldap.servers.Slapd;
import io.usher.ldap.servers.SlapdExtension;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OpenLDAP preset against a real OpenLDAP slapd (private instance on loopback, loaded with slapadd):
 * paged full sync, nested groups, rename by modrdn, a delete, a disabled (ppolicy-locked) hire, the RFC 4533
 * content-sync incremental path (deletions included) and the periodic full reconciliation.
 */
class SlapdSyncTest {
    private static final InMemoryDirectory DIRECTORY = DirectoryGenerator.builder().seed(21).users(300).groups(20)
            .nestingDepth(3).caseCollisions(0).build().generate();

    @RegisterExtension
    static final SlapdExtension SLAPD = new SlapdExtension().beforeStart(s -> s.slapadd(OpenLdapLdif.write(DIRECTORY)));

    private static String userDn(DirectoryUser u) {
        return OpenLdapLdif.userDn(u);
    }

    private static Set<String> memberIds(InMemoryUserStore store, Group g) {
        return store.members(g.key(), MemberKind.USER).stream()
                .map(k -> store.findUser(k).orElseThrow().origin().externalId()).collect(Collectors.toSet());
    }

    @Test
    void pagedSyncRenameByModrdnDeleteAndTimestampIncrementals(Slapd slapd) throws Exception {
        io.usher.testkit.ManualClock clock = new io.usher.testkit.ManualClock();
        LdapSourceConnector conn = new LdapSourceConnector(LdapConfig.builder().url(slapd.url())
                .preset(Preset.OPENLDAP).bind(slapd.bindDn(), slapd.bindPassword())
                .usersBase(Slapd.PEOPLE_DN).groupsBase(Slapd.GROUPS_DN).pageSize(50)
                .timestampMargin(Duration.ofSeconds(1)).build(), clock);
        InMemoryUserStore store = new InMemoryUserStore();
        ProvisioningEngine engine = ProvisioningEngine.builder().store(store)
                .source(Source.builder("openldap").connector(conn).build()).build();

        SyncReport first = engine.synchronize("openldap");
        assertThat(first.isClean()).as(first.summary()).isTrue();
        assertThat(store.userCount()).isEqualTo(DIRECTORY.userCount());
        long disabled = DIRECTORY.users().filter(u -> !u.enabled()).count();
        assertThat(store.allUsers().stream().filter(u -> !u.active()).count()).isEqualTo(disabled);
        for (DirectoryGroup g : DIRECTORY.groups().collect(Collectors.toList())) {
            store.findGroupByOrigin(Origin.of("openldap", g.id())).ifPresent(sg -> {
                assertThat(memberIds(store, sg)).as(g.name()).isEqualTo(DIRECTORY.members(g.id(), MemberKind.USER));
                assertThat(store.members(sg.key(), MemberKind.GROUP)).hasSameSizeAs(DIRECTORY.members(g.id(), MemberKind.GROUP));
            });
        }
        assertThat(store.allGroups()).anyMatch(g -> !store.members(g.key(), MemberKind.GROUP).isEmpty());

        // rename by modrdn (fixing member values as the refint overlay would), a delete, a locked hire
        DirectoryUser renamed = DIRECTORY.users().skip(5).findFirst().orElseThrow();
        DirectoryUser deleted = DIRECTORY.users().skip(6).findFirst().orElseThrow();
        String renamedKey = store.findUserByOrigin(Origin.of("openldap", renamed.id())).orElseThrow().key();
        try (LDAPConnection c = slapd.connection()) {
            String oldDn = userDn(renamed);
            String newDn = new DN(new RDN("uid", "renamed.by.modrdn"), new DN(Slapd.PEOPLE_DN)).toString();
            c.modifyDN(oldDn, new RDN("uid", "renamed.by.modrdn").toString(), true);
            for (Entry g : c.search(Slapd.GROUPS_DN, SearchScope.ONE, com.unboundid.ldap.sdk.Filter
                    .createEqualityFilter("member", oldDn), "member").getSearchEntries()) {
                c.modify(g.getDN(), new Modification(ModificationType.DELETE, "member", oldDn),
                        new Modification(ModificationType.ADD, "member", newDn));
            }
            String deletedDn = userDn(deleted);
            for (Entry g : c.search(Slapd.GROUPS_DN, SearchScope.ONE, com.unboundid.ldap.sdk.Filter
                    .createEqualityFilter("member", deletedDn), "member").getSearchEntries()) {
                if (g.getAttributeValues("member").length > 1) {
                    c.modify(g.getDN(), new Modification(ModificationType.DELETE, "member", deletedDn));
                }
            }
            c.delete(deletedDn);
            c.add("dn: uid=locked.hire," + Slapd.PEOPLE_DN, "objectClass: inetOrgPerson", "uid: locked.hire",
                    "cn: Locked Hire", "sn: Hire");
            c.modify("uid=locked.hire," + Slapd.PEOPLE_DN, new Modification(ModificationType.ADD,
                    "pwdAccountLockedTime", "000001010000Z"));
        }

        SyncReport inc = engine.synchronize("openldap");
        assertThat(inc.mode()).isEqualTo(SyncMode.INCREMENTAL);
        User now = store.findUser(renamedKey).orElseThrow();
        assertThat(now.username()).isEqualTo("renamed.by.modrdn");
        assertThat(store.findUserByUsername("locked.hire").orElseThrow().active()).isFalse();
        assertThat(store.findUserByOrigin(Origin.of("openldap", deleted.id())).orElseThrow().active())
                .as("content sync (syncprov) reports deletions").isFalse();
        assertThat(inc.count(ChangeKind.USER_DEACTIVATED)).isEqualTo(1);

        clock.advance(Duration.ofHours(25));
        SyncReport reconcile = engine.synchronize("openldap");
        assertThat(reconcile.mode()).isEqualTo(SyncMode.SNAPSHOT_AFTER_INVALID_CURSOR);
        assertThat(reconcile.warnings()).anyMatch(w -> w.contains("periodic full reconciliation"));
        assertThat(reconcile.totalChanges()).as("the reconciliation finds nothing left to do").isZero();
        assertThat(store.findUser(renamedKey).orElseThrow().username()).isEqualTo("renamed.by.modrdn");
        conn.close();
    }
}
