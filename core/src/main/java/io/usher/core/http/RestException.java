package io.usher.core.http;

import io.usher.core.spi.SourceException;
import java.time.Duration;
import java.util.Optional;

/**
 * A REST call failed. Carries what a program acts on: the HTTP {@link #status()} (0 when no response came
 * back), the vendor's own error {@link #vendorCode()} ({@code Authorization_RequestDenied},
 * {@code invalid_client}, {@code E0000047}, …), whether trying again later may help ({@link #isRetryable()}),
 * and the {@code Retry-After} the server asked for. The message names the method and endpoint with query
 * values left out; it never holds a token, secret, assertion or response body.
 *
 * <p>The {@link #code()} follows the status: {@code 401}/{@code 403} (and the OAuth errors
 * {@code invalid_client}, {@code invalid_grant}, {@code unauthorized_client}) are {@code SOURCE_AUTH}, {@code 404}
 * {@code NOT_FOUND}, throttling, server errors and I/O failures {@code SOURCE_UNAVAILABLE}, any other
 * client error {@code SOURCE_DATA}. Immutable.
 */
public class RestException extends SourceException {
    private static final long serialVersionUID = 1L;
    /** RFC 6749 §5.2 errors that mean the credentials were refused, whatever the status. */
    private static final java.util.Set<String> OAUTH_AUTH_ERRORS = java.util.Set.of("invalid_client",
            "invalid_grant", "unauthorized_client");

    private final int status;
    private final String vendorCode;
    private final String endpoint;
    private final boolean retryable;
    private final Duration retryAfter;

    /**
     * @param status the HTTP status, or 0 when no response came back
     * @param vendorCode the vendor's error code, or null
     * @param endpoint method and URL without query values (see {@link RestClient#describe})
     * @param retryable whether trying again later may succeed
     * @param retryAfter what the server asked to wait, or null
     * @param detail what went wrong, in plain words (no secrets, no body)
     */
    public RestException(int status, String vendorCode, String endpoint, boolean retryable, Duration retryAfter,
                         String detail, Throwable cause) {
        this(codeFor(status, vendorCode), status, vendorCode, endpoint, retryable, retryAfter, detail, cause);
    }

    /** As above, with the code given rather than derived from the status (a refused link: {@code SOURCE_DATA}). */
    public RestException(Code code, int status, String vendorCode, String endpoint, boolean retryable,
                         Duration retryAfter, String detail, Throwable cause) {
        super(code, message(status, vendorCode, endpoint, detail), cause);
        this.status = status;
        this.vendorCode = vendorCode;
        this.endpoint = endpoint;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    private static Code codeFor(int status, String vendorCode) {
        if (status == 401 || status == 403 || (vendorCode != null && OAUTH_AUTH_ERRORS.contains(vendorCode))) {
            return Code.SOURCE_AUTH;
        }
        if (status == 404) {
            return Code.NOT_FOUND;
        }
        if (status == 0 || status == 429 || status >= 500) {
            return Code.SOURCE_UNAVAILABLE;
        }
        return Code.SOURCE_DATA;
    }

    private static String message(int status, String vendorCode, String endpoint, String detail) {
        StringBuilder b = new StringBuilder(endpoint);
        if (status > 0) {
            b.append(": HTTP ").append(status);
        }
        if (vendorCode != null) {
            b.append(" (").append(vendorCode).append(')');
        }
        if (detail != null && !detail.isEmpty()) {
            b.append(status > 0 || vendorCode != null ? ", " : ": ").append(detail);
        }
        return b.toString();
    }

    /** The HTTP status, or 0 when the request got no response (connection refused, timeout, broken body). */
    public int status() {
        return status;
    }

    /** The vendor's error code from the response body, if it had one. */
    public Optional<String> vendorCode() {
        return Optional.ofNullable(vendorCode);
    }

    /** The method and URL, query values left out: {@code GET https://graph.example/v1.0/users?$select&$top}. */
    public String endpoint() {
        return endpoint;
    }

    /** What the server asked to wait before trying again ({@code Retry-After}), if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    @Override
    public boolean isRetryable() {
        return retryable;
    }
}
