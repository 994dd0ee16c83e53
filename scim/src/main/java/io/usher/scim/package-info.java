/**
 * SCIM 2.0 server resources (RFC 7643/7644) for any JAX-RS runtime. The API: {@link io.usher.scim.ScimServer}
 * (built over a {@link io.usher.core.ProvisioningEngine} and one push source), the pluggable
 * {@link io.usher.scim.ScimAuthenticator} with the built-in {@link io.usher.scim.BearerTokenAuthenticator},
 * {@link io.usher.scim.ScimCaller} for audit, and {@link io.usher.scim.ScimException}. Exposure hardening: tokens
 * kept as digests ({@link io.usher.scim.ScimToken}) in a {@link io.usher.scim.ScimTokenStore} (SPI; the built-in
 * {@link io.usher.scim.InMemoryScimTokenStore}), {@link io.usher.scim.ScimScope scopes}, a client
 * {@link io.usher.scim.IpAllowList} and a per-token {@link io.usher.scim.RateLimit}. The protocol layer lives in
 * {@code filter}, {@code schema} and {@code patch}; the resources' implementation in {@code internal}.
 */
package io.usher.scim;
