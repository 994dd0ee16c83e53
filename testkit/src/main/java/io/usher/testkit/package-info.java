/**
 * Testkit: what Usher's own tests and host test suites need to exercise identity sync without a real
 * identity provider. {@link io.usher.testkit.InMemoryDirectory} models a provider's directory (users,
 * nested groups, a change log, fault injection); {@link io.usher.testkit.DirectoryGenerator} fills one with a
 * realistic, seeded organisation; {@link io.usher.testkit.InMemorySourceConnector} is the reference connector
 * over it (type {@code memory}); {@link io.usher.testkit.UserStoreContract} and
 * {@link io.usher.testkit.SourceConnectorContract} are abstract JUnit 5 tests that any
 * {@link io.usher.core.spi.UserStore} or {@link io.usher.core.spi.SourceConnector} implementation extends.
 */
package io.usher.testkit;
