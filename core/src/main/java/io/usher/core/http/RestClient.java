package io.usher.core.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.usher.core.UsherException;
import io.usher.core.spi.SourceException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small JSON-over-HTTPS client for one vendor API: requests go to paths under a configurable API root (or
 * to absolute links the API handed out, such as next-page links, as long as they point at the same scheme,
 * host and port, so that the bearer token never travels elsewhere), carry a bearer token from a
 * {@link TokenSource}, and are retried per a {@link RetryPolicy}. A {@code 401} makes the client drop the
 * token it used and try once more with a fresh one (tokens expire mid-run). At most
 * {@code maxConcurrency} requests are in flight at once; each has its own timeout.
 *
 * <pre>{@code
 * RestClient api = RestClient.builder(URI.create("https://graph.microsoft.com/v1.0/"))
 *         .tokenSource(tokens).maxConcurrency(4).requestTimeout(Duration.ofSeconds(60)).build();
 * JsonNode me = api.getJson("organization");
 * Page page = api.get("users?$top=999", Page::read);   // a streaming reader for big pages
 * }</pre>
 *
 * <p>Thread-safe: one instance serves any number of threads.
 */
public final class RestClient {
    private static final Logger LOG = LoggerFactory.getLogger(RestClient.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory JSON = MAPPER.getFactory();
    private static final int MAX_ERROR_BODY = 16 * 1024;
    private static final Pattern SAFE_CODE = Pattern.compile("[A-Za-z0-9_.:\\-]{1,100}");

    private final URI base;
    private final HttpClient http;
    private final TokenSource tokens;
    private final RetryPolicy retry;
    private final Semaphore permits;
    private final int maxConcurrency;
    private final Duration requestTimeout;
    private final long maxResponseBytes;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final Map<String, String> headers;
    private final Function<JsonNode, String> errorCodes;
    private final Throttle throttle;
    private final java.util.function.BiPredicate<Integer, String> retryWhen;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();

    private RestClient(Builder b) {
        this.base = b.base;
        this.http = b.http != null ? b.http : defaultHttpClient();
        this.tokens = b.tokens;
        this.retry = b.retry;
        this.maxConcurrency = b.maxConcurrency;
        this.permits = new Semaphore(b.maxConcurrency, true);
        this.requestTimeout = b.requestTimeout;
        this.maxResponseBytes = b.maxResponseBytes;
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.random = b.random;
        this.headers = Map.copyOf(b.headers);
        this.errorCodes = b.errorCodes;
        this.throttle = b.throttle;
        this.retryWhen = b.retryWhen;
    }

    /**
     * The JDK client used when none is given: 10 s connect timeout, redirects not followed (a redirect could
     * carry the bearer token elsewhere), and the JVM's default proxy selector, so the standard
     * {@code https.proxyHost}/{@code https.proxyPort}/{@code http.nonProxyHosts} system properties apply.
     */
    public static HttpClient defaultHttpClient() {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER);
        java.net.ProxySelector proxies = java.net.ProxySelector.getDefault();
        if (proxies != null) {
            b.proxy(proxies);
        }
        return b.build();
    }

    /**
     * A builder for a client of the API under {@code apiRoot} (for instance
     * {@code https://graph.microsoft.com/v1.0/}; a missing trailing slash is added).
     */
    public static Builder builder(URI apiRoot) {
        return new Builder(apiRoot);
    }

    /** The shared, thread-safe Jackson mapper the client reads with, for turning small parts into trees. */
    public static ObjectMapper json() {
        return MAPPER;
    }

    /** The API root paths resolve against. */
    public URI baseUri() {
        return base;
    }

    /** Requests sent so far, retries included. */
    public long requestsSent() {
        return sent.get();
    }

    /** Requests that were tried again so far (after throttling, a server error, a lost response or a 401). */
    public long retries() {
        return retried.get();
    }

    /** The largest number of requests in flight at once. */
    public int maxConcurrency() {
        return maxConcurrency;
    }

    /** GETs {@code pathOrUrl} and reads the body with {@code reader}. */
    public <T> T get(String pathOrUrl, JsonReader<T> reader) {
        URI uri = resolve(pathOrUrl);
        return send("GET", uri, null, reader).body();
    }

