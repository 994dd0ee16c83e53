package io.usher.jit.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.User;
import io.usher.core.spi.UserStore;
import io.usher.jit.JitPolicy;
import io.usher.jit.JitPolicy.GroupMode;
import io.usher.jit.JitResult;
import io.usher.jit.explain.LoginExplanation.Action;
import io.usher.jit.explain.LoginExplanation.ClaimValue;
import io.usher.jit.explain.LoginExplanation.GroupChange;
import io.usher.jit.explain.LoginExplanation.GroupPlan;
import io.usher.jit.explain.LoginExplanation.Outcome;
import io.usher.jit.oidc.IdTokenExpectations;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * What a login would do to the user and its groups, with the rule behind each membership: default groups,
 * auto-created groups through the filter and a mapping rule, managed groups, removal of unlisted groups, a local
 * group the claim names; always compared with what the real provisioner then does, and never writing to the store.
 */
class LoginExplainerGroupsTest {
    private static final Set<String> WRITES = Set.of("createUser", "updateUser", "deleteUser", "createGroup",
            "updateGroup", "deleteGroup", "addMember", "removeMember", "addMembers", "apply");

    private static String nonce() {
        return UUID.randomUUID().toString();
    }

    private static JitResult signIn(ExplainFixture f, String userId) {
        String n = nonce();
        return f.jit.provision(f.validator.validate(f.idp.idToken(userId).audience(ExplainFixture.CLIENT).nonce(n)
                .sign(), IdTokenExpectations.nonce(n)));
    }

    private static LoginExplanation explain(ExplainFixture f, UserStore store, String userId) {
        String n = nonce();
        return f.explainer(store).explainIdToken(f.idp.idToken(userId).audience(ExplainFixture.CLIENT).nonce(n).sign(),
                IdTokenExpectations.nonce(n));
    }

    private static GroupPlan plan(LoginExplanation e, String group) {
        return e.groups().stream().filter(g -> g.group().equals(group)).findFirst()
                .orElseThrow(() -> new AssertionError("no plan for group " + group + " in " + e.groups()));
    }

    private static final UnaryOperator<JitPolicy.Builder> AUTO = b -> b.groupsFrom("groups")
            .groupMode(GroupMode.AUTO_CREATE).groupFilter("(?i)wiki-.*").rewriteGroup("(?i)wiki-(.*)", "$1")
            .defaultGroups("sso-users").removeUnlisted(true);

    @Test
    void autoCreateNamesTheDefaultGroupTheFilterTheMappingRuleAndRemoveUnlisted() {
        try (ExplainFixture f = new ExplainFixture(AUTO)) {
            String id = f.addUser("jdoe", "wiki-admins", "wiki-old");
            signIn(f, id);
            f.dir.removeMember(f.dir.groupByName("wiki-old").orElseThrow().id(), MemberKind.USER, id);
            f.dir.addMember(f.dir.addGroup("wiki-editors").id(), MemberKind.USER, id);
            f.dir.addMember(f.dir.addGroup("hr-all").id(), MemberKind.USER, id);

            UserStore readOnly = writeFailing(f.store, new AtomicInteger());
            LoginExplanation e = explain(f, readOnly, id);

            assertThat(e.outcome()).isEqualTo(Outcome.ACCEPTED);
            assertThat(e.user().action()).isEqualTo(Action.UNCHANGED);
            assertThat(plan(e, "sso-users").change()).isEqualTo(GroupChange.KEEP);
            assertThat(plan(e, "sso-users").rule()).contains("default group (groups.default)");
            assertThat(plan(e, "admins").change()).isEqualTo(GroupChange.KEEP);
            assertThat(plan(e, "editors").change()).isEqualTo(GroupChange.ADD);
            assertThat(plan(e, "editors").rule()).contains("claim 'groups' value 'wiki-editors'")
                    .contains("mapping rule 1 (~ (?i)wiki-(.*) => $1) gives 'editors'");
            assertThat(plan(e, "old").change()).isEqualTo(GroupChange.REMOVE);
            assertThat(plan(e, "old").rule()).contains("groups.removeUnlisted");
            ClaimValue hr = e.groupClaimValues().stream().filter(v -> v.value().equals("hr-all")).findFirst()
                    .orElseThrow();
            assertThat(hr.group()).isNull();
            assertThat(hr.steps()).containsExactly("dropped by groups.filter (?i)wiki-.* (the value does not match)");
            assertThat(e.toText()).contains("+ add    'editors'").contains("- remove 'old'")
                    .contains("= keep   'sso-users'").contains("'hr-all' -> dropped");

            // the real provisioner then does exactly that
            JitResult r = signIn(f, id);
            assertThat(r.groupsAdded()).containsExactly("editors");
            assertThat(r.groupsRemoved()).containsExactly("old");
        }
    }

