package io.usher.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.ChangeKind;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SyncMode;
import io.usher.core.SyncReport;
import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.User;
import io.usher.core.spi.ConnectionTest;
import io.usher.core.store.InMemoryUserStore;
import io.usher.ldap.servers.SambaDc;
import io.usher.ldap.servers.SambaDcExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Active Directory preset against a real AD: Samba's domain controller on loopback (LDAPS, its own CA
 * as the only trusted certificate, hostname verification on). Skipped with a loud message where Samba is
 * not installed, failed under CI=true.
 */
@ExtendWith(SambaDcExtension.class)
class SambaActiveDirectorySyncTest {

    private static LdapSourceConnector connector(SambaDc dc) {
        return new LdapSourceConnector(LdapConfig.builder().url(dc.ldapsUrl()).preset(Preset.ACTIVE_DIRECTORY)
                .bind(dc.bindDn(), dc.bindPassword())
                .trustStore(dc.trustStorePath().toString(), new String(dc.trustStorePassword()), dc.trustStoreType())
                .usersBase("CN=Users," + dc.baseDn()).groupsBase("OU=Groups," + dc.baseDn()).pageSize(500).build());
    }

    private static Set<String> memberNames(InMemoryUserStore store, String group) {
        Group g = store.findGroupByName(group).orElseThrow();
        return store.members(g.key(), MemberKind.USER).stream()
                .map(k -> store.findUser(k).orElseThrow().username()).collect(Collectors.toSet());
    }

    @Test
    void fullSyncThenUsnIncrementalWithRenameDeleteAndABigRangedGroup(SambaDc dc) throws Exception {
        dc.addOrganizationalUnit("Groups");
        String groupsOu = "OU=Groups," + dc.baseDn();
        String alice = dc.addUser("alice", "Alice", "Liddell", true);
        String bob = dc.addUser("bob", "Bob", "Builder", true);
        String carol = dc.addUser("carol", "Carol", "Danvers", false);
        String staff = dc.addGroup(groupsOu, "staff");
        String admins = dc.addGroup(groupsOu, "admins");
        dc.addMembers(staff, List.of(alice, bob, carol, admins));
        dc.addMember(admins, alice);
        List<String> bulk = dc.addUsersWithLdbadd("bulk", 1600, true);
        String big = dc.addGroup(groupsOu, "big");
        dc.addMembers(big, bulk);

        InMemoryUserStore store = new InMemoryUserStore();
        try (LdapSourceConnector conn = connector(dc)) {
            ConnectionTest.Result test = conn.test();
            assertThat(test.ok()).as(String.join("\n", test.steps())).isTrue();
            assertThat(test.steps()).anyMatch(s -> s.contains("show deleted objects: supported"));

            ProvisioningEngine engine = ProvisioningEngine.builder().store(store)
                    .source(Source.builder("ad").connector(conn).build()).build();
            SyncReport first = engine.synchronize("ad");
            assertThat(first.complete()).isTrue();
            assertThat(first.failureCount()).isZero();
            assertThat(first.cursorSaved()).isTrue();
            assertThat(store.findUserByUsername("alice").orElseThrow().active()).isTrue();
            assertThat(store.findUserByUsername("carol").orElseThrow().active()).as("disabled account").isFalse();
            assertThat(memberNames(store, "big")).hasSize(1600);
            assertThat(memberNames(store, "staff")).containsExactlyInAnyOrder("alice", "bob", "carol");
            Group adminsGroup = store.findGroupByName("admins").orElseThrow();
            assertThat(store.members(store.findGroupByName("staff").orElseThrow().key(), MemberKind.GROUP))
                    .containsExactly(adminsGroup.key());
            String bobKey = store.findUserByUsername("bob").orElseThrow().key();
            String aliceGuid = store.findUserByUsername("alice").orElseThrow().origin().externalId();
            assertThat(aliceGuid).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

            // changes: a rename (new sAMAccountName and RDN), a deletion, a hire into a group
            dc.replace(bob, "sAMAccountName", "robert");
            dc.rename(bob, "robert");
            dc.delete(carol);
            String dave = dc.addUser("dave", "Dave", "Bowman", true);
            dc.addMember(staff, dave);

            SyncReport inc = engine.synchronize("ad");
            assertThat(inc.mode()).isEqualTo(SyncMode.INCREMENTAL);
            assertThat(inc.failureCount()).isZero();
            User robert = store.findUserByUsername("robert").orElseThrow();
            assertThat(robert.key()).as("a rename keeps the stored user").isEqualTo(bobKey);
            assertThat(inc.count(ChangeKind.USER_RENAMED)).isEqualTo(1);
            assertThat(store.findUserByUsername("carol").orElseThrow().active()).isFalse();
            assertThat(inc.count(ChangeKind.USER_CREATED)).isEqualTo(1);
            assertThat(memberNames(store, "staff")).containsExactlyInAnyOrder("alice", "robert", "dave");
            assertThat(memberNames(store, "big")).hasSize(1600);
            List<String> unexpected = new ArrayList<>(inc.warnings());
            unexpected.removeIf(w -> w.contains("outside this source's scope"));
            assertThat(unexpected).isEmpty();

            SyncReport quiet = engine.synchronize("ad");
            assertThat(quiet.totalChanges()).isZero();
        }
    }

    @Test
    void matchingRuleInChainFlattensNestingOnTheDc(SambaDc dc) throws Exception {
        dc.addOrganizationalUnit("Chain");
        String ou = "OU=Chain," + dc.baseDn();
        String x = dc.addUser("chain.x", "X", "Chain", true);
        String y = dc.addUser("chain.y", "Y", "Chain", true);
        String inner = dc.addGroup(ou, "chain-inner");
        String outer = dc.addGroup(ou, "chain-outer");
        dc.addMember(inner, x);
        dc.addMembers(outer, List.of(inner, y));
        InMemoryUserStore store = InMemoryUserStore.flat();
        try (LdapSourceConnector conn = new LdapSourceConnector(LdapConfig.builder().url(dc.ldapsUrl())
                .preset(Preset.ACTIVE_DIRECTORY).bind(dc.bindDn(), dc.bindPassword())
                .trustStore(dc.trustStorePath().toString(), new String(dc.trustStorePassword()), dc.trustStoreType())
                .usersBase("CN=Users," + dc.baseDn()).groupsBase(ou).matchingRuleInChain(true).build())) {
            SyncReport r = ProvisioningEngine.builder().store(store)
                    .source(Source.builder("ad-chain").connector(conn).build()).build().synchronize("ad-chain");
            assertThat(r.failureCount()).isZero();
            assertThat(memberNames(store, "chain-outer")).containsExactlyInAnyOrder("chain.x", "chain.y");
            assertThat(memberNames(store, "chain-inner")).containsExactly("chain.x");
        }
    }
}
