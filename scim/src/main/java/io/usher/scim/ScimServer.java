package io.usher.scim;

import io.usher.core.ProvisioningEngine;
import io.usher.core.UsherException;
import io.usher.scim.internal.Gate;
import io.usher.scim.internal.ScimEndpoint;
import io.usher.scim.internal.ScimService;
import io.usher.scim.internal.Settings;
import jakarta.ws.rs.core.Application;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A SCIM 2.0 service provider (RFC 7643/7644) over the host's store: {@code /Users}, {@code /Groups},
 * {@code /.search}, {@code /Bulk}, {@code /ServiceProviderConfig}, {@code /ResourceTypes}, {@code /Schemas}.
 * Every write goes through the engine's push route for one source (its filters, transformations, ownership,
 * collision and deprovisioning rules), never straight to the store.
 *
 * <pre>{@code
 * ProvisioningEngine engine = ProvisioningEngine.builder().store(store)
 *         .source(Source.builder("scim").collisions(CollisionPolicy.LINK).build())   // push-only source
 *         .build();
 * ScimServer scim = ScimServer.builder(engine, "scim")
 *         .authenticator(BearerTokenAuthenticator.builder().token("entra", token).build())
 *         .build();
 * // a JAX-RS application of its own, mounted where the host wants (e.g. /scim/v2):
 * Application app = scim.application();
 * // or inside the host's application, below a path of its own:
 * //   @Path("scim/v2") public Object scim() { return scim.resource(); }
 * }</pre>
 *
 * <p>Behaviour a host configures on the source: {@code collisions(CollisionPolicy.LINK)} makes a create for
 * a userName a local user holds link that user to SCIM (otherwise 409 uniqueness); {@code deprovision(...)}
 * decides what a DELETE does in the host (delete, deactivate or leave; deactivated and left users are hidden
 * from SCIM and a later create of the same userName revives them under their old id).
 *
 * <p>Exposure: {@link Builder#authenticator} decides who calls ({@link BearerTokenAuthenticator}: hashed tokens
 * with {@link ScimScope scopes} and expiry, enforced here on every request), {@link Builder#ipAllowList} from
 * where, {@link Builder#rateLimit} how often per token.
 *
 * <p>Thread-safe; build one per source and share it.
 */
public final class ScimServer {
    private final ScimEndpoint endpoint;
    private final Settings settings;

    private ScimServer(Settings settings, Gate gate) {
        this.settings = settings;
        this.endpoint = new ScimEndpoint(new ScimService(settings), gate);
    }

    /** A builder for a server writing through {@code engine.push(sourceId)}. */
    public static Builder builder(ProvisioningEngine engine, String sourceId) {
        return new Builder(engine, sourceId);
    }

    /**
     * The JAX-RS resource serving every SCIM endpoint: register it as a root resource (it is annotated
     * {@code @Path("/")}), or return it from a sub-resource locator of the host's own resource. It needs no
     * other provider.
     */
    public Object resource() {
        return endpoint;
    }

    /** A JAX-RS application holding just {@link #resource()}, for runtimes that mount applications. */
    public Application application() {
        return new Application() {
            @Override
            public Set<Object> getSingletons() {
                return Set.of(endpoint);
            }
        };
    }

    /** The source every write goes through. */
    public String sourceId() {
        return settings.sourceId();
    }

    /** Builds a {@link ScimServer}; every setting is checked when given. Not thread-safe. */
    public static final class Builder {
        private final ProvisioningEngine engine;
        private final String sourceId;
        private ScimAuthenticator authenticator;
        private Clock clock = Clock.systemUTC();
        private Supplier<String> ids = () -> UUID.randomUUID().toString();
        private long maxPayloadBytes = 1 << 20;
        private int maxResults = 1000;
        private int defaultCount = 100;
        private int maxSortedResults = 10_000;
        private int maxBulkOperations = 1000;
        private int maxFilterLength = 4096;
        private int maxFilterCandidates = 100_000;
        private String baseUri;
        private IpAllowList ipAllowList;
        private RateLimit rateLimit;
        private Supplier<String> requestIds = () -> UUID.randomUUID().toString();

        private Builder(ProvisioningEngine engine, String sourceId) {
            this.engine = Objects.requireNonNull(engine, "engine");
            try {
                engine.source(Objects.requireNonNull(sourceId, "sourceId"));
            } catch (UsherException e) {
                throw new IllegalArgumentException("sourceId: " + e.getMessage());
            }
            this.sourceId = sourceId;
        }

        /** Who may call (required): {@link BearerTokenAuthenticator} or the host's own. */
        public Builder authenticator(ScimAuthenticator value) {
            authenticator = Objects.requireNonNull(value, "authenticator");
            return this;
        }

        /**
         * Only clients in this allow-list may call (403 otherwise, before the token is looked at). Default: any
         * address.
         */
        public Builder ipAllowList(IpAllowList value) {
            ipAllowList = Objects.requireNonNull(value, "ipAllowList");
            return this;
        }

        /**
         * Each caller (token id) may make requests at this rate; beyond it a request is 429 with
         * {@code Retry-After}. Time comes from {@link #clock}. Default: no limit.
         */
        public Builder rateLimit(RateLimit value) {
            rateLimit = Objects.requireNonNull(value, "rateLimit");
            return this;
        }

        /** The clock for {@code meta.created}/{@code lastModified} and the rate limit (tests inject one). */
        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Where new resource ids come from (default: random UUIDs). Ids must be unique. */
        public Builder ids(Supplier<String> value) {
            ids = Objects.requireNonNull(value, "ids");
            return this;
        }

        /** Largest request body in bytes (default 1 MiB); larger is a 413. Also Bulk's maxPayloadSize. */
        public Builder maxPayloadBytes(long value) {
            if (value < 1024 || value > 100L << 20) {
                throw new IllegalArgumentException("maxPayloadBytes must be between 1 KiB and 100 MiB");
            }
            maxPayloadBytes = value;
            return this;
        }

        /** Largest page of a list (default 1000); a larger count is lowered to it. */
        public Builder maxResults(int value) {
            if (value < 1 || value > 100_000) {
                throw new IllegalArgumentException("maxResults must be between 1 and 100000");
            }
            maxResults = value;
            return this;
        }

        /** The page size when a list gives no count (default 100). */
        public Builder defaultCount(int value) {
            if (value < 1 || value > 100_000) {
                throw new IllegalArgumentException("defaultCount must be between 1 and 100000");
            }
            defaultCount = value;
            return this;
        }

        /** Most matches a sorted list may have (default 10000; 400 tooMany beyond: sorting needs them all). */
        public Builder maxSortedResults(int value) {
            if (value < 1 || value > 10_000_000) {
                throw new IllegalArgumentException("maxSortedResults must be between 1 and 10000000");
            }
            maxSortedResults = value;
            return this;
        }

        /** Most operations in one Bulk request (default 1000). */
        public Builder maxBulkOperations(int value) {
            if (value < 1 || value > 100_000) {
                throw new IllegalArgumentException("maxBulkOperations must be between 1 and 100000");
            }
            maxBulkOperations = value;
            return this;
        }

        /** Longest filter in characters (default 4096). */
        public Builder maxFilterLength(int value) {
            if (value < 16 || value > 65_536) {
                throw new IllegalArgumentException("maxFilterLength must be between 16 and 65536");
            }
            maxFilterLength = value;
            return this;
        }

        /**
         * Most records a filter that the store cannot answer (no {@code userName}, {@code externalId},
         * {@code displayName} or {@code id} equality in its top-level {@code and}) may examine (default 100000);
         * beyond it the list is 400 {@code tooMany}, so one request's cost stays bounded.
         */
        public Builder maxFilterCandidates(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxFilterCandidates must be at least 1");
            }
            maxFilterCandidates = value;
            return this;
        }

        /**
         * The public URL of the SCIM root (for {@code meta.location}, {@code Location} and {@code $ref}), when
         * the request URL is not it (a reverse proxy). Default: the URL the request came to.
         */
        public Builder baseUri(String value) {
            java.net.URI u = java.net.URI.create(Objects.requireNonNull(value, "baseUri"));
            if (!u.isAbsolute() || !(u.getScheme().equals("https") || u.getScheme().equals("http"))) {
                throw new IllegalArgumentException("baseUri must be an absolute http(s) URL");
            }
            baseUri = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
            return this;
        }

        /**
         * Where each request's id comes from (default: random UUIDs). Every change a request makes is audited
         * with it and the caller's id ({@code io.usher.core.audit.AuditContext#scim}); it is also in the SLF4J
         * MDC as {@code usher.scim.request} while the request is handled.
         */
        public Builder requestIds(Supplier<String> value) {
            requestIds = Objects.requireNonNull(value, "requestIds");
            return this;
        }

        public ScimServer build() {
            if (authenticator == null) {
                throw new IllegalStateException("authenticator is required: BearerTokenAuthenticator.builder()"
                        + ".token(id, token).build(), or the host's own ScimAuthenticator");
            }
            if (defaultCount > maxResults) {
                throw new IllegalStateException("defaultCount (" + defaultCount + ") must not exceed maxResults ("
                        + maxResults + ")");
            }
            return new ScimServer(new Settings(engine, sourceId, authenticator, clock, ids, maxPayloadBytes,
                    maxResults, defaultCount, maxSortedResults, maxBulkOperations, maxFilterLength, maxFilterCandidates,
                    baseUri, requestIds), new Gate(ipAllowList, rateLimit, clock));
        }
    }
}
