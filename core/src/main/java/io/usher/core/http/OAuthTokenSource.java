package io.usher.core.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer tokens from an OAuth 2.0 token endpoint (RFC 6749 §4.4 client credentials, or any grant a form can
 * express: a client secret, an RFC 7523 client assertion, a JWT bearer grant), cached until shortly before
 * they expire.
 *
 * <p>The form comes from a supplier called once per fetch, so a client assertion can be signed fresh (new
 * {@code jti}, new {@code exp}) each time. Only one fetch is in flight at a time: threads that find the cached
 * token stale while another thread is fetching wait for that fetch and share its result. A cached token is
 * refreshed {@code refreshMargin} before it expires (at most half its lifetime before).
 *
 * <p>Failures are {@link RestException}s naming the token endpoint and the OAuth {@code error} code
 * ({@code invalid_client}: code {@code SOURCE_AUTH}); the form, the secret and the answer's token never
 * appear in a message or log.
 *
 * <p>Thread-safe.
 */
public final class OAuthTokenSource implements TokenSource {
    private static final Logger LOG = LoggerFactory.getLogger(OAuthTokenSource.class);

    private final RestClient endpoint;
    private final String tokenUri;
    private final Supplier<Map<String, String>> form;
    private final Clock clock;
    private final Duration refreshMargin;
    private final Duration defaultLifetime;
    private final ReentrantLock fetching = new ReentrantLock();
    private volatile Cached cached;
    private volatile long fetches;

    private record Cached(AccessToken token, Instant refreshAt) {}

    private OAuthTokenSource(Builder b) {
        RestClient.Builder rb = RestClient.builder(b.tokenUri).retryPolicy(b.retry).clock(b.clock)
                .sleeper(b.sleeper).requestTimeout(b.requestTimeout).maxConcurrency(1).maxResponseBytes(1024 * 1024);
        if (b.http != null) {
            rb.httpClient(b.http);
        }
        this.endpoint = rb.build();
        this.tokenUri = b.tokenUri.toString();
        this.form = b.form;
        this.clock = b.clock;
        this.refreshMargin = b.refreshMargin;
        this.defaultLifetime = b.defaultLifetime;
    }

    public static Builder builder(URI tokenUri) {
        return new Builder(tokenUri);
    }

    @Override
    public AccessToken token() {
        Cached c = cached;
        if (c != null && clock.instant().isBefore(c.refreshAt())) {
            return c.token();
        }
        fetching.lock();
        try {
            c = cached;
            if (c != null && clock.instant().isBefore(c.refreshAt())) {
                return c.token();
            }
            Cached fresh = fetch();
            cached = fresh;
            return fresh.token();
        } finally {
            fetching.unlock();
        }
    }

    @Override
    public void invalidate(AccessToken rejected) {
        fetching.lock();
        try {
            Cached c = cached;
            if (c != null && c.token().equals(rejected)) {
                cached = null;
                LOG.debug("token refused by the API; the next request fetches a fresh one");
            }
        } finally {
            fetching.unlock();
        }
    }

    /** How many tokens this source has fetched from the endpoint. */
    public long fetches() {
        return fetches;
    }

    private Cached fetch() {
        Instant asked = clock.instant();
        Map<String, String> body = Objects.requireNonNull(form.get(), "the form supplier returned null");
        TokenAnswer answer = endpoint.postForm(tokenUri, body, OAuthTokenSource::readAnswer);
        fetches++;
        if (answer.token == null || answer.token.isBlank()) {
            throw new RestException(200, null, RestClient.describe("POST", URI.create(tokenUri)), false, null,
                    "the answer has no access_token", null);
        }
        Duration lifetime = answer.expiresIn > 0 ? Duration.ofSeconds(answer.expiresIn) : defaultLifetime;
        Instant expiresAt = asked.plus(lifetime);
        Duration margin = refreshMargin.compareTo(lifetime.dividedBy(2)) > 0 ? lifetime.dividedBy(2) : refreshMargin;
        LOG.debug("fetched a token valid for {} s", lifetime.getSeconds());
        return new Cached(AccessToken.of(answer.token, expiresAt), expiresAt.minus(margin));
    }

    private static final class TokenAnswer {
        String token;
        long expiresIn;
    }

    private static TokenAnswer readAnswer(JsonParser p) throws IOException {
        TokenAnswer a = new TokenAnswer();
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new com.fasterxml.jackson.core.JsonParseException(p, "expected an object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if ("access_token".equals(name) && t == JsonToken.VALUE_STRING) {
                a.token = p.getText();
            } else if ("expires_in".equals(name) && (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_STRING)) {
                try {
                    a.expiresIn = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : Long.parseLong(p.getText());
                } catch (NumberFormatException e) {
                    a.expiresIn = 0;
                }
            } else {
                p.skipChildren();
            }
        }
        return a;
    }

    @Override
    public String toString() {
        return "OAuthTokenSource[" + RestClient.describe("POST", URI.create(tokenUri)) + "]";
    }

    /** Builds {@link OAuthTokenSource}s; setters validate at once. Not thread-safe. */
    public static final class Builder {
        private final URI tokenUri;
        private Supplier<Map<String, String>> form;
        private HttpClient http;
        private RetryPolicy retry = RetryPolicy.DEFAULT.withMaxAttempts(3);
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration refreshMargin = Duration.ofMinutes(5);
        private Duration defaultLifetime = Duration.ofMinutes(5);

        private Builder(URI tokenUri) {
            this.tokenUri = Objects.requireNonNull(tokenUri, "tokenUri");
        }

        /**
         * The form to post, built fresh for each fetch: {@code grant_type}, {@code client_id},
         * {@code client_secret} or {@code client_assertion_type} + {@code client_assertion}, {@code scope}, …
         */
        public Builder form(Supplier<Map<String, String>> formSupplier) {
            this.form = Objects.requireNonNull(formSupplier, "form");
            return this;
        }

        public Builder httpClient(HttpClient client) {
            this.http = Objects.requireNonNull(client, "httpClient");
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            this.retry = Objects.requireNonNull(policy, "retryPolicy");
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        public Builder sleeper(Sleeper s) {
            this.sleeper = Objects.requireNonNull(s, "sleeper");
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "requestTimeout");
            return this;
        }

        /** Refresh this long before expiry (default 5 minutes; never more than half the token's lifetime). */
        public Builder refreshMargin(Duration margin) {
            Objects.requireNonNull(margin, "refreshMargin");
            if (margin.isNegative()) {
                throw new IllegalArgumentException("refreshMargin must not be negative");
            }
            this.refreshMargin = margin;
            return this;
        }

        /** The lifetime assumed when the answer has no {@code expires_in} (default 5 minutes). */
        public Builder defaultLifetime(Duration lifetime) {
            Objects.requireNonNull(lifetime, "defaultLifetime");
            if (lifetime.isNegative() || lifetime.isZero()) {
                throw new IllegalArgumentException("defaultLifetime must be positive");
            }
            this.defaultLifetime = lifetime;
            return this;
        }

        public OAuthTokenSource build() {
            if (form == null) {
                throw new IllegalStateException("form is required: the grant's parameters");
            }
            return new OAuthTokenSource(this);
        }
    }
}
