package io.usher.scim.internal;

/**
 * Names of the attributes under which SCIM values that Usher's model has no field for are kept in
 * {@code User.attributes()} / {@code Group.attributes()}. Simple values are kept as text; each value of a
 * multi-valued complex attribute (emails, addresses, ...) as one compact JSON object.
 */
public final class Stored {
    public static final String PREFIX = "scim.";
    public static final String EXTERNAL_ID = "scim.externalId";
    /** The userName as the client sent it, kept only when the source's pipeline stored another username. */
    public static final String USER_NAME = "scim.userName";
    public static final String ENTERPRISE_PREFIX = "scim.enterprise.";
    public static final String CREATED = "scim.meta.created";
    public static final String LAST_MODIFIED = "scim.meta.lastModified";
    public static final String VERSION = "scim.meta.version";
    /** Set on a user or group deleted over SCIM but kept by the source's deprovisioning policy: hidden from SCIM. */
    public static final String DELETED = "scim.deleted";

    private Stored() {}
}