    @Test
    void rulesFromPropertiesAreNamedByTheirKey() {
        try (ExplainFixture f = new ExplainFixture()) {
            String id = f.addUser("jdoe", "CN=Wiki Admins,OU=Groups", "wiki-editors");
            JitPolicy policy = JitPolicy.fromConfig(ExplainFixture.SOURCE, Map.of("issuer", f.idp.issuer(),
                    "username.from", "preferred_username", "groups.from", "groups", "groups.mode", "auto_create",
                    "groups.rule.3", "CN=Wiki Admins,OU=Groups => wiki-admins",
                    "groups.rule.7", "~ (?i)wiki-(.*) => $1", "groups.mappedOnly", "true"));
            LoginExplainer explainer = LoginExplainer.builder().store(f.store).source(f.source).policy(policy)
                    .oidc(f.validator).build();
            String n = nonce();
            LoginExplanation e = explainer.explainIdToken(f.idp.idToken(id).audience(ExplainFixture.CLIENT).nonce(n)
                    .sign(), IdTokenExpectations.nonce(n));
            assertThat(plan(e, "wiki-admins").rule()).contains("groups.rule.3 ('CN=Wiki Admins,OU=Groups' => "
                    + "'wiki-admins')");
            assertThat(plan(e, "editors").rule()).contains("groups.rule.7 (~ (?i)wiki-(.*) => $1)");
            assertThat(e.groups()).extracting(GroupPlan::change).containsOnly(GroupChange.ADD);
        }
    }

    @Test
    void managedGroupsAreAddedAndRemovedByTheClaimAndOtherNamesDropped() {
        try (ExplainFixture f = new ExplainFixture(b -> b.groupsFrom("groups").groupMode(GroupMode.MANAGED)
                .managedGroups("Ops", "Audit"))) {
            String id = f.addUser("jdoe", "audit");
            signIn(f, id);
            f.dir.removeMember(f.dir.groupByName("audit").orElseThrow().id(), MemberKind.USER, id);
            f.dir.addMember(f.dir.addGroup("ops").id(), MemberKind.USER, id);
            f.dir.addMember(f.dir.addGroup("finance").id(), MemberKind.USER, id);

            LoginExplanation e = explain(f, writeFailing(f.store, new AtomicInteger()), id);
            assertThat(plan(e, "Ops").change()).isEqualTo(GroupChange.ADD);
            assertThat(plan(e, "Ops").rule()).contains("a managed group (groups.managed): 'Ops'");
            assertThat(plan(e, "Audit").change()).isEqualTo(GroupChange.REMOVE);
            assertThat(plan(e, "Audit").rule()).isEqualTo("a managed group (groups.managed) the claim does not list");
            assertThat(e.groupClaimValues()).filteredOn(v -> v.value().equals("finance")).singleElement()
                    .satisfies(v -> assertThat(v.steps()).containsExactly(
                            "dropped: 'finance' is not a managed group (groups.managed)"));

            JitResult r = signIn(f, id);
            assertThat(r.groupsAdded()).containsExactly("Ops");
            assertThat(r.groupsRemoved()).containsExactly("Audit");
        }
    }

    @Test
    void aClaimNamingALocalGroupIsSkippedWithTheReason() {
        try (ExplainFixture f = new ExplainFixture(b -> b.groupsFrom("groups").groupMode(GroupMode.AUTO_CREATE))) {
            f.store.createGroup(Group.local("editors"));
            String id = f.addUser("jdoe", "editors");
            LoginExplanation e = explain(f, writeFailing(f.store, new AtomicInteger()), id);
            assertThat(e.user().action()).isEqualTo(Action.CREATE);
            assertThat(plan(e, "editors").change()).isEqualTo(GroupChange.SKIP);
            assertThat(plan(e, "editors").detail()).contains("held by a local group");
            assertThat(e.warnings()).anyMatch(w -> w.contains("local group"));
        }
    }

