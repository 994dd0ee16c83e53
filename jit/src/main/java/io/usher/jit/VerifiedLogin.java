package io.usher.jit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A login whose proof (a SAML Response or an OIDC ID token) has passed every check: what the identity provider
 * says about the person who just signed in. Only validators in this module make these; JIT provisioning and
 * websudo consume them, so both routes (SAML and OIDC) meet in one type.
 *
 * <p>Immutable and thread-safe.
 *
 * @param protocol        which route proved the login
 * @param issuer          the identity provider's entity ID (SAML) or issuer URL (OIDC)
 * @param subject         the IdP's identifier of the person (SAML NameID value, OIDC {@code sub})
 * @param proofId         the proof's own ID (SAML Assertion ID, or OIDC {@code jti} or a digest of the token),
 *                        for replay detection and audit; never the proof itself
 * @param authenticatedAt when the person authenticated at the IdP (SAML AuthnInstant, OIDC {@code auth_time};
 *                        the issue instant when the IdP gives none)
 * @param inResponseTo    the request this login answers (SAML InResponseTo, OIDC {@code nonce}), or null when
 *                        IdP-initiated
 * @param attributes      every attribute or claim, by name, values as strings (group claims included)
 * @param dryRun          true for the login of a validator's dry run ({@link ValidationTrace#login()}): its proof was
 *                        not recorded as used and some checks may not have been made, so {@link JitProvisioner} and
 *                        {@link Websudo} refuse it; false for {@code validate}'s answer
 */
public record VerifiedLogin(
        Protocol protocol,
        String issuer,
        String subject,
        String proofId,
        Instant authenticatedAt,
        String inResponseTo,
        Map<String, List<String>> attributes,
        boolean dryRun) {

    /** The login routes. */
    public enum Protocol { SAML, OIDC }

    public VerifiedLogin {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(proofId, "proofId");
        Objects.requireNonNull(authenticatedAt, "authenticatedAt");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        attributes.values().forEach(Objects::requireNonNull);
        attributes = attributes.entrySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                Map.Entry::getKey, e -> List.copyOf(e.getValue())));
    }

    /** A login that passed every check of {@code validate} (not a dry run's). */
    public VerifiedLogin(Protocol protocol, String issuer, String subject, String proofId, Instant authenticatedAt,
                         String inResponseTo, Map<String, List<String>> attributes) {
        this(protocol, issuer, subject, proofId, authenticatedAt, inResponseTo, attributes, false);
    }

    /** The same login marked as a dry run's (itself when it is one). */
    VerifiedLogin asDryRun() {
        return dryRun ? this : new VerifiedLogin(protocol, issuer, subject, proofId, authenticatedAt, inResponseTo,
                attributes, true);
    }

    /** The first value of an attribute, or null. */
    public String first(String name) {
        List<String> values = attributes.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
