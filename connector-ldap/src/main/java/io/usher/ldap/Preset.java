package io.usher.ldap;

import java.util.List;

/**
 * Defaults for the two families of directory servers: which attribute is the immutable id, which the
 * login, how users and groups are found, how membership and "disabled" are expressed. Every default can be
 * overridden in {@link LdapConfig}.
 */
public enum Preset {
    /** Microsoft Active Directory (and Samba AD): objectGUID, sAMAccountName, userAccountControl, member. */
    ACTIVE_DIRECTORY("objectGUID", true, "sAMAccountName",
            "(&(objectClass=user)(!(objectClass=computer)))", "(objectClass=group)", List.of("member"),
            "displayName", "memberOf"),
    /** OpenLDAP, 389-DS, FreeIPA: entryUUID, uid, inetOrgPerson, groupOfNames/groupOfUniqueNames/posixGroup. */
    OPENLDAP("entryUUID", false, "uid", "(objectClass=inetOrgPerson)",
            "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)(objectClass=posixGroup))",
            List.of("member", "uniqueMember", "memberUid"), "cn", "memberOf");

    final String idAttribute;
    final boolean binaryGuid;
    final String loginAttribute;
    final String userFilter;
    final String groupFilter;
    final List<String> memberAttributes;
    final String displayNameAttribute;
    final String memberOfAttribute;

    Preset(String idAttribute, boolean binaryGuid, String loginAttribute, String userFilter, String groupFilter,
           List<String> memberAttributes, String displayNameAttribute, String memberOfAttribute) {
        this.idAttribute = idAttribute;
        this.binaryGuid = binaryGuid;
        this.loginAttribute = loginAttribute;
        this.userFilter = userFilter;
        this.groupFilter = groupFilter;
        this.memberAttributes = memberAttributes;
        this.displayNameAttribute = displayNameAttribute;
        this.memberOfAttribute = memberOfAttribute;
    }
}
