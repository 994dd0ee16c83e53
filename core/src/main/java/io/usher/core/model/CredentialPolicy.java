package io.usher.core.model;

/**
 * How a user may prove who they are to the host: the host reads it from {@link User#credentials()} at its
 * password login, password reset and "set a password" flows. Usher sets it on every user a source creates
 * or updates (the source's setting; see {@code Source.Builder.credentials}); local users (no origin) are
 * always {@link #HOST}.
 *
 * <p>Why it exists: a user that arrives by SSO (a SAML or OIDC login, SCIM, a sync from Entra ID, Google
 * Workspace or Okta) has no password the host should know. Without this mark a host typically lets such a
 * user set a local password through "forgot password", and that password keeps working after the identity
 * provider has disabled the account or enforced MFA.
 *
 * <pre>{@code
 * // the host's password login and reset
 * if (user.credentials() == CredentialPolicy.SSO_ONLY) {
 *     throw new LoginRefused("this account signs in through your organisation's SSO");
 * }
 * }</pre>
 */
public enum CredentialPolicy {

    /**
     * Usher makes no claim: the host authenticates the user as it would any user of its own — a local
     * password, a bind against the directory the user was synced from (the usual choice for LDAP and
     * Active Directory), or SSO. The default for local users and for LDAP sources.
     */
    HOST,

    /**
     * The user signs in only through the identity provider (SAML or OIDC). The host should:
     * <ul>
     *   <li>refuse a local password login, even when a password hash is stored (for instance one set before
     *       the user was linked to the source);
     *   <li>refuse password reset, "set a password" and password change, and send no reset email;
     *   <li>send re-authentication (websudo) to the identity provider, as {@code io.usher.jit.Websudo} does.
     * </ul>
     * The default for push sources (SCIM, JIT) and for the Entra ID, Google Workspace and Okta connectors.
     */
    SSO_ONLY
}
