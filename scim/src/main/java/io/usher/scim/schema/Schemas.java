package io.usher.scim.schema;

import static io.usher.scim.schema.AttributeType.BINARY;
import static io.usher.scim.schema.AttributeType.BOOLEAN;
import static io.usher.scim.schema.AttributeType.COMPLEX;
import static io.usher.scim.schema.AttributeType.DATE_TIME;
import static io.usher.scim.schema.AttributeType.REFERENCE;
import static io.usher.scim.schema.AttributeType.STRING;

import java.util.List;
import java.util.Optional;

/**
 * The schemas Usher serves: core User and Group (RFC 7643 §4, §8.7.1) and the Enterprise User extension
 * (§4.3, §8.7.1), plus the common attributes (§3.1) and the two resource types. The definitions follow the RFC's
 * own schema representation; where Usher differs it says so in the attribute's description (e.g. {@code primary}
 * on addresses, which §4.1.2 allows but §8.7.1 omits). Immutable and thread-safe.
 */
public final class Schemas {

    /** {@code urn:ietf:params:scim:schemas:core:2.0:User}. */
    public static final String USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User";
    /** {@code urn:ietf:params:scim:schemas:core:2.0:Group}. */
    public static final String GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group";
    /** {@code urn:ietf:params:scim:schemas:extension:enterprise:2.0:User}. */
    public static final String ENTERPRISE_USER_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    /** {@code urn:ietf:params:scim:schemas:core:2.0:Schema}, the schema of a schema representation. */
    public static final String SCHEMA_URN = "urn:ietf:params:scim:schemas:core:2.0:Schema";
    /** {@code urn:ietf:params:scim:schemas:core:2.0:ResourceType}. */
    public static final String RESOURCE_TYPE_URN = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";

    private Schemas() {
    }

    private static AttributeDefinition.Builder str(String name, String description) {
        return AttributeDefinition.builder(name, STRING).description(description);
    }

    private static AttributeDefinition display(String what) {
        return str("display", "A human-readable name, primarily used for display purposes" + what + ".")
                .build();
    }

    private static AttributeDefinition primary(String what) {
        return AttributeDefinition.builder("primary", BOOLEAN).description("A Boolean value indicating the 'primary' "
                + "or preferred attribute value for this attribute, e.g., the preferred " + what + ". The primary "
                + "attribute value 'true' MUST appear no more than once.").build();
    }

    private static AttributeDefinition type(String description, String... canonical) {
        return str("type", description).canonicalValues(canonical).build();
    }

    private static AttributeDefinition multiValued(String name, String description, AttributeDefinition value,
                                                   AttributeDefinition type, String primaryOf) {
        return AttributeDefinition.builder(name, COMPLEX).multiValued().description(description)
                .subs(value, display(""), type, primary(primaryOf)).build();
    }

    // ---- common attributes (RFC 7643 §3.1) ----------------------------------------------------------------------

    /** {@code id}, {@code externalId}, {@code meta}. */
    public static final List<AttributeDefinition> COMMON_ATTRIBUTES = List.of(
            str("id", "Unique identifier for the SCIM resource as defined by the service provider.").caseExact()
                    .mutability(Mutability.READ_ONLY).returned(Returned.ALWAYS).uniqueness(Uniqueness.SERVER).build(),
            str("externalId", "A String that is an identifier for the resource as defined by the provisioning client.")
                    .caseExact().build(),
            AttributeDefinition.builder("meta", COMPLEX).description("A complex attribute containing resource metadata.")
                    .mutability(Mutability.READ_ONLY).subs(
                            str("resourceType", "The name of the resource type of the resource.").caseExact()
                                    .mutability(Mutability.READ_ONLY).build(),
                            AttributeDefinition.builder("created", DATE_TIME).description(
                                    "The DateTime that the resource was added to the service provider.")
                                    .mutability(Mutability.READ_ONLY).build(),
                            AttributeDefinition.builder("lastModified", DATE_TIME).description(
                                    "The most recent DateTime that the details of this resource were updated.")
                                    .mutability(Mutability.READ_ONLY).build(),
                            AttributeDefinition.builder("location", REFERENCE).description("The URI of the resource.")
                                    .caseExact().referenceTypes("uri").mutability(Mutability.READ_ONLY).build(),
                            str("version", "The version (ETag) of the resource.").caseExact()
                                    .mutability(Mutability.READ_ONLY).build())
                    .build());

