package io.usher.testkit.google;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import io.usher.core.spi.SourceException;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.internal.LoopbackHttpServer;
import io.usher.testkit.internal.OpaqueTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.PublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stateful fake of the Google Workspace Admin SDK Directory API and Google's OAuth 2.0 token endpoint, serving
 * an {@link InMemoryDirectory} on a free loopback port with the JDK's HTTP server. Changing the directory
 * changes what it serves.
 *
 * <p>What it serves, with the shapes Google documents:
 * <ul>
 *   <li>{@code POST /token}: the JWT bearer grant ({@code urn:ietf:params:oauth:grant-type:jwt-bearer}) of a
 *       service account. The assertion is checked as Google does: RS256, signed by the key registered for its
 *       {@code iss} (the service account's {@code client_email}), {@code aud} the token endpoint, {@code iat}
 *       and {@code exp} at most one hour apart and around now, a {@code scope}. With a {@code sub} (domain-wide
 *       delegation) every scope must be delegated to the service account's client id, else 401
 *       {@code unauthorized_client}; an unknown {@code sub} is 400 {@code invalid_grant}.
 *   <li>{@code GET /admin/directory/v1/users} ({@code customer=my_customer} or the customer id, or
 *       {@code domain=}; {@code maxResults} 1–500), {@code /groups} (1–200) and
 *       {@code /groups/{groupKey}/members} (1–200; {@code includeDerivedMembership}); opaque, tamper-evident
 *       {@code pageToken}s; {@code fields=} partial responses (an unknown field is a 400); a per-record
 *       {@code etag} that changes exactly when the record does. Users: {@code primaryEmail} (the login name,
 *       with the domain added when it has none), {@code name}, {@code suspended} (a disabled user),
 *       {@code archived} and {@code orgUnitPath} (from the attributes of those names), {@code aliases} (the
 *       user's other mail addresses), {@code isAdmin}. Members: {@code type} {@code USER} or {@code GROUP}.
 * </ul>
 *
 * <p>Access: a token without a {@code sub}, or for a subject who is not an {@link Builder#admin admin}, is
 * answered 403 {@code forbidden} ("Not Authorized to access this resource/api"); a token lacking the scope an
 * endpoint needs, 403 {@code insufficientPermissions}; an expired or unknown token, 401 {@code authError}.
 *
 * <p>Fault injection (thread-safe, cleared by {@link #clearFaults()}): {@link #throttleNext},
 * {@link #throttleEvery} (403 {@code userRateLimitExceeded} / {@code rateLimitExceeded} / {@code quotaExceeded}
 * or 429), {@link #failNext} (5xx), {@link #failAfterRecords}, {@link #expireAccessTokens}. The directory's own
 * serving-read faults answer 503.
 *
 * <p>Thread-safe. Close it to stop the server.
 */
public final class GoogleDirectoryServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GoogleDirectoryServer.class);

    static {
        LoopbackHttpServer.preferNoDelay(); // must run before the JDK's server classes load
    }

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final String SCOPE_PREFIX = "https://www.googleapis.com/auth/";
    /** The read-only scopes the Usher connector asks for. */
    public static final Set<String> READONLY_SCOPES = Set.of(SCOPE_PREFIX + "admin.directory.user.readonly",
            SCOPE_PREFIX + "admin.directory.group.readonly", SCOPE_PREFIX + "admin.directory.group.member.readonly");
    private static final Duration SKEW = Duration.ofMinutes(5);

    /** How a throttled request is answered. */
    public enum Throttle {
        /** 403, reason {@code userRateLimitExceeded} (per-user quota). */
        USER_RATE_LIMIT(403, "userRateLimitExceeded", "User Rate Limit Exceeded"),
        /** 403, reason {@code rateLimitExceeded}. */
        RATE_LIMIT(403, "rateLimitExceeded", "Rate Limit Exceeded"),
        /** 403, reason {@code quotaExceeded}. */
        QUOTA(403, "quotaExceeded", "Quota exceeded for quota metric 'Queries'"),
        /** 429, reason {@code rateLimitExceeded}. */
        TOO_MANY_REQUESTS(429, "rateLimitExceeded", "Too Many Requests");

        final int status;
        final String reason;
        final String message;

        Throttle(int status, String reason, String message) {
            this.status = status;
            this.reason = reason;
            this.message = message;
        }
    }

    record ServiceAccount(String clientEmail, String clientId, PublicKey key) {}

    record Issued(String subject, Set<String> scopes, Instant expiresAt, long generation) {}

    private final InMemoryDirectory directory;
    private final Clock clock;
    private final Duration tokenLifetime;
    private final Map<String, ServiceAccount> accounts;
    private final Map<String, Set<String>> delegations;
    private final Set<String> admins;
    private final LoopbackHttpServer http;
    private final URI base;
    private final OpaqueTokens pageTokens = new OpaqueTokens();
    private final Map<String, Issued> issued = new ConcurrentHashMap<>();
    private final DirectoryApi api;

    private final Object faults = new Object();
    private int throttleRemaining;
    private Throttle throttleKind = Throttle.USER_RATE_LIMIT;
    private int throttleEvery;
    private List<Throttle> stormKinds = List.of();
    private int stormIndex;
    private int failRemaining;
    private int failStatus;
    private long failBudget = -1;
    private int failBudgetStatus;
    private boolean failing;
    private long tokenGeneration;

    private final AtomicLong apiRequests = new AtomicLong();
    private final AtomicLong tokenRequests = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong records = new AtomicLong();

    private GoogleDirectoryServer(Builder b) {
        this.directory = b.directory;
        this.clock = b.clock;
        this.tokenLifetime = b.tokenLifetime;
        this.accounts = Map.copyOf(b.accounts);
        this.delegations = Map.copyOf(b.delegations);
        this.admins = Set.copyOf(b.admins);
        this.http = LoopbackHttpServer.bind();
        this.base = http.base();
        this.api = new DirectoryApi(this, directory, pageTokens, b.domains, b.customerId, admins);
        http.start("fake-google", b.threads, this::handle);
        LOG.debug("fake Google Directory API on {}", base);
    }

    /** A builder for a fake serving {@code directory}. */
    public static Builder builder(InMemoryDirectory directory) {
        return new Builder(directory);
    }

    /** The token endpoint ({@code token_uri} of a key file, and the {@code aud} an assertion must carry). */
    public URI tokenUri() {
        return base.resolve("token");
    }

    /** The Directory API root, {@code http://127.0.0.1:port/admin/directory/v1/}. */
    public URI apiUri() {
        return base.resolve("admin/directory/v1/");
    }

    public InMemoryDirectory directory() {
        return directory;
    }

    /** The {@code primaryEmail} the fake serves for a directory user id. */
    public String primaryEmail(String userId) {
        return directory.user(userId).map(api::primaryEmail).orElseThrow(
                () -> new IllegalArgumentException("no user with id " + userId));
    }

    /** The {@code email} the fake serves for a directory group id. */
    public String groupEmail(String groupId) {
        return directory.group(groupId).map(api::groupEmail).orElseThrow(
                () -> new IllegalArgumentException("no group with id " + groupId));
    }

    /**
     * A service account key file, as the Google Cloud console downloads it, for a registered service account and
     * its private key, naming this server's token endpoint as {@code token_uri}.
     */
    public String keyFile(String clientEmail, PrivateKey privateKey) {
        ServiceAccount sa = accounts.get(clientEmail);
        if (sa == null) {
            throw new IllegalArgumentException("no service account " + clientEmail + " is registered");
        }
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(
                        privateKey.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        Map<String, String> m = new LinkedHashMap<>();
        m.put("type", "service_account");
        m.put("project_id", "usher-test");
        m.put("private_key_id", "0123456789abcdef0123456789abcdef01234567");
        m.put("private_key", pem);
        m.put("client_email", clientEmail);
        m.put("client_id", sa.clientId());
        m.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
        m.put("token_uri", tokenUri().toString());
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ faults

    /** The next {@code count} API requests are throttled as {@code kind}. */
    public void throttleNext(int count, Throttle kind) {
        synchronized (faults) {
            throttleRemaining = count;
            throttleKind = Objects.requireNonNull(kind, "kind");
        }
    }

    /** Every {@code nth} API request is throttled, cycling through {@code kinds}, until cleared; 0 stops it. */
    public void throttleEvery(int nth, Throttle... kinds) {
        if (nth < 0 || nth == 1) {
            throw new IllegalArgumentException("nth must be 0 (off) or at least 2, so that requests get through");
        }
        if (nth > 0 && kinds.length == 0) {
            throw new IllegalArgumentException("name at least one kind of throttling");
        }
        synchronized (faults) {
            throttleEvery = nth;
            stormKinds = List.of(kinds);
            stormIndex = 0;
        }
    }

    /** The next {@code count} API requests answer {@code status} (500, 502, 503, 504). */
    public void failNext(int count, int status) {
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("status must be a 5xx status");
        }
        synchronized (faults) {
            failRemaining = count;
            failStatus = status;
        }
    }

    /** After about {@code records} more records, every API request answers {@code status} until cleared. */
    public void failAfterRecords(long records, int status) {
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("status must be a 5xx status");
        }
        synchronized (faults) {
            failBudget = records;
            failBudgetStatus = status;
            failing = false;
        }
    }

    /** Every access token issued so far is answered with 401 from now on. */
    public void expireAccessTokens() {
        synchronized (faults) {
            tokenGeneration++;
        }
    }

    /** Disarms throttling and failures (expired tokens stay expired). */
    public void clearFaults() {
        synchronized (faults) {
            throttleRemaining = 0;
            throttleEvery = 0;
            failRemaining = 0;
            failBudget = -1;
            failing = false;
        }
    }

    /** API requests received so far (token requests not included). */
    public long apiRequests() {
        return apiRequests.get();
    }

    /** Token requests received so far. */
    public long tokenRequests() {
        return tokenRequests.get();
    }

    /** Requests answered as throttled so far. */
    public long throttledResponses() {
        return throttled.get();
    }

    /** Records (users, groups, members) served so far. */
    public long recordsServed() {
        return records.get();
    }

    void served(int n) {
        records.addAndGet(n);
        synchronized (faults) {
            if (failBudget >= 0) {
                failBudget -= n;
                if (failBudget < 0) {
                    failing = true;
                }
            }
        }
    }

    // ------------------------------------------------------------------ dispatch

    private void handle(HttpExchange ex) {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            try {
                if ("/token".equals(path)) {
                    tokenRequests.incrementAndGet();
                    if (!"POST".equals(ex.getRequestMethod())) {
                        throw new OAuthError(405, "invalid_request", "Use POST.");
                    }
                    String body = new String(ex.getRequestBody().readNBytes(64 * 1024), StandardCharsets.UTF_8);
                    send(ex, 200, MAPPER.writeValueAsBytes(token(query(body))));
                    return;
                }
                String prefix = "/admin/directory/v1/";
                if (!path.startsWith(prefix)) {
                    throw GoogleError.notFound("Not Found");
                }
                apiRequests.incrementAndGet();
                if (!"GET".equals(ex.getRequestMethod())) {
                    throw new GoogleError(405, "httpMethodNotAllowed", "global", "The fake serves GET only.");
                }
                Issued caller = authenticate(ex);
                injectFaults();
                byte[] body = api.get(path.substring(prefix.length()), query(ex.getRequestURI().getRawQuery()),
                        caller.scopes());
                send(ex, 200, body);
            } catch (GoogleError e) {
                send(ex, e.status, errorBody(e));
            } catch (OAuthError e) {
                Map<String, String> m = new LinkedHashMap<>();
                m.put("error", e.error);
                m.put("error_description", e.getMessage());
                send(ex, e.status, MAPPER.writeValueAsBytes(m));
            } catch (SourceException e) {
                send(ex, 503, errorBody(new GoogleError(503, "backendError", "global", "Backend Error")));
            } catch (RuntimeException e) {
                LOG.warn("fake Google failed on {}: {}", path, e.toString());
                send(ex, 500, errorBody(new GoogleError(500, "backendError", "global", "Internal error")));
            }
        } catch (IOException e) {
            LOG.debug("client went away: {}", e.toString());
        }
    }

    private Issued authenticate(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        Issued t = h != null && h.startsWith("Bearer ") ? issued.get(h.substring(7)) : null;
        long generation;
        synchronized (faults) {
            generation = tokenGeneration;
        }
        if (t == null || !clock.instant().isBefore(t.expiresAt()) || t.generation() < generation) {
            throw new GoogleError(401, "authError", "global", "Invalid Credentials");
        }
        if (t.subject() == null || !admins.contains(t.subject())) {
            throw GoogleError.forbidden("forbidden", "Not Authorized to access this resource/api");
        }
        return t;
    }

    private void injectFaults() {
        Throttle t = null;
        synchronized (faults) {
            if (failing) {
                throw new GoogleError(failBudgetStatus, "backendError", "global", "Injected: the service stopped answering.");
            }
            if (failRemaining > 0) {
                failRemaining--;
                throw new GoogleError(failStatus, "backendError", "global", "Injected server error.");
            }
            if (throttleRemaining > 0) {
                throttleRemaining--;
                t = throttleKind;
            } else if (throttleEvery > 0 && apiRequests.get() % throttleEvery == 0) {
                t = stormKinds.get(stormIndex++ % stormKinds.size());
            }
        }
        if (t != null) {
            throttled.incrementAndGet();
            throw new GoogleError(t.status, t.reason, "usageLimits", t.message);
        }
    }

    // ------------------------------------------------------------------ token endpoint

    private Map<String, Object> token(Map<String, String> form) {
        if (!JWT_BEARER.equals(form.get("grant_type"))) {
            throw new OAuthError(400, "unsupported_grant_type", "Invalid grant_type: "
                    + (form.containsKey("grant_type") ? "not supported" : "missing"));
        }
        String assertion = form.get("assertion");
        if (assertion == null || assertion.isEmpty()) {
            throw new OAuthError(400, "invalid_request", "Missing required parameter: assertion");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(assertion);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new OAuthError(400, "invalid_grant", "Invalid JWT: the assertion is not a signed JWT.");
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new OAuthError(400, "invalid_grant", "Invalid JWT: the algorithm must be RS256.");
        }
        ServiceAccount sa = claims.getIssuer() == null ? null : accounts.get(claims.getIssuer());
        try {
            if (sa == null || !(sa.key() instanceof RSAPublicKey rsa) || !jwt.verify(new RSASSAVerifier(rsa))) {
                throw new OAuthError(400, "invalid_grant", "Invalid JWT Signature.");
            }
        } catch (JOSEException e) {
            throw new OAuthError(400, "invalid_grant", "Invalid JWT Signature.");
        }
        if (claims.getAudience().size() != 1 || !tokenUri().toString().equals(claims.getAudience().get(0))) {
            throw new OAuthError(400, "invalid_grant", "Invalid JWT: Failed audience check. The expected audience is "
                    + tokenUri() + ".");
        }
        Instant now = clock.instant();
        if (claims.getIssueTime() == null || claims.getExpirationTime() == null
                || claims.getExpirationTime().toInstant().isBefore(now)
                || claims.getIssueTime().toInstant().isAfter(now.plus(SKEW))
                || Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant())
                        .compareTo(Duration.ofHours(1)) > 0) {
            throw new OAuthError(400, "invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) "
                    + "and in a reasonable timeframe. Check your iat and exp values in the JWT claim.");
        }
        Object scopeClaim = claims.getClaim("scope");
        if (!(scopeClaim instanceof String scopeText) || scopeText.isBlank()) {
            throw new OAuthError(400, "invalid_scope", "Invalid OAuth scope or ID token audience provided.");
        }
        Set<String> scopes = new LinkedHashSet<>(List.of(scopeText.trim().split("\\s+")));
        String sub = claims.getSubject();
        if (sub != null) {
            Set<String> delegated = delegations.getOrDefault(sa.clientId(), Set.of());
            if (!delegated.containsAll(scopes)) {
                throw new OAuthError(401, "unauthorized_client", "Client is unauthorized to retrieve access tokens "
                        + "using this method, or client not authorized for any of the scopes requested.");
            }
            if (!admins.contains(sub) && directory.users().noneMatch(u -> api.primaryEmail(u).equalsIgnoreCase(sub))) {
                throw new OAuthError(400, "invalid_grant", "Invalid email or User ID");
            }
        }
        long generation;
        synchronized (faults) {
            generation = tokenGeneration;
        }
        String token = "ya29." + pageTokens.random();
        issued.put(token, new Issued(sub, Set.copyOf(scopes), now.plus(tokenLifetime), generation));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", token);
        answer.put("expires_in", tokenLifetime.getSeconds());
        answer.put("token_type", "Bearer");
        return answer;
    }

    // ------------------------------------------------------------------ helpers

    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            if (out.putIfAbsent(k, v) != null) {
                throw GoogleError.badRequest("invalidParameter", "Parameter " + k + " was given more than once.");
            }
        }
        return out;
    }

    private static byte[] errorBody(GoogleError e) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", e.status);
        error.put("message", e.getMessage());
        ArrayNode errors = error.putArray("errors");
        ObjectNode one = errors.addObject();
        one.put("message", e.getMessage());
        one.put("domain", e.domain);
        one.put("reason", e.reason);
        return MAPPER.writeValueAsBytes(root);
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "GoogleDirectoryServer[" + base + "]";
    }

    /** Builds and starts {@link GoogleDirectoryServer}s; setters validate at once. Not thread-safe. */
    public static final class Builder {
        private final InMemoryDirectory directory;
        private Clock clock = Clock.systemUTC();
        private Duration tokenLifetime = Duration.ofHours(1);
        private int threads = 8;
        private String customerId = "C01b2c3d4";
        private final List<String> domains = new ArrayList<>();
        private final Map<String, ServiceAccount> accounts = new LinkedHashMap<>();
        private final Map<String, Set<String>> delegations = new LinkedHashMap<>();
        private final Set<String> admins = new LinkedHashSet<>();

        private Builder(InMemoryDirectory directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /**
         * A domain of the customer; the first is the primary domain, added to login names without one to make
         * {@code primaryEmail}. Default: {@code example.com}.
         */
        public Builder domain(String domain) {
            if (domain == null || !domain.matches("[a-z0-9.\\-]+\\.[a-z]{2,}")) {
                throw new IllegalArgumentException("domain must be a lower-case DNS name such as example.com");
            }
            if (domains.contains(domain)) {
                throw new IllegalArgumentException("domain " + domain + " is already added");
            }
            domains.add(domain);
            return this;
        }

        /** The customer id {@code customer=} also accepts besides {@code my_customer}. */
        public Builder customerId(String id) {
            if (id == null || !id.matches("C[0-9a-z]{5,20}")) {
                throw new IllegalArgumentException("customerId must look like C01b2c3d4");
            }
            this.customerId = id;
            return this;
        }

        /** Registers a service account: its {@code client_email}, numeric client id and public key. */
        public Builder serviceAccount(String clientEmail, String clientId, PublicKey publicKey) {
            if (clientEmail == null || !clientEmail.contains("@")) {
                throw new IllegalArgumentException("clientEmail must be an e-mail address");
            }
            if (clientId == null || !clientId.matches("[0-9]{5,30}")) {
                throw new IllegalArgumentException("clientId must be a numeric client id");
            }
            if (!(publicKey instanceof RSAPublicKey)) {
                throw new IllegalArgumentException("publicKey must be an RSA public key");
            }
            if (accounts.containsKey(clientEmail)) {
                throw new IllegalArgumentException("service account " + clientEmail + " is already registered");
            }
            accounts.put(clientEmail, new ServiceAccount(clientEmail, clientId, publicKey));
            return this;
        }

        /** Domain-wide delegation: the client id may impersonate users for these scopes (the Admin console's list). */
        public Builder delegate(String clientId, Set<String> scopes) {
            Objects.requireNonNull(clientId, "clientId");
            delegations.put(clientId, Set.copyOf(scopes));
            return this;
        }

        /** A user (by e-mail) who is an administrator allowed to read the directory; the {@code sub} to impersonate. */
        public Builder admin(String email) {
            if (email == null || !email.contains("@")) {
                throw new IllegalArgumentException("admin must be an e-mail address");
            }
            admins.add(email);
            return this;
        }

        /** The clock token expiry and assertion times are checked against (default: the system clock). */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** How long issued access tokens live (default 1 hour, as Google's). */
        public Builder tokenLifetime(Duration d) {
            Objects.requireNonNull(d, "tokenLifetime");
            if (d.getSeconds() < 1) {
                throw new IllegalArgumentException("tokenLifetime must be at least a second");
            }
            this.tokenLifetime = d;
            return this;
        }

        /** Server threads (default 8). */
        public Builder threads(int n) {
            if (n < 1 || n > 64) {
                throw new IllegalArgumentException("threads must be between 1 and 64");
            }
            this.threads = n;
            return this;
        }

        public GoogleDirectoryServer start() {
            if (accounts.isEmpty()) {
                throw new IllegalStateException("register at least one service account");
            }
            if (admins.isEmpty()) {
                throw new IllegalStateException("name at least one admin to impersonate");
            }
            if (domains.isEmpty()) {
                domains.add("example.com");
            }
            return new GoogleDirectoryServer(this);
        }
    }
}
