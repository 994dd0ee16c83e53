package io.usher.jit.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.jit.ValidationTrace;
import io.usher.jit.VerifiedLogin;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ManualClock;
import io.usher.testkit.oidc.OidcProvider;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A valid ID token with one character changed anywhere (or none): {@link OidcValidator#trace} and then
 * {@code validate} on the same validator agree on the reason, or both accept the same login; the trace used
 * nothing up, or validate would say REPLAYED.
 */
class TraceAgreesWithValidateOidcProperties {
    static ManualClock clock;
    static OidcProvider idp;
    static String user;
    static String token;

    @BeforeContainer
    static void start() {
        clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
        InMemoryDirectory dir = InMemoryDirectory.create(2);
        user = dir.addUser(DirectoryUser.builder("pat").email("pat@corp.example").build()).id();
        idp = OidcProvider.start(dir, clock);
        token = idp.idToken(user).audience("app").nonce("n-1").sign();
    }

    @AfterContainer
    static void stop() {
        idp.close();
    }

    @Property(tries = 300)
    void traceAndValidateGiveTheSameVerdict(@ForAll("damaged") String candidate) {
        OidcValidator validator = OidcValidator.builder().issuer(idp.issuer()).clientId("app").jwks(idp.publicJwks())
                .clock(clock).build(); // fresh single-use state for each try
        IdTokenExpectations expect = IdTokenExpectations.nonce("n-1");
        ValidationTrace trace = validator.trace(candidate, expect);
        String reason;
        VerifiedLogin login = null;
        try {
            login = validator.validate(candidate, expect);
            reason = null;
        } catch (OidcException e) {
            reason = e.reason().name();
        }
        assertThat(trace.failure().map(ValidationTrace.Check::reason).orElse(null)).isEqualTo(reason);
        if (reason == null) {
            // the same login, marked as a dry run's (the provisioner and websudo refuse it)
            assertThat(trace.login().dryRun()).isTrue();
            assertThat(trace.login()).usingRecursiveComparison().ignoringFields("dryRun").isEqualTo(login);
        }
    }

    @Provide
    Arbitrary<String> damaged() {
        Arbitrary<Integer> position = Arbitraries.integers().between(0, token.length() - 1);
        Arbitrary<Character> replacement = Arbitraries.of('A', 'b', '0', '-', '_', '.', '=', '/', 'Z');
        Arbitrary<Boolean> change = Arbitraries.of(true, true, true, false);
        return Combinators.combine(position, replacement, change).as((p, r, c) -> c
                ? token.substring(0, p) + r + token.substring(p + 1) : token);
    }
}