    /** The common attribute of that name, ignoring case. */
    public static Optional<AttributeDefinition> commonAttribute(String name) {
        return COMMON_ATTRIBUTES.stream().filter(a -> a.name().equalsIgnoreCase(name)).findFirst();
    }

    // ---- User (RFC 7643 §4.1, §8.7.1) ----------------------------------------------------------------------------

    /** The core User schema. */
    public static final Schema USER = new Schema(USER_URN, "User", "User Account", List.of(
            str("userName", "Unique identifier for the User, typically used by the user to directly authenticate to "
                    + "the service provider.").required().uniqueness(Uniqueness.SERVER).build(),
            AttributeDefinition.builder("name", COMPLEX).description("The components of the user's real name.").subs(
                    str("formatted", "The full name, including all middle names, titles, and suffixes as appropriate, "
                            + "formatted for display.").build(),
                    str("familyName", "The family name of the User.").build(),
                    str("givenName", "The given name of the User.").build(),
                    str("middleName", "The middle name(s) of the User.").build(),
                    str("honorificPrefix", "The honorific prefix(es) of the User.").build(),
                    str("honorificSuffix", "The honorific suffix(es) of the User.").build()).build(),
            str("displayName", "The name of the User, suitable for display to end-users.").build(),
            str("nickName", "The casual way to address the user in real life.").build(),
            AttributeDefinition.builder("profileUrl", REFERENCE).description("A fully qualified URL pointing to a page "
                    + "representing the User's online profile.").referenceTypes("external").build(),
            str("title", "The user's title, such as \"Vice President.\"").build(),
            str("userType", "Used to identify the relationship between the organization and the user.").build(),
            str("preferredLanguage", "Indicates the User's preferred written or spoken language.").build(),
            str("locale", "Used to indicate the User's default location for purposes of localizing items.").build(),
            str("timezone", "The User's time zone in the 'Olson' time zone database format.").build(),
            AttributeDefinition.builder("active", BOOLEAN).description("A Boolean value indicating the User's "
                    + "administrative status.").build(),
            str("password", "The User's cleartext password. Accepted on write, never stored by Usher's SCIM "
                    + "resources and never returned.").mutability(Mutability.WRITE_ONLY).returned(Returned.NEVER)
                    .build(),
            multiValued("emails", "Email addresses for the user.",
                    str("value", "Email addresses for the user.").build(),
                    type("A label indicating the attribute's function, e.g., 'work' or 'home'.", "work", "home",
                            "other"), "mailing address or primary email address"),
            multiValued("phoneNumbers", "Phone numbers for the User.",
                    str("value", "Phone number of the User.").build(),
                    type("A label indicating the attribute's function, e.g., 'work', 'home', 'mobile'.", "work",
                            "home", "mobile", "fax", "pager", "other"), "phone number"),
            multiValued("ims", "Instant messaging addresses for the User.",
                    str("value", "Instant messaging address for the User.").build(),
                    type("A label indicating the attribute's function, e.g., 'aim', 'gtalk', 'xmpp'.", "aim",
                            "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"), "messenger"),
            multiValued("photos", "URLs of photos of the User.",
                    AttributeDefinition.builder("value", REFERENCE).description("URL of a photo of the User.")
                            .referenceTypes("external").build(),
                    type("A label indicating the attribute's function, i.e., 'photo' or 'thumbnail'.", "photo",
                            "thumbnail"), "photo or thumbnail"),
            AttributeDefinition.builder("addresses", COMPLEX).multiValued().description("A physical mailing address "
                    + "for this User. Usher also accepts 'primary' (RFC 7643 §4.1.2).").subs(
                    str("formatted", "The full mailing address, formatted for display or use with a mailing label.")
                            .build(),
                    str("streetAddress", "The full street address component.").build(),
                    str("locality", "The city or locality component.").build(),
                    str("region", "The state or region component.").build(),
                    str("postalCode", "The zip code or postal code component.").build(),
                    str("country", "The country name component.").build(),
                    type("A label indicating the attribute's function, e.g., 'work' or 'home'.", "work", "home",
                            "other"),
                    primary("address")).build(),
            AttributeDefinition.builder("groups", COMPLEX).multiValued().description("A list of groups to which the "
                    + "user belongs, either through direct membership or through nested groups.")
                    .mutability(Mutability.READ_ONLY).subs(
                            str("value", "The identifier of the User's group.").mutability(Mutability.READ_ONLY).build(),
                            AttributeDefinition.builder("$ref", REFERENCE).description("The URI of the corresponding "
                                    + "'Group' resource to which the user belongs.").referenceTypes("User", "Group")
                                    .mutability(Mutability.READ_ONLY).build(),
                            str("display", "A human-readable name, primarily used for display purposes.")
                                    .mutability(Mutability.READ_ONLY).build(),
                            str("type", "A label indicating the attribute's function, e.g., 'direct' or 'indirect'.")
                                    .canonicalValues("direct", "indirect").mutability(Mutability.READ_ONLY).build())
                    .build(),
            multiValued("entitlements", "A list of entitlements for the User that represent a thing the User has.",
                    str("value", "The value of an entitlement.").build(),
                    type("A label indicating the attribute's function."), "entitlement"),
            multiValued("roles", "A list of roles for the User that collectively represent who the User is, e.g., "
                    + "'Student', 'Faculty'.", str("value", "The value of a role.").build(),
                    type("A label indicating the attribute's function."), "role"),
            multiValued("x509Certificates", "A list of certificates issued to the User.",
                    AttributeDefinition.builder("value", BINARY).description("The value of an X.509 certificate.")
                            .build(),
                    type("A label indicating the attribute's function."), "certificate")));

