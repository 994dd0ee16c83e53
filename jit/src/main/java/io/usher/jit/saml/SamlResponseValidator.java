package io.usher.jit.saml;

import io.usher.jit.ValidationTrace;
import io.usher.jit.VerifiedLogin;
import java.util.Objects;

/**
 * Validates a SAML 2.0 Response that arrived at the Assertion Consumer Service by the HTTP-POST binding and turns
 * it into a {@link VerifiedLogin}, or refuses it with a {@link SamlValidationException} whose
 * {@link SamlValidationException#reason() reason} names the failed check.
 *
 * <p>What it does, in order: decodes the base64 form value (size-limited, never inflated); parses it once with a
 * hardened parser (no DOCTYPE, no external entities, comments dropped); refuses wrapped structures (a second
 * Assertion or Response anywhere, duplicate IDs, signatures out of place); checks Status, then every signature
 * present (SAML signature profile, allow-listed algorithms, verified only against the configured certificates);
 * decrypts an EncryptedAssertion with the SP key; requires the Assertion to be signed or to be the direct child of
 * the signed Response; checks Issuer, Destination, InResponseTo, the bearer SubjectConfirmation, Conditions with
 * Audience, the AuthnStatement, all on the configured clock with the configured skew; records the Assertion ID in
 * the replay cache. Every value in the result is read from the very Assertion object whose signature was checked.
 *
 * <pre>{@code
 * SamlResponseValidator validator = SamlResponseValidator.create(config);   // once, at start-up
 * // in the ACS endpoint:
 * VerifiedLogin login = validator.validate(request.getParameter("SAMLResponse"), session.requestId());
 * }</pre>
 *
 * Thread-safe: one instance serves every request.
 */
public final class SamlResponseValidator {
    private final SamlConfig config;

    private SamlResponseValidator(SamlConfig config) {
        this.config = config;
        OpenSaml.ensureInitialized();
    }

    /** A validator for this service provider and IdP. Initialises OpenSAML on first use (once per JVM). */
    public static SamlResponseValidator create(SamlConfig config) {
        return new SamlResponseValidator(Objects.requireNonNull(config, "config"));
    }

    public SamlConfig config() {
        return config;
    }

    /**
     * Validates a Response that must answer the AuthnRequest with ID {@code expectedInResponseTo} (the ID the
     * host stored in the user's session when it sent the request). The request then counts as answered: a second
     * Response to it is refused.
     *
     * @param samlResponseBase64   the {@code SAMLResponse} form value as POSTed
     * @param expectedInResponseTo the request ID this login must answer, or null to accept only an unsolicited
     *                             (IdP-initiated) Response, and only when the config allows those
     * @throws SamlValidationException when any check fails; nothing else is thrown
     */
    public VerifiedLogin validate(String samlResponseBase64, String expectedInResponseTo) {
        return new ResponseCheck(config, expectedInResponseTo).run(samlResponseBase64);
    }

    /** Validates an unsolicited (IdP-initiated) Response; refused unless the config allows them. */
    public VerifiedLogin validate(String samlResponseBase64) {
        return validate(samlResponseBase64, null);
    }

    /**
     * A dry run of {@link #validate(String, String)}: the same checks, in the same order, each recorded with its
     * verdict; the first refusal ends it as {@code validate} would end (same reason code), the checks after it are
     * {@code NOT_REACHED}. Nothing is used up: the replay cache is only looked at ({@link SamlReplayCache#peek}),
     * so the request stays unanswered and the Assertion unused. For explaining a login to an administrator
     * ({@code io.usher.jit.explain.LoginExplainer}); never sign anyone in on a trace's login.
     */
    public ValidationTrace trace(String samlResponseBase64, String expectedInResponseTo) {
        return ResponseCheck.trace(config, samlResponseBase64, expectedInResponseTo, false);
    }

    /**
     * A dry run for a Response whose request is not known (an administrator pasting a captured Response): as
     * {@link #trace(String, String)}, but InResponseTo and the request's single use are reported as not checked.
     */
    public ValidationTrace traceWithoutRequest(String samlResponseBase64) {
        return ResponseCheck.trace(config, samlResponseBase64, null, true);
    }
}
