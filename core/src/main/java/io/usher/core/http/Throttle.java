package io.usher.core.http;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Optional;

/**
 * A hook a {@link RestClient} calls around every request it sends (retries included), for vendors whose rate
 * limits the client must pace itself by: {@link #beforeSend} may wait (through an injected
 * {@link Sleeper}, so tests never sleep), {@link #afterResponse} sees every response's status and headers
 * (rate-limit headers such as Okta's {@code X-Rate-Limit-Remaining}), and {@link #retryWait} may name how
 * long to wait before retrying a throttled response when the vendor says so in its own headers rather than in
 * {@code Retry-After}. Every method has a do-nothing default.
 *
 * <p>Implementations must be thread-safe: one client serves several threads.
 */
public interface Throttle {

    /** A throttle that never waits and ignores every response. */
    Throttle NONE = new Throttle() {};

    /**
     * Called before each request is sent; may block until sending is allowed.
     *
     * @throws InterruptedException when the wait was interrupted (the client then gives up the call)
     */
    default void beforeSend(String method, URI uri) throws InterruptedException {}

    /** Called with every response's status and headers, successful or not, before its body is read. */
    default void afterResponse(String method, URI uri, int status, HttpHeaders headers) {}

    /**
     * How long to wait before retrying this retryable response, when the vendor's own headers say so; empty to
     * use {@code Retry-After} or the retry policy's backoff.
     */
    default Optional<Duration> retryWait(int status, HttpHeaders headers) {
        return Optional.empty();
    }
}
