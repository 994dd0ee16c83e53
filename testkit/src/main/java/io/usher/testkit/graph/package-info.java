/**
 * A stateful fake of Microsoft Graph and the Entra ID token endpoint over an
 * {@link io.usher.testkit.InMemoryDirectory}: {@link io.usher.testkit.graph.GraphServer} serves users, groups,
 * members and delta queries with the documented shapes, validates client secrets and certificate client
 * assertions, and injects throttling, server errors and expired tokens. {@link io.usher.testkit.graph.SelfSignedCertificate}
 * makes the certificates such tests need.
 */
package io.usher.testkit.graph;