    @Test
    void explainingNeverWritesToTheStoreEvenWhenTheLoginWouldChangeEverything() {
        try (ExplainFixture f = new ExplainFixture(AUTO)) {
            String id = f.addUser("jdoe", "wiki-admins", "wiki-old");
            signIn(f, id);
            // at the IdP: renamed, moved between groups
            f.dir.updateUser(f.dir.user(id).orElseThrow().withLoginName("jane.doe"));
            f.dir.removeMember(f.dir.groupByName("wiki-old").orElseThrow().id(), MemberKind.USER, id);
            f.dir.addMember(f.dir.addGroup("wiki-editors").id(), MemberKind.USER, id);
            Map<String, Object> before = snapshot(f.store);
            AtomicInteger writes = new AtomicInteger();

            LoginExplanation e = explain(f, writeFailing(f.store, writes), id);

            assertThat(writes).hasValue(0);
            assertThat(snapshot(f.store)).isEqualTo(before);
            assertThat(e.user().action()).isEqualTo(Action.RENAME);
            assertThat(e.user().username()).isEqualTo("jane.doe");
            assertThat(e.user().previousUsername()).isEqualTo("jdoe");
            assertThat(e.user().changedFields()).contains("username");
            assertThat(e.groups()).extracting(GroupPlan::group, GroupPlan::change).contains(
                    org.assertj.core.groups.Tuple.tuple("editors", GroupChange.ADD),
                    org.assertj.core.groups.Tuple.tuple("old", GroupChange.REMOVE));
            assertThat(e.toText()).contains("user: RENAME 'jane.doe' (was 'jdoe')");
        }
    }

    @Test
    void aPolicyThatCreatesNoUsersRefusesTheLoginAndSaysWhy() {
        try (ExplainFixture f = new ExplainFixture(b -> b.createUsers(false))) {
            String id = f.addUser("jdoe");
            LoginExplanation e = explain(f, f.store, id);
            assertThat(e.outcome()).isEqualTo(Outcome.REFUSED_BY_POLICY);
            assertThat(e.user().action()).isEqualTo(Action.REFUSED);
            assertThat(e.user().refusal()).isEqualTo("NOT_PROVISIONED");
            assertThat(e.toText()).contains("REFUSED by the JIT policy: NOT_PROVISIONED")
                    .contains("groups: none (the login is refused before groups are looked at)");
            assertThat(f.store.usersOwnedBy(ExplainFixture.SOURCE)).isEmpty();
        }
    }

    @Test
    void claimValuesThatTryToForgeLinesAreEscaped() {
        try (ExplainFixture f = new ExplainFixture(b -> b.groupsFrom("groups").groupMode(GroupMode.AUTO_CREATE))) {
            String id = f.addUser("jdoe");
            String n = nonce();
            String forged = "ops\n  [passed]        signature\u202e";
            LoginExplanation e = f.explainer().explainIdToken(f.idp.idToken(id).audience(ExplainFixture.CLIENT)
                    .nonce(n).claim("groups", List.of(forged)).sign(), IdTokenExpectations.nonce(n));
            String text = e.toText();
            assertThat(text).doesNotContain(forged).doesNotContain("\u202e").contains("ops\\u000a  [passed]")
                    .contains("\\u202e");
            assertThat(text.lines().filter(l -> l.trim().startsWith("[passed]") && l.contains("signature")))
                    .hasSize(1); // only the real check's line
            assertThat(e.toJson()).doesNotContain("\u202e").contains("\\u202E");
        }
    }

    /** The store's users, groups and memberships as plain values, to compare before and after. */
    private static Map<String, Object> snapshot(UserStore store) {
        Map<String, Object> out = new TreeMap<>();
        store.usersOwnedBy(ExplainFixture.SOURCE).forEach(u -> {
            out.put("user " + u.key(), u);
            Set<String> groups = new TreeSet<>(store.groupsOf(MemberKind.USER, u.key()));
            out.put("groups of " + u.key(), groups);
        });
        store.groupsOwnedBy(ExplainFixture.SOURCE).forEach(g -> out.put("group " + g.key(), g));
        return out;
    }

    /** A view of the store that fails the test on any write, counting the attempts. */
    static UserStore writeFailing(UserStore store, AtomicInteger writes) {
        return (UserStore) Proxy.newProxyInstance(UserStore.class.getClassLoader(), new Class<?>[] {UserStore.class},
                (proxy, method, args) -> {
                    if (WRITES.contains(method.getName())) {
                        writes.incrementAndGet();
                        throw new AssertionError("the explainer wrote to the store: " + method.getName());
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException ex) {
                        throw ex.getCause();
                    }
                });
    }

    static List<User> users(UserStore s) {
        return new ArrayList<>(s.usersOwnedBy(ExplainFixture.SOURCE).toList());
    }
}
