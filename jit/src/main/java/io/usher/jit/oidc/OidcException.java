package io.usher.jit.oidc;

import io.usher.core.UsherException;
import java.util.Objects;

/**
 * An OpenID Connect login or provider document refused, with the {@link Reason} (which check failed) a
 * program can act on. Messages name the claim or field, never the token, a key or a claim's value.
 */
public final class OidcException extends UsherException {
    private static final long serialVersionUID = 1L;

    /** Which check failed. */
    public enum Reason {
        /** The token is not a JWT (or a claim has the wrong type). */
        MALFORMED,
        /** The token or a fetched document is larger than allowed. */
        TOO_LARGE,
        /** {@code alg: none}: an unsigned token. */
        UNSIGNED,
        /** The header's {@code typ} says another kind of JWT (an access token, a logout token, a security event). */
        WRONG_TOKEN_TYPE,
        /** The algorithm is not on the allow-list (every HS* is off it: a public key is never a MAC secret). */
        ALG_NOT_ALLOWED,
        /** No key of the provider's JWKS has the token's {@code kid}, even after a refresh. */
        UNKNOWN_KEY,
        /** The key with the token's {@code kid} does not fit the algorithm (type, curve, {@code alg} or {@code use}). */
        KEY_MISMATCH,
        /** The signature does not verify. */
        BAD_SIGNATURE,
        /** An encrypted token that could not be decrypted, or used a refused encryption algorithm. */
        DECRYPTION_FAILED,
        /** An encrypted token whose content is not a signed JWT. */
        ENCRYPTED_NOT_SIGNED,
        /** A required claim is missing ({@code iss}, {@code sub}, {@code aud}, {@code exp}, {@code iat}). */
        MISSING_CLAIM,
        /** {@code iss} is not the configured issuer. */
        WRONG_ISSUER,
        /** {@code aud} does not contain the client id. */
        WRONG_AUDIENCE,
        /** {@code azp} is not the client id, or is missing with several audiences. */
        WRONG_AUTHORIZED_PARTY,
        /** {@code exp} has passed (beyond the allowed skew). */
        EXPIRED,
        /** {@code nbf} is still ahead (beyond the allowed skew). */
        NOT_YET_VALID,
        /** {@code iat} is in the future (beyond the allowed skew). */
        ISSUED_IN_FUTURE,
        /** The login expected a nonce and the token has none. */
        NONCE_MISSING,
        /** The token's nonce is not the one this login sent. */
        NONCE_MISMATCH,
        /** The nonce (or the token itself) was already used for a login. */
        REPLAYED,
        /** {@code max_age} was sent and the token has no {@code auth_time}. */
        AUTH_TIME_MISSING,
        /** The authentication is older than {@code max_age} allows. */
        AUTH_TOO_OLD,
        /** {@code acr} is not one the login accepts. */
        ACR_NOT_ALLOWED,
        /** {@code at_hash} does not match the access token. */
        AT_HASH_MISMATCH,
        /** UserInfo answered for another {@code sub}. */
        USERINFO_SUBJECT_MISMATCH,
        /** A provider endpoint (JWKS, discovery, UserInfo) could not be reached or answered with an error. */
        PROVIDER_UNAVAILABLE,
        /** A discovery document is invalid (wrong issuer, missing or insecure endpoint, not JSON). */
        BAD_DISCOVERY
    }

    private final Reason reason;

    OidcException(Reason reason, String message) {
        super(reason == Reason.PROVIDER_UNAVAILABLE ? Code.SOURCE_UNAVAILABLE : Code.INVALID,
                reason + ": " + message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    OidcException(Reason reason, String message, Throwable cause) {
        super(reason == Reason.PROVIDER_UNAVAILABLE ? Code.SOURCE_UNAVAILABLE : Code.INVALID,
                reason + ": " + message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Which check failed. */
    public Reason reason() {
        return reason;
    }
}
