/**
 * Plumbing for connectors that read a vendor's REST API (Microsoft Graph, Google Directory, Okta), over
 * nothing heavier than {@link java.net.http.HttpClient} and Jackson.
 *
 * <p>{@link io.usher.core.http.RestClient} sends requests to a configurable API root with a bearer token from
 * a {@link io.usher.core.http.TokenSource}, retries throttling and transient failures
 * ({@code 429}/{@code 503}/{@code 504}, honouring {@code Retry-After}) with backoff and jitter per a
 * {@link io.usher.core.http.RetryPolicy}, bounds the requests in flight, times each request out, and hands
 * response bodies to a streaming {@link io.usher.core.http.JsonReader}. {@link io.usher.core.http.OAuthTokenSource}
 * fetches tokens from an OAuth 2.0 token endpoint with any grant (client secret, client assertion, JWT bearer)
 * and caches them until shortly before they expire, one refresh at a time. Every failure is a
 * {@link io.usher.core.http.RestException} that names the endpoint (query values left out), the HTTP status
 * and the vendor's error code, and never the token, secret or assertion.
 *
 * <p>Time ({@link java.time.Clock}), waiting ({@link io.usher.core.http.Sleeper}), randomness and the
 * {@code HttpClient} are injectable so that tests never sleep and never leave loopback.
 */
package io.usher.core.http;
