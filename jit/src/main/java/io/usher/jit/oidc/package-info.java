/**
 * OpenID Connect logins: {@link io.usher.jit.oidc.OidcValidator} checks an ID token (signature by a key from
 * the provider's JWKS, algorithm allow-list, issuer, audience, authorized party, times with skew on an injected
 * clock, nonce bound to the login and single-use, {@code auth_time} against {@code max_age}, {@code acr},
 * {@code at_hash}) and turns it into a {@link io.usher.jit.VerifiedLogin}; it can also call UserInfo, whose
 * {@code sub} must match. {@link io.usher.jit.oidc.OidcProviderMetadata} loads and checks a discovery
 * document; {@link io.usher.jit.oidc.AuthorizationRequest} builds the redirect to the provider with state,
 * nonce and PKCE. Every refusal is an {@link io.usher.jit.oidc.OidcException} with a machine-readable
 * {@link io.usher.jit.oidc.OidcException.Reason}; no message ever contains a token.
 */
package io.usher.jit.oidc;
