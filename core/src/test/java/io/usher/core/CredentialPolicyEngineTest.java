package io.usher.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.model.CredentialPolicy;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.core.pipeline.Pipeline;
import io.usher.core.spi.SourceUser;
import io.usher.core.store.InMemoryUserStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How a source's credential policy reaches the users it creates and updates: the route's default, the
 * per-source override (builder and flat key), resyncs after a change of setting, LINK, push, plan and preview.
 */
class CredentialPolicyEngineTest {
    private final InMemoryUserStore store = new InMemoryUserStore();
    private final List<Change> applied = new ArrayList<>();

    /** A connector that declares SSO_ONLY, as the Entra ID, Google and Okta connectors do. */
    static final class SsoConnector extends ListConnector {
        @Override
        public CredentialPolicy defaultCredentials() {
            return CredentialPolicy.SSO_ONLY;
        }
    }

    private ProvisioningEngine engine(Source source) {
        return ProvisioningEngine.builder().store(store).source(source).listener(new SyncListener() {
            @Override
            public void onChange(String runId, Change change) {
                applied.add(change);
            }
        }).build();
    }

    private CredentialPolicy policyOf(String username) {
        return store.findUserByUsername(username).orElseThrow().credentials();
    }

    // ------------------------------------------------------------------ defaults by route

