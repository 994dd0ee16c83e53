package io.usher.core;

import io.usher.core.model.CredentialPolicy;
import io.usher.core.model.Values;
import io.usher.core.pipeline.Pipeline;
import io.usher.core.spi.ConnectorConfig;
import io.usher.core.spi.SourceConnector;
import java.util.Map;
import java.util.Objects;

/**
 * A named, configured origin of identities: a connector (or none, for push routes such as SCIM and JIT)
 * plus the policy that governs it — pipeline, deprovisioning, collisions, the mass-deletion guard, nested
 * groups and the credential policy of its users. Immutable; the connector it holds is closed by the engine's
 * {@code close()}.
 */
public final class Source {
    private final String id;
    private final SourceConnector connector;
    private final Pipeline pipeline;
    private final DeprovisionPolicy deprovision;
    private final boolean deleteGroups;
    private final CollisionPolicy collisions;
    private final DeletionGuard guard;
    private final NestedGroups nestedGroups;
    private final CredentialPolicy credentials;

    private Source(Builder b) {
        this.id = b.id;
        this.connector = b.connector;
        this.credentials = b.credentials != null ? b.credentials
                : b.connector == null ? CredentialPolicy.SSO_ONLY
                : Objects.requireNonNull(b.connector.defaultCredentials(), "connector.defaultCredentials()");
        this.pipeline = b.pipeline.withCredentials(credentials);
        this.deprovision = b.deprovision;
        this.deleteGroups = b.deleteGroups;
        this.collisions = b.collisions;
        this.guard = b.guard;
        this.nestedGroups = b.nestedGroups;
    }

