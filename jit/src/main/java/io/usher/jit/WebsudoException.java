package io.usher.jit;

import io.usher.core.UsherException;
import java.util.Objects;

/** A websudo re-authentication refused, with the {@link Reason} a host can show or act on. */
public final class WebsudoException extends UsherException {
    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Reason {
        /** The user key names no user. */
        UNKNOWN_USER(Code.NOT_FOUND),
        /** The user is inactive. */
        USER_INACTIVE(Code.INVALID),
        /** The user is local, or its source has no trusted IdP for websudo: re-authenticate with the host's password. */
        NOT_SSO_USER(Code.INVALID),
        /**
         * No pending challenge of this session and admin has this id: never issued, already answered (single use),
         * long expired, or begun by another session or admin (told apart only in the log).
         */
        CHALLENGE_UNKNOWN(Code.INVALID),
        /**
         * No longer thrown: an answer naming a challenge of another session or admin gets {@link #CHALLENGE_UNKNOWN}
         * (the challenge stays pending for its owner, and its existence is not revealed).
         */
        @Deprecated
        CHALLENGE_NOT_YOURS(Code.INVALID),
        /** The answer came after the challenge's maximum age. */
        CHALLENGE_EXPIRED(Code.INVALID),
        /** The proof answers another request (InResponseTo / nonce differ, or it is unsolicited). */
        WRONG_CHALLENGE(Code.INVALID),
        /** The proof is for another person or IdP than the admin's linked identity. */
        DIFFERENT_USER(Code.INVALID),
        /**
         * The IdP did not authenticate the admin after the challenge began (it reused an older session despite
         * ForceAuthn / prompt=login): not a re-authentication.
         */
        STALE_AUTHENTICATION(Code.INVALID),
        /** This proof was already used for a websudo window. */
        REPLAYED(Code.INVALID),
        /** The proof itself failed validation (the cause says which check). */
        PROOF_INVALID(Code.INVALID),
        /** Too many challenges are pending; try again shortly. */
        TOO_MANY_PENDING(Code.BUSY);

        private final Code code;

        Reason(Code code) {
            this.code = code;
        }
    }

    private final Reason reason;

    WebsudoException(Reason reason, String message) {
        super(reason.code, reason + ": " + message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    WebsudoException(Reason reason, String message, Throwable cause) {
        super(reason.code, reason + ": " + message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