    /**
     * GETs {@code pathOrUrl} and returns the body, read with {@code reader}, with the response's headers (for
     * APIs that page by {@code Link} header: {@link Response#nextLink()}).
     */
    public <T> Response<T> getResponse(String pathOrUrl, JsonReader<T> reader) {
        URI uri = resolve(pathOrUrl);
        return send("GET", uri, null, reader);
    }

    /** GETs {@code pathOrUrl} and returns the body as a tree (for small answers). */
    public JsonNode getJson(String pathOrUrl) {
        return get(pathOrUrl, RestClient::tree);
    }

    /** POSTs a form ({@code application/x-www-form-urlencoded}) and reads the answer with {@code reader}. */
    public <T> T postForm(String pathOrUrl, Map<String, String> form, JsonReader<T> reader) {
        URI uri = resolve(pathOrUrl);
        StringJoiner body = new StringJoiner("&");
        form.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return send("POST", uri, body.toString(), reader).body();
    }

    private static JsonNode tree(JsonParser p) throws IOException {
        JsonNode n = p.readValueAsTree();
        return n == null ? MAPPER.nullNode() : n;
    }

    /**
     * The URL a path or link stands for: a relative path resolves under the API root; an absolute URL must
     * share the root's scheme, host and port.
     *
     * @throws RestException with code {@code SOURCE_DATA} for a link to another origin or an unparseable one
     */
    public URI resolve(String pathOrUrl) {
        Objects.requireNonNull(pathOrUrl, "pathOrUrl");
        URI uri;
        try {
            if (pathOrUrl.startsWith("https://") || pathOrUrl.startsWith("http://")) {
                uri = new URI(pathOrUrl);
            } else {
                String rel = pathOrUrl.startsWith("/") ? pathOrUrl.substring(1) : pathOrUrl;
                uri = URI.create(base.toString() + rel);
            }
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw new RestException(UsherException.Code.SOURCE_DATA, 0, null, "a link from " + describe("GET", base),
                    false, null,
                    "is not a valid URL", null);
        }
        if (!Objects.equals(scheme(uri), scheme(base)) || !Objects.equals(host(uri), host(base))
                || port(uri) != port(base)) {
            throw new RestException(UsherException.Code.SOURCE_DATA, 0, null, describe("GET", uri), false, null,
                    "points outside the configured API root " + origin(base) + "; not followed", null);
        }
        return uri;
    }

    private static String scheme(URI u) {
        return u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
    }

