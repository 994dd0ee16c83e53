package io.usher.google;

import io.usher.core.ConfigException;
import io.usher.core.http.Sleeper;
import io.usher.core.spi.ConnectorConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything the Google Workspace connector needs, validated when built; {@link #toString()} never shows the
 * key. Build it with {@link #builder()} or from flat properties with {@link #fromConfig(ConnectorConfig)}:
 *
 * <pre>
 * keyFile = /etc/usher/google-sa.json        # the service account key file (JSON), or ...
 * keyJson = {...}                            # ... its content (secret)
 * adminEmail = admin@example.com             # the administrator to impersonate (domain-wide delegation)
 * customer = my_customer                     # or a customer id such as C01b2c3d4; or instead:
 * domain = example.com                       # read one domain of the account only
 * orgUnits = /Engineering,/Sales             # read only users in these org units (and below)
 * groups = staff@example.com,eng@example.com # read only these groups (by email or id), groups nested in them, and their users
 * username = primaryEmail                    # or localPart: the part of primaryEmail before the @
 * archived = inactive                        # archived users: inactive, active or exclude
 * includeDerivedMembership = false           # groups carry every effective user member instead of nested groups
 * etagCache = true                           # skip re-reading users whose etag is unchanged since the last pass
 * apiBaseUrl = https://admin.googleapis.com/admin/directory/v1/
 * tokenUri = https://oauth2.googleapis.com/token   # default: the key file's token_uri
 * pageSize = 500                             # maxResults for users (groups and members: at most 200)
 * maxConcurrency = 4                         # requests in flight (member lists are read in parallel)
 * requestTimeout = 60s
 * maxAttempts = 6                            # tries per request on throttling (403 rate limits, 429), 5xx, lost responses
 * </pre>
 *
 * <p>Plain {@code http://} URLs are accepted for loopback hosts only (tests against a fake).
 *
 * <p>Immutable and thread-safe.
 */
public final class GoogleConfig {
    static final Set<String> KEYS = Set.of("keyFile", "keyJson", "adminEmail", "customer", "domain", "orgUnits",
            "groups", "username", "archived", "includeDerivedMembership", "etagCache", "apiBaseUrl", "tokenUri",
            "pageSize", "maxConcurrency", "requestTimeout", "maxAttempts");
    static final Set<String> SECRET_KEYS = Set.of("keyJson");
    static final URI DEFAULT_API = URI.create("https://admin.googleapis.com/admin/directory/v1/");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[A-Za-z0-9.\\-]+");
    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.\\-]*\\.[A-Za-z]{2,}");
    private static final Pattern CUSTOMER = Pattern.compile("my_customer|C[0-9A-Za-z]{5,20}");
    private static final Pattern ORG_UNIT = Pattern.compile("/[^,]{0,500}");

    /** What becomes the user's login name. */
    public enum Username {
        /** The whole {@code primaryEmail}. */
        PRIMARY_EMAIL,
        /** The part of {@code primaryEmail} before the {@code @}. */
        LOCAL_PART
    }

    /** What happens to archived users (Google's "archived user" licence state). */
    public enum Archived {
        /** Reported inactive: the host deactivates them. */
        INACTIVE,
        /** Reported active, like any other user. */
        ACTIVE,
        /** Left out: to the host they are gone (deprovisioned per the source's policy). */
        EXCLUDE
    }

    final ServiceAccountKey key;
    final String adminEmail;
    final String customer;
    final String domain;
    final List<String> orgUnits;
    final List<String> groups;
    final Username username;
    final Archived archived;
    final boolean includeDerivedMembership;
    final boolean etagCache;
    final URI apiBase;
    final URI tokenUri;
    final int pageSize;
    final int maxConcurrency;
    final Duration requestTimeout;
    final int maxAttempts;
    final HttpClient httpClient;
    final Clock clock;
    final Sleeper sleeper;

    private GoogleConfig(Builder b) {
        this.key = b.key;
        this.adminEmail = b.adminEmail;
        this.customer = b.domain == null && b.customer == null ? "my_customer" : b.customer;
        this.domain = b.domain;
        this.orgUnits = List.copyOf(b.orgUnits);
        this.groups = List.copyOf(b.groups);
        this.username = b.username;
        this.archived = b.archived;
        this.includeDerivedMembership = b.includeDerivedMembership;
        this.etagCache = b.etagCache;
        this.apiBase = b.apiBase;
        this.tokenUri = b.tokenUri != null ? b.tokenUri : b.key.tokenUri();
        this.pageSize = b.pageSize;
        this.maxConcurrency = b.maxConcurrency;
        this.requestTimeout = b.requestTimeout;
        this.maxAttempts = b.maxAttempts;
        this.httpClient = b.httpClient;
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        checkUrl(this.tokenUri, b.tokenUri != null ? "tokenUri" : "keyFile token_uri");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configuration from flat properties (keys above); unknown keys are refused, naming the first. */
    public static GoogleConfig fromConfig(ConnectorConfig c) {
        c.rejectUnknown(KEYS);
        Builder b = builder();
        if (c.optional("keyFile").isPresent() == c.optional("keyJson").isPresent()) {
            throw new ConfigException("keyFile", "give exactly one of keyFile (a path) and keyJson");
        }
        if (c.optional("keyFile").isPresent()) {
            Path p = Path.of(c.require("keyFile"));
            try {
                b.keyJson(Files.readString(p, StandardCharsets.UTF_8), "keyFile");
            } catch (IOException e) {
                throw new ConfigException("keyFile", "cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        } else {
            b.keyJson(c.require("keyJson"), "keyJson");
        }
        b.adminEmail(c.require("adminEmail"));
        c.optional("customer").ifPresent(b::customer);
        c.optional("domain").ifPresent(b::domain);
        b.orgUnits(c.list("orgUnits"));
        b.groups(c.list("groups"));
        String u = c.string("username", "primaryEmail").toLowerCase(Locale.ROOT);
        if (u.equals("primaryemail")) {
            b.username(Username.PRIMARY_EMAIL);
        } else if (u.equals("localpart")) {
            b.username(Username.LOCAL_PART);
        } else {
            throw new ConfigException("username", "must be primaryEmail or localPart");
        }
        b.archived(c.enumValue("archived", Archived.class, Archived.INACTIVE));
        b.includeDerivedMembership(c.bool("includeDerivedMembership", false));
        b.etagCache(c.bool("etagCache", true));
        c.optional("apiBaseUrl").ifPresent(v -> b.apiBaseUrl(uri(v, "apiBaseUrl")));
        c.optional("tokenUri").ifPresent(v -> b.tokenUri(uri(v, "tokenUri")));
        b.pageSize(c.intValue("pageSize", 500, 1, 500));
        b.maxConcurrency(c.intValue("maxConcurrency", 4, 1, 32));
        b.requestTimeout(c.duration("requestTimeout", Duration.ofSeconds(60)));
        b.maxAttempts(c.intValue("maxAttempts", 6, 1, 20));
        return b.build();
    }

    private static URI uri(String v, String key) {
        try {
            return URI.create(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, "is not a URL");
        }
    }

    static void checkUrl(URI u, String key) {
        if (u == null || !u.isAbsolute() || u.getHost() == null) {
            throw new ConfigException(key, "must be an absolute URL with a host");
        }
        boolean loopback = u.getHost().equals("127.0.0.1") || u.getHost().equals("localhost")
                || u.getHost().equals("[::1]");
        if (!"https".equalsIgnoreCase(u.getScheme()) && !("http".equalsIgnoreCase(u.getScheme()) && loopback)) {
            throw new ConfigException(key, "must be https:// (plain http is accepted for loopback hosts only)");
        }
    }

    /** The OAuth scope string: the three read-only Directory API scopes. */
    static String scope() {
        return "https://www.googleapis.com/auth/admin.directory.user.readonly "
                + "https://www.googleapis.com/auth/admin.directory.group.readonly "
                + "https://www.googleapis.com/auth/admin.directory.group.member.readonly";
    }

    /** The service account's client id (for the delegation hint), or its e-mail when the key file has none. */
    String clientIdOrEmail() {
        return key.clientId() != null ? key.clientId() : key.clientEmail();
    }

    @Override
    public String toString() {
        return "GoogleConfig[serviceAccount=" + key.clientEmail() + ", adminEmail=" + adminEmail
                + (domain != null ? ", domain=" + domain : ", customer=" + customer) + ", api=" + apiBase + "]";
    }

    /** Builds {@link GoogleConfig}s; setters validate at once. Not thread-safe. */
    public static final class Builder {
        private ServiceAccountKey key;
        private String adminEmail;
        private String customer;
        private String domain;
        private List<String> orgUnits = List.of();
        private List<String> groups = List.of();
        private Username username = Username.PRIMARY_EMAIL;
        private Archived archived = Archived.INACTIVE;
        private boolean includeDerivedMembership;
        private boolean etagCache = true;
        private URI apiBase = DEFAULT_API;
        private URI tokenUri;
        private int pageSize = 500;
        private int maxConcurrency = 4;
        private Duration requestTimeout = Duration.ofSeconds(60);
        private int maxAttempts = 6;
        private HttpClient httpClient;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;

        private Builder() {}

        /** The service account key file's content (JSON). */
        public Builder keyJson(String json) {
            return keyJson(json, "keyJson");
        }

        Builder keyJson(String json, String configKey) {
            if (key != null) {
                throw new ConfigException(configKey, "the service account key is already set");
            }
            this.key = ServiceAccountKey.parse(Objects.requireNonNull(json, "keyJson"), configKey);
            return this;
        }

        /** The administrator to impersonate ({@code sub}). */
        public Builder adminEmail(String email) {
            if (email == null || !EMAIL.matcher(email).matches()) {
                throw new ConfigException("adminEmail", "must be an e-mail address");
            }
            this.adminEmail = email;
            return this;
        }

        /** {@code my_customer} (the admin's own account) or a customer id. */
        public Builder customer(String c) {
            if (c == null || !CUSTOMER.matcher(c).matches()) {
                throw new ConfigException("customer", "must be my_customer or a customer id such as C01b2c3d4");
            }
            if (domain != null) {
                throw new ConfigException("customer", "give customer or domain, not both");
            }
            this.customer = c;
            return this;
        }

        /** Read one domain of the account instead of the whole customer. */
        public Builder domain(String d) {
            if (d == null || !DOMAIN.matcher(d).matches()) {
                throw new ConfigException("domain", "must be a domain name such as example.com");
            }
            if (customer != null) {
                throw new ConfigException("domain", "give customer or domain, not both");
            }
            this.domain = d.toLowerCase(Locale.ROOT);
            return this;
        }

        /** Only users in these org units, or below them ({@code /} is everyone). */
        public Builder orgUnits(List<String> units) {
            List<String> out = new ArrayList<>();
            for (String u : units) {
                if (u == null || !ORG_UNIT.matcher(u).matches()) {
                    throw new ConfigException("orgUnits", "each org unit must be a path starting with /");
                }
                out.add(u.length() > 1 && u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
            }
            this.orgUnits = out;
            return this;
        }

        /** Only these groups (by e-mail or id), the groups nested in them, and their users. */
        public Builder groups(List<String> keys) {
            for (String k : keys) {
                if (k == null || k.isBlank() || k.length() > 320 || k.contains("/")) {
                    throw new ConfigException("groups", "each group must be a group e-mail or id");
                }
            }
            this.groups = List.copyOf(keys);
            return this;
        }

        public Builder username(Username u) {
            this.username = Objects.requireNonNull(u, "username");
            return this;
        }

        public Builder archived(Archived a) {
            this.archived = Objects.requireNonNull(a, "archived");
            return this;
        }

        /** Groups carry every effective user member (Google's {@code includeDerivedMembership}), no nested groups. */
        public Builder includeDerivedMembership(boolean on) {
            this.includeDerivedMembership = on;
            return this;
        }

        /** Whether users whose etag is unchanged since the last snapshot are taken from memory (default on). */
        public Builder etagCache(boolean on) {
            this.etagCache = on;
            return this;
        }

        public Builder apiBaseUrl(URI u) {
            checkUrl(u, "apiBaseUrl");
            this.apiBase = u;
            return this;
        }

        /** Overrides the key file's {@code token_uri}. */
        public Builder tokenUri(URI u) {
            checkUrl(u, "tokenUri");
            this.tokenUri = u;
            return this;
        }

        /** {@code maxResults} for users, 1–500; groups and members use at most 200. */
        public Builder pageSize(int n) {
            if (n < 1 || n > 500) {
                throw new ConfigException("pageSize", "must be between 1 and 500");
            }
            this.pageSize = n;
            return this;
        }

        public Builder maxConcurrency(int n) {
            if (n < 1 || n > 32) {
                throw new ConfigException("maxConcurrency", "must be between 1 and 32");
            }
            this.maxConcurrency = n;
            return this;
        }

        public Builder requestTimeout(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new ConfigException("requestTimeout", "must be positive");
            }
            this.requestTimeout = d;
            return this;
        }

        public Builder maxAttempts(int n) {
            if (n < 1 || n > 20) {
                throw new ConfigException("maxAttempts", "must be between 1 and 20");
            }
            this.maxAttempts = n;
            return this;
        }

        public Builder httpClient(HttpClient c) {
            this.httpClient = Objects.requireNonNull(c, "httpClient");
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** How the connector waits between retries (tests record instead of sleeping). */
        public Builder sleeper(Sleeper s) {
            this.sleeper = Objects.requireNonNull(s, "sleeper");
            return this;
        }

        public GoogleConfig build() {
            if (key == null) {
                throw new ConfigException("keyFile", "the service account key is required");
            }
            if (adminEmail == null) {
                throw new ConfigException("adminEmail", "is required: the administrator to impersonate");
            }
            return new GoogleConfig(this);
        }
    }
}
