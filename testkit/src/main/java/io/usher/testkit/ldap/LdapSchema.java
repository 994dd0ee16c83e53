package io.usher.testkit.ldap;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.schema.AttributeTypeDefinition;
import com.unboundid.ldap.sdk.schema.ObjectClassDefinition;
import com.unboundid.ldap.sdk.schema.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The schema a flavour is served with: UnboundID's standard schema, Active Directory's attribute types
 * (with their real OIDs, so that {@code uSNChanged>=N} compares as integers and {@code objectGUID} as
 * octets), and one attribute type per directory attribute name the standard schema lacks. The user object
 * class allows every such name, so that entries keep exactly the object classes real servers give them.
 *
 * <p>Why not serve without a schema: the in-memory server then compares every attribute as a case-ignore
 * string, so {@code (uSNChanged>=100)} misses 99 &lt; 100 and binary objectGUIDs can collide.
 *
 * <p>Not thread-safe: the replicator uses it under its own lock.
 */
final class LdapSchema {
    private static final String STRING = "EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch "
            + "SYNTAX 1.3.6.1.4.1.1466.115.121.1.15";
    private static final String INTEGER = "EQUALITY integerMatch ORDERING integerOrderingMatch "
            + "SYNTAX 1.3.6.1.4.1.1466.115.121.1.27";
    private static final String TIME = "EQUALITY generalizedTimeMatch ORDERING generalizedTimeOrderingMatch "
            + "SYNTAX 1.3.6.1.4.1.1466.115.121.1.24";
    private static final String OCTETS = "EQUALITY octetStringMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.40";
    private static final String DN_SYNTAX = "EQUALITY distinguishedNameMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.12";
    private static final String BOOLEAN = "EQUALITY booleanMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.7";
    /** RFC 5612's example enterprise number: OIDs for this test schema only. */
    private static final String CUSTOM_ARC = "1.3.6.1.4.1.32473.1.1.";

    private static final List<String> AD_TYPES = List.of(
            "( 1.2.840.113556.1.4.2 NAME 'objectGUID' " + OCTETS + " SINGLE-VALUE )",
            "( 1.2.840.113556.1.4.221 NAME 'sAMAccountName' " + STRING + " SINGLE-VALUE )",
            "( 1.2.840.113556.1.4.656 NAME 'userPrincipalName' " + STRING + " SINGLE-VALUE )",
            "( 1.2.840.113556.1.4.8 NAME 'userAccountControl' " + INTEGER + " SINGLE-VALUE )",
            "( 1.2.840.113556.1.4.750 NAME 'groupType' " + INTEGER + " SINGLE-VALUE )",
            "( 1.2.840.113556.1.2.102 NAME 'memberOf' " + DN_SYNTAX + " )",
            "( 1.2.840.113556.1.2.19 NAME 'uSNCreated' " + INTEGER + " SINGLE-VALUE )",
            "( 1.2.840.113556.1.2.120 NAME 'uSNChanged' " + INTEGER + " SINGLE-VALUE )",
            "( 1.2.840.113556.1.2.2 NAME 'whenCreated' " + TIME + " SINGLE-VALUE )",
            "( 1.2.840.113556.1.2.3 NAME 'whenChanged' " + TIME + " SINGLE-VALUE )",
            "( 1.2.840.113556.1.2.48 NAME 'isDeleted' " + BOOLEAN + " SINGLE-VALUE )",
            "( 1.2.840.113556.1.4.781 NAME 'lastKnownParent' " + DN_SYNTAX + " SINGLE-VALUE )",
            "( 1.2.840.113556.1.2.115 NAME 'invocationId' " + OCTETS + " SINGLE-VALUE )");
    private static final String PWD_LOCKED = "( 1.3.6.1.4.1.42.2.27.8.1.17 NAME 'pwdAccountLockedTime' " + TIME
            + " SINGLE-VALUE NO-USER-MODIFICATION USAGE directoryOperation )";

    private final LdapDirectoryServer.Flavour flavour;
    private final Schema standard = standardSchema();
    /** Lower-case names of every attribute type defined so far. */
    private final Set<String> defined = new LinkedHashSet<>();
    /** Directory attribute names the user class must allow, as first seen. */
    private final Map<String, String> extras = new LinkedHashMap<>();
    private int nextOid = 1;
    private Schema current;

    LdapSchema(LdapDirectoryServer.Flavour flavour) {
        this.flavour = flavour;
    }

    /** The schema for a server whose users carry these directory attribute names (already filtered). */
    Schema initial(Set<String> extraNames) {
        Entry e = standard.getSchemaEntry().duplicate();
        for (AttributeTypeDefinition t : standard.getAttributeTypes()) {
            for (String n : t.getNames()) {
                defined.add(n.toLowerCase(Locale.ROOT));
            }
        }
        List<String> types = new ArrayList<>();
        if (flavour == LdapDirectoryServer.Flavour.ACTIVE_DIRECTORY) {
            types.addAll(AD_TYPES);
        } else {
            types.add(PWD_LOCKED);
        }
        for (String t : types) {
            e.addAttribute("attributeTypes", t);
            defined.add(nameOf(t));
        }
        for (String n : extraNames) {
            String def = newTypeFor(n);
            if (def != null) {
                e.addAttribute("attributeTypes", def);
            }
        }
        for (String[] oc : objectClasses()) {
            ObjectClassDefinition old = standard.getObjectClass(oc[0]);
            if (old != null) {
                e.removeAttributeValue("objectClasses", old.toString());
            }
            e.addAttribute("objectClasses", oc[1]);
        }
        try {
            current = new Schema(e);
        } catch (RuntimeException ex) {
            throw new IllegalStateException("could not build the test schema", ex);
        }
        return current;
    }

