package io.usher.jit.saml;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.store.InMemoryUserStore;
import io.usher.jit.JitPolicy;
import io.usher.jit.JitPolicy.GroupMode;
import io.usher.jit.explain.LoginExplainer;
import io.usher.jit.explain.LoginExplanation;
import io.usher.jit.oidc.IdTokenExpectations;
import io.usher.jit.oidc.OidcValidator;
import io.usher.testkit.oidc.OidcProvider;
import org.junit.jupiter.api.Test;

/** The explain-a-login snippets of README.md and jit/README.md, kept compiling and true. */
class ExplainReadmeExampleTest {

    @Test
    void theReadmeSnippetsExplainASamlResponseAndAnIdToken() {
        SamlFixture f = new SamlFixture();
        try (OidcProvider oidc = OidcProvider.start(f.directory, f.clock)) {
            ProvisioningEngine engine = ProvisioningEngine.builder().store(new InMemoryUserStore())
                    .source(Source.builder("corp-sso").build()).build();
            JitPolicy policy = JitPolicy.builder("corp-sso", SamlFixture.IDP).groupsFrom("groups")
                    .groupMode(GroupMode.AUTO_CREATE).build();
            SamlResponseValidator samlValidator = f.validator();
            OidcValidator oidcValidator = OidcValidator.builder().issuer(oidc.issuer()).clientId("wiki")
                    .jwksUri(oidc.jwksUri()).clock(f.clock).build();
            String samlResponseBase64 = f.response().build().base64();
            String requestId = SamlFixture.REQUEST;
            String nonce = "n-0S6_WzA2Mj";
            String idToken = oidc.idToken(f.user.id()).audience("wiki").nonce(nonce).sign();

            // --- as in the READMEs
            LoginExplainer explainer = LoginExplainer.builder()
                    .engine(engine)
                    .policy(policy)
                    .saml(samlValidator)
                    .oidc(oidcValidator)
                    .build();
            LoginExplanation e = explainer.explainSaml(samlResponseBase64, requestId);   // requestId null: not known
            LoginExplanation t = explainer.explainIdToken(idToken, IdTokenExpectations.nonce(nonce));
            String text = e.toText();
            String json = e.toJson();
            // ---

            assertThat(e.outcome()).isEqualTo(LoginExplanation.Outcome.ACCEPTED);
            assertThat(e.groups()).extracting(LoginExplanation.GroupPlan::group)
                    .containsExactlyInAnyOrder("engineers", "wiki-admins");
            assertThat(text).contains("user: CREATE");
            assertThat(json).contains("\"outcome\" : \"ACCEPTED\"");
            // the policy takes logins from the SAML IdP only: the OIDC login is valid, and refused by the policy
            assertThat(t.outcome()).isEqualTo(LoginExplanation.Outcome.REFUSED_BY_POLICY);
            assertThat(t.user().refusal()).isEqualTo("WRONG_ISSUER");
            assertThat(engine.store().usersOwnedBy("corp-sso")).isEmpty();
        }
    }
}
