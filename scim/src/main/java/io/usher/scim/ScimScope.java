package io.usher.scim;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a SCIM client may do. A token holds one or more scopes; the server checks them on every request before
 * reading its body (403 with a SCIM Error body when they do not suffice):
 *
 * <table>
 * <caption>Endpoints and the scopes that allow them</caption>
 * <tr><th>request</th><th>allowed by</th></tr>
 * <tr><td>{@code GET /Users}, {@code GET /Users/{id}}, {@code POST /Users/.search}</td>
 *     <td>{@link #READ} or {@link #USERS}</td></tr>
 * <tr><td>{@code POST /Users}, {@code PUT}/{@code PATCH}/{@code DELETE /Users/{id}}</td><td>{@link #USERS}</td></tr>
 * <tr><td>{@code GET /Groups}, {@code GET /Groups/{id}}, {@code POST /Groups/.search}</td>
 *     <td>{@link #READ} or {@link #GROUPS}</td></tr>
 * <tr><td>{@code POST /Groups}, {@code PUT}/{@code PATCH}/{@code DELETE /Groups/{id}}</td><td>{@link #GROUPS}</td></tr>
 * <tr><td>{@code POST /.search} (users and groups at once)</td>
 *     <td>{@link #READ}, or {@link #USERS} and {@link #GROUPS} together</td></tr>
 * <tr><td>{@code POST /Bulk}</td><td>{@link #USERS} or {@link #GROUPS}, and every operation must be allowed on
 *     its own: an operation on {@code /Users} needs {@link #USERS}, on {@code /Groups} {@link #GROUPS}, one whose
 *     path names neither needs both; one refused operation refuses the whole request before any runs</td></tr>
 * <tr><td>{@code GET /ServiceProviderConfig}, {@code /ResourceTypes}, {@code /Schemas} (and their
 *     sub-paths)</td><td>any scope</td></tr>
 * </table>
 *
 * <p>A token given as plain text to {@link BearerTokenAuthenticator.Builder#token(String, String)}, and a caller
 * made by {@link ScimCaller#of(String)}, holds {@link #ALL} (what every token could do before scopes existed).
 * Requests to paths that are not SCIM endpoints need no scope (they are 404 or 405 anyway).
 */
public enum ScimScope {
    /** Read-only: lists, searches and reads of users and groups; no write of any kind. */
    READ,
    /** Users: read and write {@code /Users} (create, replace, patch, delete). Does not allow {@code /Groups}. */
    USERS,
    /** Groups and their members: read and write {@code /Groups}. Does not allow writing {@code /Users}. */
    GROUPS;

    /** Every scope. Unmodifiable. */
    public static final Set<ScimScope> ALL = Collections.unmodifiableSet(EnumSet.allOf(ScimScope.class));

    /** The scope's name as hosts store and configure it: {@code read}, {@code users}, {@code groups}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The scope named {@code name} (case-insensitive: {@code read}, {@code users}, {@code groups}).
     *
     * @throws IllegalArgumentException naming the accepted values when {@code name} is none of them
     */
    public static ScimScope parse(String name) {
        if (name != null) {
            for (ScimScope s : values()) {
                if (s.name().equalsIgnoreCase(name.trim())) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("unknown SCIM scope '" + name + "': expected read, users or groups");
    }

    /** The scopes in a comma- or space-separated list such as {@code "users, groups"}. At least one. */
    public static Set<ScimScope> parseList(String list) {
        if (list == null || list.isBlank()) {
            throw new IllegalArgumentException("at least one SCIM scope is required: read, users or groups");
        }
        EnumSet<ScimScope> out = EnumSet.noneOf(ScimScope.class);
        for (String part : list.trim().split("[,\\s]+")) {
            out.add(parse(part));
        }
        return Collections.unmodifiableSet(out);
    }
}
