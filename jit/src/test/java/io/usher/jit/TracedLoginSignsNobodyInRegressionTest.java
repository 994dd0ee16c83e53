package io.usher.jit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.jit.oidc.IdTokenExpectations;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Regression: a dry run's login ({@code OidcValidator.trace}, {@code SamlResponseValidator.trace}) was the very
 * {@link VerifiedLogin} {@code validate} returns (equal to it, indistinguishable), so a host that called
 * {@code trace(...).login()} on its sign-in path by mistake provisioned and signed the person in, with the nonce or
 * InResponseTo unchecked and the token not recorded as used (replayable as often as it was posted). A trace's login
 * now says it comes from a dry run, and the provisioner and websudo refuse it; the token stays usable for the real
 * login.
 */
class TracedLoginSignsNobodyInRegressionTest {
    private final JitFixture f = new JitFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void theProvisionerRefusesATracedLoginAndWritesNothing() {
        String alice = f.addUser("alice");
        String nonce = "n-1";
        String idToken = f.idp.idToken(alice).audience(JitFixture.CLIENT).nonce(nonce).sign();
        ValidationTrace trace = f.validator.trace(idToken, null); // nonce not known: reported as not checked
        assertThat(trace.accepted()).isTrue();
        assertThat(trace.login()).isNotNull();
        assertThat(trace.login().dryRun()).isTrue();

        for (int i = 0; i < 2; i++) { // twice: a trace uses nothing up, so it would be a replay as well
            assertThatThrownBy(() -> f.jit.provision(trace.login())).isInstanceOf(JitException.class)
                    .hasMessageContaining("dry run")
                    .satisfies(e -> assertThat(((JitException) e).reason()).isEqualTo(JitException.Reason.DRY_RUN));
        }
        assertThat(f.store.findUserByOrigin(f.jit.originOf(trace.login()))).isEmpty();
        assertThat(f.lastLogins.lastLogin(f.jit.originOf(trace.login()))).isEmpty();

        // the real login with the same token still works: the trace used nothing up
        VerifiedLogin real = f.validator.validate(idToken, IdTokenExpectations.nonce(nonce));
        assertThat(real.dryRun()).isFalse();
        assertThat(f.jit.provision(real).action()).isEqualTo(JitResult.Action.CREATED);
    }

    @Test
    void websudoRefusesATracedLogin() {
        String alice = f.addUser("alice");
        String aliceKey = f.signIn(alice).userKey();
        f.clock.advance(Duration.ofMinutes(30));
        Websudo websudo = Websudo.builder().store(f.store).trust(f.jit.policy()).clock(f.clock).build();
        WebsudoChallenge ch = websudo.begin("session-1", aliceKey);
        String idToken = f.idp.idToken(alice).audience(JitFixture.CLIENT).nonce(ch.nonce())
                .authTime(f.clock.instant()).sign();
        ValidationTrace trace = f.validator.trace(idToken, IdTokenExpectations.nonce(ch.nonce()));
        assertThat(trace.accepted()).isTrue();

        assertThatThrownBy(() -> websudo.complete("session-1", aliceKey, ch.id(), trace.login()))
                .isInstanceOf(WebsudoException.class)
                .satisfies(e -> assertThat(((WebsudoException) e).reason())
                        .isEqualTo(WebsudoException.Reason.PROOF_INVALID));
        assertThat(websudo.isActive("session-1", aliceKey)).isFalse();
    }
}
