package io.usher.jit.internal;

import io.usher.jit.ValidationTrace;
import io.usher.jit.ValidationTrace.Check;
import io.usher.jit.ValidationTrace.Verdict;
import io.usher.jit.VerifiedLogin;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Records which check a validator is making, so that a dry run can report each one. The validator announces each
 * check with {@link #at} before making it; whatever it announced last is the check a thrown refusal belongs to
 * ({@link #failed}). A check announced and followed by another one passed. Checks the validator skips on purpose
 * are marked {@link #notApplicable} or {@link #notChecked}; checks never announced are, at the end, not applicable
 * (before the failure, or on a path that passed) or not reached (after it).
 *
 * <p>{@link #OFF} records nothing: what {@code validate} uses, so normal validation pays one branch per check.
 * Not thread-safe: one per validation.
 */
public final class CheckRecorder {
    /** A check a validator knows: its id and what it asks. */
    public record Step(String id, String description) {
    }

    /** Records nothing. */
    public static final CheckRecorder OFF = new CheckRecorder(List.of(), false);

    private final List<Step> plan;
    private final boolean on;
    private final Verdict[] verdicts;
    private final String[] reasons;
    private final String[] details;
    private int current = -1;
    private int failedAt = -1;

    private CheckRecorder(List<Step> plan, boolean on) {
        this.plan = plan;
        this.on = on;
        this.verdicts = new Verdict[plan.size()];
        this.reasons = new String[plan.size()];
        this.details = new String[plan.size()];
    }

    /** A recorder for a validator whose checks, in order, are {@code plan}. */
    public static CheckRecorder of(List<Step> plan) {
        return new CheckRecorder(List.copyOf(plan), true);
    }

    /** Whether this recorder records (false for {@link #OFF}): a dry run. */
    public boolean recording() {
        return on;
    }

    /** The validator is about to make check {@code id}; the check announced before it passed. */
    public void at(String id) {
        if (!on) {
            return;
        }
        int i = index(id);
        closeCurrent();
        current = i;
    }

    /** Check {@code id} does not apply to this proof, and why. */
    public void notApplicable(String id, String why) {
        mark(id, Verdict.NOT_APPLICABLE, why);
    }

    /** Check {@code id} cannot be made in this dry run, and why. */
    public void notChecked(String id, String why) {
        mark(id, Verdict.NOT_CHECKED, why);
    }

    /** The check announced last refused the proof with this reason code and message. */
    public void failed(String reason, String message) {
        if (!on) {
            return;
        }
        int i = current < 0 ? 0 : current;
        verdicts[i] = Verdict.FAILED;
        reasons[i] = Objects.requireNonNull(reason, "reason");
        details[i] = message;
        failedAt = i;
        current = -1;
    }

    /** The trace: every check of the plan with its verdict, and the login (null when a check failed). */
    public ValidationTrace finish(VerifiedLogin.Protocol protocol, VerifiedLogin login) {
        if (!on) {
            throw new IllegalStateException("the OFF recorder records nothing");
        }
        if (failedAt < 0) {
            closeCurrent();
        }
        List<Check> out = new ArrayList<>(plan.size());
        for (int i = 0; i < plan.size(); i++) {
            Verdict v = verdicts[i];
            String detail = details[i];
            if (v == null) {
                boolean after = failedAt >= 0 && i > failedAt;
                v = after ? Verdict.NOT_REACHED : Verdict.NOT_APPLICABLE;
                detail = after ? null : "not on this proof's path";
            }
            out.add(new Check(plan.get(i).id(), plan.get(i).description(), v, reasons[i], detail));
        }
        return new ValidationTrace(protocol, out, failedAt >= 0 ? null : login);
    }

    private void mark(String id, Verdict verdict, String why) {
        if (!on) {
            return;
        }
        int i = index(id);
        closeCurrent();
        verdicts[i] = verdict;
        details[i] = why;
        current = -1;
    }

    private void closeCurrent() {
        if (current >= 0 && verdicts[current] == null) {
            verdicts[current] = Verdict.PASSED;
        }
        current = -1;
    }

    private int index(String id) {
        for (int i = 0; i < plan.size(); i++) {
            if (plan.get(i).id().equals(id)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no check '" + id + "' in this validator's plan");
    }
}
