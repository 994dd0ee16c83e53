package io.usher.jit.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.jit.ValidationTrace;
import io.usher.jit.ValidationTrace.Check;
import io.usher.jit.ValidationTrace.Verdict;
import io.usher.jit.VerifiedLogin;
import io.usher.jit.explain.LoginExplanation.Action;
import io.usher.jit.explain.LoginExplanation.Outcome;
import io.usher.jit.oidc.IdTokenExpectations;
import io.usher.jit.oidc.OidcException;
import io.usher.testkit.oidc.OidcProvider.Attack;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ID tokens from the loopback provider, explained: each case gives the verdict and reason the validator gives for
 * the same token, at the check that makes it; explaining uses neither the nonce nor the token up.
 */
class LoginExplainerOidcTest {
    private final ExplainFixture f = new ExplainFixture();
    private final String userId = f.addUser("JDoe", "engineers");

    @AfterEach
    void close() {
        f.close();
    }

    record Case(String name, String token, IdTokenExpectations expect, String check, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of("good", null, null), Arguments.of("expired", "expiry", "EXPIRED"),
                Arguments.of("wrong audience", "audience", "WRONG_AUDIENCE"),
                Arguments.of("bad signature", "signature", "BAD_SIGNATURE"),
                Arguments.of("nonce mismatch", "nonce", "NONCE_MISMATCH"),
                Arguments.of("alg none", "parse", "UNSIGNED"),
                Arguments.of("unknown key", "key", "UNKNOWN_KEY"));
    }

    private String token(String name) {
        return switch (name) {
            case "good" -> f.idp.idToken(userId).audience(ExplainFixture.CLIENT).nonce("n-1").sign();
            case "expired" -> f.idp.idToken(userId).audience(ExplainFixture.CLIENT).nonce("n-1")
                    .issuedAt(ExplainFixture.T0.minus(Duration.ofHours(2))).lifetime(Duration.ofMinutes(5)).sign();
            case "wrong audience" -> f.idp.idToken(userId).audience("another-app").nonce("n-1").sign();
            case "bad signature" -> f.idp.idToken(userId).audience(ExplainFixture.CLIENT).nonce("n-1")
                    .attack(Attack.TAMPERED).sign();
            case "nonce mismatch" -> f.idp.idToken(userId).audience(ExplainFixture.CLIENT).nonce("n-other").sign();
            case "alg none" -> f.idp.idToken(userId).audience(ExplainFixture.CLIENT).nonce("n-1")
                    .attack(Attack.ALG_NONE).sign();
            case "unknown key" -> f.idp.idToken(userId).audience(ExplainFixture.CLIENT).nonce("n-1")
                    .attack(Attack.UNKNOWN_KID).sign();
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void explainGivesTheValidatorsVerdictAtItsCheck(String name, String check, String reason) {
        String token = token(name);
        IdTokenExpectations expect = IdTokenExpectations.nonce("n-1");
        LoginExplanation e = f.explainer().explainIdToken(token, expect);
        ValidationTrace trace = e.validation();

        // the validator, after the explanation, on the same token
        String validatorReason;
        try {
            f.validator.validate(token, expect);
            validatorReason = null;
        } catch (OidcException ex) {
            validatorReason = ex.reason().name();
        }
        assertThat(validatorReason).isEqualTo(reason);
        assertThat(trace.failure().map(Check::reason).orElse(null)).isEqualTo(reason);
        assertThat(trace.failure().map(Check::id).orElse(null)).isEqualTo(check);
        assertThat(trace.checks()).extracting(Check::id).containsExactly("size", "parse", "decryption", "type",
                "algorithm", "key", "signature", "claims", "issuer", "audience", "authorized-party", "subject",
                "expiry", "not-before", "issued-at", "nonce", "max-age", "acr", "at-hash", "replay");
        if (reason == null) {
            assertThat(e.outcome()).isEqualTo(Outcome.ACCEPTED);
            assertThat(trace.checks()).extracting(Check::verdict).containsOnly(Verdict.PASSED, Verdict.NOT_APPLICABLE);
            assertThat(verdict(trace, "decryption")).isEqualTo(Verdict.NOT_APPLICABLE);
            assertThat(verdict(trace, "signature")).isEqualTo(Verdict.PASSED);
            assertThat(verdict(trace, "replay")).isEqualTo(Verdict.PASSED);
            assertThat(e.user().action()).isEqualTo(Action.CREATE);
            assertThat(e.user().username()).isEqualTo("jdoe");
            // the token was validated after the explanation, so it is used now: explaining again says so
            LoginExplanation again = f.explainer().explainIdToken(token, expect);
            assertThat(again.validation().failure()).hasValueSatisfying(c -> {
                assertThat(c.id()).isEqualTo("replay");
                assertThat(c.reason()).isEqualTo("REPLAYED");
            });
        } else {
            assertThat(e.outcome()).isEqualTo(Outcome.REFUSED_BY_VALIDATION);
            assertThat(e.user()).isNull();
            int at = trace.checks().indexOf(trace.failure().orElseThrow());
            assertThat(trace.checks().subList(at + 1, trace.checks().size())).extracting(Check::verdict)
                    .containsOnly(Verdict.NOT_REACHED);
            assertThat(trace.checks().subList(0, at)).extracting(Check::verdict)
                    .allSatisfy(v -> assertThat(v).isIn(Verdict.PASSED, Verdict.NOT_APPLICABLE));
            assertThat(e.toText()).contains("[FAILED]").contains(reason).doesNotContain(token);
            assertThat(e.toJson()).contains("\"reason\" : \"" + reason + "\"").doesNotContain(token);
        }
        assertThat(f.store.usersOwnedBy(ExplainFixture.SOURCE)).isEmpty();
    }

    @Test
    void explainingUsesNeitherTheNonceNorTheTokenUp() {
        String token = token("good");
        IdTokenExpectations expect = IdTokenExpectations.nonce("n-1");
        for (int i = 0; i < 3; i++) {
            assertThat(f.explainer().explainIdToken(token, expect).outcome()).isEqualTo(Outcome.ACCEPTED);
        }
        VerifiedLogin login = f.validator.validate(token, expect);
        assertThat(login.subject()).isEqualTo(userId);
        assertThatThrownBy(() -> f.validator.validate(token, expect)).isInstanceOfSatisfying(OidcException.class,
                ex -> assertThat(ex.reason()).isEqualTo(OidcException.Reason.REPLAYED));
    }

    @Test
    void withoutTheLoginsExpectationsNonceAndMaxAgeAreNotChecked() {
        LoginExplanation e = f.explainer().explainIdToken(token("nonce mismatch"), null);
        assertThat(e.outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(e.validation().notChecked()).extracting(Check::id).containsExactly("nonce", "max-age", "acr");
        assertThat(e.toText()).contains("3 check(s) not made").contains("[not checked]");
    }

    @Test
    void theExplanationMatchesWhatTheProvisionerThenDoes() {
        String token = token("good");
        LoginExplanation e = f.explainer().explainIdToken(token, IdTokenExpectations.nonce("n-1"));
        var result = f.jit.provision(f.validator.validate(token, IdTokenExpectations.nonce("n-1")));
        assertThat(e.user().username()).isEqualTo(result.username());
        assertThat(e.user().action().name()).startsWith(result.action().name().substring(0, 5));
        assertThat(e.user().usernameSteps()).containsExactly(
                "login name from 'preferred_username' (username.from): 'JDoe'",
                "username from loginName: 'JDoe'", "name part: no change", "case lower: 'jdoe'");
    }

    private static Verdict verdict(ValidationTrace t, String id) {
        return t.checks().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow().verdict();
    }

    static List<String> ids(ValidationTrace t) {
        return t.checks().stream().map(Check::id).toList();
    }
}