    private static String host(URI u) {
        return u.getHost() == null ? null : u.getHost().toLowerCase(Locale.ROOT);
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static String origin(URI u) {
        return scheme(u) + "://" + u.getRawAuthority();
    }

    /**
     * Method and URL as errors and logs show them: the query's parameter names without their values (which
     * may hold skip tokens, delta tokens or other secrets), no user info, no fragment.
     */
    public static String describe(String method, URI uri) {
        StringBuilder b = new StringBuilder(method).append(' ');
        if (uri.getScheme() != null) {
            b.append(uri.getScheme()).append("://");
        }
        if (uri.getHost() != null) {
            b.append(uri.getHost());
            if (uri.getPort() >= 0) {
                b.append(':').append(uri.getPort());
            }
        }
        b.append(uri.getRawPath() == null ? "" : uri.getRawPath());
        String q = uri.getRawQuery();
        if (q != null && !q.isEmpty()) {
            StringJoiner names = new StringJoiner("&", "?", "");
            for (String part : q.split("&")) {
                int eq = part.indexOf('=');
                String name = eq < 0 ? part : part.substring(0, eq);
                if (!name.isEmpty()) {
                    names.add(java.net.URLDecoder.decode(name, StandardCharsets.UTF_8));
                }
            }
            b.append(names);
        }
        return b.toString();
    }

    private <T> Response<T> send(String method, URI uri, String formBody, JsonReader<T> reader) {
        String endpoint = describe(method, uri);
        boolean refreshedAfter401 = false;
        int attempt = 0;
        while (true) {
            attempt++;
            AccessToken token = tokens == null ? null : tokens.token();
            HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                    .header("Accept", "application/json");
            headers.forEach(rb::header);
            if (token != null) {
                rb.header("Authorization", tokens.scheme() + " " + token.value());
                tokens.requestHeaders(method, uri, token).forEach(rb::header);
            }
            if (formBody != null) {
                rb.header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(formBody));
            } else {
                rb.GET();
            }
            RestException failure;
            try {
                throttle.beforeSend(method, uri);
                permits.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SourceException(UsherException.Code.INTERRUPTED, endpoint + ": interrupted", e);
            }
            try {
                sent.incrementAndGet();
                HttpResponse<InputStream> resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
                int status = resp.statusCode();
                throttle.afterResponse(method, uri, status, resp.headers());
                if (status >= 200 && status < 300) {
                    return new Response<>(readBody(resp, reader, endpoint), resp.headers());
                }
                byte[] err = readError(resp.body());
                String vendorCode = vendorCode(err);
                Duration retryAfter = throttle.retryWait(status, resp.headers())
                        .or(() -> resp.headers().firstValue("Retry-After")
                                .flatMap(h -> RetryAfter.parse(h, clock.instant()))).orElse(null);
                if (status == 401 && token != null && !refreshedAfter401) {
                    refreshedAfter401 = true;
                    attempt--;
                    tokens.invalidate(token);
                    retried.incrementAndGet();
                    LOG.debug("{}: HTTP 401, fetching a fresh token and trying once more", endpoint);
                    continue;
                }
                boolean byVendor = !retry.retries(status) && retryWhen.test(status, vendorCode);
                boolean retryable = retry.retries(status) || byVendor;
                failure = byVendor
                        ? new RestException(UsherException.Code.SOURCE_UNAVAILABLE, status, vendorCode, endpoint, true,
                                retryAfter, null, null)
                        : new RestException(status, vendorCode, endpoint, retryable, retryAfter, null, null);
                if (!retryable) {
                    throw failure;
                }
            } catch (BrokenBody e) {
                failure = new RestException(0, null, endpoint, true, null,
                        "the response broke off (" + e.getCause().getClass().getSimpleName() + ")", e.getCause());
            } catch (IOException e) {
                failure = new RestException(0, null, endpoint, true, null,
                        "no response (" + e.getClass().getSimpleName() + ")", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SourceException(UsherException.Code.INTERRUPTED, endpoint + ": interrupted", e);
            } finally {
                permits.release();
            }
            if (attempt >= retry.maxAttempts()) {
                if (retry.maxAttempts() > 1) {
                    throw withDetail(failure, "gave up after " + attempt + " attempts");
                }
                throw failure;
            }
            Duration wait;
            Optional<Duration> asked = failure.retryAfter();
            if (asked.isPresent()) {
                if (asked.get().compareTo(retry.maxRetryAfter()) > 0) {
                    throw withDetail(failure, "the server asked to wait " + asked.get().getSeconds()
                            + " s, longer than the " + retry.maxRetryAfter().getSeconds() + " s allowed");
                }
                wait = asked.get();
            } else {
                wait = retry.backoff(attempt, random.nextDouble());
            }
            retried.incrementAndGet();
            LOG.info("{}: {}; retry {} of {} in {} ms", endpoint,
                    failure.status() > 0 ? "HTTP " + failure.status() : "no response", attempt,
                    retry.maxAttempts() - 1, wait.toMillis());
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SourceException(UsherException.Code.INTERRUPTED, endpoint + ": interrupted", e);
            }
        }
    }

    private static RestException withDetail(RestException f, String detail) {
        return new RestException(f.code(), f.status(), f.vendorCode().orElse(null), f.endpoint(), f.isRetryable(),
                f.retryAfter().orElse(null), detail, f.getCause());
    }

