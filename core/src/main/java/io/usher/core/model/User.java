package io.usher.core.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A user as the host's store holds it.
 *
 * <p>{@code key} is the store's own primary key ({@code null} until the store has created the user);
 * {@code origin} says which source owns the user ({@code null} for a local user made by hand in the
 * host, which no sync ever touches). The username is unique in the store case-insensitively.
 * {@code credentials} tells the host how the user may sign in ({@link CredentialPolicy}): the source that
 * owns the user sets it; a local user is always {@link CredentialPolicy#HOST}. A store keeps it like any
 * other field.
 *
 * <p>Immutable and thread-safe; collections are unmodifiable copies.
 */
public record User(
        String key,
        Origin origin,
        String username,
        String displayName,
        String givenName,
        String familyName,
        List<String> emails,
        boolean active,
        Map<String, List<String>> attributes,
        CredentialPolicy credentials) {

    /** Field names used in change reports ({@link #changedFields(User)}). */
    public static final String USERNAME = "username", DISPLAY_NAME = "displayName", GIVEN_NAME = "givenName",
            FAMILY_NAME = "familyName", EMAILS = "emails", ACTIVE = "active", CREDENTIALS = "credentials";

    /**
     * Validates and copies. {@code credentials} may be {@code null}, meaning {@link CredentialPolicy#HOST}.
     *
     * @throws IllegalArgumentException for a missing username, blank optional text, or
     *         {@link CredentialPolicy#SSO_ONLY} on a local user (no origin)
     */
    public User {
        key = Values.optionalText(key, "user.key");
        username = Values.requireText(username, "user.username");
        displayName = Values.optionalText(displayName, "user.displayName");
        givenName = Values.optionalText(givenName, "user.givenName");
        familyName = Values.optionalText(familyName, "user.familyName");
        emails = Values.copyList(emails, "user.emails");
        attributes = Values.copyAttributes(attributes);
        if (credentials == null) {
            credentials = CredentialPolicy.HOST;
        }
        if (origin == null && credentials != CredentialPolicy.HOST) {
            throw new IllegalArgumentException("user.credentials: " + credentials + " needs an origin; a local user "
                    + "(no origin) is always HOST");
        }
    }

    /**
     * A user whose credentials are the host's ({@link CredentialPolicy#HOST}): the constructor from before
     * the credential policy, kept so that code written against it compiles and behaves as before.
     */
    public User(String key, Origin origin, String username, String displayName, String givenName, String familyName,
            List<String> emails, boolean active, Map<String, List<String>> attributes) {
        this(key, origin, username, displayName, givenName, familyName, emails, active, attributes,
                CredentialPolicy.HOST);
    }

    /** A builder for a user with the given username. */
    public static Builder builder(String username) {
        return new Builder().username(username);
    }

    /** A builder holding this user's values. */
    public Builder toBuilder() {
        return new Builder().key(key).origin(origin).username(username).displayName(displayName)
                .givenName(givenName).familyName(familyName).emails(emails).active(active).attributes(attributes).credentials(credentials);
    }

    /** Whether the user is local to the host (no source owns it). */
    public boolean isLocal() {
        return origin == null;
    }

    /** Whether the given source owns this user. */
    public boolean isOwnedBy(String sourceId) {
        return origin != null && origin.isFrom(sourceId);
    }

    /** This user with another store key. */
    public User withKey(String newKey) {
        return new User(newKey, origin, username, displayName, givenName, familyName, emails, active, attributes,
                credentials);
    }

    /** This user with another origin; with none (a local user) its credentials become the host's. */
    public User withOrigin(Origin newOrigin) {
        return new User(key, newOrigin, username, displayName, givenName, familyName, emails, active, attributes,
                newOrigin == null ? CredentialPolicy.HOST : credentials);
    }

    /** This user, active or not. */
    public User withActive(boolean isActive) {
        return new User(key, origin, username, displayName, givenName, familyName, emails, isActive, attributes,
                credentials);
    }

    /**
     * This user with another credential policy.
     *
     * @throws IllegalArgumentException for {@link CredentialPolicy#SSO_ONLY} on a local user
     */
    public User withCredentials(CredentialPolicy policy) {
        return policy == credentials ? this : new User(key, origin, username, displayName, givenName, familyName,
                emails, active, attributes, policy);
    }

    /** Whether the user signs in only through the identity provider ({@link CredentialPolicy#SSO_ONLY}). */
    public boolean isSsoOnly() {
        return credentials == CredentialPolicy.SSO_ONLY;
    }

    /**
     * The names of the fields whose values differ between this user and {@code other}, ignoring the key
     * and the origin ({@link #CREDENTIALS} for the credential policy). Attributes are reported as {@code attributes.NAME}. Usernames compare exactly, so a
     * case-only rename is a change.
     */
    public Set<String> changedFields(User other) {
        Set<String> out = new LinkedHashSet<>();
        if (!username.equals(other.username)) out.add(USERNAME);
        if (!Objects.equals(displayName, other.displayName)) out.add(DISPLAY_NAME);
        if (!Objects.equals(givenName, other.givenName)) out.add(GIVEN_NAME);
        if (!Objects.equals(familyName, other.familyName)) out.add(FAMILY_NAME);
        if (!emails.equals(other.emails)) out.add(EMAILS);
        if (active != other.active) out.add(ACTIVE);
        if (credentials != other.credentials) out.add(CREDENTIALS);
        Set<String> names = new java.util.TreeSet<>(attributes.keySet());
        names.addAll(other.attributes.keySet());
        for (String name : names) {
            if (!Objects.equals(attributes.get(name), other.attributes.get(name))) {
                out.add("attributes." + name);
            }
        }
        return out;
    }

    /** Whether every field but the key and the origin equals {@code other}'s (no allocation: a sync's hot path). */
    public boolean sameValuesAs(User other) {
        return active == other.active && credentials == other.credentials && username.equals(other.username)
                && Objects.equals(displayName, other.displayName) && Objects.equals(givenName, other.givenName)
                && Objects.equals(familyName, other.familyName) && emails.equals(other.emails)
                && attributes.equals(other.attributes);
    }

    /** The first email, or {@code null}. */
    public String primaryEmail() {
        return emails.isEmpty() ? null : emails.get(0);
    }

    /** Builds {@link User}s; validation happens in {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private String key;
        private Origin origin;
        private String username;
        private String displayName;
        private String givenName;
        private String familyName;
        private List<String> emails = new ArrayList<>();
        private boolean active = true;
        private Map<String, List<String>> attributes = new LinkedHashMap<>();
        private CredentialPolicy credentials = CredentialPolicy.HOST;

        private Builder() {}

        public Builder key(String value) { this.key = value; return this; }
        public Builder origin(Origin value) { this.origin = value; return this; }
        public Builder username(String value) { this.username = value; return this; }
        public Builder displayName(String value) { this.displayName = value; return this; }
        public Builder givenName(String value) { this.givenName = value; return this; }
        public Builder familyName(String value) { this.familyName = value; return this; }
        public Builder active(boolean value) { this.active = value; return this; }
        /** How the user may sign in (default {@link CredentialPolicy#HOST}); {@code SSO_ONLY} needs an origin. */
        public Builder credentials(CredentialPolicy value) { this.credentials = value; return this; }

        public Builder emails(Collection<String> value) {
            this.emails = value == null ? new ArrayList<>() : new ArrayList<>(value);
            return this;
        }

        public Builder email(String value) {
            this.emails.add(value);
            return this;
        }

        public Builder attributes(Map<String, List<String>> value) {
            this.attributes = value == null ? new LinkedHashMap<>() : Values.mutableAttributes(value);
            return this;
        }

        public Builder attribute(String name, String... values) {
            this.attributes.put(name, List.of(values));
            return this;
        }

        public User build() {
            return new User(key, origin, username, displayName, givenName, familyName, emails, active, attributes,
                    credentials);
        }
    }
}
