package io.usher.core.audit;

/** How a change reached Usher. */
public enum AuditRoute {
    /** A sync run pulled it from a source's connector ({@code ProvisioningEngine.synchronize}). */
    SYNC,
    /** A SCIM client pushed it (module {@code usher-scim}). */
    SCIM,
    /** A SAML or OIDC login carried it (module {@code usher-jit}). */
    JIT,
    /** The host called {@code ProvisioningEngine.push} itself (or a component without a route of its own). */
    API
}
