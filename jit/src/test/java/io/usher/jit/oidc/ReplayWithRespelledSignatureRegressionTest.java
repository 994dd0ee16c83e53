package io.usher.jit.oidc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ManualClock;
import io.usher.testkit.oidc.OidcProvider;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Review finding: the token-replay key hashes the signature's base64url TEXT, not its bytes. */
class ReplayWithRespelledSignatureRegressionTest {
    static final String CLIENT = "usher-app";
    ManualClock clock;
    OidcProvider idp;
    OidcValidator validator;
    String alice;

    @BeforeEach
    void start() {
        clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
        InMemoryDirectory dir = InMemoryDirectory.create(7);
        alice = dir.addUser(DirectoryUser.builder("alice").email("alice@corp.example").build()).id();
        idp = OidcProvider.start(dir, clock);
        validator = OidcValidator.builder().issuer(idp.issuer()).clientId(CLIENT).jwksUri(idp.jwksUri())
                .clock(clock).build();
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    static final String B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /** Flips an unused low bit in the signature's last base64url character: same signature bytes, new text. */
    static String respell(String jwt) {
        char last = jwt.charAt(jwt.length() - 1);
        int v = B64URL.indexOf(last);
        return jwt.substring(0, jwt.length() - 1) + B64URL.charAt(v ^ 1);
    }

    @Test
    void aReplayedTokenWithARespelledSignatureIsRefused() {
        String noNonce = idp.idToken(alice).audience(CLIENT).sign();
        validator.validate(noNonce, IdTokenExpectations.withoutNonce());
        String replay = respell(noNonce);
        assertThatThrownBy(() -> validator.validate(replay, IdTokenExpectations.withoutNonce()))
                .isInstanceOf(OidcException.class)
                .extracting(e -> ((OidcException) e).reason()).isEqualTo(OidcException.Reason.REPLAYED);
    }
}
