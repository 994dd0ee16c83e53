package io.usher.jit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a validator's dry run found: every check it knows, in the order it makes them, each with its verdict, and
 * the login when no performed check failed. Made by {@code SamlResponseValidator.trace} and
 * {@code OidcValidator.trace}, which run the very checks {@code validate} runs but consume no single-use state
 * (replay caches are only looked at). Messages come from the validators and hold no value from the proof.
 *
 * <p>Immutable and thread-safe.
 *
 * @param protocol which validator made it
 * @param checks   every check, in order
 * @param login    the verified login when no check failed (some may be {@link Verdict#NOT_CHECKED}), else null.
 *                 A dry run's login was not recorded as used and may have skipped checks: explain it, never sign
 *                 anyone in with it ({@code validate} is the only way to a login the host may trust). It is
 *                 marked {@link VerifiedLogin#dryRun()}, and {@link JitProvisioner} and {@link Websudo} refuse it
 */
public record ValidationTrace(VerifiedLogin.Protocol protocol, List<Check> checks, VerifiedLogin login) {

    /** A check's outcome. */
    public enum Verdict {
        /** The check ran and passed. */
        PASSED,
        /** The check ran and refused the proof; {@link Check#reason()} is the validator's reason code. */
        FAILED,
        /** An earlier check failed, so this one was never made. */
        NOT_REACHED,
        /** The check does not apply to this proof (an unsigned Response has no Response signature to verify). */
        NOT_APPLICABLE,
        /** The check needs something the dry run was not given (the request ID, the nonce) or cannot read. */
        NOT_CHECKED
    }

    /**
     * One check.
     *
     * @param id          a stable name ({@code response-signature}, {@code audience}, ...)
     * @param description what the check asks, in plain words
     * @param verdict     its outcome
     * @param reason      the validator's reason code when it failed (the exception's {@code reason()}), else null
     * @param detail      why it failed, did not apply or was not checked (the validator's message), else null
     */
    public record Check(String id, String description, Verdict verdict, String reason, String detail) {
        public Check {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(verdict, "verdict");
        }
    }

    public ValidationTrace {
        Objects.requireNonNull(protocol, "protocol");
        checks = List.copyOf(checks);
        if (login != null && checks.stream().anyMatch(c -> c.verdict() == Verdict.FAILED)) {
            throw new IllegalArgumentException("a trace with a failed check has no login");
        }
        login = login == null ? null : login.asDryRun();
    }

    /** Whether no performed check failed (the login was accepted, perhaps with some checks not made). */
    public boolean accepted() {
        return failure().isEmpty();
    }

    /** The check that refused the proof, if one did. */
    public Optional<Check> failure() {
        return checks.stream().filter(c -> c.verdict() == Verdict.FAILED).findFirst();
    }

    /** The checks the dry run could not make (each says what it needed). */
    public List<Check> notChecked() {
        return checks.stream().filter(c -> c.verdict() == Verdict.NOT_CHECKED).toList();
    }
}
