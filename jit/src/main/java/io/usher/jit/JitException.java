package io.usher.jit;

import io.usher.core.UsherException;
import java.util.Objects;

/**
 * A verified login that JIT provisioning refused, with the {@link Reason} a host can act on (show "your account
 * is disabled", "ask an administrator for access", ...). Messages never contain attribute values.
 */
public final class JitException extends UsherException {
    private static final long serialVersionUID = 1L;

    /** Why the login was refused. */
    public enum Reason {
        /** The login comes from another identity provider than the policy's. */
        WRONG_ISSUER(Code.INVALID),
        /** The user does not exist and the policy does not create users. */
        NOT_PROVISIONED(Code.NOT_FOUND),
        /** The user is inactive and the policy does not reactivate users. */
        INACTIVE(Code.INVALID),
        /** The source's filters exclude the user. */
        EXCLUDED(Code.INVALID),
        /** No username could be derived, or a mapped value is invalid. */
        INVALID_ATTRIBUTES(Code.INVALID),
        /** The username is held by another user the policy may not take over. */
        USERNAME_TAKEN(Code.CONFLICT),
        /** The host's store failed. */
        STORE(Code.STORE),
        /** The login is a validator's dry run ({@code trace}), not a validated sign-in. */
        DRY_RUN(Code.INVALID);

        private final Code code;

        Reason(Code code) {
            this.code = code;
        }
    }

    private final Reason reason;

    JitException(Reason reason, String message) {
        super(reason.code, reason + ": " + message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    JitException(Reason reason, String message, Throwable cause) {
        super(reason.code, reason + ": " + message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
