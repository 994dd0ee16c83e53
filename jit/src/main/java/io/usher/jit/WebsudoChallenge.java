package io.usher.jit;

import java.time.Instant;
import java.util.Objects;

/**
 * One pending websudo re-authentication, bound to the admin and the session that asked for it. Its {@code id} is
 * the OIDC {@code state} or the SAML AuthnRequest ID (it starts with '_' so it is a valid XML ID); {@code nonce}
 * is the OIDC nonce. Both are 256-bit random values; keep them server side or in the redirect only.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id        the challenge id (OIDC state, SAML request ID)
 * @param nonce     the OIDC nonce
 * @param sessionId the host session that began it
 * @param userKey   the admin's store key
 * @param issuer    the IdP that must answer (from the admin's JIT source)
 * @param subject   the admin's subject at that IdP (the origin's external id)
 * @param issuedAt  when it began: the IdP's authentication must not be older
 * @param expiresAt when an answer is no longer accepted
 */
public record WebsudoChallenge(String id, String nonce, String sessionId, String userKey, String issuer,
                               String subject, Instant issuedAt, Instant expiresAt) {

    public WebsudoChallenge {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(userKey, "userKey");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "WebsudoChallenge[user=" + userKey + ", issuer=" + issuer + ", issuedAt=" + issuedAt + ", expiresAt="
                + expiresAt + "]"; // id and nonce are secrets
    }
}
