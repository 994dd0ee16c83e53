package io.usher.azure;

import io.usher.core.ConfigException;
import io.usher.core.http.Sleeper;
import io.usher.core.spi.ConnectorConfig;
import io.usher.core.spi.SourceUser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything the Entra ID connector needs, validated when built; {@link #toString()} never shows the secret or
 * key. Build it with {@link #builder()} or from flat properties with {@link #fromConfig(ConnectorConfig)}:
 *
 * <pre>
 * tenantId = 72f988bf-86f1-41af-91ab-2d7cd011db47   # or the tenant's domain name
 * clientId = 0c8a4e2b-...                            # the app registration's application (client) id
 * clientSecret = ...                                 # either a client secret ...
 * certificatePath = /etc/usher/entra.pem             # ... or a certificate: PEM with CERTIFICATE and PRIVATE KEY
 * privateKeyPath = /etc/usher/entra.key              # (the key may be in its own PKCS#8 PEM file)
 * signingAlgorithm = RS256                           # or PS256, for client assertions
 * cloud = global                                     # usgov, usgov-dod, china: the national cloud's hosts
 * loginBaseUrl = https://login.microsoftonline.com/  # overrides cloud
 * graphBaseUrl = https://graph.microsoft.com/v1.0/   # overrides cloud
 * usernameFrom = userPrincipalName,mail,onPremisesSamAccountName   # first present wins
 * userTypes = member,guest                           # which accounts to read (Entra userType)
 * groups = id1,id2                                   # read only these groups (and groups nested in them) and their members
 * transitiveMembers = false                          # groups carry effective user members instead of nested groups
 * extraAttributes = department,jobTitle              # more user properties copied to the user's attributes
 * pageSize = 999                                     # $top, 1-999
 * maxConcurrency = 4                                 # requests in flight (group member reads run in parallel)
 * requestTimeout = 60s
 * maxAttempts = 6                                    # tries per request on 429/503/504 and lost responses
 * </pre>
 *
 * <p>Plain {@code http://} URLs are accepted for loopback hosts only (tests against a fake); anything else
 * must be {@code https://}.
 *
 * <p>Immutable and thread-safe.
 */
public final class AzureConfig {
    static final Set<String> KEYS = Set.of("tenantId", "clientId", "clientSecret", "certificatePath", "privateKeyPath",
            "signingAlgorithm", "cloud", "loginBaseUrl", "graphBaseUrl", "usernameFrom", "userTypes", "groups",
            "transitiveMembers", "extraAttributes", "pageSize", "maxConcurrency", "requestTimeout", "maxAttempts");
    static final Set<String> SECRET_KEYS = Set.of("clientSecret");
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.\\-]{0,99}");
    private static final Pattern GUIDISH = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.\\-]{0,99}");
    private static final Pattern PROPERTY = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,119}");

    /** Where a username comes from. */
    public enum UsernameSource {
        USER_PRINCIPAL_NAME("userPrincipalName"), MAIL("mail"), ON_PREMISES_SAM_ACCOUNT_NAME("onPremisesSamAccountName");

        final String property;

        UsernameSource(String property) {
            this.property = property;
        }
    }

    /** A national cloud: its login host and Graph root. */
    public enum Cloud {
        GLOBAL("https://login.microsoftonline.com/", "https://graph.microsoft.com/v1.0/"),
        USGOV("https://login.microsoftonline.us/", "https://graph.microsoft.us/v1.0/"),
        USGOV_DOD("https://login.microsoftonline.us/", "https://dod-graph.microsoft.us/v1.0/"),
        CHINA("https://login.chinacloudapi.cn/", "https://microsoftgraph.chinacloudapi.cn/v1.0/");

        final URI login;
        final URI graph;

        Cloud(String login, String graph) {
            this.login = URI.create(login);
            this.graph = URI.create(graph);
        }
    }

    /** The client assertion's signature algorithm. */
    public enum SigningAlgorithm { RS256, PS256 }

    final String tenantId;
    final String clientId;
    private final String clientSecret;
    final X509Certificate certificate;
    private final PrivateKey privateKey;
    final SigningAlgorithm signingAlgorithm;
    final URI loginBase;
    final URI graphBase;
    final List<UsernameSource> usernameFrom;
    final Set<SourceUser.Kind> userTypes;
    final List<String> groups;
    final boolean transitiveMembers;
    final List<String> extraAttributes;
    final int pageSize;
    final int maxConcurrency;
    final Duration requestTimeout;
    final int maxAttempts;
    final HttpClient httpClient;
    final Clock clock;
    final Sleeper sleeper;

    private AzureConfig(Builder b) {
        this.tenantId = require(b.tenantId, "tenantId", TENANT, "a tenant id (GUID) or domain name");
        this.clientId = require(b.clientId, "clientId", GUIDISH, "the application (client) id");
        if (b.clientSecret == null && b.certificate == null) {
            throw new ConfigException("clientSecret", "a client secret or a certificate (certificatePath) is required");
        }
        if (b.clientSecret != null && b.certificate != null) {
            throw new ConfigException("clientSecret", "give either a client secret or a certificate, not both");
        }
        this.clientSecret = b.clientSecret;
        this.certificate = b.certificate;
        this.privateKey = b.privateKey;
        this.signingAlgorithm = b.signingAlgorithm;
        this.loginBase = url(b.loginBase == null ? b.cloud.login : b.loginBase, "loginBaseUrl");
        this.graphBase = url(b.graphBase == null ? b.cloud.graph : b.graphBase, "graphBaseUrl");
        this.usernameFrom = b.usernameFrom.isEmpty() ? List.of(UsernameSource.USER_PRINCIPAL_NAME)
                : List.copyOf(new LinkedHashSet<>(b.usernameFrom));
        this.userTypes = b.userTypes.isEmpty() ? Set.of(SourceUser.Kind.MEMBER, SourceUser.Kind.GUEST)
                : Set.copyOf(b.userTypes);
        for (String g : b.groups) {
            if (!GUIDISH.matcher(g).matches()) {
                throw new ConfigException("groups", "must list group object ids, comma-separated");
            }
        }
        this.groups = List.copyOf(new LinkedHashSet<>(b.groups));
        this.transitiveMembers = b.transitiveMembers;
        for (String a : b.extraAttributes) {
            if (!PROPERTY.matcher(a).matches()) {
                throw new ConfigException("extraAttributes", "must list Graph user property names, comma-separated");
            }
        }
        this.extraAttributes = List.copyOf(new LinkedHashSet<>(b.extraAttributes));
        this.pageSize = b.pageSize;
        this.maxConcurrency = b.maxConcurrency;
        this.requestTimeout = b.requestTimeout;
        this.maxAttempts = b.maxAttempts;
        this.httpClient = b.httpClient;
        this.clock = b.clock;
        this.sleeper = b.sleeper;
    }

    private static String require(String v, String key, Pattern p, String what) {
        if (v == null || v.isBlank()) {
            throw new ConfigException(key, "is required: " + what);
        }
        if (!p.matcher(v).matches()) {
            throw new ConfigException(key, "must be " + what);
        }
        return v;
    }

    private static URI url(URI u, String key) {
        if (!u.isAbsolute() || u.getHost() == null || u.getRawQuery() != null || u.getRawUserInfo() != null) {
            throw new ConfigException(key, "must be an absolute https:// URL without query or user info");
        }
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        boolean loopback = u.getHost().equals("127.0.0.1") || u.getHost().equals("localhost")
                || u.getHost().equals("[::1]");
        if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
            throw new ConfigException(key, "must be an https:// URL (http:// only for loopback test servers)");
        }
        String s = u.toString();
        return URI.create(s.endsWith("/") ? s : s + "/");
    }

    /** The token endpoint: {@code {loginBase}{tenant}/oauth2/v2.0/token}, also the client assertion's audience. */
    URI tokenUri() {
        return loginBase.resolve(tenantId + "/oauth2/v2.0/token");
    }

    /** The scope asking for the app's application permissions on Graph: {@code https://graph.microsoft.com/.default}. */
    String scope() {
        return graphBase.getScheme() + "://" + graphBase.getRawAuthority() + "/.default";
    }

    boolean usesSecret() {
        return clientSecret != null;
    }

    String clientSecret() {
        return clientSecret;
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    /** Whether runs can be incremental: not when scoped to groups or reading transitive members. */
    boolean deltaCapable() {
        return groups.isEmpty() && !transitiveMembers;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Reads flat configuration (keys listed in the class comment); errors name the key, never the value. */
    public static AzureConfig fromConfig(ConnectorConfig c) {
        c.rejectUnknown(KEYS);
        Builder b = builder().tenantId(c.require("tenantId")).clientId(c.require("clientId"));
        c.optional("clientSecret").ifPresent(b::clientSecret);
        if (c.optional("certificatePath").isPresent()) {
            b.certificatePem(readFile(c, "certificatePath"),
                    c.optional("privateKeyPath").isPresent() ? readFile(c, "privateKeyPath") : null);
        } else if (c.optional("privateKeyPath").isPresent()) {
            throw new ConfigException("privateKeyPath", "goes with certificatePath");
        }
        b.signingAlgorithm(c.enumValue("signingAlgorithm", SigningAlgorithm.class, SigningAlgorithm.RS256));
        b.cloud(c.enumValue("cloud", Cloud.class, Cloud.GLOBAL));
        c.optional("loginBaseUrl").ifPresent(v -> b.loginBaseUrl(uri(v, "loginBaseUrl")));
        c.optional("graphBaseUrl").ifPresent(v -> b.graphBaseUrl(uri(v, "graphBaseUrl")));
        List<UsernameSource> from = new ArrayList<>();
        for (String s : c.list("usernameFrom")) {
            from.add(usernameSource(s));
        }
        b.usernameFrom(from);
        Set<SourceUser.Kind> kinds = EnumSet.noneOf(SourceUser.Kind.class);
        for (String t : c.list("userTypes")) {
            switch (t.toLowerCase(Locale.ROOT)) {
                case "member": kinds.add(SourceUser.Kind.MEMBER); break;
                case "guest": kinds.add(SourceUser.Kind.GUEST); break;
                default: throw new ConfigException("userTypes", "must list member and/or guest");
            }
        }
        b.userTypes(kinds);
        b.groups(c.list("groups"));
        b.transitiveMembers(c.bool("transitiveMembers", false));
        b.extraAttributes(c.list("extraAttributes"));
        b.pageSize(c.intValue("pageSize", 999, 1, 999));
        b.maxConcurrency(c.intValue("maxConcurrency", 4, 1, 32));
        b.requestTimeout(c.duration("requestTimeout", Duration.ofSeconds(60)));
        b.maxAttempts(c.intValue("maxAttempts", 6, 1, 20));
        return b.build();
    }

    private static UsernameSource usernameSource(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "userprincipalname": case "upn": return UsernameSource.USER_PRINCIPAL_NAME;
            case "mail": return UsernameSource.MAIL;
            case "onpremisessamaccountname": case "samaccountname": return UsernameSource.ON_PREMISES_SAM_ACCOUNT_NAME;
            default: throw new ConfigException("usernameFrom",
                    "must list userPrincipalName, mail and/or onPremisesSamAccountName");
        }
    }

    private static URI uri(String v, String key) {
        try {
            return new URI(v);
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(key, "is not a valid URL");
        }
    }

    private static String readFile(ConnectorConfig c, String key) {
        try {
            return Files.readString(Path.of(c.require(key)), StandardCharsets.US_ASCII);
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new ConfigException(key, "could not be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() {
        return "AzureConfig[tenantId=" + tenantId + ", clientId=" + clientId + ", credential="
                + (usesSecret() ? "secret" : "certificate " + signingAlgorithm) + ", graph=" + graphBase
                + ", usernameFrom=" + usernameFrom + ", userTypes=" + userTypes + ", groups=" + groups.size() + "]";
    }

    /** Builds {@link AzureConfig}s; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private String tenantId;
        private String clientId;
        private String clientSecret;
        private X509Certificate certificate;
        private PrivateKey privateKey;
        private SigningAlgorithm signingAlgorithm = SigningAlgorithm.RS256;
        private Cloud cloud = Cloud.GLOBAL;
        private URI loginBase;
        private URI graphBase;
        private List<UsernameSource> usernameFrom = new ArrayList<>();
        private Set<SourceUser.Kind> userTypes = EnumSet.noneOf(SourceUser.Kind.class);
        private List<String> groups = new ArrayList<>();
        private boolean transitiveMembers;
        private List<String> extraAttributes = new ArrayList<>();
        private int pageSize = 999;
        private int maxConcurrency = 4;
        private Duration requestTimeout = Duration.ofSeconds(60);
        private int maxAttempts = 6;
        private HttpClient httpClient;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;

        private Builder() {}

        public Builder tenantId(String v) { tenantId = v; return this; }
        public Builder clientId(String v) { clientId = v; return this; }

        /** Authenticate with a client secret (never logged). */
        public Builder clientSecret(String secret) {
            if (secret == null || secret.isBlank()) {
                throw new ConfigException("clientSecret", "must not be blank");
            }
            this.clientSecret = secret;
            return this;
        }

        /** Authenticate with a certificate: signed client assertions carrying the certificate's {@code x5t#S256}. */
        public Builder certificate(X509Certificate cert, PrivateKey key) {
            Objects.requireNonNull(cert, "certificate");
            Objects.requireNonNull(key, "privateKey");
            if (!(key instanceof RSAPrivateKey)) {
                throw new ConfigException("certificatePath", "needs an RSA private key (RS256 and PS256 are RSA)");
            }
            this.certificate = cert;
            this.privateKey = key;
            return this;
        }

        /** A certificate and key from PEM text: the key in {@code keyPem}, or in {@code certificatePem} when null. */
        public Builder certificatePem(String certificatePem, String keyPem) {
            X509Certificate cert = parseCertificate(certificatePem);
            PrivateKey key = parseKey(keyPem == null ? certificatePem : keyPem, keyPem == null ? "certificatePath"
                    : "privateKeyPath");
            return certificate(cert, key);
        }

        public Builder signingAlgorithm(SigningAlgorithm v) { signingAlgorithm = Objects.requireNonNull(v); return this; }
        public Builder cloud(Cloud v) { cloud = Objects.requireNonNull(v); return this; }
        public Builder loginBaseUrl(URI v) { loginBase = Objects.requireNonNull(v); return this; }
        public Builder graphBaseUrl(URI v) { graphBase = Objects.requireNonNull(v); return this; }
        public Builder usernameFrom(List<UsernameSource> v) { usernameFrom = new ArrayList<>(v); return this; }
        public Builder userTypes(Set<SourceUser.Kind> v) {
            for (SourceUser.Kind k : v) {
                if (k == SourceUser.Kind.SERVICE) {
                    throw new ConfigException("userTypes", "Entra ID user types are member and guest");
                }
            }
            userTypes = EnumSet.noneOf(SourceUser.Kind.class);
            userTypes.addAll(v);
            return this;
        }
        public Builder groups(List<String> groupIds) { groups = new ArrayList<>(groupIds); return this; }
        public Builder transitiveMembers(boolean v) { transitiveMembers = v; return this; }
        public Builder extraAttributes(List<String> v) { extraAttributes = new ArrayList<>(v); return this; }

        public Builder pageSize(int v) {
            if (v < 1 || v > 999) {
                throw new ConfigException("pageSize", "must be between 1 and 999 (Graph's $top bounds)");
            }
            pageSize = v;
            return this;
        }

        public Builder maxConcurrency(int v) {
            if (v < 1 || v > 32) {
                throw new ConfigException("maxConcurrency", "must be between 1 and 32");
            }
            maxConcurrency = v;
            return this;
        }

        public Builder requestTimeout(Duration v) {
            if (v == null || v.isNegative() || v.isZero()) {
                throw new ConfigException("requestTimeout", "must be positive");
            }
            requestTimeout = v;
            return this;
        }

        public Builder maxAttempts(int v) {
            if (v < 1 || v > 20) {
                throw new ConfigException("maxAttempts", "must be between 1 and 20");
            }
            maxAttempts = v;
            return this;
        }

        /** The JDK HTTP client to use (default: one of the connector's own). */
        public Builder httpClient(HttpClient v) { httpClient = Objects.requireNonNull(v); return this; }

        /** The clock for token expiry and client assertion times. */
        public Builder clock(Clock v) { clock = Objects.requireNonNull(v); return this; }

        /** How retries wait (tests pass one that does not sleep). */
        public Builder sleeper(Sleeper v) { sleeper = Objects.requireNonNull(v); return this; }

        public AzureConfig build() {
            return new AzureConfig(this);
        }
    }

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    static X509Certificate parseCertificate(String pem) {
        byte[] der = pemBlock(pem, "CERTIFICATE", "certificatePath");
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new ConfigException("certificatePath", "holds a CERTIFICATE block that is not an X.509 certificate");
        }
    }

    static PrivateKey parseKey(String pem, String key) {
        byte[] der = pemBlock(pem, "PRIVATE KEY", key);
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new ConfigException(key, "holds a PRIVATE KEY block that is not a PKCS#8 RSA key");
        }
    }

    private static byte[] pemBlock(String pem, String type, String key) {
        if (pem == null) {
            throw new ConfigException(key, "is empty");
        }
        Matcher m = PEM.matcher(pem);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                try {
                    return Base64.getMimeDecoder().decode(m.group(2));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(key, "holds a " + type + " block that is not base64");
                }
            }
        }
        throw new ConfigException(key, "has no '-----BEGIN " + type + "-----' block"
                + (type.equals("PRIVATE KEY") ? " (PKCS#8; convert an RSA PRIVATE KEY with openssl pkcs8 -topk8)" : ""));
    }
}
