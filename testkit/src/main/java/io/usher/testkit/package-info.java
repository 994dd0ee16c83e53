/**
 * What host projects and connector authors test with: {@link io.usher.testkit.InMemoryDirectory} (a model of
 * an identity provider's directory), {@link io.usher.testkit.DirectoryGenerator} (seeded organisations of any
 * size), {@link io.usher.testkit.InMemorySourceConnector} (the directory served to the engine), and the
 * abstract contract tests {@link io.usher.testkit.UserStoreContract} and
 * {@link io.usher.testkit.SourceConnectorContract}.
 */
package io.usher.testkit;