    @Test
    void pushOnlySourcesDefaultToSsoOnly() {
        Source scim = Source.builder("scim").build();
        assertThat(scim.credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
        assertThat(scim.pipeline().credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
        SourcePush push = engine(scim).push("scim");
        PushResult r = push.upsertUser(SourceUser.builder("e1").loginName("zoe").build());
        assertThat(r.kind()).isEqualTo(ChangeKind.USER_CREATED);
        assertThat(policyOf("zoe")).isEqualTo(CredentialPolicy.SSO_ONLY);

        push.deactivateUser("e1");
        assertThat(store.findUserByUsername("zoe").orElseThrow().active()).isFalse();
        assertThat(policyOf("zoe")).as("a deactivation keeps the policy").isEqualTo(CredentialPolicy.SSO_ONLY);
        push.reactivateUser("e1");
        assertThat(policyOf("zoe")).isEqualTo(CredentialPolicy.SSO_ONLY);
    }

    @Test
    void connectorsDefaultToHostUnlessTheyDeclareSsoOnly() {
        Source plain = Source.builder("dir").connector(ListConnector.everyone(2)).build();
        assertThat(plain.credentials()).isEqualTo(CredentialPolicy.HOST);
        engine(plain).synchronize("dir");
        assertThat(policyOf("user0")).isEqualTo(CredentialPolicy.HOST);
        assertThat(policyOf("user1")).isEqualTo(CredentialPolicy.HOST);

        SsoConnector sso = new SsoConnector();
        sso.user("x1", "idp.user");
        Source idp = Source.builder("idp").connector(sso).build();
        assertThat(idp.credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
        engine(idp).synchronize("idp");
        assertThat(policyOf("idp.user")).isEqualTo(CredentialPolicy.SSO_ONLY);
    }

    // ------------------------------------------------------------------ overrides

    @Test
    void theSourceSettingOverridesTheRouteInBothDirections() {
        Source pushAsHost = Source.builder("jit").credentials(CredentialPolicy.HOST).build();
        engine(pushAsHost).push("jit").upsertUser(SourceUser.builder("s1").loginName("amy").build());
        assertThat(policyOf("amy")).isEqualTo(CredentialPolicy.HOST);

        ListConnector c = new ListConnector().user("l1", "bob");
        Source ldapAsSso = Source.builder("ldap").connector(c).credentials(CredentialPolicy.SSO_ONLY).build();
        engine(ldapAsSso).synchronize("ldap");
        assertThat(policyOf("bob")).isEqualTo(CredentialPolicy.SSO_ONLY);

        SsoConnector sso = new SsoConnector();
        sso.user("o1", "cid");
        engine(Source.builder("okta").connector(sso).credentials(CredentialPolicy.HOST).build()).synchronize("okta");
        assertThat(policyOf("cid")).isEqualTo(CredentialPolicy.HOST);
    }

    @Test
    void theSettingIsGivenOnce() {
        assertThatThrownBy(() -> Source.builder("s").credentials(CredentialPolicy.HOST)
                .credentials(CredentialPolicy.SSO_ONLY)).isInstanceOf(IllegalStateException.class)
                .hasMessage("source 's': credentials is already set");
        assertThatThrownBy(() -> Source.builder("s").credentials(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("credentials");
    }

    // ------------------------------------------------------------------ changing the setting

    @Test
    void changingTheSettingAndResyncingUpdatesEveryUserAndReportsTheField() {
        ListConnector c = ListConnector.everyone(3);
        engine(Source.builder("corp").connector(c).build()).synchronize("corp");
        assertThat(policyOf("user2")).isEqualTo(CredentialPolicy.HOST);
        applied.clear();

        SyncReport r = engine(Source.builder("corp").connector(c).credentials(CredentialPolicy.SSO_ONLY).build())
                .synchronize("corp");
        assertThat(r.count(ChangeKind.USER_UPDATED)).isEqualTo(3);
        assertThat(applied).filteredOn(ch -> ch.kind() == ChangeKind.USER_UPDATED)
                .extracting(Change::fields).containsOnly(Set.of(User.CREDENTIALS));
        for (int i = 0; i < 3; i++) {
            assertThat(policyOf("user" + i)).isEqualTo(CredentialPolicy.SSO_ONLY);
        }

        SyncReport again = engine(Source.builder("corp").connector(c).credentials(CredentialPolicy.SSO_ONLY).build())
                .synchronize("corp");
        assertThat(again.totalChanges()).as("a resync with the same setting changes nothing").isZero();
        assertThat(again.unchanged()).as("three users and the group").isEqualTo(4);

        SyncReport back = engine(Source.builder("corp").connector(c).build()).synchronize("corp");
        assertThat(back.count(ChangeKind.USER_UPDATED)).isEqualTo(3);
        assertThat(policyOf("user0")).isEqualTo(CredentialPolicy.HOST);
    }

    @Test
    void aPlanShowsTheCredentialChangeWithoutApplyingIt() {
        ListConnector c = ListConnector.everyone(2);
        engine(Source.builder("corp").connector(c).build()).synchronize("corp");
        ChangeSet plan = engine(Source.builder("corp").connector(c).credentials(CredentialPolicy.SSO_ONLY).build())
                .plan("corp");
        assertThat(plan.changes()).filteredOn(ch -> ch.kind() == ChangeKind.USER_UPDATED)
                .hasSize(2).allSatisfy(ch -> assertThat(ch.fields()).containsExactly("credentials"));
        assertThat(policyOf("user0")).isEqualTo(CredentialPolicy.HOST);
    }

    @Test
    void aPushAfterTheSettingChangedUpdatesThePolicy() {
        engine(Source.builder("scim").build()).push("scim")
                .upsertUser(SourceUser.builder("e1").loginName("zoe").build());
        PushResult r = engine(Source.builder("scim").credentials(CredentialPolicy.HOST).build()).push("scim")
                .upsertUser(SourceUser.builder("e1").loginName("zoe").build());
        assertThat(r.kind()).isEqualTo(ChangeKind.USER_UPDATED);
        assertThat(r.changes().get(0).fields()).containsExactly("credentials");
        assertThat(policyOf("zoe")).isEqualTo(CredentialPolicy.HOST);
    }

    // ------------------------------------------------------------------ LINK, preview

    @Test
    void aLinkedLocalUserTakesTheSourcesPolicy() {
        User local = store.createUser(User.builder("user0").displayName("User user0").build());
        assertThat(local.credentials()).isEqualTo(CredentialPolicy.HOST);
        engine(Source.builder("entra").connector(new SsoConnector().user("u0", "user0"))
                .collisions(CollisionPolicy.LINK).build()).synchronize("entra");
        User linked = store.findUser(local.key()).orElseThrow();
        assertThat(linked.origin()).isEqualTo(Origin.of("entra", "u0"));
        assertThat(linked.credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
        assertThat(applied).filteredOn(ch -> ch.kind() == ChangeKind.USER_LINKED).singleElement()
                .satisfies(ch -> assertThat(ch.fields()).contains("credentials"));
    }

    @Test
    void previewShowsThePolicyTheUserWouldGet() {
        ProvisioningEngine e = engine(Source.builder("scim").build());
        assertThat(e.preview("scim", SourceUser.builder("x").loginName("amy").build()).user().credentials())
                .isEqualTo(CredentialPolicy.SSO_ONLY);
    }

    @Test
    void aPipelineOnItsOwnMakesHostUsersAndTheSourceKeepsTheRestOfIt() {
        Pipeline p = Pipeline.builder().usernameCase(io.usher.core.pipeline.CaseRule.UPPER).build();
        assertThat(p.toUser(SourceUser.builder("x").loginName("amy").build(), Origin.of("s", "x")).credentials())
                .isEqualTo(CredentialPolicy.HOST);
        Source s = Source.builder("s").pipeline(p).build();
        User u = s.pipeline().toUser(SourceUser.builder("x").loginName("amy").build(), Origin.of("s", "x"));
        assertThat(u.username()).isEqualTo("AMY");
        assertThat(u.credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
        assertThat(p.toUser(SourceUser.builder("x").loginName("amy").build(), null).credentials())
                .as("no origin: a local user, HOST").isEqualTo(CredentialPolicy.HOST);
    }

    // ------------------------------------------------------------------ flat configuration

    private static final Connectors CONNECTORS = Connectors.empty().register(new SourceConfigTest.TestProvider());

    private static Source fromConfig(String type, String credentials) {
        Map<String, String> p = new HashMap<>();
        p.put("type", type);
        if (type.equals("test")) {
            p.put("connector.token", "t");
        }
        if (credentials != null) {
            p.put("credentials", credentials);
        }
        return Source.fromConfig("s", p, CONNECTORS);
    }

    @ParameterizedTest(name = "type={0}, credentials={1} -> {2}")
    @CsvSource(nullValues = "unset", value = {
            "push, unset,    SSO_ONLY",
            "test, unset,    HOST",
            "push, host,     HOST",
            "push, HOST,     HOST",
            "test, sso-only, SSO_ONLY",
            "test, SSO-Only, SSO_ONLY",
            "test, sso_only, SSO_ONLY",
            "test, ' host ', HOST",
            "push, '',       SSO_ONLY",
    })
    void theCredentialsKey(String type, String value, CredentialPolicy expected) {
        assertThat(fromConfig(type, value).credentials()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"sso", "password", "sso only", "ssoonly", "local", "none", "directory"})
    void aBadCredentialsValueNamesTheKeyAndTheChoicesNotTheValue(String bad) {
        assertThatThrownBy(() -> fromConfig("push", bad)).isInstanceOf(ConfigException.class)
                .hasMessage("configuration key 'credentials': must be one of: sso-only, host")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("credentials");
    }

    @Property
    void anyOtherValueIsRefusedWithoutEchoingIt(@ForAll String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        Assume.that(!v.isEmpty() && !v.equals("host") && !v.equals("sso-only") && !v.equals("sso_only"));
        String message = "configuration key 'credentials': must be one of: sso-only, host";
        Assume.that(!message.contains(value));
        assertThatThrownBy(() -> fromConfig("push", value)).isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    // ------------------------------------------------------------------ push sources: applyCredentials

    @Test
    void applyCredentialsGivesEveryUserOfAPushSourceItsPolicyAndNothingElse() {
        SourcePush before = engine(Source.builder("jit").credentials(CredentialPolicy.HOST).build()).push("jit");
        for (int i = 0; i < 250; i++) {
            before.upsertUser(SourceUser.builder("e" + i).loginName("jit" + i).displayName("J " + i).build());
        }
        before.deactivateUser("e7");
        User local = store.createUser(User.builder("local.admin").build());
        engine(Source.builder("other").credentials(CredentialPolicy.HOST).build()).push("other")
                .upsertUser(SourceUser.builder("o1").loginName("other.user").build());
        applied.clear();

        SourcePush after = engine(Source.builder("jit").build()).push("jit");   // the default: SSO_ONLY
        SyncReport r = after.applyCredentials();
        assertThat(r.count(ChangeKind.USER_UPDATED)).isEqualTo(250);
        assertThat(r.unchanged()).isZero();
        assertThat(r.failureCount()).isZero();
        assertThat(applied).hasSize(250).allSatisfy(ch -> {
            assertThat(ch.kind()).isEqualTo(ChangeKind.USER_UPDATED);
            assertThat(ch.fields()).containsExactly(User.CREDENTIALS);
        });
        for (int i = 0; i < 250; i++) {
            User u = store.findUserByUsername("jit" + i).orElseThrow();
            assertThat(u.credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
            assertThat(u.displayName()).isEqualTo("J " + i);
            assertThat(u.active()).isEqualTo(i != 7);
        }
        assertThat(store.findUser(local.key()).orElseThrow().credentials()).isEqualTo(CredentialPolicy.HOST);
        assertThat(policyOf("other.user")).as("another source's user").isEqualTo(CredentialPolicy.HOST);

        SyncReport again = after.applyCredentials();
        assertThat(again.totalChanges()).isZero();
        assertThat(again.unchanged()).isEqualTo(250);
    }
}
