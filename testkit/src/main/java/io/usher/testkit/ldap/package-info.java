/**
 * The {@link io.usher.testkit.InMemoryDirectory} served over LDAP on a loopback port, for testing LDAP and
 * Active Directory connectors without a real server.
 *
 * <p>{@link io.usher.testkit.ldap.LdapDirectoryServer} wraps UnboundID's in-memory directory server in an
 * OpenLDAP-like or an Active-Directory-like flavour (entryUUID and modifyTimestamp; or objectGUID,
 * uSNChanged, ranged {@code member} retrieval at MaxValRange 1500, tombstones under Deleted Objects), keeps
 * it in step with the directory's change log before every search, and injects faults (dropped connections,
 * slow entries, BUSY/UNAVAILABLE results). {@link io.usher.testkit.ldap.LdapDirectoryExtension} starts one
 * per JUnit 5 test class; {@link io.usher.testkit.ldap.AdGuid} converts objectGUID bytes.
 */
package io.usher.testkit.ldap;
