package io.usher.jit.saml;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Remembers single-use keys (accepted Assertion IDs, answered request IDs) until they expire, so that a captured
 * Response cannot be posted twice. Implementations must be thread-safe and atomic: of two concurrent
 * {@link #firstUse} calls with one key, exactly one returns true. A host running several nodes implements this
 * over its shared database (an insert that fails on a duplicate key).
 */
public interface SamlReplayCache {

    /**
     * Records {@code key} as used until {@code expiresAt}.
     *
     * @return true when the key was not recorded (or had expired), false when it is a replay
     * @throws RuntimeException when the key cannot be recorded; the validator then refuses the login
     *                          ({@link SamlValidationException.Reason#REPLAY_CACHE_UNAVAILABLE}) rather than
     *                          risk a replay
     */
    boolean firstUse(String key, Instant expiresAt);

    /**
     * Whether {@code key} is recorded and not yet expired, without recording it: what a dry run
     * ({@link SamlResponseValidator#trace}) uses, so that explaining a login never uses it up. The default answers
     * empty (this cache cannot tell without writing); the dry run then reports the replay check as not checked.
     */
    default java.util.Optional<Boolean> peek(String key) {
        return java.util.Optional.empty();
    }

    /**
     * An in-memory cache on Caffeine: entries expire at their own time, read from {@code clock}; it holds at most
     * {@code maxEntries} live keys and, when full, refuses new ones instead of evicting a live key (which would
     * let that key be replayed).
     */
    static SamlReplayCache inMemory(Clock clock, long maxEntries) {
        Objects.requireNonNull(clock, "clock");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        return new InMemory(clock, maxEntries);
    }

    /** The in-memory implementation; see {@link #inMemory(Clock, long)}. */
    final class InMemory implements SamlReplayCache {
        private final Clock clock;
        private final long maxEntries;
        private final Cache<String, Instant> cache;

        private InMemory(Clock clock, long maxEntries) {
            this.clock = clock;
            this.maxEntries = maxEntries;
            this.cache = Caffeine.newBuilder()
                    .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                    .expireAfter(new Expiry<String, Instant>() {
                        @Override
                        public long expireAfterCreate(String key, Instant expiresAt, long currentTime) {
                            long left = Duration.between(clock.instant(), expiresAt).toNanos();
                            return Math.max(left, 0L);
                        }

                        @Override
                        public long expireAfterUpdate(String key, Instant expiresAt, long currentTime,
                                long currentDuration) {
                            return expireAfterCreate(key, expiresAt, currentTime);
                        }

                        @Override
                        public long expireAfterRead(String key, Instant expiresAt, long currentTime,
                                long currentDuration) {
                            return currentDuration;
                        }
                    })
                    .executor(Runnable::run)
                    .build();
        }

        @Override
        public boolean firstUse(String key, Instant expiresAt) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(expiresAt, "expiresAt");
            Instant now = clock.instant();
            Instant held = cache.getIfPresent(key);
            if (held != null && held.isAfter(now)) {
                return false; // a replay is a replay, full cache or not
            }
            if (cache.estimatedSize() >= maxEntries) {
                cache.cleanUp();
                if (cache.estimatedSize() >= maxEntries) {
                    throw new IllegalStateException("replay cache is full (" + maxEntries + " live entries)");
                }
            }
            boolean[] first = {false};
            cache.asMap().compute(key, (k, existing) -> {
                if (existing == null || !existing.isAfter(now)) {
                    first[0] = true;
                    return expiresAt;
                }
                return existing;
            });
            return first[0];
        }

        @Override
        public java.util.Optional<Boolean> peek(String key) {
            Objects.requireNonNull(key, "key");
            Instant held = cache.getIfPresent(key);
            return java.util.Optional.of(held != null && held.isAfter(clock.instant()));
        }

        /** How many keys are held (expired ones may linger until the next clean-up). */
        public long size() {
            cache.cleanUp();
            return cache.estimatedSize();
        }
    }
}
