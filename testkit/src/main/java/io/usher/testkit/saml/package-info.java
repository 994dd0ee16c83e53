/**
 * A fake SAML 2.0 identity provider over {@link io.usher.testkit.InMemoryDirectory} users: {@link
 * io.usher.testkit.saml.SamlIdp} issues real signed (and optionally encrypted) Responses, answers AuthnRequests
 * (ForceAuthn, or an IdP that silently reuses its session), and {@link io.usher.testkit.saml.SamlAttacks} turns a
 * valid Response into the classic attacks (XSW permutations, comment injection, DOCTYPE/XXE, tampering).
 * {@link io.usher.testkit.saml.TestKeys} makes RSA/EC key pairs with self-signed certificates for tests.
 */
package io.usher.testkit.saml;
