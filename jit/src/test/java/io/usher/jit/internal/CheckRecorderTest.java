package io.usher.jit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.jit.ValidationTrace;
import io.usher.jit.ValidationTrace.Check;
import io.usher.jit.ValidationTrace.Verdict;
import io.usher.jit.VerifiedLogin;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The recorder's bookkeeping: what passed, failed, did not apply, was not checked or not reached. */
class CheckRecorderTest {
    private static final List<CheckRecorder.Step> PLAN = List.of(new CheckRecorder.Step("a", "A"),
            new CheckRecorder.Step("b", "B"), new CheckRecorder.Step("c", "C"), new CheckRecorder.Step("d", "D"));
    private static final VerifiedLogin LOGIN = new VerifiedLogin(VerifiedLogin.Protocol.OIDC, "iss", "sub", "p",
            Instant.EPOCH, null, Map.of());

    @Test
    void aFailureEndsTheTraceChecksAfterItAreNotReachedAndSkippedOnesBeforeItDidNotApply() {
        CheckRecorder r = CheckRecorder.of(PLAN);
        r.at("a");
        r.at("c");
        r.failed("BROKEN", "c broke");
        ValidationTrace t = r.finish(VerifiedLogin.Protocol.OIDC, LOGIN);
        assertThat(t.checks()).extracting(Check::verdict).containsExactly(Verdict.PASSED, Verdict.NOT_APPLICABLE,
                Verdict.FAILED, Verdict.NOT_REACHED);
        assertThat(t.failure()).hasValueSatisfying(c -> {
            assertThat(c.reason()).isEqualTo("BROKEN");
            assertThat(c.detail()).isEqualTo("c broke");
        });
        assertThat(t.login()).isNull();
        assertThat(t.accepted()).isFalse();
    }

    @Test
    void aTraceWithoutFailureKeepsTheLoginAndItsExplicitMarks() {
        CheckRecorder r = CheckRecorder.of(PLAN);
        r.at("a");
        r.notApplicable("b", "no b here");
        r.at("c");
        r.notChecked("d", "d needs more");
        ValidationTrace t = r.finish(VerifiedLogin.Protocol.OIDC, LOGIN);
        assertThat(t.checks()).extracting(Check::verdict).containsExactly(Verdict.PASSED, Verdict.NOT_APPLICABLE,
                Verdict.PASSED, Verdict.NOT_CHECKED);
        assertThat(t.login()).usingRecursiveComparison().ignoringFields("dryRun").isEqualTo(LOGIN);
        assertThat(t.login().dryRun()).as("a trace's login is marked as a dry run's").isTrue();
        assertThat(t.notChecked()).extracting(Check::detail).containsExactly("d needs more");
    }

    @Test
    void theOffRecorderRecordsNothingAndAnUnknownCheckIsABug() {
        CheckRecorder.OFF.at("anything");
        CheckRecorder.OFF.failed("X", "y");
        assertThat(CheckRecorder.OFF.recording()).isFalse();
        assertThatThrownBy(() -> CheckRecorder.OFF.finish(VerifiedLogin.Protocol.SAML, null))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> CheckRecorder.of(PLAN).at("z")).isInstanceOf(IllegalArgumentException.class);
    }
}
