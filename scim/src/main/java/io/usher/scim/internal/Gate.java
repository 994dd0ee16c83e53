package io.usher.scim.internal;

import io.usher.scim.IpAllowList;
import io.usher.scim.RateLimit;
import io.usher.scim.ScimCaller;
import io.usher.scim.ScimException;
import jakarta.ws.rs.core.HttpHeaders;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exposure checks around authentication: the client IP allow-list (before the token is looked at) and the
 * per-caller rate limit (after). Either may be absent. Thread-safe.
 */
public final class Gate {
    private static final Logger LOG = LoggerFactory.getLogger(Gate.class);

    private final IpAllowList allowList;
    private final TokenBuckets buckets;

    /**
     * @param allowList the allow-list, or null for every address
     * @param rateLimit the per-caller limit, or null for none
     * @param clock the rate limit's time
     */
    public Gate(IpAllowList allowList, RateLimit rateLimit, Clock clock) {
        this.allowList = allowList;
        this.buckets = rateLimit == null ? null : new TokenBuckets(rateLimit, clock);
    }

    /** No allow-list, no rate limit. */
    public static Gate open() {
        return new Gate(null, null, Clock.systemUTC());
    }

    /** Refuses (403) a request whose client address is not allowed or cannot be told. */
    void checkClient(HttpHeaders h) {
        if (allowList == null) {
            return;
        }
        InetAddress peer;
        try {
            peer = allowList.peerAddress().current();
        } catch (Exception e) {
            LOG.warn("IpAllowList.PeerAddress failed ({}); refusing the SCIM request", e.getClass().getName());
            throw refused();
        }
        if (peer == null) {
            LOG.warn("IpAllowList.PeerAddress gave no address; refusing the SCIM request");
            throw refused();
        }
        List<String> forwarded = allowList.forwardedHeader() == null ? List.of()
                : h.getRequestHeader(allowList.forwardedHeader());
        Optional<InetAddress> client = allowList.clientAddress(peer, forwarded);
        if (client.isEmpty()) {
            LOG.info("SCIM request from trusted proxy {} refused: its {} header does not name the client by address",
                    peer.getHostAddress(), allowList.forwardedHeader());
            throw refused();
        }
        if (!allowList.allows(client.get())) {
            LOG.info("SCIM request from {} refused: not in the IP allow-list", client.get().getHostAddress());
            throw refused();
        }
    }

    private static ScimException refused() {
        return ScimException.of(403, null, "requests from this client address are not allowed");
    }

    /** 0 when the caller may proceed, otherwise the seconds it should wait (Retry-After). */
    long retryAfter(ScimCaller caller) {
        if (buckets == null) {
            return 0;
        }
        long wait = buckets.acquire(caller.id());
        if (wait > 0) {
            LOG.debug("SCIM caller '{}' is over its rate limit; retry after {} s", caller.id(), wait);
        }
        return wait;
    }
}
