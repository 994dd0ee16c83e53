package io.usher.jit.saml;

import io.usher.core.UsherException;
import java.util.Objects;

/**
 * A SAML Response was refused. {@link #reason()} says which check failed, for programs (metrics, the host's
 * error page, tests); the message says it for people. Neither ever contains the Response, the assertion or any
 * value taken from them (NameID, attributes, IDs): the message only names the element and the check.
 * The {@link #code()} is always {@link UsherException.Code#INVALID}, or {@code CONFIG} for
 * {@link Reason#NO_DECRYPTION_KEY}.
 */
public final class SamlValidationException extends UsherException {
    private static final long serialVersionUID = 1L;

    /** Which check refused the Response. */
    public enum Reason {
        /** The POSTed value is larger than {@link SamlConfig.Builder#maxResponseSize(int)}. */
        TOO_LARGE,
        /** The POSTed value is not base64. */
        MALFORMED_BASE64,
        /** The decoded bytes are not well-formed XML, or not the SAML schema OpenSAML expects. */
        MALFORMED_XML,
        /** The XML carries a DOCTYPE (entity expansion, XXE): refused before any entity is read. */
        DOCTYPE_FORBIDDEN,
        /** The root element is not a SAML 2.0 protocol {@code Response} (or its Version is not 2.0). */
        NOT_A_SAML2_RESPONSE,
        /** The Response's top-level StatusCode is not Success. */
        STATUS_NOT_SUCCESS,
        /** Not exactly one Assertion or EncryptedAssertion as a direct child of the Response. */
        ASSERTION_COUNT,
        /** An Assertion, Response or EncryptedAssertion sits somewhere other than its one place (wrapping). */
        WRAPPED_CONTENT,
        /** Two elements carry the same ID, so a signature reference could resolve to either (wrapping). */
        DUPLICATE_ID,
        /** A Signature elsewhere than the Response or the Assertion, or more than one on either. */
        UNEXPECTED_SIGNATURE,
        /** Neither the Assertion nor the Response that contains it is signed. */
        UNSIGNED,
        /** A signature breaks the SAML signature profile (one Reference to the parent's ID, enveloped + exc-c14n). */
        SIGNATURE_PROFILE,
        /** A signature, digest, canonicalization or encryption algorithm outside the allow-list. */
        DISALLOWED_ALGORITHM,
        /** The only trusted certificates that could verify use keys below the allowed size. */
        WEAK_KEY,
        /** No trusted certificate verifies the signature (altered content, or signed by someone else). */
        SIGNATURE_INVALID,
        /** An EncryptedAssertion arrived and no decryption key is configured. */
        NO_DECRYPTION_KEY,
        /** The EncryptedAssertion could not be decrypted with the configured key. */
        DECRYPTION_FAILED,
        /** The Response or Assertion Issuer is missing or not the configured IdP. */
        ISSUER_MISMATCH,
        /** The Response Destination is missing (on a signed Response) or not the ACS URL. */
        DESTINATION_MISMATCH,
        /** InResponseTo is not the request this login was expected to answer. */
        IN_RESPONSE_TO_MISMATCH,
        /** The Response answers no request, and unsolicited (IdP-initiated) Responses are not allowed. */
        UNSOLICITED_NOT_ALLOWED,
        /** The request this Response answers has already been answered once. */
        REQUEST_ALREADY_ANSWERED,
        /** The Assertion has no Subject with a NameID. */
        SUBJECT_MISSING,
        /** No bearer SubjectConfirmation. */
        NO_BEARER_CONFIRMATION,
        /** The bearer SubjectConfirmationData is missing, has a NotBefore, or lacks NotOnOrAfter. */
        BEARER_DATA_INVALID,
        /** The bearer SubjectConfirmationData Recipient is not the ACS URL. */
        RECIPIENT_MISMATCH,
        /** The bearer SubjectConfirmationData NotOnOrAfter has passed (beyond the allowed skew). */
        CONFIRMATION_EXPIRED,
        /** The Assertion has no Conditions, or a condition this validator does not understand. */
        CONDITIONS_INVALID,
        /** Conditions NotBefore (or the IssueInstant) is still in the future (beyond the allowed skew). */
        NOT_YET_VALID,
        /** Conditions NotOnOrAfter has passed (beyond the allowed skew). */
        EXPIRED,
        /** No AudienceRestriction, or one that does not name this SP's entity ID. */
        AUDIENCE_MISMATCH,
        /** The Assertion has no AuthnStatement, or its SessionNotOnOrAfter has passed. */
        AUTHN_STATEMENT_INVALID,
        /** This Assertion ID has been accepted before (replay). */
        REPLAYED,
        /** The replay cache could not record the Assertion (full or failing): refused rather than risk a replay. */
        REPLAY_CACHE_UNAVAILABLE
    }

    private final Reason reason;

    SamlValidationException(Reason reason, String message) {
        super(reason == Reason.NO_DECRYPTION_KEY ? Code.CONFIG : Code.INVALID,
                Objects.requireNonNull(reason, "reason") + ": " + message);
        this.reason = reason;
    }

    /** Which check refused the Response. */
    public Reason reason() {
        return reason;
    }
}
