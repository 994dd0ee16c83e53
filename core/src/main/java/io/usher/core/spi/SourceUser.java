package io.usher.core.spi;

import io.usher.core.model.Values;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A user as a source reports it, before filters and transformations.
 *
 * <p>{@code externalId} is the source's immutable id. {@code loginName} is the source's own login
 * attribute (sAMAccountName, uid, userPrincipalName, Okta login); the pipeline decides what becomes the
 * host username. {@code groups} holds the names of the groups the source says the user is directly in
 * (AD memberOf, for instance), for group-scoped filters; it is empty when a connector does not report it.
 * {@code attributes} carries everything else, multi-valued.
 *
 * <p>Immutable and thread-safe.
 */
public record SourceUser(
        String externalId,
        String loginName,
        String displayName,
        String givenName,
        String familyName,
        List<String> emails,
        boolean active,
        Kind kind,
        Set<String> groups,
        Map<String, List<String>> attributes) {

    /** The kind of account, as sources such as Entra ID tell them apart. */
    public enum Kind { MEMBER, GUEST, SERVICE }

    /** Standard attribute names that {@link #attribute(String)} answers from the typed fields. */
    public static final String LOGIN_NAME = "loginName", DISPLAY_NAME = "displayName", GIVEN_NAME = "givenName",
            FAMILY_NAME = "familyName", EMAIL = "email", EXTERNAL_ID = "externalId";

    public SourceUser {
        externalId = Values.requireText(externalId, "externalId");
        loginName = Values.optionalText(loginName, "loginName");
        displayName = Values.optionalText(displayName, "displayName");
        givenName = Values.optionalText(givenName, "givenName");
        familyName = Values.optionalText(familyName, "familyName");
        emails = Values.copyList(emails, "emails");
        kind = kind == null ? Kind.MEMBER : kind;
        groups = Values.copySet(groups, "groups");
        attributes = Values.copyAttributes(attributes);
    }

    public static Builder builder(String externalId) {
        return new Builder().externalId(externalId);
    }

    public Builder toBuilder() {
        return new Builder().externalId(externalId).loginName(loginName).displayName(displayName)
                .givenName(givenName).familyName(familyName).emails(emails).active(active).kind(kind)
                .groups(groups).attributes(attributes);
    }

    /**
     * The values of an attribute by name: the standard names ({@code loginName}, {@code displayName},
     * {@code givenName}, {@code familyName}, {@code email}, {@code externalId}) read the typed fields;
     * any other name reads {@link #attributes()}, first exactly, then ignoring case. Never null.
     */
    public List<String> attribute(String name) {
        switch (name) {
            case LOGIN_NAME: return listOf(loginName);
            case DISPLAY_NAME: return listOf(displayName);
            case GIVEN_NAME: return listOf(givenName);
            case FAMILY_NAME: return listOf(familyName);
            case EMAIL: return emails;
            case EXTERNAL_ID: return List.of(externalId);
            default:
                List<String> exact = attributes.get(name);
                if (exact != null) {
                    return exact;
                }
                String lower = name.toLowerCase(Locale.ROOT);
                for (Map.Entry<String, List<String>> e : attributes.entrySet()) {
                    if (e.getKey().toLowerCase(Locale.ROOT).equals(lower)) {
                        return e.getValue();
                    }
                }
                return List.of();
        }
    }

    /** The first value of an attribute, or {@code null}. */
    public String firstValue(String name) {
        List<String> values = attribute(name);
        return values.isEmpty() ? null : values.get(0);
    }

    private static List<String> listOf(String value) {
        return value == null || value.isEmpty() ? List.of() : List.of(value);
    }

    /** Builds {@link SourceUser}s. Not thread-safe. */
    public static final class Builder {
        private String externalId;
        private String loginName;
        private String displayName;
        private String givenName;
        private String familyName;
        private List<String> emails = new ArrayList<>();
        private boolean active = true;
        private Kind kind = Kind.MEMBER;
        private Set<String> groups = new LinkedHashSet<>();
        private Map<String, List<String>> attributes = new LinkedHashMap<>();

        private Builder() {}

        public Builder externalId(String v) { externalId = v; return this; }
        public Builder loginName(String v) { loginName = v; return this; }
        public Builder displayName(String v) { displayName = v; return this; }
        public Builder givenName(String v) { givenName = v; return this; }
        public Builder familyName(String v) { familyName = v; return this; }
        public Builder active(boolean v) { active = v; return this; }
        public Builder kind(Kind v) { kind = v; return this; }
        public Builder emails(Collection<String> v) { emails = v == null ? new ArrayList<>() : new ArrayList<>(v); return this; }
        public Builder email(String v) { emails.add(v); return this; }
        public Builder groups(Collection<String> v) { groups = v == null ? new LinkedHashSet<>() : new LinkedHashSet<>(v); return this; }
        public Builder group(String v) { groups.add(v); return this; }

        public Builder attributes(Map<String, List<String>> v) {
            attributes = new LinkedHashMap<>();
            if (v != null) {
                v.forEach((k, vals) -> attributes.put(k, new ArrayList<>(vals)));
            }
            return this;
        }

        public Builder attribute(String name, String... values) {
            attributes.put(name, List.of(values));
            return this;
        }

        public SourceUser build() {
            return new SourceUser(externalId, loginName, displayName, givenName, familyName, emails, active, kind,
                    groups, attributes);
        }
    }
}
