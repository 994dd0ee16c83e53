/**
 * Just-in-time provisioning from SAML and OIDC logins, inactive-user cleanup, and websudo re-authentication at
 * the IdP.
 *
 * <p>Validators ({@link io.usher.jit.oidc.OidcValidator}, and the SAML validator) turn a login proof into a
 * {@link io.usher.jit.VerifiedLogin}; {@link io.usher.jit.JitProvisioner} applies it to the host's store through
 * the engine's push entry point per a {@link io.usher.jit.JitPolicy} and records the login in a
 * {@link io.usher.jit.LastLoginStore}; {@link io.usher.jit.InactiveUserCleanup} deactivates users who stopped
 * signing in; {@link io.usher.jit.Websudo} re-authenticates administrators at their IdP and keeps the window in
 * the host's {@link io.usher.jit.WebsudoSessions}. Each validator also offers a dry run ({@code trace}) that
 * records every check as a {@link io.usher.jit.ValidationTrace}; {@link io.usher.jit.explain} builds on it to
 * explain a login without changing anything.
 */
package io.usher.jit;
