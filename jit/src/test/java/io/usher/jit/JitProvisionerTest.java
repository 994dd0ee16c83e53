package io.usher.jit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.ChangeKind;
import io.usher.core.CollisionPolicy;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.ConfigException;
import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.core.pipeline.Pipeline;
import io.usher.core.pipeline.UserFilter;
import io.usher.jit.JitPolicy.GroupMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JitProvisionerTest {

    static JitFixture autoCreate() {
        return new JitFixture(b -> b.groupsFrom("groups").groupMode(GroupMode.AUTO_CREATE).removeUnlisted(true)
                .defaultGroups("sso-users"), s -> s);
    }

    @Test
    void firstLoginCreatesTheUserWithFieldsGroupsAndLastLogin() {
        try (JitFixture f = autoCreate()) {
            String alice = f.addUser("Alice", "engineering");
            JitResult r = f.signIn(alice);
            assertThat(r.action()).isEqualTo(JitResult.Action.CREATED);
            User u = f.user(alice);
            assertThat(u.key()).isEqualTo(r.userKey());
            assertThat(u.username()).isEqualTo("alice"); // the source's pipeline lower-cases
            assertThat(u.displayName()).isEqualTo("ALICE");
            assertThat(u.givenName()).isEqualTo("Alice");
            assertThat(u.familyName()).isEqualTo("Tester");
            assertThat(u.emails()).containsExactly("Alice@corp.example");
            assertThat(u.attributes()).as("volatile claims never reach the user").isEmpty();
            assertThat(u.origin()).isEqualTo(Origin.of(JitFixture.SOURCE, alice));
            assertThat(f.groupsOf(u.key())).containsExactly("engineering", "sso-users");
            assertThat(r.groupsAdded()).containsExactlyInAnyOrder("engineering", "sso-users");
            assertThat(f.store.findGroupByName("engineering").orElseThrow().origin())
                    .isEqualTo(Origin.of(JitFixture.SOURCE, "engineering"));
            assertThat(f.lastLogins.lastLogin(u.origin())).contains(JitFixture.T0);
        }
    }

    @Test
    void nextLoginUpdatesAndRenamesTheSameUser() {
        try (JitFixture f = autoCreate()) {
            String bob = f.addUser("bob");
            String key = f.signIn(bob).userKey();
            assertThat(f.signIn(bob).action()).isEqualTo(JitResult.Action.UNCHANGED);

            f.dir.updateUser(f.dir.user(bob).orElseThrow().toBuilder().displayName("Robert").build());
            JitResult updated = f.signIn(bob);
            assertThat(updated.action()).isEqualTo(JitResult.Action.UPDATED);
            assertThat(f.user(bob).displayName()).isEqualTo("Robert");

            f.dir.renameUser(bob, "robert");
            f.clock.advance(Duration.ofHours(1));
            JitResult renamed = f.signIn(bob);
            assertThat(renamed.action()).isEqualTo(JitResult.Action.RENAMED);
            assertThat(renamed.userKey()).isEqualTo(key);
            assertThat(f.user(bob).username()).isEqualTo("robert");
            assertThat(f.store.findUserByUsername("bob")).isEmpty();
            assertThat(f.lastLogins.lastLogin(f.user(bob).origin())).contains(JitFixture.T0.plus(Duration.ofHours(1)));
        }
    }

    @Test
    void groupClaimsAddAndRemoveOnlyGroupsTheSourceOwns() {
        try (JitFixture f = autoCreate()) {
            String carol = f.addUser("carol", "engineering", "ops");
            String key = f.signIn(carol).userKey();
            // the host's own group, with carol put in it by hand, and a local group a claim will name
            Group admins = f.store.createGroup(Group.local("wiki-admins"));
            f.store.addMember(admins.key(), MemberKind.USER, key);
            Group localTeam = f.store.createGroup(Group.local("Local-Team"));

            f.leave(carol, "ops");
            f.join(carol, "local-team");
            JitResult r = f.signIn(carol);
            assertThat(r.groupsRemoved()).containsExactly("ops");
            assertThat(r.groupsAdded()).isEmpty();
            assertThat(r.warnings()).singleElement().asString().contains("local-team").contains("a local group");
            assertThat(f.groupsOf(key)).containsExactly("engineering", "sso-users", "wiki-admins");
            assertThat(f.store.members(localTeam.key(), MemberKind.USER)).isEmpty();
            assertThat(f.store.findGroup(localTeam.key()).orElseThrow().isLocal()).isTrue();
            assertThat(f.store.findGroupByName("ops")).as("an emptied group stays").isPresent();
        }
    }

    @Test
    void withoutRemoveUnlistedMembershipsOnlyGrow() {
        try (JitFixture f = new JitFixture(b -> b.groupsFrom("groups").groupMode(GroupMode.AUTO_CREATE), s -> s)) {
            String dan = f.addUser("dan", "ops");
            String key = f.signIn(dan).userKey();
            f.leave(dan, "ops");
            f.join(dan, "qa");
            JitResult r = f.signIn(dan);
            assertThat(r.groupsRemoved()).isEmpty();
            assertThat(f.groupsOf(key)).containsExactly("ops", "qa");
        }
    }

    @Test
    void managedGroupsFollowTheClaimAndOthersAreIgnored() {
        try (JitFixture f = new JitFixture(b -> b.groupsFrom("groups").groupMode(GroupMode.MANAGED)
                .managedGroups("Ops", "Audit"), s -> s)) {
            String erin = f.addUser("erin", "ops", "random");
            String key = f.signIn(erin).userKey();
            assertThat(f.groupsOf(key)).containsExactly("Ops");
            assertThat(f.store.findGroupByName("random")).isEmpty();
            f.leave(erin, "ops");
            f.join(erin, "audit");
            JitResult r = f.signIn(erin);
            assertThat(r.groupsRemoved()).containsExactly("Ops");
            assertThat(f.groupsOf(key)).containsExactly("Audit");
        }
    }

    @Test
    void groupFilterAndMappingRules() {
        try (JitFixture f = new JitFixture(b -> b.groupsFrom("groups").groupMode(GroupMode.AUTO_CREATE)
                .groupFilter("(app-.*|CN=.*)").mapGroup("CN=Wiki Admins,OU=Groups,DC=corp", "wiki-admins")
                .rewriteGroup("app-(.*)", "$1"), s -> s)) {
            String fay = f.addUser("fay", "app-editors", "CN=Wiki Admins,OU=Groups,DC=corp", "unrelated");
            String key = f.signIn(fay).userKey();
            assertThat(f.groupsOf(key)).containsExactly("editors", "wiki-admins");
        }
    }

    @Test
    void deactivatedUserIsReactivatedAtLoginWhenThePolicySaysSo() {
        try (JitFixture f = autoCreate()) {
            String gus = f.addUser("gus");
            f.signIn(gus);
            f.engine.push(JitFixture.SOURCE).deactivateUser(gus);
            JitResult r = f.signIn(gus);
            assertThat(r.action()).isEqualTo(JitResult.Action.REACTIVATED);
            assertThat(r.changes()).extracting(c -> c.kind()).contains(ChangeKind.USER_REACTIVATED);
            assertThat(f.user(gus).active()).isTrue();
        }
        try (JitFixture f = new JitFixture(b -> b.reactivateUsers(false), s -> s)) {
            String gus = f.addUser("gus");
            f.signIn(gus);
            f.engine.push(JitFixture.SOURCE).deactivateUser(gus);
            assertThatThrownBy(() -> f.signIn(gus)).isInstanceOfSatisfying(JitException.class,
                    e -> assertThat(e.reason()).isEqualTo(JitException.Reason.INACTIVE));
            assertThat(f.user(gus).active()).isFalse();
        }
    }

    @Test
    void updatesOffKeepsFieldsButStillReactivates() {
        try (JitFixture f = new JitFixture(b -> b.updateUsers(false), s -> s)) {
            String hal = f.addUser("hal");
            f.signIn(hal);
            f.dir.updateUser(f.dir.user(hal).orElseThrow().toBuilder().displayName("Changed").build());
            assertThat(f.signIn(hal).action()).isEqualTo(JitResult.Action.UNCHANGED);
            assertThat(f.user(hal).displayName()).isEqualTo("HAL");
            f.engine.push(JitFixture.SOURCE).deactivateUser(hal);
            assertThat(f.signIn(hal).action()).isEqualTo(JitResult.Action.REACTIVATED);
            assertThat(f.user(hal).displayName()).isEqualTo("HAL");
        }
    }

    @Test
    void creationOffRefusesUnknownUsers() {
        try (JitFixture f = new JitFixture(b -> b.createUsers(false), s -> s)) {
            String ivy = f.addUser("ivy");
            assertThatThrownBy(() -> f.signIn(ivy)).isInstanceOfSatisfying(JitException.class,
                    e -> assertThat(e.reason()).isEqualTo(JitException.Reason.NOT_PROVISIONED));
            assertThat(f.store.userCount()).isZero();
        }
    }

    @Test
    void aLoginFromAnotherIssuerIsRefused() {
        try (JitFixture f = autoCreate()) {
            String jo = f.addUser("jo");
            VerifiedLogin real = f.login(jo);
            VerifiedLogin other = new VerifiedLogin(real.protocol(), "https://other-idp.example", real.subject(),
                    real.proofId(), real.authenticatedAt(), real.inResponseTo(), real.attributes());
            assertThatThrownBy(() -> f.jit.provision(other)).isInstanceOfSatisfying(JitException.class,
                    e -> assertThat(e.reason()).isEqualTo(JitException.Reason.WRONG_ISSUER));
            assertThat(f.store.userCount()).isZero();
        }
    }

    @Test
    void localUserOfTheSameNameIsLeftAloneOrLinkedPerTheCollisionPolicy() {
        try (JitFixture f = JitFixture.withCollisions(CollisionPolicy.SKIP)) {
            User local = f.store.createUser(User.builder("kim").displayName("Local Kim").build());
            String kim = f.addUser("kim");
            assertThatThrownBy(() -> f.signIn(kim)).isInstanceOfSatisfying(JitException.class,
                    e -> assertThat(e.reason()).isEqualTo(JitException.Reason.USERNAME_TAKEN));
            assertThat(f.store.findUser(local.key()).orElseThrow()).isEqualTo(local);
        }
        try (JitFixture f = JitFixture.withCollisions(CollisionPolicy.LINK)) {
            User local = f.store.createUser(User.builder("kim").displayName("Local Kim").build());
            String kim = f.addUser("kim");
            JitResult r = f.signIn(kim);
            assertThat(r.action()).isEqualTo(JitResult.Action.LINKED);
            assertThat(r.userKey()).isEqualTo(local.key());
            assertThat(f.store.findUser(local.key()).orElseThrow().origin()).isEqualTo(Origin.of(JitFixture.SOURCE, kim));
        }
    }

    /**
     * Regression (security review): with LINK and a username from a claim a person may choose, whoever set
     * {@code preferred_username=admin} at the IdP took over the local admin at first login. The setup is now refused
     * unless the host confirms the claims are admin-controlled.
     */
    @Test
    void linkingLocalUsersByAClaimedUsernameIsRefusedWithoutAnExplicitOptIn() {
        ProvisioningEngine engine = ProvisioningEngine.builder().store(new io.usher.core.store.InMemoryUserStore())
                .source(Source.builder("sso").collisions(CollisionPolicy.LINK).build()).build();
        JitPolicy claimed = JitPolicy.builder("sso", "https://idp.example").usernameFrom("preferred_username").build();
        assertThatThrownBy(() -> JitProvisioner.builder().engine(engine).policy(claimed).build())
                .isInstanceOf(io.usher.core.ConfigException.class)
                .hasMessageContaining("policy.usernameFrom").hasMessageContaining("take over");
        // the subject as username, or the explicit opt-in, are accepted
        JitProvisioner.builder().engine(engine).policy(JitPolicy.builder("sso", "https://idp.example").build()).build();
        JitProvisioner.builder().engine(engine).policy(JitPolicy.builder("sso", "https://idp.example")
                .usernameFrom("preferred_username").linkLocalUsersByClaimedName().build()).build();
    }

    @Test
    void theSourcesFiltersApplyToLogins() {
        try (JitFixture f = new JitFixture(b -> b.groupsFrom("groups").groupMode(GroupMode.AUTO_CREATE),
                s -> s, Pipeline.builder().includeUsers(UserFilter.memberOf("wiki-users")).build())) {
            String lee = f.addUser("lee");
            assertThatThrownBy(() -> f.signIn(lee)).isInstanceOfSatisfying(JitException.class,
                    e -> assertThat(e.reason()).isEqualTo(JitException.Reason.EXCLUDED));
            assertThat(f.store.userCount()).isZero();
            f.join(lee, "wiki-users");
            String key = f.signIn(lee).userKey();
            f.leave(lee, "wiki-users");
            assertThatThrownBy(() -> f.signIn(lee)).isInstanceOfSatisfying(JitException.class,
                    e -> assertThat(e.reason()).isEqualTo(JitException.Reason.EXCLUDED));
            assertThat(f.store.findUser(key).orElseThrow().active()).as("deprovisioned as a sync would").isFalse();
        }
    }

    @Test
    void invalidAttributeValuesAreDroppedWithAWarning() {
        try (JitFixture f = autoCreate()) {
            String mo = f.addUser("mo");
            VerifiedLogin real = f.login(mo);
            Map<String, List<String>> attrs = new java.util.HashMap<>(real.attributes());
            attrs.put("name", List.of("Mo\u0000Evil"));
            attrs.put("groups", List.of("ok-group", "x".repeat(5000)));
            VerifiedLogin tampered = new VerifiedLogin(real.protocol(), real.issuer(), real.subject(), real.proofId(),
                    real.authenticatedAt(), real.inResponseTo(), attrs);
            JitResult r = f.jit.provision(tampered);
            assertThat(f.user(mo).displayName()).isNull();
            assertThat(f.groupsOf(r.userKey())).containsExactly("ok-group", "sso-users");
            assertThat(r.warnings()).hasSize(2).allSatisfy(w -> assertThat(w).doesNotContain("Evil"));
        }
    }

    @Test
    void aSubjectThatCannotBeAnExternalIdIsRefusedWithAReason() {
        try (JitFixture f = autoCreate()) {
            for (String bad : List.of("line\nbreak", "x".repeat(2000), " ")) {
                VerifiedLogin login = new VerifiedLogin(VerifiedLogin.Protocol.SAML, f.idp.issuer(), bad, "_id",
                        JitFixture.T0, null, Map.of("preferred_username", List.of("eve")));
                assertThatThrownBy(() -> f.jit.provision(login)).isInstanceOfSatisfying(JitException.class, e -> {
                    assertThat(e.reason()).isEqualTo(JitException.Reason.INVALID_ATTRIBUTES);
                    assertThat(e.getMessage()).doesNotContain(bad.trim().isEmpty() ? "\u0000" : bad);
                });
            }
            assertThat(f.store.userCount()).isZero();
        }
    }

    @Test
    void subjectIsTheDefaultUsernameSource() {
        try (JitFixture f = new JitFixture()) {
            JitProvisioner bySubject = JitProvisioner.builder().engine(f.engine).clock(f.clock)
                    .policy(JitPolicy.builder(JitFixture.SOURCE, f.idp.issuer()).build()).build();
            String nia = f.addUser("nia");
            JitResult r = bySubject.provision(f.login(nia));
            assertThat(r.username()).isEqualTo(nia.toLowerCase(java.util.Locale.ROOT));
        }
    }

    @Test
    void builderRefusesInconsistentPolicies() {
        assertThatThrownBy(() -> JitPolicy.builder("sso", "https://idp").groupMode(GroupMode.MANAGED)
                .groupsFrom("groups").build()).isInstanceOf(ConfigException.class).hasMessageContaining("managed");
        assertThatThrownBy(() -> JitPolicy.builder("sso", "https://idp").groupMode(GroupMode.AUTO_CREATE).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("groupsFrom");
        assertThatThrownBy(() -> JitPolicy.builder("sso", "https://idp").removeUnlisted(true).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("AUTO_CREATE");
        assertThatThrownBy(() -> JitPolicy.builder("sso", "https://idp").groupFilter("(unclosed"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("groupFilter");
        assertThatThrownBy(() -> JitPolicy.builder("sso", "https://idp").rewriteGroup("a-(.*)", "$2"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("group");
        assertThatThrownBy(() -> JitPolicy.builder("sso", "https://idp").field("phone", "tel"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("phone");
        try (JitFixture f = new JitFixture()) {
            assertThatThrownBy(() -> JitProvisioner.builder().engine(f.engine)
                    .policy(JitPolicy.builder("nope", "https://idp").build()).build())
                    .isInstanceOf(ConfigException.class).hasMessageContaining("sourceId");
        }
    }

    @Test
    void concurrentFirstLoginsMakeOneUserAndOneGroup() throws Exception {
        try (JitFixture f = autoCreate()) {
            String oz = f.addUser("oz", "team");
            List<VerifiedLogin> logins = List.of(f.login(oz), f.login(oz), f.login(oz), f.login(oz));
            var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                var futures = logins.stream().map(l -> pool.submit(() -> f.jit.provision(l))).toList();
                for (var fu : futures) {
                    fu.get();
                }
            } finally {
                pool.shutdown();
            }
            assertThat(f.store.userCount()).isEqualTo(1);
            assertThat(f.groupsOf(f.user(oz).key())).containsExactly("sso-users", "team");
            assertThat(f.store.allGroups()).hasSize(2);
        }
    }
}