    /**
     * The body of a successful response, through the reader; a broken stream is a {@link BrokenBody}. The body
     * must arrive within another {@code requestTimeout} (the JDK's timeout covers the headers only): a watchdog
     * closes a stalled stream, which ends the read.
     */
    private <T> T readBody(HttpResponse<InputStream> resp, JsonReader<T> reader, String endpoint) throws BrokenBody {
        InputStream body = resp.body();
        java.util.concurrent.atomic.AtomicBoolean stalled = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.ScheduledFuture<?> watchdog = Watchdog.TIMER.schedule(() -> {
            stalled.set(true);
            try {
                body.close();
            } catch (IOException ignored) {
                // closing is all we can do
            }
        }, requestTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        try (InputStream in = new Limited(body, maxResponseBytes);
             JsonParser parser = JSON.createParser(in)) {
            T value = reader.read(parser);
            if (stalled.get()) {
                throw new BrokenBody(new java.net.http.HttpTimeoutException("the body did not arrive in time"));
            }
            return value;
        } catch (IOException e) {
            if (stalled.get()) {
                throw new BrokenBody(new java.net.http.HttpTimeoutException("the body did not arrive in time"));
            }
            return rethrow(e, resp, endpoint);
        } finally {
            watchdog.cancel(false);
        }
    }

    private <T> T rethrow(IOException failure, HttpResponse<InputStream> resp, String endpoint) throws BrokenBody {
        try {
            throw failure;
        } catch (TooLarge e) {
            throw new RestException(resp.statusCode(), null, endpoint, false, null,
                    "the response is larger than " + maxResponseBytes + " bytes", null);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new RestException(resp.statusCode(), null, endpoint, false, null,
                    "the response is not the JSON expected" + where, null);
        } catch (IOException e) {
            throw new BrokenBody(e);
        }
    }

    private static byte[] readError(InputStream body) {
        try (InputStream in = body) {
            return in.readNBytes(MAX_ERROR_BODY);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private String vendorCode(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            JsonNode root = MAPPER.readTree(body);
            String code = root == null ? null : errorCodes.apply(root);
            return code != null && SAFE_CODE.matcher(code).matches() ? code : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The vendor error code in the common shapes: {@code {"error":{"code":"..."}}} (Microsoft Graph;
     * Google's numeric code gives way to its {@code status}), {@code {"error":"invalid_client"}} (OAuth 2.0
     * token endpoints) and {@code {"errorCode":"E0000011"}} (Okta).
     */
    static String defaultErrorCode(JsonNode root) {
        JsonNode error = root.get("error");
        if (error != null && error.isObject()) {
            JsonNode code = error.get("code");
            if (code != null && code.isTextual()) {
                return code.asText();
            }
            JsonNode status = error.get("status");
            if (status != null && status.isTextual()) {
                return status.asText();
            }
            return null;
        }
        if (error != null && error.isTextual()) {
            return error.asText();
        }
        JsonNode okta = root.get("errorCode");
        return okta != null && okta.isTextual() ? okta.asText() : null;
    }

    @Override
    public String toString() {
        return "RestClient[" + origin(base) + base.getRawPath() + ", maxConcurrency=" + maxConcurrency + "]";
    }

    /** One daemon thread, shared by all clients, that closes bodies which stall past their timeout. */
    private static final class Watchdog {
        static final java.util.concurrent.ScheduledThreadPoolExecutor TIMER = timer();

        private static java.util.concurrent.ScheduledThreadPoolExecutor timer() {
            java.util.concurrent.ScheduledThreadPoolExecutor t = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
                    r -> {
                        Thread th = new Thread(r, "usher-http-watchdog");
                        th.setDaemon(true);
                        return th;
                    });
            t.setRemoveOnCancelPolicy(true);
            return t;
        }
    }

    /** A successful response whose body broke off while being read: worth one more try. */
    private static final class BrokenBody extends Exception {
        private static final long serialVersionUID = 1L;

        BrokenBody(IOException cause) {
            super(cause);
        }
    }

    private static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;
    }

    /** Fails with {@link TooLarge} once more than {@code max} bytes have been read. */
    private static final class Limited extends FilterInputStream {
        private final long max;
        private long count;

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(long n) throws TooLarge {
            count += n;
            if (count > max) {
                throw new TooLarge();
            }
        }
    }

    /** Builds {@link RestClient}s; every setter validates at once. Not thread-safe. */
    public static final class Builder {
        private final URI base;
        private HttpClient http;
        private TokenSource tokens;
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private int maxConcurrency = 4;
        private Duration requestTimeout = Duration.ofSeconds(60);
        private long maxResponseBytes = 64L * 1024 * 1024;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private RandomGenerator random = new java.util.SplittableRandom();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Function<JsonNode, String> errorCodes = RestClient::defaultErrorCode;
        private Throttle throttle = Throttle.NONE;
        private java.util.function.BiPredicate<Integer, String> retryWhen = (status, code) -> false;

        private Builder(URI apiRoot) {
            Objects.requireNonNull(apiRoot, "apiRoot");
            if (!apiRoot.isAbsolute() || apiRoot.getHost() == null
                    || !("https".equalsIgnoreCase(apiRoot.getScheme()) || "http".equalsIgnoreCase(apiRoot.getScheme()))) {
                throw new IllegalArgumentException("apiRoot must be an absolute http(s) URL with a host");
            }
            if (apiRoot.getRawQuery() != null || apiRoot.getRawFragment() != null || apiRoot.getRawUserInfo() != null) {
                throw new IllegalArgumentException("apiRoot must not carry a query, fragment or user info");
            }
            String s = apiRoot.toString();
            this.base = URI.create(s.endsWith("/") ? s : s + "/");
        }

        /** The JDK client to send with (default: {@link RestClient#defaultHttpClient()}). */
        public Builder httpClient(HttpClient client) {
            this.http = Objects.requireNonNull(client, "httpClient");
            return this;
        }

        /** Where bearer tokens come from; without one, requests carry no {@code Authorization} header. */
        public Builder tokenSource(TokenSource source) {
            this.tokens = Objects.requireNonNull(source, "tokenSource");
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            this.retry = Objects.requireNonNull(policy, "retryPolicy");
            return this;
        }

        /** At most this many requests in flight at once (1–64, default 4). */
        public Builder maxConcurrency(int max) {
            if (max < 1 || max > 64) {
                throw new IllegalArgumentException("maxConcurrency must be between 1 and 64, was " + max);
            }
            this.maxConcurrency = max;
            return this;
        }

        /** How long one request may take until its response headers arrive (default 60 s). */
        public Builder requestTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "requestTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive");
            }
            this.requestTimeout = timeout;
            return this;
        }

