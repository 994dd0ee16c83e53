package io.usher.scim.patch;

import java.util.Objects;

/**
 * A group member named in a PATCH: its id ({@code value}) and, when the client said, its type ({@code User} or
 * {@code Group}) and display name. {@code $ref} is not kept (the id says it all; Entra sends {@code null}).
 * Immutable and thread-safe.
 *
 * @param value   the member's id
 * @param type    {@code User}, {@code Group} or null when not given
 * @param display the display name the client sent, or null
 */
public record MemberRef(String value, String type, String display) {

    /** Requires a non-blank value. */
    public MemberRef {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("a member's value is not blank");
        }
    }

    /** A member by id. */
    public static MemberRef of(String value) {
        return new MemberRef(value, null, null);
    }
}
