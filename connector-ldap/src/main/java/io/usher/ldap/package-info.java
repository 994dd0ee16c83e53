/**
 * The LDAP and Active Directory source connector: paged snapshots, incremental reads (AD uSNChanged,
 * OpenLDAP modifyTimestamp), nested groups, ranged retrieval of large AD groups, presets for AD and
 * OpenLDAP-style servers. Built on the UnboundID LDAP SDK.
 */
package io.usher.ldap;
