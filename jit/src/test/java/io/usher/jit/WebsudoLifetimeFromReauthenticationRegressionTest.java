package io.usher.jit;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.jit.oidc.AuthorizationRequest;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Regression: {@link Websudo.Builder#maxLifetime} is documented as the longest a window lasts after the
 * re-authentication that opened it, but the cap was counted from when the answer was completed; an answer handed
 * in minutes after the IdP authenticated the admin (up to the challenge's maximum age) kept the window open that
 * much longer than the lifetime.
 */
class WebsudoLifetimeFromReauthenticationRegressionTest {
    private static final String SESSION = "session-1";
    private final JitFixture f = new JitFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void theLifetimeCountsFromTheReauthenticationNotFromTheCompletion() {
        String alice = f.addUser("alice");
        String aliceKey = f.signIn(alice).userKey();
        f.clock.advance(Duration.ofMinutes(30));
        Websudo websudo = Websudo.builder().store(f.store).trust(f.jit.policy()).clock(f.clock)
                .maxLifetime(Duration.ofMinutes(30)).build();
        WebsudoChallenge ch = websudo.begin(SESSION, aliceKey);
        AuthorizationRequest req = websudo.oidcRedirect(ch, AuthorizationRequest.builder(f.idp.authorizationUri(),
                JitFixture.CLIENT, URI.create("https://wiki.example/websudo/callback")));
        Instant reauth = f.clock.instant();
        String idToken = f.idp.answer(req.uri(), alice).sign(); // the IdP authenticates alice now
        f.clock.advance(Duration.ofMinutes(4)); // the answer reaches the host 4 minutes later
        WebsudoGrant g = websudo.completeOidc(SESSION, aliceKey, ch.id(), idToken, f.validator);
        assertThat(g.authenticatedAt()).isEqualTo(reauth);

        for (int i = 0; i < 5; i++) {
            f.clock.advance(Duration.ofMinutes(5));
            websudo.touch(SESSION, aliceKey);
        }
        // 29 minutes after the re-authentication: extended no further than 30 minutes after it
        assertThat(websudo.touch(SESSION, aliceKey)).get().extracting(WebsudoGrant::expiresAt)
                .isEqualTo(reauth.plus(Duration.ofMinutes(30)));
        f.clock.advance(Duration.ofMinutes(1));
        assertThat(websudo.isActive(SESSION, aliceKey)).as("30 minutes after the re-authentication").isFalse();
    }
}
