package io.usher.core.http;

import java.net.http.HttpHeaders;
import java.util.Objects;
import java.util.Optional;

/**
 * A successful response's body, as a {@link JsonReader} read it, and its headers (for paging by
 * {@code Link} header, rate-limit headers, …). Immutable when the body is.
 */
public record Response<T>(T body, HttpHeaders headers) {

    public Response {
        Objects.requireNonNull(headers, "headers");
    }

    /** The target of the {@code Link} header's {@code rel="next"} link, exactly as sent (RFC 8288). */
    public Optional<String> nextLink() {
        return LinkHeader.find(headers.allValues("Link"), "next");
    }
}
