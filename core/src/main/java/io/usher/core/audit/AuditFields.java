package io.usher.core.audit;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The allow-list of fields whose values an {@link AuditEvent} may carry; every other field is named without
 * its value. Entries are qualified: {@code user.username}, {@code user.displayName}, {@code user.givenName},
 * {@code user.familyName}, {@code user.emails}, {@code user.active}, {@code user.attributes.NAME},
 * {@code group.name}, {@code group.description}, {@code group.attributes.NAME}. Names that look like a
 * credential ({@code password}, {@code secret}, {@code token}, {@code credential}, {@code pin}, any case) are
 * refused: no configuration can put one in the trail.
 *
 * <p>Immutable and thread-safe.
 */
public final class AuditFields {
    private static final Set<String> USER_FIELDS = Set.of("username", "displayName", "givenName", "familyName",
            "emails", "active");
    private static final Set<String> GROUP_FIELDS = Set.of("name", "description");
    private static final Pattern SECRET = Pattern.compile(".*(password|passwd|pwd|secret|token|credential|"
            + "\\bpin\\b|privatekey|private_key).*", Pattern.CASE_INSENSITIVE);
    private static final AuditFields DEFAULTS = new AuditFields(Set.of("user.username", "user.displayName",
            "user.active", "group.name"));
    private static final AuditFields NONE = new AuditFields(Set.of());

    private final Set<String> allowed;

    private AuditFields(Set<String> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    /** {@code user.username}, {@code user.displayName}, {@code user.active} and {@code group.name}. */
    public static AuditFields defaults() {
        return DEFAULTS;
    }

    /** No values at all: events name the changed fields only. */
    public static AuditFields none() {
        return NONE;
    }

    /**
     * Exactly these fields (qualified names as above).
     *
     * @throws IllegalArgumentException naming the first entry that is unknown, repeated or looks like a secret
     */
    public static AuditFields allow(String... qualifiedNames) {
        Objects.requireNonNull(qualifiedNames, "qualifiedNames");
        Set<String> out = new TreeSet<>();
        for (int i = 0; i < qualifiedNames.length; i++) {
            String n = qualifiedNames[i];
            if (n == null || n.isBlank()) {
                throw new IllegalArgumentException("audit field #" + (i + 1) + " is blank");
            }
            check(n);
            if (!out.add(n)) {
                throw new IllegalArgumentException("audit field '" + n + "' is given twice");
            }
        }
        return new AuditFields(out);
    }

    private static void check(String n) {
        String field;
        Set<String> known;
        if (n.startsWith("user.")) {
            field = n.substring(5);
            known = USER_FIELDS;
        } else if (n.startsWith("group.")) {
            field = n.substring(6);
            known = GROUP_FIELDS;
        } else {
            throw new IllegalArgumentException("audit field '" + n + "' must start with 'user.' or 'group.'");
        }
        if (field.startsWith("attributes.")) {
            String attr = field.substring("attributes.".length());
            if (attr.isBlank()) {
                throw new IllegalArgumentException("audit field '" + n + "' names no attribute");
            }
            if (SECRET.matcher(attr.toLowerCase(Locale.ROOT)).matches()) {
                throw new IllegalArgumentException("audit field '" + n + "' looks like a credential; "
                        + "credentials are never written to the audit trail");
            }
            return;
        }
        if (!known.contains(field)) {
            throw new IllegalArgumentException("audit field '" + n + "' is unknown; known: "
                    + new TreeSet<>(known) + " or attributes.NAME");
        }
    }

    /** Whether a user field's value (name as in {@code User.changedFields}) may be written. */
    public boolean allowsUserField(String field) {
        return allowed.contains("user." + field);
    }

    /** Whether a group field's value (name as in {@code Group.changedFields}) may be written. */
    public boolean allowsGroupField(String field) {
        return allowed.contains("group." + field);
    }

    /** The allowed qualified names. */
    public Set<String> allowed() {
        return allowed;
    }

    @Override
    public String toString() {
        return "AuditFields" + new TreeSet<>(allowed);
    }
}
