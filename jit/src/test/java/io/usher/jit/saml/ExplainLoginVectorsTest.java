package io.usher.jit.saml;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.Source;
import io.usher.core.store.InMemoryUserStore;
import io.usher.jit.JitPolicy;
import io.usher.jit.ValidationTrace;
import io.usher.jit.ValidationTrace.Verdict;
import io.usher.jit.VerifiedLogin;
import io.usher.jit.explain.LoginExplainer;
import io.usher.jit.explain.LoginExplanation;
import io.usher.jit.saml.JavaSamlVectorsTest.Row;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * explain-login over every row of {@code shared/vectors/saml/java-saml/MANIFEST.tsv}, under legacy and default
 * settings: the explanation's verdict and reason are the ones the validator gives for the same Response, the failed
 * check is the only FAILED one and every check after it is NOT_REACHED; explaining uses nothing up (the validator
 * still accepts the Response afterwards), and once the validator has used it, explaining says REPLAYED.
 */
class ExplainLoginVectorsTest {

    @TestFactory
    Stream<DynamicTest> explainGivesTheValidatorsVerdictForEveryRow() throws Exception {
        if (SharedVectors.find("saml/java-saml").isEmpty()) {
            return Stream.of(DynamicTest.dynamicTest("java-saml vectors", () -> SharedVectors.require(
                    "saml/java-saml")));
        }
        Path dir = SharedVectors.require("saml/java-saml");
        List<Row> rows = JavaSamlVectorsTest.manifest(dir);
        assertThat(rows).hasSizeGreaterThanOrEqualTo(27);
        return rows.stream().flatMap(row -> Stream.of(true, false).map(legacy -> DynamicTest.dynamicTest(
                row.verdict() + (legacy ? " legacy " : " default ") + row.file(), () -> judge(dir, row, legacy))));
    }

    private static void judge(Path dir, Row row, boolean legacy) throws Exception {
        String value = JavaSamlVectorsTest.postValue(dir, row);
        SamlResponseValidator validator = JavaSamlVectorsTest.validator(dir, row, legacy);
        LoginExplainer explainer = LoginExplainer.builder().store(new InMemoryUserStore())
                .source(Source.builder("sso").build())
                .policy(JitPolicy.builder("sso", row.idpEntityId()).usernameFrom("uid").build())
                .saml(validator).build();

        LoginExplanation explained = explain(explainer, value, row);
        String validatorReason;
        VerifiedLogin login = null;
        try {
            login = row.requestId() == null ? validator.validate(value) : validator.validate(value, row.requestId());
            validatorReason = null;
        } catch (SamlValidationException e) {
            validatorReason = e.reason().name();
        }

        ValidationTrace trace = explained.validation();
        assertThat(trace.failure().map(ValidationTrace.Check::reason).orElse(null)).as(row.file())
                .isEqualTo(validatorReason);
        assertThat(trace.checks()).extracting(ValidationTrace.Check::id)
                .containsExactlyElementsOf(ResponseCheck.PLAN.stream().map(s -> s.id()).toList());
        assertThat(trace.checks().stream().filter(c -> c.verdict() == Verdict.FAILED)).hasSizeLessThanOrEqualTo(1);
        if (validatorReason == null) {
            assertThat(explained.outcome()).isEqualTo(LoginExplanation.Outcome.ACCEPTED);
            assertThat(trace.login().subject()).isEqualTo(login.subject()).isEqualTo(row.expectedNameId());
            assertThat(explained.user().action()).isEqualTo(LoginExplanation.Action.CREATE);
            assertThat(explained.user().username()).isEqualTo("smartin");
            assertThat(trace.checks()).noneMatch(c -> c.verdict() == Verdict.NOT_REACHED);
            // the validator accepted the Response after the explanation: nothing was used up; now it is
            LoginExplanation again = explain(explainer, value, row);
            assertThat(again.validation().failure()).hasValueSatisfying(c -> {
                assertThat(c.id()).isEqualTo(row.requestId() == null ? "replay" : "request-single-use");
                assertThat(c.reason()).isIn("REPLAYED", "REQUEST_ALREADY_ANSWERED");
            });
        } else {
            assertThat(explained.outcome()).isEqualTo(LoginExplanation.Outcome.REFUSED_BY_VALIDATION);
            assertThat(explained.user()).isNull();
            int failed = indexOfFailure(trace);
            for (int i = failed + 1; i < trace.checks().size(); i++) {
                assertThat(trace.checks().get(i).verdict()).as(trace.checks().get(i).id())
                        .isEqualTo(Verdict.NOT_REACHED);
            }
            for (int i = 0; i < failed; i++) {
                assertThat(trace.checks().get(i).verdict()).isIn(Verdict.PASSED, Verdict.NOT_APPLICABLE);
            }
            assertThat(explained.toText()).contains("[FAILED]").contains(validatorReason);
        }
        assertThat(explained.toJson()).contains("\"outcome\" : \"" + explained.outcome() + "\"");
    }

    private static LoginExplanation explain(LoginExplainer explainer, String value, Row row) {
        return row.requestId() == null ? explainer.explainUnsolicitedSaml(value)
                : explainer.explainSaml(value, row.requestId());
    }

    private static int indexOfFailure(ValidationTrace trace) {
        for (int i = 0; i < trace.checks().size(); i++) {
            if (trace.checks().get(i).verdict() == Verdict.FAILED) {
                return i;
            }
        }
        throw new AssertionError("no failed check");
    }
}
