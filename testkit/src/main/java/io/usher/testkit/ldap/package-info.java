/**
 * The {@link io.usher.testkit.InMemoryDirectory} served over LDAP on a loopback port, for testing LDAP and
 * Active Directory connectors without a real server.
 *
 * <p>{@link io.usher.testkit.ldap.LdapDirectoryServer} wraps UnboundID's in-memory directory server in an
 * OpenLDAP-like or an Active-Directory-like flavour, keeps it in step with the directory's change log
 * before every search, and injects faults (dropped connections, slow entries, BUSY/UNAVAILABLE results).
 * {@link io.usher.testkit.ldap.LdapDirectoryExtension} starts one per JUnit 5 test class;
 * {@link io.usher.testkit.ldap.AdGuid} converts objectGUID bytes.
 *
 * <h2>OpenLDAP layout</h2>
 * <ul>
 *   <li>Base {@code dc=usher,dc=test}; admin {@code cn=admin,dc=usher,dc=test}.
 *   <li>Users {@code uid=<loginName>,ou=people,dc=usher,dc=test}, objectClass top, person,
 *       organizationalPerson, inetOrgPerson: {@code uid}; {@code cn} (displayName, else loginName);
 *       {@code sn} (familyName, else loginName); {@code givenName}; {@code mail} (every email);
 *       {@code employeeType: guest} or {@code service} by kind; every other directory attribute under its own
 *       name. Operational, as in OpenLDAP (ask for them by name or {@code +}): {@code entryUUID} = the
 *       directory id, {@code createTimestamp}, {@code modifyTimestamp} (generalized time to the second,
 *       {@code 20260102030405Z}, set on every change), {@code pwdAccountLockedTime: 000001010000Z} on
 *       disabled users.
 *   <li>Groups {@code cn=<name>,ou=groups,dc=usher,dc=test}, objectClass top, groupOfNames: {@code cn},
 *       {@code description}, {@code member} (DNs of member users and groups; absent when empty),
 *       operational {@code entryUUID}, {@code createTimestamp}, {@code modifyTimestamp} (a membership change
 *       stamps the group).
 * </ul>
 *
 * <h2>Active Directory layout</h2>
 * <ul>
 *   <li>Base {@code DC=usher,DC=test}; admin {@code CN=Administrator,CN=Users,DC=usher,DC=test}.
 *   <li>Users {@code CN=<loginName>,OU=Users,DC=usher,DC=test}, objectClass top, person,
 *       organizationalPerson, user: {@code cn}, {@code sAMAccountName} = loginName,
 *       {@code userPrincipalName} = loginName@usher.test, {@code displayName}, {@code givenName},
 *       {@code sn} (each only if set), {@code mail} (first email), {@code objectGUID} (16 bytes, see
 *       {@link io.usher.testkit.ldap.AdGuid}), {@code userAccountControl} 512 or 514 (disabled: bit 0x2),
 *       {@code memberOf} (direct groups), {@code uSNCreated}, {@code uSNChanged}, {@code whenCreated},
 *       {@code whenChanged} ({@code 20260102030405.0Z}), {@code employeeType: guest|service}, every other
 *       directory attribute under its own name.
 *   <li>Groups {@code CN=<name>,OU=Groups,DC=usher,DC=test}, objectClass top, group: {@code cn},
 *       {@code sAMAccountName} = name, {@code description}, {@code member}, {@code memberOf} (parent groups,
 *       as AD has), {@code objectGUID}, {@code groupType: -2147483646}, {@code uSNCreated},
 *       {@code uSNChanged}, {@code whenCreated}, {@code whenChanged}.
 *   <li>The USN counter rises by one per applied directory change (and by one per entry at load); every
 *       entry that change rewrote gets the new value. As in AD, back-links do not count: a membership change
 *       stamps the group, not the member whose {@code memberOf} changed, and a rename rewrites {@code member}
 *       values elsewhere without stamping those groups. The root DSE shows {@code highestCommittedUSN}
 *       (live), {@code defaultNamingContext}, {@code dsServiceName} (the NTDS Settings entry, which holds a
 *       16-byte {@code invocationId}), {@code supportedCapabilities} with AD's 1.2.840.113556.1.4.800, and
 *       supported controls including paged results (1.2.840.113556.1.4.319) and show-deleted
 *       (1.2.840.113556.1.4.417).
 *   <li><b>Ranged retrieval</b> (MaxValRange 1500): a requested attribute {@code member;range=<lo>-<hi>} or
 *       {@code member;range=<lo>-*} (any case) returns at most 1500 values from {@code lo} as
 *       {@code member;range=<lo>-<hi>}, or {@code member;range=<lo>-*} for the last chunk; a group with more
 *       than 1500 members asked for {@code member}, {@code *} or no attributes returns
 *       {@code member;range=0-1499} instead of {@code member}. Values come in a stable order.
 *   <li><b>Tombstones</b>: a deleted user or group moves to
 *       {@code CN=<cn>\0ADEL:<guid>,CN=Deleted Objects,DC=usher,DC=test} with {@code isDeleted: TRUE}, the
 *       same {@code objectGUID}, a new {@code uSNChanged} (and {@code whenChanged}; {@code uSNCreated},
 *       {@code whenCreated} kept), {@code objectClass}, {@code cn}, {@code lastKnownParent},
 *       {@code sAMAccountName}, and nothing else (no {@code member}, {@code memberOf}, {@code mail}, ...). Searches see them, and the Deleted Objects container, only when they carry the
 *       show-deleted control (critical or not).
 * </ul>
 *
 * <h2>Both flavours</h2>
 * <ul>
 *   <li>Simple Paged Results work (the in-memory server answers each page by re-running the search, so use
 *       big pages for big directories).
 *   <li>Two directory users whose login names differ only in case ({@code jdoe}, {@code JDoe}) cannot share
 *       a DN: the later one is served as {@code uid=JDoe+entryUUID=<id>} (OpenLDAP) or
 *       {@code CN=JDoe (<id>)} (AD; {@code sAMAccountName} stays {@code JDoe}). The same holds for groups.
 *   <li>Directory attributes whose names are not LDAP descriptors (letter, then letters, digits, hyphens)
 *       or that collide with a layout attribute are not served.
 *   <li>Matching follows the schema: {@code uSNChanged}, {@code userAccountControl} compare as integers,
 *       timestamps as generalized time, {@code objectGUID} as octets, {@code entryUUID} as a UUID, DNs as DNs.
 *       AD's bitwise matching rule (1.2.840.113556.1.4.803) is not supported: such a filter fails with
 *       {@code inappropriateMatching}; read {@code userAccountControl} and test the bit client-side.
 * </ul>
 */
package io.usher.testkit.ldap;
