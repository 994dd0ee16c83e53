package io.usher.jit;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.Change;
import io.usher.core.ChangeKind;
import io.usher.core.CollisionPolicy;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.model.CredentialPolicy;
import io.usher.core.model.User;
import io.usher.core.pipeline.CaseRule;
import io.usher.core.pipeline.Pipeline;
import io.usher.core.store.InMemoryUserStore;
import io.usher.jit.saml.SamlAuthnRequest;
import io.usher.jit.saml.SamlConfig;
import io.usher.jit.saml.SamlResponseValidator;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ManualClock;
import io.usher.testkit.saml.SamlIdp;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: users that arrive by a JIT login (OIDC ID token or SAML Response, signed by testkit's IdPs) are
 * SSO-only, so the host can refuse them a local password; a source setting of HOST overrides.
 */
class JitCredentialPolicyTest {

    // ------------------------------------------------------------------ OIDC

    @Test
    void anOidcLoginCreatesAnSsoOnlyUserAndTheNextLoginChangesNothing() {
        try (JitFixture f = new JitFixture()) {
            String id = f.addUser("amy");
            JitResult first = f.signIn(id);
            assertThat(first.action()).isEqualTo(JitResult.Action.CREATED);
            assertThat(f.user(id).credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
            assertThat(f.user(id).isSsoOnly()).isTrue();

            JitResult again = f.signIn(id);
            assertThat(again.action()).as("the stored policy matches: an unchanged login").isEqualTo(JitResult.Action.UNCHANGED);
            assertThat(again.changes()).isEmpty();
        }
    }

    @Test
    void anOidcSourceSetToHostLeavesCredentialsToTheHost() {
        try (JitFixture f = new JitFixture(b -> b, s -> s.credentials(CredentialPolicy.HOST))) {
            String id = f.addUser("ben");
            f.signIn(id);
            assertThat(f.user(id).credentials()).isEqualTo(CredentialPolicy.HOST);
        }
    }

    @Test
    void changingTheSourceSettingUpdatesTheUserAtTheNextLogin() {
        try (JitFixture f = new JitFixture(b -> b, s -> s.credentials(CredentialPolicy.HOST))) {
            String id = f.addUser("cat");
            f.signIn(id);
            assertThat(f.user(id).credentials()).isEqualTo(CredentialPolicy.HOST);

            f.engine = ProvisioningEngine.builder().store(f.store).clock(f.clock)
                    .source(Source.builder(JitFixture.SOURCE)
                            .pipeline(Pipeline.builder().usernameCase(CaseRule.LOWER).build()).build()).build();
            f.jit = JitProvisioner.builder().engine(f.engine).lastLogins(f.lastLogins).clock(f.clock)
                    .policy(JitPolicy.builder(JitFixture.SOURCE, f.idp.issuer()).usernameFrom("preferred_username")
                            .build()).build();
            JitResult r = f.signIn(id);
            assertThat(r.action()).isEqualTo(JitResult.Action.UPDATED);
            assertThat(r.changes()).filteredOn(c -> c.kind() == ChangeKind.USER_UPDATED).singleElement()
                    .extracting(Change::fields).isEqualTo(java.util.Set.of(User.CREDENTIALS));
            assertThat(f.user(id).credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
        }
    }

    @Test
    void aLocalUserLinkedAtTheFirstLoginBecomesSsoOnly() {
        try (JitFixture f = JitFixture.withCollisions(CollisionPolicy.LINK)) {
            User local = f.store.createUser(User.builder("dan").displayName("Dan Local").build());
            assertThat(local.credentials()).isEqualTo(CredentialPolicy.HOST);
            String id = f.addUser("dan");
            JitResult r = f.signIn(id);
            assertThat(r.action()).isEqualTo(JitResult.Action.LINKED);
            assertThat(r.userKey()).isEqualTo(local.key());
            assertThat(f.store.findUser(local.key()).orElseThrow().credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
        }
    }

    // ------------------------------------------------------------------ SAML

    private static final String SP = SamlJitWebsudoTest.SP;
    private static final String ACS = SamlJitWebsudoTest.ACS;
    private static final String IDP = SamlJitWebsudoTest.IDP;
    private static final String SSO = SamlJitWebsudoTest.SSO;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-05-04T08:00:00Z"));
    private final InMemoryDirectory dir = InMemoryDirectory.create(9);
    private final DirectoryUser jane = dir.addUser(DirectoryUser.builder("JDoe").displayName("Jane Doe").build());
    private final InMemoryUserStore store = new InMemoryUserStore();
    private final SamlConfig config = SamlConfig.builder().spEntityId(SP).acsUrl(ACS).idpEntityId(IDP)
            .trustedCertificate(SamlJitWebsudoTest.IDP_KEY.certificate()).clock(clock).build();

    private User samlSignIn(UnaryOperator<Source.Builder> source) {
        ProvisioningEngine engine = ProvisioningEngine.builder().store(store).clock(clock)
                .source(source.apply(Source.builder("saml-sso")).build()).build();
        JitProvisioner jit = JitProvisioner.builder().engine(engine)
                .policy(JitPolicy.builder("saml-sso", IDP).usernameFrom("username").build()).clock(clock).build();
        SamlIdp idp = SamlIdp.builder(dir).entityId(IDP).ssoUrl(SSO).sp(SP, ACS).clock(clock)
                .signingKey(SamlJitWebsudoTest.IDP_KEY).build();
        SamlAuthnRequest request = SamlAuthnRequest.builder(config, SSO).build();
        VerifiedLogin login = SamlResponseValidator.create(config)
                .validate(idp.answer(request.redirectUrl(), jane.loginName()).build().base64(), request.id());
        JitResult r = jit.provision(login);
        return store.findUser(r.userKey()).orElseThrow();
    }

    @Test
    void aSamlLoginCreatesAnSsoOnlyUser() {
        User u = samlSignIn(s -> s);
        assertThat(u.username()).isEqualTo("JDoe");
        assertThat(u.origin().sourceId()).isEqualTo("saml-sso");
        assertThat(u.credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
    }

    @Test
    void aSamlSourceSetToHostLeavesCredentialsToTheHostAndBackToSsoOnly() {
        assertThat(samlSignIn(s -> s.credentials(CredentialPolicy.HOST)).credentials()).isEqualTo(CredentialPolicy.HOST);
        assertThat(samlSignIn(s -> s).credentials()).as("the same user, after the setting was removed")
                .isEqualTo(CredentialPolicy.SSO_ONLY);
        assertThat(store.allUsers()).hasSize(1);
    }
}
