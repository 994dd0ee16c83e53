package io.usher.scim;

import java.util.Objects;

/**
 * A SCIM protocol error (RFC 7644 §3.12): an HTTP status and, for 400/409/413 answers, the {@code scimType} a
 * client can act on. The resources turn it into a SCIM Error body; the message is for the client, so it names
 * the attribute, path or position that is wrong but never echoes a secret (a password, a token).
 *
 * <p>Immutable and thread-safe.
 */
public final class ScimException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The {@code scimType} values of RFC 7644 table 9, spelled as they go on the wire. */
    public enum ScimType {
        invalidFilter, tooMany, uniqueness, mutability, invalidSyntax, invalidPath, noTarget, invalidValue,
        invalidVers, sensitive
    }

    private final int status;
    private final ScimType scimType;

    private ScimException(int status, ScimType scimType, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a SCIM error needs a 4xx or 5xx status, not " + status);
        }
        this.status = status;
        this.scimType = scimType;
    }

    /** A 400 Bad Request with the given {@code scimType}. */
    public static ScimException badRequest(ScimType scimType, String message) {
        return new ScimException(400, Objects.requireNonNull(scimType, "scimType"), message, null);
    }

    /** An error with a status and an optional {@code scimType} (null when the status needs none, e.g. 404). */
    public static ScimException of(int status, ScimType scimType, String message) {
        return new ScimException(status, scimType, message, null);
    }

    /** The same, keeping the cause for the server's log (never sent to the client). */
    public static ScimException of(int status, ScimType scimType, String message, Throwable cause) {
        return new ScimException(status, scimType, message, cause);
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The {@code scimType}, or null. */
    public ScimType scimType() {
        return scimType;
    }
}
