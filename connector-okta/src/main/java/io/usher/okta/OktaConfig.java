package io.usher.okta;

import io.usher.core.ConfigException;
import io.usher.core.spi.ConnectorConfig;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Everything the Okta connector needs, validated when built; the API token and the private key never appear in
 * {@link #toString()} or an error. Build it with {@link #builder(URI)} or from flat properties with
 * {@link #fromConfig(ConnectorConfig)}:
 *
 * <pre>
 * orgUrl = https://corp.okta.com           # https; http only for a loopback test server
 * apiToken = ...                            # SSWS API token; or the three service-app keys below
 * clientId = 0oa...                         # OAuth 2.0 service app (private_key_jwt)
 * privateKey = {"kty":"RSA","kid":...}      # the app's private key: JWK JSON (RSA or EC P-256), or RSA PKCS#8 PEM
 * scopes = okta.users.read okta.groups.read okta.logs.read
 * dpop = auto                               # auto (use DPoP when the app requires it) | true | false
 * groupTypes = OKTA_GROUP                   # OKTA_GROUP, APP_GROUP (comma-separated)
 * groups.nameRegex = ^app-.*                # only groups whose name matches
 * groups.ids = 00g1,00g2                    # only these groups
 * usernameFrom = login                      # login | loginNamePart | email
 * pageSize = 200                            # 1-200
 * rateLimitShare = 0.5                      # never use more than this share of a rate-limit bucket
 * timestampOverlap = 2m                     # incremental reads re-read this far back (clock skew, log delay)
 * fullReconcileAfter = 24h                  # a full snapshot at least this often
 * requestTimeout = 60s
 * maxAttempts = 8                           # per request, for 429s, 5xx and lost responses
 * </pre>
 *
 * Immutable and thread-safe.
 */
public final class OktaConfig {
    static final Set<String> KEYS = Set.of("orgUrl", "apiToken", "clientId", "privateKey", "scopes", "dpop",
            "groupTypes", "groups.nameRegex", "groups.ids", "usernameFrom", "pageSize", "rateLimitShare",
            "timestampOverlap", "fullReconcileAfter", "requestTimeout", "maxAttempts");
    static final Set<String> SECRET_KEYS = Set.of("apiToken", "privateKey");
    /** The scopes a service app needs: users, groups (with members) and the System Log. */
    public static final List<String> DEFAULT_SCOPES = List.of("okta.users.read", "okta.groups.read", "okta.logs.read");

    /** Okta's group types the connector may read. */
    public enum GroupType { OKTA_GROUP, APP_GROUP }

    /** Which profile value becomes the user's login name. */
    public enum UsernameFrom {
        /** {@code profile.login} as it is ({@code jdoe@corp.example}). */
        LOGIN,
        /** The part of {@code profile.login} before the {@code @} ({@code jdoe}). */
        LOGIN_NAME_PART,
        /** {@code profile.email}, or the login when the user has none. */
        EMAIL
    }

    /** Whether to use DPoP (RFC 9449) with a service app. */
    public enum Dpop {
        /** Only when the app requires it (the token endpoint says so); the default. */
        AUTO,
        /** Always. */
        TRUE,
        /** Never: an app that requires DPoP fails with an error saying so. */
        FALSE
    }

    final URI orgUrl;
    private final String apiToken;
    final String clientId;
    private final String privateKey;
    final List<String> scopes;
    final Dpop dpop;
    final Set<GroupType> groupTypes;
    final Pattern groupNameRegex;
    final Set<String> groupIds;
    final UsernameFrom usernameFrom;
    final int pageSize;
    final double rateLimitShare;
    final Duration timestampOverlap;
    final Duration fullReconcileAfter;
    final Duration requestTimeout;
    final int maxAttempts;

    private OktaConfig(Builder b) {
        this.orgUrl = b.orgUrl;
        this.apiToken = b.apiToken;
        this.clientId = b.clientId;
        this.privateKey = b.privateKey;
        if (apiToken == null && clientId == null) {
            throw new ConfigException("apiToken", "is required, or clientId and privateKey for an OAuth 2.0 service app");
        }
        if (apiToken != null && clientId != null) {
            throw new ConfigException("apiToken", "and clientId are alternatives; configure one way to authenticate");
        }
        if (clientId != null && privateKey == null) {
            throw new ConfigException("privateKey", "is required with clientId (the service app's private key, "
                    + "as JWK JSON or PKCS#8 PEM)");
        }
        if (clientId == null && privateKey != null) {
            throw new ConfigException("clientId", "is required with privateKey");
        }
        if (apiToken != null && b.dpop == Dpop.TRUE) {
            throw new ConfigException("dpop", "applies to a service app (clientId), not to an API token");
        }
        this.scopes = List.copyOf(b.scopes);
        this.dpop = b.dpop;
        this.groupTypes = Set.copyOf(b.groupTypes);
        this.groupNameRegex = b.groupNameRegex;
        this.groupIds = Set.copyOf(b.groupIds);
        this.usernameFrom = b.usernameFrom;
        this.pageSize = b.pageSize;
        this.rateLimitShare = b.rateLimitShare;
        this.timestampOverlap = b.timestampOverlap;
        this.fullReconcileAfter = b.fullReconcileAfter;
        if (fullReconcileAfter.compareTo(timestampOverlap) <= 0) {
            throw new ConfigException("fullReconcileAfter", "must be longer than timestampOverlap");
        }
        this.requestTimeout = b.requestTimeout;
        this.maxAttempts = b.maxAttempts;
    }

    /** A builder for the org at {@code orgUrl} ({@code https://corp.okta.com}). */
    public static Builder builder(URI orgUrl) {
        return new Builder(orgUrl);
    }

    /** A configuration from flat keys (see the class javadoc); errors name the key, never the value. */
    public static OktaConfig fromConfig(ConnectorConfig c) {
        c.rejectUnknown(KEYS);
        URI org;
        try {
            org = URI.create(c.require("orgUrl"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("orgUrl", "is not a valid URL");
        }
        Builder b = builder(org);
        c.optional("apiToken").ifPresent(b::apiToken);
        if (c.optional("clientId").isPresent() || c.optional("privateKey").isPresent()) {
            b.serviceApp(c.optional("clientId").orElseThrow(() -> new ConfigException("clientId",
                    "is required with privateKey")), c.optional("privateKey").orElseThrow(() ->
                    new ConfigException("privateKey", "is required with clientId")));
        }
        c.optional("scopes").ifPresent(s -> b.scopes(List.of(s.trim().split("[\\s,]+"))));
        b.dpop(c.enumValue("dpop", Dpop.class, Dpop.AUTO));
        List<String> types = c.list("groupTypes");
        if (!types.isEmpty()) {
            Set<GroupType> set = EnumSet.noneOf(GroupType.class);
            for (String t : types) {
                try {
                    set.add(GroupType.valueOf(t.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("groupTypes", "must list OKTA_GROUP and/or APP_GROUP");
                }
            }
            b.groupTypes(set);
        }
        c.optional("groups.nameRegex").ifPresent(b::groupNameRegex);
        b.groupIds(c.list("groups.ids"));
        String from = c.string("usernameFrom", "login").toLowerCase(Locale.ROOT);
        switch (from) {
            case "login": b.usernameFrom(UsernameFrom.LOGIN); break;
            case "loginnamepart": case "login_name_part": case "namepart": b.usernameFrom(UsernameFrom.LOGIN_NAME_PART); break;
            case "email": b.usernameFrom(UsernameFrom.EMAIL); break;
            default: throw new ConfigException("usernameFrom", "must be one of: login, loginNamePart, email");
        }
        b.pageSize(c.intValue("pageSize", 200, 1, 200));
        b.rateLimitShare(c.doubleValue("rateLimitShare", 0.5, 0.01, 1.0));
        b.timestampOverlap(c.duration("timestampOverlap", Duration.ofMinutes(2)));
        b.fullReconcileAfter(c.duration("fullReconcileAfter", Duration.ofHours(24)));
        b.requestTimeout(c.duration("requestTimeout", Duration.ofSeconds(60)));
        b.maxAttempts(c.intValue("maxAttempts", 8, 1, 100));
        return b.build();
    }

    String apiToken() {
        return apiToken;
    }

    String privateKey() {
        return privateKey;
    }

    /** Whether a group of this type and name is in scope. */
    boolean inScope(String id, GroupType type, String name) {
        if (type == null || !groupTypes.contains(type)) {
            return false;
        }
        if (!groupIds.isEmpty() && !groupIds.contains(id)) {
            return false;
        }
        return groupNameRegex == null || (name != null && groupNameRegex.matcher(name).find());
    }

    @Override
    public String toString() {
        return "OktaConfig[orgUrl=" + orgUrl + ", auth=" + (apiToken != null ? "SSWS API token"
                : "service app " + clientId + " (private_key_jwt" + (dpop == Dpop.FALSE ? "" : ", DPoP " + dpop) + ")")
                + ", scopes=" + scopes + ", groupTypes=" + groupTypes + "]";
    }

    /** Builds {@link OktaConfig}s; every setter validates at once. Not thread-safe. */
    public static final class Builder {
        private final URI orgUrl;
        private String apiToken;
        private String clientId;
        private String privateKey;
        private List<String> scopes = DEFAULT_SCOPES;
        private Dpop dpop = Dpop.AUTO;
        private Set<GroupType> groupTypes = EnumSet.of(GroupType.OKTA_GROUP);
        private Pattern groupNameRegex;
        private Set<String> groupIds = Set.of();
        private UsernameFrom usernameFrom = UsernameFrom.LOGIN;
        private int pageSize = 200;
        private double rateLimitShare = 0.5;
        private Duration timestampOverlap = Duration.ofMinutes(2);
        private Duration fullReconcileAfter = Duration.ofHours(24);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private int maxAttempts = 8;

        private Builder(URI org) {
            Objects.requireNonNull(org, "orgUrl");
            if (!org.isAbsolute() || org.getHost() == null) {
                throw new ConfigException("orgUrl", "must be an absolute URL such as https://corp.okta.com");
            }
            String scheme = org.getScheme().toLowerCase(Locale.ROOT);
            if (scheme.equals("http") && !isLoopback(org.getHost())) {
                throw new ConfigException("orgUrl", "must use https (http is allowed only for a loopback test server)");
            }
            if (!scheme.equals("https") && !scheme.equals("http")) {
                throw new ConfigException("orgUrl", "must use https");
            }
            if (org.getRawQuery() != null || org.getRawFragment() != null || org.getRawUserInfo() != null) {
                throw new ConfigException("orgUrl", "must not carry a query, fragment or user info");
            }
            String path = org.getRawPath() == null ? "" : org.getRawPath();
            if (!path.isEmpty() && !path.equals("/")) {
                throw new ConfigException("orgUrl", "is the org's root (https://corp.okta.com), without a path");
            }
            this.orgUrl = URI.create(scheme + "://" + org.getRawAuthority() + "/");
        }

        private static boolean isLoopback(String host) {
            try {
                return host.equalsIgnoreCase("localhost") || InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException | SecurityException e) {
                return false;
            }
        }

        /** An SSWS API token (created in the Admin Console; acts with its admin's rights). */
        public Builder apiToken(String token) {
            if (token == null || token.isBlank()) {
                throw new ConfigException("apiToken", "must not be blank");
            }
            if (token.chars().anyMatch(ch -> ch < 0x21 || ch > 0x7e)) {
                throw new ConfigException("apiToken", "must be printable ASCII without spaces");
            }
            this.apiToken = token.trim();
            return this;
        }

        /** An OAuth 2.0 service app: its client id and private key (JWK JSON, or RSA PKCS#8 PEM). */
        public Builder serviceApp(String id, String key) {
            if (id == null || !id.matches("[A-Za-z0-9_\\-]{1,100}")) {
                throw new ConfigException("clientId", "must be the app's client id (letters, digits, - and _)");
            }
            if (key == null || key.isBlank()) {
                throw new ConfigException("privateKey", "must not be blank");
            }
            OktaTokens.parsePrivateKey(key); // fails now, naming the key, if it cannot be used
            this.clientId = id;
            this.privateKey = key;
            return this;
        }

        public Builder scopes(List<String> list) {
            List<String> clean = new ArrayList<>(new LinkedHashSet<>(list));
            clean.removeIf(String::isBlank);
            if (clean.isEmpty()) {
                throw new ConfigException("scopes", "must name at least one scope");
            }
            for (String s : clean) {
                if (!s.matches("[A-Za-z0-9_.:\\-]{1,100}")) {
                    throw new ConfigException("scopes", "must be scope names separated by spaces");
                }
            }
            this.scopes = clean;
            return this;
        }

        public Builder dpop(Dpop mode) {
            this.dpop = Objects.requireNonNull(mode, "dpop");
            return this;
        }

        public Builder groupTypes(Set<GroupType> types) {
            if (types == null || types.isEmpty()) {
                throw new ConfigException("groupTypes", "must list OKTA_GROUP and/or APP_GROUP");
            }
            this.groupTypes = EnumSet.copyOf(types);
            return this;
        }

        public Builder groupNameRegex(String regex) {
            try {
                this.groupNameRegex = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new ConfigException("groups.nameRegex", "is not a valid regular expression (at index "
                        + e.getIndex() + ")");
            }
            return this;
        }

        public Builder groupIds(List<String> ids) {
            for (String id : ids) {
                if (!id.matches("[A-Za-z0-9]{1,64}")) {
                    throw new ConfigException("groups.ids", "must be Okta group ids (letters and digits)");
                }
            }
            this.groupIds = Set.copyOf(ids);
            return this;
        }

        public Builder usernameFrom(UsernameFrom from) {
            this.usernameFrom = Objects.requireNonNull(from, "usernameFrom");
            return this;
        }

        public Builder pageSize(int n) {
            if (n < 1 || n > 200) {
                throw new ConfigException("pageSize", "must be between 1 and 200");
            }
            this.pageSize = n;
            return this;
        }

        /** The largest share of any rate-limit bucket the connector may use (Okta's default per app: 0.5). */
        public Builder rateLimitShare(double share) {
            if (!(share >= 0.01 && share <= 1.0)) {
                throw new ConfigException("rateLimitShare", "must be between 0.01 and 1.0");
            }
            this.rateLimitShare = share;
            return this;
        }

        public Builder timestampOverlap(Duration d) {
            this.timestampOverlap = positive(d, "timestampOverlap");
            return this;
        }

        public Builder fullReconcileAfter(Duration d) {
            this.fullReconcileAfter = positive(d, "fullReconcileAfter");
            return this;
        }

        public Builder requestTimeout(Duration d) {
            this.requestTimeout = positive(d, "requestTimeout");
            return this;
        }

        public Builder maxAttempts(int n) {
            if (n < 1 || n > 100) {
                throw new ConfigException("maxAttempts", "must be between 1 and 100");
            }
            this.maxAttempts = n;
            return this;
        }

        private static Duration positive(Duration d, String key) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new ConfigException(key, "must be a positive duration");
            }
            return d;
        }

        public OktaConfig build() {
            return new OktaConfig(this);
        }
    }
}
