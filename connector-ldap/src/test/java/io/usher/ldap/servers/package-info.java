/**
 * Real LDAP servers for tests. {@link io.usher.ldap.servers.Slapd} is a private OpenLDAP slapd
 * (Debian {@code slapd} 2.5; {@code .ci/run} installs it); {@link io.usher.ldap.servers.SlapdExtension}
 * starts one per test class, skips loudly without slapd, fails under {@code CI=true}.
 *
 * <p>What a connector must know about this server (each shown in {@code SlapdTest}):
 * <ul>
 *   <li>{@code entryUUID}, {@code modifyTimestamp}, {@code createTimestamp}, {@code entryCSN} and
 *       {@code pwdAccountLockedTime} are operational: request them by name (or {@code "+"}) next to
 *       {@code "*"}, else they are not returned. entryUUID is a string UUID, stable across modrdn and
 *       moves, and indexed (searchable by equality).</li>
 *   <li>{@code modifyTimestamp} has one-second resolution: a cursor on it needs {@code >=} and a margin,
 *       and sees the same entries again.</li>
 *   <li>Content sync (RFC 4533, syncprov with a session log): refreshOnly with the stored cookie returns
 *       changed/added/renamed entries with state ADD (not MODIFY) and the deletes as a syncIdSet
 *       intermediate response with refreshDeletes=true (entryUUIDs only, no DNs); the new cookie comes
 *       in the SyncDone control. (Per OpenLDAP docs, not tested here: a cookie older than the session log gets a present phase instead.)</li>
 *   <li>No refint and no memberOf overlay: renaming a user leaves groups' {@code member} values on the
 *       old DN, and users carry no {@code memberOf}; resolve membership from the groups.
 *       {@code groupOfNames} must have at least one {@code member}.</li>
 *   <li>Anonymous bind is refused (result 48, inappropriateAuthentication); only the root DSE and subschema are readable unbound.
 *       The rootdn has no size limit; other users 500 per page/search but unlimited in total when paging.</li>
 * </ul>
 */
package io.usher.ldap.servers;
