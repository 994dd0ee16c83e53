package io.usher.jit.saml;

import io.usher.core.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a service provider knows about itself and the one identity provider it trusts: everything
 * {@link SamlResponseValidator} checks a Response against. Built with {@link #builder()}; the builder refuses a
 * bad or repeated setting at once and names it.
 *
 * <pre>{@code
 * SamlConfig config = SamlConfig.builder()
 *         .spEntityId("https://wiki.example.com/saml")
 *         .acsUrl("https://wiki.example.com/saml/acs")
 *         .idpEntityId("https://idp.example.com")
 *         .trustedCertificate(idpSigningCert)          // call again for the next cert during a rollover
 *         .build();
 * }</pre>
 *
 * Immutable and thread-safe (the replay cache it holds is shared by every validator built from it).
 */
public final class SamlConfig {
    /** The default largest POSTed value, in characters of base64: 256 KiB. */
    public static final int DEFAULT_MAX_RESPONSE_SIZE = 256 * 1024;
    /** The default allowed clock skew between the IdP and this host. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(2);
    /** The largest clock skew the builder accepts. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(10);
    /** The default size of the in-memory replay cache (assertion IDs held until they expire). */
    public static final int DEFAULT_REPLAY_CACHE_SIZE = 100_000;

    private final String spEntityId;
    private final String acsUrl;
    private final String idpEntityId;
    private final List<X509Certificate> trustedCertificates;
    private final Clock clock;
    private final Duration clockSkew;
    private final boolean legacyAlgorithms;
    private final Set<String> signatureAlgorithms;
    private final Set<String> digestAlgorithms;
    private final Set<String> keyTransportAlgorithms;
    private final Set<String> contentEncryptionAlgorithms;
    private final int maxResponseSize;
    private final PrivateKey decryptionKey;
    private final SamlReplayCache replayCache;
    private final boolean allowUnsolicited;

    private SamlConfig(Builder b) {
        spEntityId = b.spEntityId;
        acsUrl = b.acsUrl;
        idpEntityId = b.idpEntityId;
        trustedCertificates = List.copyOf(b.trustedCertificates);
        clock = b.clock == null ? Clock.systemUTC() : b.clock;
        clockSkew = b.clockSkew == null ? DEFAULT_CLOCK_SKEW : b.clockSkew;
        legacyAlgorithms = Boolean.TRUE.equals(b.legacyAlgorithms);
        Set<String> sig = new HashSet<>(b.signatureAlgorithms == null ? SamlAlgorithms.DEFAULT_SIGNATURE
                : b.signatureAlgorithms);
        Set<String> dig = new HashSet<>(b.digestAlgorithms == null ? SamlAlgorithms.DEFAULT_DIGEST
                : b.digestAlgorithms);
        if (legacyAlgorithms) {
            sig.add(SamlAlgorithms.RSA_SHA1);
            dig.add(SamlAlgorithms.DIGEST_SHA1);
        }
        signatureAlgorithms = Set.copyOf(sig);
        digestAlgorithms = Set.copyOf(dig);
        keyTransportAlgorithms = b.keyTransportAlgorithms == null ? SamlAlgorithms.DEFAULT_KEY_TRANSPORT
                : Set.copyOf(b.keyTransportAlgorithms);
        contentEncryptionAlgorithms = b.contentEncryptionAlgorithms == null
                ? SamlAlgorithms.DEFAULT_CONTENT_ENCRYPTION : Set.copyOf(b.contentEncryptionAlgorithms);
        maxResponseSize = b.maxResponseSize == null ? DEFAULT_MAX_RESPONSE_SIZE : b.maxResponseSize;
        decryptionKey = b.decryptionKey;
        replayCache = b.replayCache == null ? SamlReplayCache.inMemory(clock, DEFAULT_REPLAY_CACHE_SIZE)
                : b.replayCache;
        allowUnsolicited = Boolean.TRUE.equals(b.allowUnsolicited);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The keys {@link #fromConfig} reads. */
    public static final java.util.Set<String> CONFIG_KEYS = java.util.Set.of("spEntityId", "acsUrl", "idpEntityId",
            "idpMetadata", "trustedCertificates", "clockSkew", "allowLegacyAlgorithms", "allowUnsolicited",
            "maxResponseSize", "decryptionKey");

    /**
     * A builder set from flat configuration, so a host (or the CLI) can keep the SP settings as properties; add
     * what properties cannot say (a clock, a shared replay cache) and {@code build()}:
     * <pre>
     * spEntityId            = https://wiki.example.com/saml        # required
     * acsUrl                = https://wiki.example.com/saml/acs    # required
     * idpMetadata           = /etc/wiki/idp-metadata.xml           # the IdP's entity ID and signing certificates
     * idpEntityId           = https://idp.example.com              # or these two instead of (or to pick from) it
     * trustedCertificates   = /etc/wiki/idp.pem, /etc/wiki/idp-next.pem   # PEM or DER, several per file allowed
     * clockSkew             = 2m                                   # 30s, 2m, PT2M; at most 10 minutes
     * allowLegacyAlgorithms = false
     * allowUnsolicited      = false
     * maxResponseSize       = 262144
     * decryptionKey         = /etc/wiki/sp-key.pem                 # PKCS#8 RSA key, for EncryptedAssertion
     * </pre>
     * File paths are read now (relative ones from the working directory). Errors are {@link ConfigException}s
     * naming the key; values and file contents are never echoed. Unknown keys are refused by name.
     */
    public static Builder fromConfig(java.util.Map<String, String> properties) {
        io.usher.core.spi.ConnectorConfig cfg = io.usher.core.spi.ConnectorConfig.of(properties);
        cfg.rejectUnknown(CONFIG_KEYS);
        Builder b = builder();
        b.spEntityId(cfg.require("spEntityId"));
        b.acsUrl(cfg.require("acsUrl"));
        java.util.Optional<String> metadata = cfg.optional("idpMetadata");
        if (metadata.isPresent()) {
            SamlMetadata.IdpMetadata idp = SamlMetadata.parseIdp(
                    io.usher.jit.internal.ConfigFiles.text("idpMetadata", metadata.get()),
                    cfg.optional("idpEntityId").orElse(null));
            b.idp(idp);
        } else {
            b.idpEntityId(cfg.optional("idpEntityId").orElseThrow(() -> new ConfigException("idpEntityId",
                    "is required (or give idpMetadata)")));
        }
        List<String> certs = cfg.list("trustedCertificates");
        if (certs.isEmpty() && metadata.isEmpty()) {
            throw new ConfigException("trustedCertificates", "is required (or give idpMetadata): the IdP's signing "
                    + "certificate files");
        }
        for (String path : certs) {
            for (X509Certificate c : io.usher.jit.internal.ConfigFiles.certificates("trustedCertificates", path)) {
                try {
                    b.trustedCertificate(c);
                } catch (ConfigException e) {
                    throw new ConfigException("trustedCertificates", e.getMessage().substring(
                            e.getMessage().indexOf("': ") + 3));
                }
            }
        }
        if (cfg.optional("clockSkew").isPresent()) {
            b.clockSkew(cfg.duration("clockSkew", DEFAULT_CLOCK_SKEW));
        }
        b.allowLegacyAlgorithms(cfg.bool("allowLegacyAlgorithms", false));
        b.allowUnsolicited(cfg.bool("allowUnsolicited", false));
        if (cfg.optional("maxResponseSize").isPresent()) {
            b.maxResponseSize(cfg.intValue("maxResponseSize", DEFAULT_MAX_RESPONSE_SIZE, 4096, 4 * 1024 * 1024));
        }
        cfg.optional("decryptionKey").ifPresent(path -> b.decryptionKey(
                io.usher.jit.internal.ConfigFiles.rsaPrivateKey("decryptionKey", path)));
        return b;
    }

    /** This SP's entity ID: the Audience every assertion must name. */
    public String spEntityId() {
        return spEntityId;
    }

    /** This SP's Assertion Consumer Service URL: the Destination and bearer Recipient. */
    public String acsUrl() {
        return acsUrl;
    }

    /** The trusted IdP's entity ID: the Issuer of Response and Assertion. */
    public String idpEntityId() {
        return idpEntityId;
    }

    /** The certificates whose keys may sign; any one verifying is enough (rollover). */
    public List<X509Certificate> trustedCertificates() {
        return trustedCertificates;
    }

    public Clock clock() {
        return clock;
    }

    public Duration clockSkew() {
        return clockSkew;
    }

    /** Whether RSA-SHA1, SHA-1 digests and RSA keys under 2048 bits are accepted. */
    public boolean legacyAlgorithms() {
        return legacyAlgorithms;
    }

    /** The allowed signature algorithm URIs (legacy ones included when legacy is on). */
    public Set<String> signatureAlgorithms() {
        return signatureAlgorithms;
    }

    /** The allowed digest algorithm URIs (SHA-1 included when legacy is on). */
    public Set<String> digestAlgorithms() {
        return digestAlgorithms;
    }

    public Set<String> keyTransportAlgorithms() {
        return keyTransportAlgorithms;
    }

    public Set<String> contentEncryptionAlgorithms() {
        return contentEncryptionAlgorithms;
    }

    /** The largest POSTed value accepted, in characters. */
    public int maxResponseSize() {
        return maxResponseSize;
    }

    /** Whether a decryption key for EncryptedAssertion is configured (the key itself is never exposed). */
    public boolean hasDecryptionKey() {
        return decryptionKey != null;
    }

    PrivateKey decryptionKey() {
        return decryptionKey;
    }

    public SamlReplayCache replayCache() {
        return replayCache;
    }

    /** Whether IdP-initiated (unsolicited) Responses are accepted when no request ID is expected. */
    public boolean allowUnsolicited() {
        return allowUnsolicited;
    }

    @Override
    public String toString() {
        return "SamlConfig[sp=" + spEntityId + ", acs=" + acsUrl + ", idp=" + idpEntityId + ", certs="
                + trustedCertificates.size() + ", skew=" + clockSkew + ", legacy=" + legacyAlgorithms
                + ", decryption=" + (decryptionKey != null) + ", unsolicited=" + allowUnsolicited + "]";
    }

    /**
     * Builds a {@link SamlConfig}. Each setting may be given once; a bad value is refused at once with a
     * {@link ConfigException} naming the setting. Not thread-safe.
     */
    public static final class Builder {
        private String spEntityId;
        private String acsUrl;
        private String idpEntityId;
        private final List<X509Certificate> trustedCertificates = new ArrayList<>();
        private Clock clock;
        private Duration clockSkew;
        private Boolean legacyAlgorithms;
        private Set<String> signatureAlgorithms;
        private Set<String> digestAlgorithms;
        private Set<String> keyTransportAlgorithms;
        private Set<String> contentEncryptionAlgorithms;
        private Integer maxResponseSize;
        private PrivateKey decryptionKey;
        private SamlReplayCache replayCache;
        private Boolean allowUnsolicited;

        private Builder() {
        }

        private static void once(Object current, String key) {
            if (current != null) {
                throw new ConfigException(key, "is already set; set it once");
            }
        }

        private static String text(String value, String key) {
            if (value == null || value.isBlank()) {
                throw new ConfigException(key, "must not be blank");
            }
            if (!value.equals(value.strip())) {
                throw new ConfigException(key, "must not start or end with whitespace");
            }
            return value;
        }

        /** This SP's entity ID (required): every assertion's AudienceRestriction must name it. */
        public Builder spEntityId(String value) {
            once(spEntityId, "spEntityId");
            spEntityId = text(value, "spEntityId");
            return this;
        }

        /** The absolute http(s) URL where the IdP POSTs Responses (required). */
        public Builder acsUrl(String value) {
            once(acsUrl, "acsUrl");
            text(value, "acsUrl");
            try {
                URI uri = new URI(value);
                String scheme = uri.getScheme();
                if (!uri.isAbsolute() || uri.getHost() == null
                        || !("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))) {
                    throw new ConfigException("acsUrl", "must be an absolute http or https URL");
                }
            } catch (URISyntaxException e) {
                throw new ConfigException("acsUrl", "is not a valid URL");
            }
            acsUrl = value;
            return this;
        }

        /** The IdP's entity ID and signing certificates, from its metadata ({@link SamlMetadata#parseIdp}). */
        public Builder idp(SamlMetadata.IdpMetadata metadata) {
            Objects.requireNonNull(metadata, "idp");
            idpEntityId(metadata.entityId());
            return trustedCertificates(metadata.signingCertificates());
        }

        /** The IdP's entity ID (required): the Issuer of every Response and Assertion. */
        public Builder idpEntityId(String value) {
            once(idpEntityId, "idpEntityId");
            idpEntityId = text(value, "idpEntityId");
            return this;
        }

        /**
         * Trusts one IdP signing certificate (at least one required). Call again to trust several, e.g. the old
         * and the new certificate during a rollover. Only the key is used (no path validation, no dates: SAML
         * metadata trust is by key); KeyInfo in a Response never adds trust.
         */
        public Builder trustedCertificate(X509Certificate certificate) {
            Objects.requireNonNull(certificate, "trustedCertificate");
            String alg = certificate.getPublicKey().getAlgorithm();
            if (!"RSA".equals(alg) && !"EC".equals(alg)) {
                throw new ConfigException("trustedCertificate", "key algorithm " + alg
                        + " is not supported (RSA or EC)");
            }
            if (trustedCertificates.contains(certificate)) {
                throw new ConfigException("trustedCertificate", "the same certificate was given twice");
            }
            trustedCertificates.add(certificate);
            return this;
        }

        /** Trusts each of these certificates, as {@link #trustedCertificate(X509Certificate)} does. */
        public Builder trustedCertificates(List<X509Certificate> certificates) {
            Objects.requireNonNull(certificates, "trustedCertificates").forEach(this::trustedCertificate);
            return this;
        }

        /** The clock every time check uses (default: the system clock, UTC). */
        public Builder clock(Clock value) {
            once(clock, "clock");
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** How far the IdP's clock may differ from this host's (default 2 minutes, at most 10). */
        public Builder clockSkew(Duration value) {
            once(clockSkew, "clockSkew");
            Objects.requireNonNull(value, "clockSkew");
            if (value.isNegative() || value.compareTo(MAX_CLOCK_SKEW) > 0) {
                throw new ConfigException("clockSkew", "must be between 0 and " + MAX_CLOCK_SKEW);
            }
            clockSkew = value;
            return this;
        }

        /**
         * Whether to accept RSA-SHA1 signatures, SHA-1 digests and RSA keys under 2048 bits (default false).
         * Only for IdPs that cannot do better; both are breakable or close to it.
         */
        public Builder allowLegacyAlgorithms(boolean value) {
            once(legacyAlgorithms, "allowLegacyAlgorithms");
            legacyAlgorithms = value;
            return this;
        }

        /** The allowed signature algorithm URIs (default {@link SamlAlgorithms#DEFAULT_SIGNATURE}). */
        public Builder signatureAlgorithms(Set<String> uris) {
            once(signatureAlgorithms, "signatureAlgorithms");
            signatureAlgorithms = nonEmpty(uris, "signatureAlgorithms");
            if (signatureAlgorithms.contains(SamlAlgorithms.RSA_SHA1)) {
                throw new ConfigException("signatureAlgorithms", "RSA-SHA1 is enabled only by allowLegacyAlgorithms");
            }
            return this;
        }

        /** The allowed digest algorithm URIs (default {@link SamlAlgorithms#DEFAULT_DIGEST}). */
        public Builder digestAlgorithms(Set<String> uris) {
            once(digestAlgorithms, "digestAlgorithms");
            digestAlgorithms = nonEmpty(uris, "digestAlgorithms");
            if (digestAlgorithms.contains(SamlAlgorithms.DIGEST_SHA1)) {
                throw new ConfigException("digestAlgorithms", "SHA-1 is enabled only by allowLegacyAlgorithms");
            }
            return this;
        }

        /** The allowed key transport URIs for EncryptedAssertion (default RSA-OAEP; RSA 1.5 is refused). */
        public Builder keyTransportAlgorithms(Set<String> uris) {
            once(keyTransportAlgorithms, "keyTransportAlgorithms");
            keyTransportAlgorithms = nonEmpty(uris, "keyTransportAlgorithms");
            if (keyTransportAlgorithms.contains(SamlAlgorithms.RSA_1_5)) {
                throw new ConfigException("keyTransportAlgorithms", "RSA 1.5 key transport is never allowed");
            }
            return this;
        }

        /** The allowed content encryption URIs for EncryptedAssertion (default AES-GCM and AES-CBC). */
        public Builder contentEncryptionAlgorithms(Set<String> uris) {
            once(contentEncryptionAlgorithms, "contentEncryptionAlgorithms");
            contentEncryptionAlgorithms = nonEmpty(uris, "contentEncryptionAlgorithms");
            return this;
        }

        private static Set<String> nonEmpty(Set<String> uris, String key) {
            Objects.requireNonNull(uris, key);
            if (uris.isEmpty()) {
                throw new ConfigException(key, "must name at least one algorithm");
            }
            for (String uri : uris) {
                text(uri, key);
            }
            return Set.copyOf(uris);
        }

        /** The largest POSTed SAMLResponse value accepted, in characters (default 256 KiB, 4 KiB to 4 MiB). */
        public Builder maxResponseSize(int chars) {
            once(maxResponseSize, "maxResponseSize");
            if (chars < 4096 || chars > 4 * 1024 * 1024) {
                throw new ConfigException("maxResponseSize", "must be between 4096 and 4194304 characters");
            }
            maxResponseSize = chars;
            return this;
        }

        /** This SP's private key (RSA), to decrypt EncryptedAssertions. Without it they are refused. */
        public Builder decryptionKey(PrivateKey key) {
            once(decryptionKey, "decryptionKey");
            Objects.requireNonNull(key, "decryptionKey");
            if (!(key instanceof java.security.interfaces.RSAPrivateCrtKey)) {
                throw new ConfigException("decryptionKey",
                        "must be an RSA private key with its CRT parameters (as PKCS#8 files and key stores give)");
            }
            decryptionKey = key;
            return this;
        }

        /**
         * Where accepted Assertion IDs are remembered until they expire (default: an in-memory cache of
         * {@value SamlConfig#DEFAULT_REPLAY_CACHE_SIZE} IDs on this config's clock). Hosts on several nodes pass one
         * backed by their shared database.
         */
        public Builder replayCache(SamlReplayCache value) {
            once(replayCache, "replayCache");
            replayCache = Objects.requireNonNull(value, "replayCache");
            return this;
        }

        /**
         * Whether a Response that answers no request (IdP-initiated SSO) is accepted when the host expects none
         * (default false). Websudo never expects none, so it is never affected.
         */
        public Builder allowUnsolicited(boolean value) {
            once(allowUnsolicited, "allowUnsolicited");
            allowUnsolicited = value;
            return this;
        }

        /** The config; refuses a missing required setting, naming it. */
        public SamlConfig build() {
            if (spEntityId == null) {
                throw new ConfigException("spEntityId", "is required");
            }
            if (acsUrl == null) {
                throw new ConfigException("acsUrl", "is required");
            }
            if (idpEntityId == null) {
                throw new ConfigException("idpEntityId", "is required");
            }
            if (trustedCertificates.isEmpty()) {
                throw new ConfigException("trustedCertificate", "at least one IdP signing certificate is required");
            }
            return new SamlConfig(this);
        }
    }
}