    /**
     * The modifications of {@code cn=schema} that make these directory attribute names servable, or an empty
     * list if all are already.
     */
    List<Modification> extend(Set<String> names) throws LDAPException {
        List<String> types = new ArrayList<>();
        boolean newExtra = false;
        for (String n : names) {
            if (!extras.containsKey(n.toLowerCase(Locale.ROOT))) {
                newExtra = true;
                String def = newTypeFor(n);
                if (def != null) {
                    types.add(def);
                }
            }
        }
        if (!newExtra) {
            return List.of();
        }
        List<Modification> mods = new ArrayList<>();
        if (!types.isEmpty()) {
            mods.add(new Modification(ModificationType.ADD, "attributeTypes", types.toArray(String[]::new)));
        }
        String userClass = userClass();
        for (String[] oc : objectClasses()) {
            if (oc[0].equals(userClass)) {
                mods.add(new Modification(ModificationType.DELETE, "objectClasses",
                        current.getObjectClass(userClass).toString()));
                mods.add(new Modification(ModificationType.ADD, "objectClasses", oc[1]));
            }
        }
        return mods;
    }

    /** Records the schema the server holds after {@link #extend} was applied. */
    void applied(Schema now) {
        current = now;
    }

    private String newTypeFor(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        extras.putIfAbsent(lower, name);
        if (defined.contains(lower) || standard.getAttributeType(name) != null) {
            defined.add(lower);
            return null;
        }
        defined.add(lower);
        return "( " + CUSTOM_ARC + nextOid++ + " NAME '" + name + "' " + STRING + " )";
    }

    private String userClass() {
        return flavour == LdapDirectoryServer.Flavour.OPENLDAP ? "inetOrgPerson" : "user";
    }

    /** {name, definition} of every object class this flavour defines or redefines. */
    private List<String[]> objectClasses() {
        if (flavour == LdapDirectoryServer.Flavour.OPENLDAP) {
            List<String> may = new ArrayList<>(Arrays.asList(standard.getObjectClass("inetOrgPerson").getOptionalAttributes()));
            may.add("pwdAccountLockedTime");
            return List.of(
                    new String[] {"inetOrgPerson", "( 2.16.840.1.113730.3.2.2 NAME 'inetOrgPerson' SUP organizationalPerson"
                            + " STRUCTURAL MAY ( " + withExtras(may) + " ) )"},
                    // member is optional, as in 389-DS: a test directory has empty groups
                    new String[] {"groupOfNames", "( 2.5.6.9 NAME 'groupOfNames' SUP top STRUCTURAL MUST cn"
                            + " MAY ( member $ businessCategory $ seeAlso $ owner $ ou $ o $ description ) )"});
        }
        List<String> userMay = List.of("sAMAccountName", "userPrincipalName", "displayName", "givenName", "mail",
                "objectGUID", "userAccountControl", "memberOf", "uSNCreated", "uSNChanged", "whenCreated",
                "whenChanged", "employeeType", "isDeleted", "lastKnownParent");
        return List.of(
                // Active Directory's person needs only cn
                new String[] {"person", "( 2.5.6.6 NAME 'person' SUP top STRUCTURAL MUST cn"
                        + " MAY ( sn $ userPassword $ telephoneNumber $ seeAlso $ description ) )"},
                new String[] {"user", "( 1.2.840.113556.1.5.9 NAME 'user' SUP organizationalPerson STRUCTURAL"
                        + " MAY ( " + withExtras(userMay) + " ) )"},
                new String[] {"group", "( 1.2.840.113556.1.5.8 NAME 'group' SUP top STRUCTURAL MUST cn"
                        + " MAY ( sAMAccountName $ description $ member $ memberOf $ objectGUID $ groupType"
                        + " $ uSNCreated $ uSNChanged $ whenCreated $ whenChanged $ isDeleted $ lastKnownParent ) )"},
                new String[] {"container", "( 1.2.840.113556.1.3.23 NAME 'container' SUP top STRUCTURAL MUST cn"
                        + " MAY ( description $ isDeleted ) )"},
                new String[] {"nTDSDSA", "( 1.2.840.113556.1.5.7000.47 NAME 'nTDSDSA' SUP top STRUCTURAL MUST cn"
                        + " MAY ( invocationId $ objectGUID ) )"});
    }

    /** The names joined with {@code $}, then every directory attribute name not among them (ignoring case). */
    private String withExtras(List<String> names) {
        Map<String, String> all = new LinkedHashMap<>();
        for (String n : names) {
            all.putIfAbsent(n.toLowerCase(Locale.ROOT), n);
        }
        extras.forEach(all::putIfAbsent);
        return String.join(" $ ", all.values());
    }

    private static Schema standardSchema() {
        try {
            return Schema.getDefaultStandardSchema();
        } catch (LDAPException e) {
            throw new IllegalStateException("the SDK's standard schema did not load", e);
        }
    }

    private static String nameOf(String def) {
        int i = def.indexOf("NAME '") + 6;
        return def.substring(i, def.indexOf('\'', i)).toLowerCase(Locale.ROOT);
    }
}