    // ---- Group (RFC 7643 §4.2, §8.7.1) ---------------------------------------------------------------------------

    /** The core Group schema. */
    public static final Schema GROUP = new Schema(GROUP_URN, "Group", "Group", List.of(
            str("displayName", "A human-readable name for the Group.").required().build(),
            AttributeDefinition.builder("members", COMPLEX).multiValued().description("A list of members of the "
                    + "Group. Members of type 'Group' nest groups; a membership that would make a cycle is refused.")
                    .subs(
                            str("value", "Identifier of the member of this Group.").caseExact()
                                    .mutability(Mutability.IMMUTABLE).build(),
                            AttributeDefinition.builder("$ref", REFERENCE).description("The URI corresponding to a "
                                    + "SCIM resource that is a member of this Group.").referenceTypes("User", "Group")
                                    .mutability(Mutability.IMMUTABLE).build(),
                            str("type", "A label indicating the type of resource, e.g., 'User' or 'Group'.")
                                    .canonicalValues("User", "Group").mutability(Mutability.IMMUTABLE).build(),
                            str("display", "A human-readable name for the member.").mutability(Mutability.READ_ONLY)
                                    .build())
                    .build()));

    // ---- Enterprise User (RFC 7643 §4.3, §8.7.1) -----------------------------------------------------------------

    /** The Enterprise User extension. */
    public static final Schema ENTERPRISE_USER = new Schema(ENTERPRISE_USER_URN, "EnterpriseUser",
            "Enterprise User", List.of(
            str("employeeNumber", "Numeric or alphanumeric identifier assigned to a person, typically based on order "
                    + "of hire or association with an organization.").build(),
            str("costCenter", "Identifies the name of a cost center.").build(),
            str("organization", "Identifies the name of an organization.").build(),
            str("division", "Identifies the name of a division.").build(),
            str("department", "Identifies the name of a department.").build(),
            AttributeDefinition.builder("manager", COMPLEX).description("The User's manager. A complex type that "
                    + "optionally allows service providers to represent organizational hierarchy by referencing the "
                    + "'id' attribute of another User.").subs(
                    str("value", "The id of the SCIM resource representing the User's manager.").build(),
                    AttributeDefinition.builder("$ref", REFERENCE).description("The URI of the SCIM resource "
                            + "representing the User's manager.").referenceTypes("User").build(),
                    str("displayName", "The displayName of the User's manager.").mutability(Mutability.READ_ONLY)
                            .build()).build()));

    /** The User resource type: core User plus the Enterprise User extension, at {@code /Users}. */
    public static final ResourceType USER_RESOURCE = new ResourceType("User", "/Users", "User Account", USER,
            List.of(ENTERPRISE_USER));

    /** The Group resource type, at {@code /Groups}. */
    public static final ResourceType GROUP_RESOURCE = new ResourceType("Group", "/Groups", "Group", GROUP, List.of());

    /** Every schema served at {@code /Schemas}. */
    public static final List<Schema> ALL = List.of(USER, GROUP, ENTERPRISE_USER);
}
