package io.usher.jit.oidc;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What one login expects of its ID token: the nonce it sent (bound to the browser session that started the
 * login), and optionally the {@code max_age} it sent, the {@code acr} values it accepts and the access token
 * the token endpoint returned with the ID token (checked against {@code at_hash} when the token has one).
 *
 * <p>Immutable and thread-safe.
 *
 * @param nonce       the nonce sent in the authorization request (null only via {@link #withoutNonce()})
 * @param maxAge      the {@code max_age} sent, or null
 * @param acceptedAcr the {@code acr} values accepted (empty: any)
 * @param accessToken the access token issued with the ID token, or null
 */
public record IdTokenExpectations(String nonce, Duration maxAge, Set<String> acceptedAcr, String accessToken) {

    public IdTokenExpectations {
        if (maxAge != null && maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must be zero or more");
        }
        acceptedAcr = acceptedAcr == null ? Set.of() : Set.copyOf(acceptedAcr);
    }

    /** A login that sent this nonce (the usual case; the token must carry it). */
    public static IdTokenExpectations nonce(String nonce) {
        Objects.requireNonNull(nonce, "nonce");
        if (nonce.isEmpty()) {
            throw new IllegalArgumentException("nonce must not be empty");
        }
        return new IdTokenExpectations(nonce, null, Set.of(), null);
    }

    /**
     * A login that sent no nonce. Weaker: only the token's own single use protects against replay. Prefer
     * {@link #nonce(String)}.
     */
    public static IdTokenExpectations withoutNonce() {
        return new IdTokenExpectations(null, null, Set.of(), null);
    }

    /** The {@code max_age} the request sent: {@code auth_time} becomes required and must be within it. */
    public IdTokenExpectations withMaxAge(Duration value) {
        return new IdTokenExpectations(nonce, Objects.requireNonNull(value, "maxAge"), acceptedAcr, accessToken);
    }

    public IdTokenExpectations withAcceptedAcr(String... values) {
        return new IdTokenExpectations(nonce, maxAge, Set.of(values), accessToken);
    }

    public IdTokenExpectations withAccessToken(String value) {
        return new IdTokenExpectations(nonce, maxAge, acceptedAcr, Objects.requireNonNull(value, "accessToken"));
    }

    @Override
    public String toString() {
        return "IdTokenExpectations[nonce=" + (nonce == null ? "none" : "set") + ", maxAge=" + maxAge
                + ", acceptedAcr=" + acceptedAcr + ", accessToken=" + (accessToken == null ? "none" : "set") + "]";
    }
}
