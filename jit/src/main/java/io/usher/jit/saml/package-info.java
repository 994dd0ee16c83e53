/**
 * SAML 2.0 Web Browser SSO for the service provider side: {@link io.usher.jit.saml.SamlResponseValidator} turns a
 * POSTed {@code SAMLResponse} into a {@link io.usher.jit.VerifiedLogin} or refuses it with a
 * {@link io.usher.jit.saml.SamlValidationException} naming the check that failed;
 * {@link io.usher.jit.saml.SamlAuthnRequest} starts a login (or a websudo re-authentication with ForceAuthn).
 * OpenSAML does the XML and the cryptography behind these types and never appears in their signatures.
 */
package io.usher.jit.saml;
