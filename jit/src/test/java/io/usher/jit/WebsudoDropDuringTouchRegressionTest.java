package io.usher.jit;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.jit.oidc.AuthorizationRequest;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Regression: {@link Websudo#touch} read the window, extended it and stored it back; a {@link Websudo#drop} ("drop
 * websudo", logout) landing between the read and the write (another request of the admin in flight) was undone by
 * that write, so the window the admin had just closed was open again for another rolling period.
 */
class WebsudoDropDuringTouchRegressionTest {
    private static final String SESSION = "session-1";
    private final JitFixture f = new JitFixture();

    @AfterEach
    void close() {
        f.close();
    }

    /** The host's sessions; while armed, a drop of the session lands right after touch has read the window. */
    static final class DropWhileReading implements WebsudoSessions {
        final InMemoryWebsudoSessions inner = new InMemoryWebsudoSessions();
        Websudo websudo;
        boolean armed;

        @Override
        public void put(String sessionId, WebsudoGrant grant) {
            inner.put(sessionId, grant);
        }

        @Override
        public Optional<WebsudoGrant> get(String sessionId) {
            Optional<WebsudoGrant> g = inner.get(sessionId);
            if (armed) {
                armed = false;
                websudo.drop(sessionId); // the admin's "drop websudo" request, between touch's read and write
            }
            return g;
        }

        @Override
        public void remove(String sessionId) {
            inner.remove(sessionId);
        }
    }

    @Test
    void aDropBetweenTouchsReadAndWriteStaysDropped() {
        String alice = f.addUser("alice");
        String aliceKey = f.signIn(alice).userKey();
        f.clock.advance(Duration.ofMinutes(30));
        DropWhileReading sessions = new DropWhileReading();
        Websudo websudo = Websudo.builder().store(f.store).sessions(sessions).trust(f.jit.policy()).clock(f.clock)
                .build();
        sessions.websudo = websudo;
        WebsudoChallenge ch = websudo.begin(SESSION, aliceKey);
        AuthorizationRequest req = websudo.oidcRedirect(ch, AuthorizationRequest.builder(f.idp.authorizationUri(),
                JitFixture.CLIENT, URI.create("https://wiki.example/websudo/callback")));
        websudo.completeOidc(SESSION, aliceKey, ch.id(), f.idp.answer(req.uri(), alice).sign(), f.validator);
        assertThat(websudo.isActive(SESSION, aliceKey)).isTrue();

        f.clock.advance(Duration.ofMinutes(1));
        sessions.armed = true;
        // an admin request in flight while the admin drops websudo: it is told there is no window any more
        assertThat(websudo.touch(SESSION, aliceKey)).isEmpty();

        assertThat(sessions.inner.get(SESSION)).as("the dropped window is not written back").isEmpty();
        assertThat(websudo.isActive(SESSION, aliceKey)).isFalse();
    }
}
