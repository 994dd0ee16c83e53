package io.usher.ldap;

import io.usher.core.ConfigException;
import io.usher.core.spi.ConnectorConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;

/**
 * Everything the LDAP connector needs, validated when built and never echoing the bind password
 * ({@link #toString()} leaves it out). Build it with {@link #builder()} or from flat properties with
 * {@link #fromConfig(ConnectorConfig)}:
 *
 * <pre>
 * url = ldaps://dc1.corp.example:636, ldaps://dc2.corp.example:636   # failover in order
 * preset = activeDirectory | openldap
 * bindDn = CN=usher,OU=Service,DC=corp,DC=example
 * bindPassword = ...                       # or from the host's secret store; never logged
 * startTls = false                         # for ldap:// URLs
 * trustStore = /path/to/truststore.p12     # default: the JVM's trusted CAs
 * trustStorePassword = ...
 * trustStoreType = PKCS12
 * hostnameVerification = true
 * connectTimeout = 10s
 * responseTimeout = 60s
 * poolSize = 2
 * usersBase = OU=People,DC=corp,DC=example
 * groupsBase = OU=Groups,DC=corp,DC=example
 * userFilter = (department=*)              # ANDed with the preset's object filter
 * groupFilter = (cn=app-*)
 * pageSize = 1000
 * attr.id, attr.login, attr.displayName, attr.givenName, attr.familyName, attr.email, attr.kind = ...
 * extraAttributes = department,title       # copied to the user's attributes
 * fullReconcileAfter = 24h                 # OpenLDAP timestamp mode: a snapshot at least this often
 * timestampMargin = 5m                     # OpenLDAP timestamp mode: overlap for clock skew
 * matchingRuleInChain = false              # AD only: effective members from the DC, one search per group
 * </pre>
 *
 * Immutable and thread-safe.
 */
public final class LdapConfig {
    static final Set<String> KEYS = Set.of("url", "preset", "bindDn", "bindPassword", "startTls",
            "trustStore", "trustStorePassword", "trustStoreType", "hostnameVerification", "connectTimeout",
            "responseTimeout", "poolSize", "usersBase", "groupsBase", "userFilter", "groupFilter", "pageSize",
            "attr.id", "attr.login", "attr.displayName", "attr.givenName", "attr.familyName", "attr.email",
            "attr.kind", "extraAttributes", "fullReconcileAfter", "timestampMargin", "matchingRuleInChain");

    final List<URI> urls;
    final Preset preset;
    final String bindDn;
    private final String bindPassword;
    final boolean startTls;
    final String trustStore;
    private final String trustStorePassword;
    final String trustStoreType;
    final boolean hostnameVerification;
    final Duration connectTimeout;
    final Duration responseTimeout;
    final int poolSize;
    final String usersBase;
    final String groupsBase;
    final Filter userFilter;
    final Filter groupFilter;
    final int pageSize;
    final String idAttribute;
    final String loginAttribute;
    final String displayNameAttribute;
    final String givenNameAttribute;
    final String familyNameAttribute;
    final String emailAttribute;
    final String kindAttribute;
    final List<String> extraAttributes;
    final Duration fullReconcileAfter;
    final Duration timestampMargin;
    final boolean matchingRuleInChain;

