package io.usher.jit.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.nimbusds.jose.util.Base64URL;
import io.usher.jit.VerifiedLogin;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ManualClock;
import io.usher.testkit.oidc.OidcProvider;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** The token parser and checks against arbitrary input and single-character damage to valid tokens. */
class OidcTokenPropertiesTest {
    static ManualClock clock;
    static OidcProvider idp;
    static OidcValidator validator;
    static String user;
    static final AtomicInteger NONCES = new AtomicInteger();

    @BeforeContainer
    static void start() {
        clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
        InMemoryDirectory dir = InMemoryDirectory.create(1);
        user = dir.addUser(DirectoryUser.builder("pat").email("pat@corp.example").build()).id();
        idp = OidcProvider.start(dir, clock);
        validator = OidcValidator.builder().issuer(idp.issuer()).clientId("app").jwksUri(idp.jwksUri()).clock(clock)
                .build();
    }

    @AfterContainer
    static void stop() {
        idp.close();
    }

    @Property(tries = 500)
    void arbitraryTextIsRefusedWithAReasonAndNothingElse(@ForAll("tokenLike") String junk) {
        try {
            validator.validate(junk, IdTokenExpectations.withoutNonce());
            fail("accepted arbitrary input");
        } catch (OidcException e) {
            assertThat(e.reason()).isNotNull();
        }
    }

    @Provide
    Arbitrary<String> tokenLike() {
        Arbitrary<String> b64 = Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/")
                .ofMaxLength(80);
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(200),
                b64.list().ofMinSize(1).ofMaxSize(6).map(l -> String.join(".", l)),
                b64.map(s -> "eyJhbGciOiJub25lIn0." + s + "."),
                b64.map(s -> "eyJhbGciOiJSUzI1NiJ9." + s + "." + s));
    }

    @Property(tries = 300)
    void aDamagedTokenNeverValidates(@ForAll @IntRange(min = 0, max = 100_000) int where,
                                     @ForAll("b64char") char replacement) {
        String nonce = "p-" + NONCES.incrementAndGet();
        String token = idp.idToken(user).audience("app").nonce(nonce).sign();
        int pos = where % token.length();
        if (token.charAt(pos) == replacement) {
            return;
        }
        String damaged = token.substring(0, pos) + replacement + token.substring(pos + 1);
        try {
            VerifiedLogin login = validator.validate(damaged, IdTokenExpectations.nonce(nonce));
            // only a change in base64 padding bits (same bytes) may pass
            assertThat(sameBytes(token, damaged)).as("accepted a token changed at " + pos).isTrue();
            assertThat(login.subject()).isEqualTo(user);
        } catch (OidcException e) {
            // never the token: neither the damaged token nor the original payload (a '.' replacement can make the
            // damaged token's second segment empty, which every string "contains")
            assertThat(e.getMessage()).doesNotContain(damaged).doesNotContain(token.split("\\.")[1]);
        }
    }

    @Provide
    Arbitrary<Character> b64char() {
        return Arbitraries.chars().with("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");
    }

    static boolean sameBytes(String a, String b) {
        String[] x = a.split("\\.", -1);
        String[] y = b.split("\\.", -1);
        if (x.length != y.length) {
            return false;
        }
        for (int i = 0; i < x.length; i++) {
            if (!Arrays.equals(new Base64URL(x[i]).decode(), new Base64URL(y[i]).decode())) {
                return false;
            }
        }
        return true;
    }
}
