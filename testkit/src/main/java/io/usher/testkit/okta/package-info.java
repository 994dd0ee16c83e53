/**
 * A stateful fake of the Okta management API over {@link io.usher.testkit.InMemoryDirectory}:
 * {@link io.usher.testkit.okta.OktaServer} serves users, groups, group members and the System Log with Okta's
 * paging ({@code Link} headers, opaque {@code after} cursors), filters, rate-limit headers and 429s, SSWS API
 * tokens and OAuth 2.0 service apps ({@code private_key_jwt}, scopes, DPoP with nonce), on a loopback port.
 */
package io.usher.testkit.okta;
