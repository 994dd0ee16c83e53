package io.usher.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.core.spi.SourceUser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Turns Graph user objects into {@link SourceUser}s: the username from the configured properties in order
 * (the first present wins; a mail shared by several users gives way to the userPrincipalName), {@code
 * accountEnabled=false} as inactive, {@code userType} Guest as {@link SourceUser.Kind#GUEST}, and the Graph
 * properties the pipeline may want as attributes. Stateless and thread-safe.
 */
final class UserMapper {
    static final List<String> BASE = List.of("id", "userPrincipalName", "displayName", "givenName", "surname", "mail",
            "accountEnabled", "userType");

    private final AzureConfig config;
    private final List<String> select;

    UserMapper(AzureConfig config) {
        this.config = config;
        Set<String> s = new LinkedHashSet<>(BASE);
        for (AzureConfig.UsernameSource u : config.usernameFrom) {
            s.add(u.property);
        }
        s.addAll(config.extraAttributes);
        this.select = List.copyOf(s);
    }

    /** Exactly the properties the connector maps, for {@code $select}. */
    String select() {
        return String.join(",", select);
    }

    /** The properties a complete user object carries (a delta object lacking one is read again whole). */
    List<String> selected() {
        return select;
    }

    /** Whether a username may come from mail, so that shared mails must be known. */
    boolean usesMail() {
        return config.usernameFrom.contains(AzureConfig.UsernameSource.MAIL);
    }

    /** Whether the user's kind passes the {@code userTypes} filter. */
    boolean included(SourceUser u) {
        return config.userTypes.contains(u.kind());
    }

    /**
     * The user, or null when the object has no id.
     *
     * @param mailShared whether a mail address belongs to more than one user
     * @param upnOverride a userPrincipalName to use instead of the object's (for deleted items), or null
     */
    SourceUser toUser(ObjectNode o, Predicate<String> mailShared, boolean forceInactive, String upnOverride) {
        String id = Page.text(o, "id");
        if (id == null) {
            return null;
        }
        String upn = upnOverride != null ? upnOverride : Page.text(o, "userPrincipalName");
        String mail = Page.text(o, "mail");
        String login = null;
        for (AzureConfig.UsernameSource src : config.usernameFrom) {
            String v = src == AzureConfig.UsernameSource.USER_PRINCIPAL_NAME ? upn : Page.text(o, src.property);
            if (v == null) {
                continue;
            }
            if (src == AzureConfig.UsernameSource.MAIL && mailShared.test(v)) {
                if (upn != null) {
                    login = upn;
                    break;
                }
                continue;
            }
            login = v;
            break;
        }
        if (login == null) {
            login = upn;
        }
        JsonNode enabled = o.get("accountEnabled");
        boolean active = !forceInactive && (enabled == null || enabled.isNull() || enabled.asBoolean(true));
        String type = Page.text(o, "userType");
        SourceUser.Kind kind = type != null && type.toLowerCase(Locale.ROOT).equals("guest") ? SourceUser.Kind.GUEST
                : SourceUser.Kind.MEMBER;
        Map<String, List<String>> attrs = new LinkedHashMap<>();
        for (String p : select) {
            if (p.equals("id") || p.equals("accountEnabled")) {
                continue;
            }
            List<String> vals = p.equals("userPrincipalName") ? (upn == null ? List.of() : List.of(upn)) : values(o.get(p));
            if (!vals.isEmpty()) {
                attrs.put(p, vals);
            }
        }
        return SourceUser.builder(id).loginName(login).displayName(Page.text(o, "displayName"))
                .givenName(Page.text(o, "givenName")).familyName(Page.text(o, "surname"))
                .emails(mail == null ? List.of() : List.of(mail)).active(active).kind(kind).attributes(attrs).build();
    }

    private static List<String> values(JsonNode n) {
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (n.isArray()) {
            List<String> out = new ArrayList<>();
            n.forEach(v -> {
                if (v.isValueNode() && !v.isNull() && !v.asText().isEmpty()) {
                    out.add(v.asText());
                }
            });
            return out;
        }
        if (n.isValueNode()) {
            return n.asText().isEmpty() ? List.of() : List.of(n.asText());
        }
        return List.of();
    }

    /**
     * Vendor quirk: Entra ID renames a soft-deleted user's userPrincipalName by prefixing it with the object id
     * without hyphens. {@code GET /directory/deletedItems/{id}} answers, for user
     * {@code 4a3b...-...} once {@code jdoe@corp.example}:
     *
     * <pre>{@code {"id":"4a3b2c1d-...","userPrincipalName":"4a3b2c1d...jdoe@corp.example", ...}}</pre>
     *
     * Without undoing it, deactivating a soft-deleted user would also rename it. Returns the name without the
     * prefix, or the name unchanged if it has none.
     */
    static String stripDeletedItemsUpnPrefix(String id, String upn) {
        if (upn == null || id == null) {
            return upn;
        }
        String prefix = id.replace("-", "");
        if (upn.length() > prefix.length() && upn.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return upn.substring(prefix.length());
        }
        return upn;
    }
}
