package io.usher.testkit;

import io.usher.core.model.Values;
import io.usher.core.spi.SourceUser;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A user as the {@link InMemoryDirectory} holds it: what an identity provider knows about one account.
 *
 * <p>{@code id} is the directory's immutable id (an objectGUID or entryUUID look-alike); it is {@code null}
 * only on a value not yet added, and {@link InMemoryDirectory#addUser} assigns one. {@code loginName} is
 * unique in the directory exactly (not ignoring case: {@code jdoe} and {@code JDoe} may be two people, as
 * case-sensitive directories allow). Group memberships are not part of the value; ask the directory.
 *
 * <p>Immutable and thread-safe; collections are unmodifiable copies.
 */
public record DirectoryUser(
        String id,
        String loginName,
        String displayName,
        String givenName,
        String familyName,
        List<String> emails,
        boolean enabled,
        SourceUser.Kind kind,
        Map<String, List<String>> attributes) {

    public DirectoryUser {
        id = Values.optionalText(id, "id");
        loginName = Values.requireText(loginName, "loginName");
        displayName = Values.optionalText(displayName, "displayName");
        givenName = Values.optionalText(givenName, "givenName");
        familyName = Values.optionalText(familyName, "familyName");
        emails = Values.copyList(emails, "emails");
        kind = kind == null ? SourceUser.Kind.MEMBER : kind;
        attributes = Values.copyAttributes(attributes);
    }

    /** A builder for a user with this login name; enabled, kind MEMBER, no id until added. */
    public static Builder builder(String loginName) {
        return new Builder().loginName(loginName);
    }

    /** An enabled member with just a login name. */
    public static DirectoryUser of(String loginName) {
        return builder(loginName).build();
    }

    public Builder toBuilder() {
        return new Builder().id(id).loginName(loginName).displayName(displayName).givenName(givenName)
                .familyName(familyName).emails(emails).enabled(enabled).kind(kind).attributes(attributes);
    }

    /** This user with another id (used by the directory when it assigns one). */
    public DirectoryUser withId(String newId) {
        return new DirectoryUser(newId, loginName, displayName, givenName, familyName, emails, enabled, kind,
                attributes);
    }

    public DirectoryUser withLoginName(String newLoginName) {
        return new DirectoryUser(id, newLoginName, displayName, givenName, familyName, emails, enabled, kind,
                attributes);
    }

    public DirectoryUser withEnabled(boolean isEnabled) {
        return new DirectoryUser(id, loginName, displayName, givenName, familyName, emails, isEnabled, kind,
                attributes);
    }

    /** Builds {@link DirectoryUser}s; validation happens in {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private String id;
        private String loginName;
        private String displayName;
        private String givenName;
        private String familyName;
        private List<String> emails = new ArrayList<>();
        private boolean enabled = true;
        private SourceUser.Kind kind = SourceUser.Kind.MEMBER;
        private Map<String, List<String>> attributes = new LinkedHashMap<>();

        private Builder() {}

        public Builder id(String v) { id = v; return this; }
        public Builder loginName(String v) { loginName = v; return this; }
        public Builder displayName(String v) { displayName = v; return this; }
        public Builder givenName(String v) { givenName = v; return this; }
        public Builder familyName(String v) { familyName = v; return this; }
        public Builder enabled(boolean v) { enabled = v; return this; }
        public Builder kind(SourceUser.Kind v) { kind = v; return this; }

        public Builder emails(Collection<String> v) {
            emails = v == null ? new ArrayList<>() : new ArrayList<>(v);
            return this;
        }

        public Builder email(String v) {
            emails.add(v);
            return this;
        }

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

        public DirectoryUser build() {
            return new DirectoryUser(id, loginName, displayName, givenName, familyName, emails, enabled, kind,
                    attributes);
        }
    }
}
