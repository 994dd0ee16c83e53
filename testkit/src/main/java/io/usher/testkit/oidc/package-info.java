/**
 * A fake OpenID Connect provider over an {@link io.usher.testkit.InMemoryDirectory}: serves discovery, JWKS
 * (with key rotation) and UserInfo on loopback with the JDK's HTTP server, and signs ID tokens for the
 * directory's users — valid ones, and the broken variants relying parties must refuse (alg none, HS256 keyed
 * with the public key, wrong audience or issuer, expired, wrong nonce, unknown key, encrypted but unsigned).
 *
 * <p>Start one with {@link io.usher.testkit.oidc.OidcProvider#start}; mint tokens with
 * {@link io.usher.testkit.oidc.OidcProvider#idToken(String)}.
 */
package io.usher.testkit.oidc;