    /** A builder for a source with this id (letters, digits, '-', '_', '.'). */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /**
     * A source from flat configuration, so a host can keep it as properties:
     * <pre>
     * type = ldap | azure | google | okta | memory | push   # push: no connector (SCIM, JIT)
     * connector.*            = the connector's own keys
     * pipeline.*             = see Pipeline.fromConfig
     * deprovision            = deactivate | delete | leave
     * groups.deprovision     = delete | leave
     * collision              = link | skip | fail
     * nestedGroups           = auto | keep | flatten
     * guard.maxCount         = 500
     * guard.maxShare         = 0.2
     * guard.minimumForShare  = 20
     * credentials            = sso-only | host   # default: sso-only for push, else the connector's default
     * </pre>
     * Errors are {@link ConfigException}s naming the key; values are never echoed.
     */
    public static Source fromConfig(String id, Map<String, String> properties, Connectors connectors) {
        ConnectorConfig cfg = ConnectorConfig.of(properties);
        for (String key : cfg.keys()) {
            if (!(key.startsWith("connector.") || key.startsWith("pipeline.") || key.startsWith("guard.")
                    || key.equals("type") || key.equals("deprovision") || key.equals("groups.deprovision")
                    || key.equals("collision") || key.equals("nestedGroups") || key.equals("credentials"))) {
                throw new ConfigException(key, "is not a source key (type, connector.*, pipeline.*, deprovision, "
                        + "groups.deprovision, collision, nestedGroups, guard.*, credentials)");
            }
        }
        Builder b = builder(id);
        String type = cfg.require("type");
        if (!type.equals("push")) {
            b.connector(connectors.create(type, cfg.subset("connector.").asMap()));
        }
        b.pipeline(Pipeline.fromConfig(cfg.subset("pipeline.")));
        b.deprovision(cfg.enumValue("deprovision", DeprovisionPolicy.class, DeprovisionPolicy.DEACTIVATE));
        String groupPolicy = cfg.string("groups.deprovision", "delete");
        if (!groupPolicy.equals("delete") && !groupPolicy.equals("leave")) {
            throw new ConfigException("groups.deprovision", "must be one of: delete, leave");
        }
        b.deleteGroups(groupPolicy.equals("delete"));
        b.collisions(cfg.enumValue("collision", CollisionPolicy.class, CollisionPolicy.SKIP));
        b.nestedGroups(cfg.enumValue("nestedGroups", NestedGroups.class, NestedGroups.AUTO));
        CredentialPolicy credentials = credentials(cfg);
        if (credentials != null) {
            b.credentials(credentials);
        }
        DeletionGuard d = DeletionGuard.DEFAULT;
        ConnectorConfig g = cfg.subset("guard.");
        for (String k : g.keys()) {
            if (!k.equals("maxCount") && !k.equals("maxShare") && !k.equals("minimumForShare")) {
                throw new ConfigException("guard." + k, "is not a guard key (maxCount, maxShare, minimumForShare)");
            }
        }
        try {
            b.guard(new DeletionGuard(
                    cfg.intValue("guard.maxCount", d.maxCount(), 0, Integer.MAX_VALUE),
                    cfg.doubleValue("guard.maxShare", d.maxShare(), 0.0, 1.0),
                    cfg.intValue("guard.minimumForShare", d.minimumForShare(), 0, Integer.MAX_VALUE)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("guard.maxShare", e.getMessage());
        }
        return b.build();
    }

    /** The {@code credentials} key: {@code sso-only} (or {@code sso_only}) or {@code host}, any case; null if unset. */
    private static CredentialPolicy credentials(ConnectorConfig cfg) {
        java.util.Optional<String> v = cfg.optional("credentials");
        if (v.isEmpty()) {
            return null;
        }
        switch (v.get().trim().toLowerCase(java.util.Locale.ROOT)) {
            case "sso-only":
            case "sso_only":
                return CredentialPolicy.SSO_ONLY;
            case "host":
                return CredentialPolicy.HOST;
            default:
                throw new ConfigException("credentials", "must be one of: sso-only, host");
        }
    }

    public String id() { return id; }

    /** The connector, or {@code null} for a push-only source. */
    public SourceConnector connector() { return connector; }

    public boolean isPushOnly() { return connector == null; }

    /**
     * The pipeline, making users with this source's {@link #credentials()} (the pipeline given to the builder,
     * {@link Pipeline#withCredentials with} the policy).
     */
    public Pipeline pipeline() { return pipeline; }

    public DeprovisionPolicy deprovision() { return deprovision; }

    /** Whether groups the source no longer has are deleted (otherwise left). */
    public boolean deleteGroups() { return deleteGroups; }

    public CollisionPolicy collisions() { return collisions; }

    public DeletionGuard guard() { return guard; }

    public NestedGroups nestedGroups() { return nestedGroups; }

    /**
     * The credential policy of every user this source creates or updates: as set on the builder, or else
     * {@link CredentialPolicy#SSO_ONLY} for a push-only source (SCIM, JIT) and the connector's
     * {@link SourceConnector#defaultCredentials()} for the others (SSO_ONLY for Entra ID, Google Workspace and
     * Okta; HOST for LDAP). Changing it and syncing again updates the source's existing users.
     */
    public CredentialPolicy credentials() { return credentials; }

    @Override
    public String toString() {
        return "Source[" + id + (connector == null ? ", push" : ", " + connector.type()) + "]";
    }

    /** Builds a {@link Source}; each setting may be given once and is checked at once. Not thread-safe. */
    public static final class Builder {
        private final String id;
        private SourceConnector connector;
        private Pipeline pipeline = Pipeline.DEFAULT;
        private DeprovisionPolicy deprovision = DeprovisionPolicy.DEACTIVATE;
        private boolean deleteGroups = true;
        private CollisionPolicy collisions = CollisionPolicy.SKIP;
        private DeletionGuard guard = DeletionGuard.DEFAULT;
        private NestedGroups nestedGroups = NestedGroups.AUTO;
        private CredentialPolicy credentials;
        private final java.util.Set<String> set = new java.util.HashSet<>();

        private Builder(String id) {
            Values.requireText(id, "source id");
            if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                throw new IllegalArgumentException("source id must be 1-64 letters, digits, '.', '_' or '-', "
                        + "starting with a letter or digit");
            }
            this.id = id;
        }

        private void once(String setting) {
            if (!set.add(setting)) {
                throw new IllegalStateException("source '" + id + "': " + setting + " is already set");
            }
        }

        public Builder connector(SourceConnector value) {
            once("connector");
            connector = Objects.requireNonNull(value, "connector");
            return this;
        }

        public Builder pipeline(Pipeline value) {
            once("pipeline");
            pipeline = Objects.requireNonNull(value, "pipeline");
            return this;
        }

        public Builder deprovision(DeprovisionPolicy value) {
            once("deprovision");
            deprovision = Objects.requireNonNull(value, "deprovision");
            return this;
        }

        public Builder deleteGroups(boolean value) {
            once("deleteGroups");
            deleteGroups = value;
            return this;
        }

        public Builder collisions(CollisionPolicy value) {
            once("collisions");
            collisions = Objects.requireNonNull(value, "collisions");
            return this;
        }

        public Builder guard(DeletionGuard value) {
            once("guard");
            guard = Objects.requireNonNull(value, "guard");
            return this;
        }

        public Builder nestedGroups(NestedGroups value) {
            once("nestedGroups");
            nestedGroups = Objects.requireNonNull(value, "nestedGroups");
            return this;
        }

        /**
         * How this source's users sign in to the host ({@link CredentialPolicy}), overriding the default that
         * follows from the route (see {@link Source#credentials()}).
         */
        public Builder credentials(CredentialPolicy value) {
            once("credentials");
            credentials = Objects.requireNonNull(value, "credentials");
            return this;
        }

        public Source build() {
            return new Source(this);
        }
    }
}
