package io.usher.jit.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded set of used values (nonces, token digests, challenge ids), each remembered until its own expiry,
 * so that a value can be used once. When full, expired entries go first, then the oldest (a warning is logged:
 * size the cache above the number of logins within a token lifetime).
 *
 * <p>Thread-safe.
 */
public final class SingleUse {
    private static final Logger LOG = LoggerFactory.getLogger(SingleUse.class);

    private final Clock clock;
    private final int capacity;
    private final LinkedHashMap<String, Instant> used = new LinkedHashMap<>();

    public SingleUse(Clock clock, int capacity) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    /**
     * Marks the value used until {@code expiresAt}; returns false if it was already used (and not yet expired).
     */
    public synchronized boolean use(String value, Instant expiresAt) {
        Instant now = clock.instant();
        Instant prior = used.get(value);
        if (prior != null && prior.isAfter(now)) {
            return false;
        }
        used.remove(value);
        if (used.size() >= capacity) {
            purge(now);
        }
        if (used.size() >= capacity) {
            Iterator<Map.Entry<String, Instant>> it = used.entrySet().iterator();
            it.next();
            it.remove();
            LOG.warn("single-use cache full ({} entries): the oldest entry was dropped before its expiry", capacity);
        }
        used.put(value, expiresAt);
        return true;
    }

    /** Whether the value is currently marked used. */
    public synchronized boolean isUsed(String value) {
        Instant prior = used.get(value);
        return prior != null && prior.isAfter(clock.instant());
    }

    public synchronized int size() {
        return used.size();
    }

    private void purge(Instant now) {
        used.values().removeIf(exp -> !exp.isAfter(now));
    }
}
