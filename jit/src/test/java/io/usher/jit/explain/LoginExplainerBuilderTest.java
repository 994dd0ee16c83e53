package io.usher.jit.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.CollisionPolicy;
import io.usher.core.ConfigException;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.store.InMemoryUserStore;
import io.usher.jit.oidc.IdTokenExpectations;
import org.junit.jupiter.api.Test;

/** The explainer's builder refuses a missing or mismatched part at once, naming it. */
class LoginExplainerBuilderTest {

    private static ConfigException refusal(LoginExplainer.Builder b) {
        try {
            b.build();
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("the builder accepted it");
    }

    @Test
    void everyMissingOrMismatchedPartIsNamed() {
        try (ExplainFixture f = new ExplainFixture()) {
            assertThat(refusal(LoginExplainer.builder().store(f.store).source(f.source).oidc(f.validator)).key())
                    .isEqualTo("policy");
            assertThat(refusal(LoginExplainer.builder().source(f.source).policy(f.policy).oidc(f.validator)).key())
                    .isEqualTo("store");
            assertThat(refusal(LoginExplainer.builder().store(f.store).policy(f.policy).oidc(f.validator)).key())
                    .isEqualTo("source");
            assertThat(refusal(LoginExplainer.builder().store(f.store).source(f.source).policy(f.policy)).key())
                    .isEqualTo("saml");
            assertThat(refusal(LoginExplainer.builder().store(f.store).source(Source.builder("other").build())
                    .policy(f.policy).oidc(f.validator)).key()).isEqualTo("source");
            ProvisioningEngine noSuchSource = ProvisioningEngine.builder().store(new InMemoryUserStore())
                    .source(Source.builder("other").build()).build();
            assertThat(refusal(LoginExplainer.builder().engine(noSuchSource).policy(f.policy).oidc(f.validator))
                    .key()).isEqualTo("policy.sourceId");
            // the provisioner's own refusal: LINK by a claimed username without the opt-in
            Source linking = Source.builder(ExplainFixture.SOURCE).collisions(CollisionPolicy.LINK).build();
            assertThat(refusal(LoginExplainer.builder().store(f.store).source(linking).policy(f.policy)
                    .oidc(f.validator)).key()).isEqualTo("policy.usernameFrom");
        }
    }

    @Test
    void theEngineGivesStoreAndSourceAndAMissingValidatorIsSaidAtUse() {
        try (ExplainFixture f = new ExplainFixture()) {
            LoginExplainer e = LoginExplainer.builder().engine(f.engine).policy(f.policy).oidc(f.validator).build();
            assertThatThrownBy(() -> e.explainSaml("PHg+", null)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Builder.saml");
            String id = f.addUser("jdoe");
            assertThat(e.explainIdToken(f.idp.idToken(id).audience(ExplainFixture.CLIENT).sign(),
                    IdTokenExpectations.withoutNonce()).user().username()).isEqualTo("jdoe");
        }
    }
}
