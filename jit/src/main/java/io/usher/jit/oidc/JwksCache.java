package io.usher.jit.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider's signing keys: fetched when first needed, kept for {@code ttl}, refetched once when a token
 * names an unknown {@code kid} — but no more often than every {@code minRefresh}, so a flood of tokens with
 * made-up key ids cannot turn into a flood of requests to the provider. A failed refetch keeps the keys it had.
 *
 * <p>Thread-safe (fetches are serialised).
 */
final class JwksCache {
    private static final Logger LOG = LoggerFactory.getLogger(JwksCache.class);

    private final Supplier<Map<String, Object>> fetcher;
    private final Clock clock;
    private final Duration ttl;
    private final Duration minRefresh;
    private JWKSet keys;
    private Instant fetchedAt;
    private Instant lastAttempt;
    /** The last refetch an unknown kid caused: these are the ones rate-limited. */
    private Instant lastForced;
    private long fetches;

    /** Keys fetched with {@code fetcher} (null: the fixed {@code fixed} keys). */
    JwksCache(Supplier<Map<String, Object>> fetcher, JWKSet fixed, Clock clock, Duration ttl, Duration minRefresh) {
        this.fetcher = fetcher;
        this.keys = fixed;
        this.clock = clock;
        this.ttl = ttl;
        this.minRefresh = minRefresh;
    }

    synchronized long fetches() {
        return fetches;
    }

    /** The key for a token's header, or an {@link OidcException} ({@code UNKNOWN_KEY}, {@code KEY_MISMATCH}). */
    synchronized JWK key(String kid, JWSAlgorithm alg) {
        Instant now = clock.instant();
        boolean mayFetch = lastAttempt == null || !now.isBefore(lastAttempt.plus(minRefresh));
        if (fetcher != null && keys == null && !mayFetch) {
            throw new OidcException(OidcException.Reason.PROVIDER_UNAVAILABLE, "the provider's JWKS could not be "
                    + "fetched; the next attempt is allowed " + minRefresh.toSeconds() + " s after the last");
        }
        if (fetcher != null && mayFetch && (keys == null || !now.isBefore(fetchedAt.plus(ttl)))) {
            fetch(now, keys != null);
        }
        JWK found = find(kid, alg);
        if (found == null && fetcher != null) {
            if (lastForced != null && now.isBefore(lastForced.plus(minRefresh))) {
                throw new OidcException(OidcException.Reason.UNKNOWN_KEY, "no key of the provider's JWKS has the "
                        + "token's key id, and the last refresh for an unknown key id was less than " + minRefresh.toSeconds()
                        + " s ago (refreshes on unknown key ids are rate-limited)");
            }
            lastForced = now;
            fetch(now, true);
            found = find(kid, alg);
        }
        if (found == null) {
            throw new OidcException(OidcException.Reason.UNKNOWN_KEY, kid == null
                    ? "the token has no key id and the provider's JWKS has no single key for its algorithm"
                    : "no key of the provider's JWKS has the token's key id");
        }
        check(found, alg);
        return found;
    }

    private JWK find(String kid, JWSAlgorithm alg) {
        if (keys == null) {
            return null;
        }
        if (kid != null) {
            return keys.getKeyByKeyId(kid);
        }
        List<JWK> candidates = keys.getKeys().stream()
                .filter(k -> k.getKeyUse() == null || KeyUse.SIGNATURE.equals(k.getKeyUse()))
                .filter(k -> fits(k, alg))
                .toList();
        return candidates.size() == 1 ? candidates.get(0) : null;
    }

    private static boolean fits(JWK k, JWSAlgorithm alg) {
        if (JWSAlgorithm.Family.RSA.contains(alg)) {
            return k instanceof com.nimbusds.jose.jwk.RSAKey;
        }
        if (JWSAlgorithm.Family.EC.contains(alg)) {
            if (!(k instanceof com.nimbusds.jose.jwk.ECKey)) {
                return false;
            }
            return com.nimbusds.jose.jwk.Curve.forJWSAlgorithm(alg).contains(((com.nimbusds.jose.jwk.ECKey) k).getCurve());
        }
        return false;
    }

    private static void check(JWK k, JWSAlgorithm alg) {
        if (!fits(k, alg)) {
            throw new OidcException(OidcException.Reason.KEY_MISMATCH, "the key with the token's key id is a "
                    + k.getKeyType() + " key, which cannot verify " + alg);
        }
        if (k.getAlgorithm() != null && !k.getAlgorithm().getName().equals(alg.getName())) {
            throw new OidcException(OidcException.Reason.KEY_MISMATCH, "the key with the token's key id is for "
                    + k.getAlgorithm() + ", not " + alg);
        }
        if (k.getKeyUse() != null && !KeyUse.SIGNATURE.equals(k.getKeyUse())) {
            throw new OidcException(OidcException.Reason.KEY_MISMATCH, "the key with the token's key id is not a "
                    + "signing key (use is not sig)");
        }
        if (k.isPrivate()) {
            throw new OidcException(OidcException.Reason.KEY_MISMATCH, "the provider's JWKS publishes a private key; "
                    + "refusing to use it");
        }
    }

    private void fetch(Instant now, boolean haveOld) {
        lastAttempt = now;
        fetches++;
        try {
            Map<String, Object> json = fetcher.get();
            JWKSet parsed;
            try {
                parsed = JWKSet.parse(json);
            } catch (ParseException | RuntimeException e) {
                throw new OidcException(OidcException.Reason.MALFORMED, "the provider's JWKS is not a valid JWK set");
            }
            keys = parsed;
            fetchedAt = now;
        } catch (OidcException e) {
            if (!haveOld) {
                throw e;
            }
            LOG.warn("refreshing the provider's JWKS failed ({}); keeping the keys fetched before", e.reason());
            if (fetchedAt == null) {
                fetchedAt = now;
            }
        }
    }
}