        /** Responses larger than this are refused (default 64 MiB). */
        public Builder maxResponseBytes(long max) {
            if (max < 1024) {
                throw new IllegalArgumentException("maxResponseBytes must be at least 1024");
            }
            this.maxResponseBytes = max;
            return this;
        }

        /** The clock {@code Retry-After} dates are read against. */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** How the client waits between retries (tests pass one that records instead of sleeping). */
        public Builder sleeper(Sleeper s) {
            this.sleeper = Objects.requireNonNull(s, "sleeper");
            return this;
        }

        /** Randomness for the backoff jitter. */
        public Builder random(RandomGenerator r) {
            this.random = Objects.requireNonNull(r, "random");
            return this;
        }

        /** A header every request carries (for instance {@code ConsistencyLevel: eventual}). */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "header name");
            Objects.requireNonNull(value, "header value");
            if (name.equalsIgnoreCase("Authorization")) {
                throw new IllegalArgumentException("the Authorization header comes from the tokenSource");
            }
            if (headers.containsKey(name)) {
                throw new IllegalArgumentException("header " + name + " is already set");
            }
            headers.put(name, value);
            return this;
        }

        /** How to find the vendor's error code in an error body (default: the common shapes, see the docs). */
        public Builder errorCodes(Function<JsonNode, String> reader) {
            this.errorCodes = Objects.requireNonNull(reader, "errorCodes");
            return this;
        }

        /** Paces requests by the vendor's rate limits (default {@link Throttle#NONE}); see {@link Throttle}. */
        public Builder throttle(Throttle t) {
            this.throttle = Objects.requireNonNull(t, "throttle");
            return this;
        }

        /**
         * Also retries a response this predicate accepts, given its status and vendor error code (which may be
         * null), beyond the {@link RetryPolicy}'s statuses: for APIs that throttle with another status, such as
         * Google's {@code 403} with reason {@code userRateLimitExceeded}. Such a failure, once retries run out,
         * has code {@code SOURCE_UNAVAILABLE} (throttled), not the status's own. Default: nothing more.
         */
        public Builder retryWhen(java.util.function.BiPredicate<Integer, String> predicate) {
            this.retryWhen = Objects.requireNonNull(predicate, "retryWhen");
            return this;
        }

        public RestClient build() {
            return new RestClient(this);
        }
    }
}