    private LdapConfig(Builder b) {
        if (b.urls.isEmpty()) {
            throw new ConfigException("url", "at least one ldap:// or ldaps:// URL is required");
        }
        this.urls = List.copyOf(b.urls);
        if (urls.stream().map(URI::getScheme).distinct().count() > 1) {
            throw new ConfigException("url", "mixes ldap:// and ldaps://; failover servers must use one scheme");
        }
        this.preset = b.preset;
        this.bindDn = b.bindDn;
        this.bindPassword = b.bindPassword;
        if ((bindDn == null) != (bindPassword == null)) {
            throw new ConfigException(bindDn == null ? "bindDn" : "bindPassword",
                    "bindDn and bindPassword go together (anonymous binds are not supported)");
        }
        if (bindDn == null) {
            throw new ConfigException("bindDn", "is required (anonymous binds are not supported)");
        }
        this.startTls = b.startTls;
        if (startTls && urls.stream().anyMatch(u -> u.getScheme().equals("ldaps"))) {
            throw new ConfigException("startTls", "applies to ldap:// URLs; ldaps:// is already encrypted");
        }
        this.trustStore = b.trustStore;
        this.trustStorePassword = b.trustStorePassword;
        this.trustStoreType = b.trustStoreType;
        this.hostnameVerification = b.hostnameVerification;
        this.connectTimeout = b.connectTimeout;
        this.responseTimeout = b.responseTimeout;
        this.poolSize = b.poolSize;
        this.usersBase = requireDn(b.usersBase, "usersBase");
        this.groupsBase = requireDn(b.groupsBase == null ? b.usersBase : b.groupsBase, "groupsBase");
        this.userFilter = and(parse(preset.userFilter, "preset"), b.userFilter, "userFilter");
        this.groupFilter = and(parse(preset.groupFilter, "preset"), b.groupFilter, "groupFilter");
        this.pageSize = b.pageSize;
        this.idAttribute = b.idAttribute == null ? preset.idAttribute : b.idAttribute;
        this.loginAttribute = b.loginAttribute == null ? preset.loginAttribute : b.loginAttribute;
        this.displayNameAttribute = b.displayNameAttribute == null ? preset.displayNameAttribute : b.displayNameAttribute;
        this.givenNameAttribute = b.givenNameAttribute == null ? "givenName" : b.givenNameAttribute;
        this.familyNameAttribute = b.familyNameAttribute == null ? "sn" : b.familyNameAttribute;
        this.emailAttribute = b.emailAttribute == null ? "mail" : b.emailAttribute;
        this.kindAttribute = b.kindAttribute == null ? "employeeType" : b.kindAttribute;
        this.extraAttributes = List.copyOf(b.extraAttributes);
        this.fullReconcileAfter = b.fullReconcileAfter;
        this.timestampMargin = b.timestampMargin;
        this.matchingRuleInChain = b.matchingRuleInChain;
        if (matchingRuleInChain && preset != Preset.ACTIVE_DIRECTORY) {
            throw new ConfigException("matchingRuleInChain", "is an Active Directory feature; use preset activeDirectory");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A configuration from flat keys (see the class javadoc); errors name the key, never the value. */
    public static LdapConfig fromConfig(ConnectorConfig c) {
        c.rejectUnknown(KEYS);
        Builder b = builder();
        for (String url : c.list("url")) {
            b.url(url);
        }
        if (c.list("url").isEmpty()) {
            throw new ConfigException("url", "is required: one or more ldap:// or ldaps:// URLs, comma-separated");
        }
        String preset = c.require("preset").toLowerCase(Locale.ROOT);
        switch (preset) {
            case "activedirectory": case "active_directory": case "ad": b.preset(Preset.ACTIVE_DIRECTORY); break;
            case "openldap": case "389ds": case "freeipa": b.preset(Preset.OPENLDAP); break;
            default: throw new ConfigException("preset", "must be one of: activeDirectory, openldap");
        }
        b.bind(c.require("bindDn"), c.require("bindPassword"));
        b.startTls(c.bool("startTls", false));
        c.optional("trustStore").ifPresent(t -> b.trustStore(t, c.optional("trustStorePassword").orElse(null),
                c.string("trustStoreType", "PKCS12")));
        b.hostnameVerification(c.bool("hostnameVerification", true));
        b.connectTimeout(c.duration("connectTimeout", Duration.ofSeconds(10)));
        b.responseTimeout(c.duration("responseTimeout", Duration.ofSeconds(60)));
        b.poolSize(c.intValue("poolSize", 2, 1, 64));
        b.usersBase(c.require("usersBase"));
        c.optional("groupsBase").ifPresent(b::groupsBase);
        c.optional("userFilter").ifPresent(b::userFilter);
        c.optional("groupFilter").ifPresent(b::groupFilter);
        b.pageSize(c.intValue("pageSize", 1000, 1, 100_000));
        c.optional("attr.id").ifPresent(b::idAttribute);
        c.optional("attr.login").ifPresent(b::loginAttribute);
        c.optional("attr.displayName").ifPresent(v -> b.displayNameAttribute = v);
        c.optional("attr.givenName").ifPresent(v -> b.givenNameAttribute = v);
        c.optional("attr.familyName").ifPresent(v -> b.familyNameAttribute = v);
        c.optional("attr.email").ifPresent(v -> b.emailAttribute = v);
        c.optional("attr.kind").ifPresent(v -> b.kindAttribute = v);
        b.extraAttributes(c.list("extraAttributes"));
        b.fullReconcileAfter(c.duration("fullReconcileAfter", Duration.ofHours(24)));
        b.timestampMargin(c.duration("timestampMargin", Duration.ofMinutes(5)));
        b.matchingRuleInChain(c.bool("matchingRuleInChain", false));
        return b.build();
    }

    String bindPassword() {
        return bindPassword;
    }

    String trustStorePassword() {
        return trustStorePassword;
    }

    /** Every attribute a user search asks for. */
    List<String> userAttributes() {
        List<String> a = new ArrayList<>(List.of(idAttribute, loginAttribute, displayNameAttribute, givenNameAttribute,
                familyNameAttribute, emailAttribute, kindAttribute, preset.memberOfAttribute));
        if (preset == Preset.ACTIVE_DIRECTORY) {
            a.add("userAccountControl");
            a.add("userPrincipalName");
        } else {
            a.add("pwdAccountLockedTime");
        }
        a.addAll(extraAttributes);
        return a;
    }

    private static String requireDn(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(key, "is required: the DN searches start from");
        }
        try {
            return new DN(value).toString();
        } catch (LDAPException e) {
            throw new ConfigException(key, "is not a valid DN");
        }
    }

    private static Filter parse(String filter, String key) {
        try {
            return Filter.create(filter);
        } catch (LDAPException e) {
            throw new ConfigException(key, "is not a valid LDAP filter");
        }
    }

    private static Filter and(Filter base, String extra, String key) {
        return extra == null ? base : Filter.createANDFilter(base, parse(extra, key));
    }

    @Override
    public String toString() {
        return "LdapConfig[urls=" + urls + ", preset=" + preset + ", bindDn=" + bindDn + ", usersBase=" + usersBase
                + ", groupsBase=" + groupsBase + ", pageSize=" + pageSize + "]";
    }

    /** Builds an {@link LdapConfig}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final List<URI> urls = new ArrayList<>();
        private Preset preset = Preset.OPENLDAP;
        private String bindDn;
        private String bindPassword;
        private boolean startTls;
        private String trustStore;
        private String trustStorePassword;
        private String trustStoreType = "PKCS12";
        private boolean hostnameVerification = true;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration responseTimeout = Duration.ofSeconds(60);
        private int poolSize = 2;
        private String usersBase;
        private String groupsBase;
        private String userFilter;
        private String groupFilter;
        private int pageSize = 1000;
        private String idAttribute;
        private String loginAttribute;
        private String displayNameAttribute;
        private String givenNameAttribute;
        private String familyNameAttribute;
        private String emailAttribute;
        private String kindAttribute;
        private final List<String> extraAttributes = new ArrayList<>();
        private Duration fullReconcileAfter = Duration.ofHours(24);
        private Duration timestampMargin = Duration.ofMinutes(5);
        private boolean matchingRuleInChain;

        private Builder() {}

        /**
         * Opt-in for Active Directory: each group's effective (transitive) user members are asked of the DC with
         * LDAP_MATCHING_RULE_IN_CHAIN (one search per group) instead of resolving nesting client-side. Groups
         * then arrive flattened, without member groups.
         */
        public Builder matchingRuleInChain(boolean value) {
            matchingRuleInChain = value;
            return this;
        }

        /** A server, {@code ldap://host:port} or {@code ldaps://host:port}; several give failover in order. */
        public Builder url(String url) {
            URI u;
            try {
                u = new URI(Objects.requireNonNull(url, "url").trim());
            } catch (URISyntaxException e) {
                throw new ConfigException("url", "is not a valid URL");
            }
            if (!"ldap".equals(u.getScheme()) && !"ldaps".equals(u.getScheme())) {
                throw new ConfigException("url", "must start with ldap:// or ldaps://");
            }
            if (u.getHost() == null) {
                throw new ConfigException("url", "has no host");
            }
            urls.add(u);
            return this;
        }

        public Builder preset(Preset value) {
            preset = Objects.requireNonNull(value, "preset");
            return this;
        }

        public Builder bind(String dn, String password) {
            if (dn == null || dn.isBlank()) {
                throw new ConfigException("bindDn", "is required");
            }
            if (password == null || password.isEmpty()) {
                throw new ConfigException("bindPassword", "is required");
            }
            try {
                new DN(dn);
            } catch (LDAPException e) {
                throw new ConfigException("bindDn", "is not a valid DN");
            }
            bindDn = dn;
            bindPassword = password;
            return this;
        }

        public Builder startTls(boolean value) { startTls = value; return this; }

        /** Trust only the certificates in this store (instead of the JVM's CAs). */
        public Builder trustStore(String path, String password, String type) {
            trustStore = Objects.requireNonNull(path, "trustStore");
            trustStorePassword = password;
            trustStoreType = type == null ? "PKCS12" : type;
            if (!new java.io.File(path).isFile()) {
                throw new ConfigException("trustStore", "is not a readable file");
            }
            return this;
        }

        /** Turning it off is for tests against servers with throwaway certificates only. */
        public Builder hostnameVerification(boolean value) { hostnameVerification = value; return this; }

        public Builder connectTimeout(Duration value) {
            connectTimeout = positive(value, "connectTimeout");
            return this;
        }

        public Builder responseTimeout(Duration value) {
            responseTimeout = positive(value, "responseTimeout");
            return this;
        }

        public Builder poolSize(int value) {
            if (value < 1 || value > 64) {
                throw new ConfigException("poolSize", "must be between 1 and 64");
            }
            poolSize = value;
            return this;
        }

        public Builder usersBase(String dn) { usersBase = dn; return this; }
        public Builder groupsBase(String dn) { groupsBase = dn; return this; }

        /** An extra LDAP filter ANDed with the preset's user filter (admin configuration, parsed, not built). */
        public Builder userFilter(String filter) { userFilter = filter; return this; }

        public Builder groupFilter(String filter) { groupFilter = filter; return this; }

        public Builder pageSize(int value) {
            if (value < 1 || value > 100_000) {
                throw new ConfigException("pageSize", "must be between 1 and 100000");
            }
            pageSize = value;
            return this;
        }

        public Builder idAttribute(String name) { idAttribute = name; return this; }
        public Builder loginAttribute(String name) { loginAttribute = name; return this; }

        public Builder extraAttributes(List<String> names) {
            extraAttributes.addAll(names);
            return this;
        }

        public Builder fullReconcileAfter(Duration value) {
            fullReconcileAfter = positive(value, "fullReconcileAfter");
            return this;
        }

        public Builder timestampMargin(Duration value) {
            if (value == null || value.isNegative()) {
                throw new ConfigException("timestampMargin", "must be zero or more");
            }
            timestampMargin = value;
            return this;
        }

        public LdapConfig build() {
            return new LdapConfig(this);
        }

        private static Duration positive(Duration d, String key) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new ConfigException(key, "must be a positive duration");
            }
            return d;
        }
    }
}
