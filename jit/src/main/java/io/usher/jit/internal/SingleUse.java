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
 * so that a value can be used once. When full, expired entries at the old end go first, then the oldest (a
 * warning is logged: size the cache above the number of logins within a token lifetime). Each use costs O(1)
 * amortised.
 *
 * <p>Thread-safe.
 */
public final class SingleUse {
    private static final Logger LOG = LoggerFactory.getLogger(SingleUse.class);

    private final Clock clock;
    private final int capacity;
    private final LinkedHashMap<String, Instant> used = new LinkedHashMap<>();
    private long evictions;

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
            purgeHead(now);
        }
        if (used.size() >= capacity) {
            Iterator<Map.Entry<String, Instant>> it = used.entrySet().iterator();
            it.next();
            it.remove();
            if (evictions++ % 10_000 == 0) {
                LOG.warn("single-use cache full ({} entries): the oldest entry was dropped before its expiry "
                        + "({} so far); raise the capacity above the logins within a token lifetime", capacity,
                        evictions);
            }
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

    /**
     * Drops expired entries from the oldest end until the first live one: entries arrive roughly in expiry order,
     * so this frees what can be freed without scanning the whole set on every insert.
     */
    private void purgeHead(Instant now) {
        Iterator<Instant> it = used.values().iterator();
        while (it.hasNext()) {
            if (it.next().isAfter(now)) {
                return;
            }
            it.remove();
        }
    }
}
