package io.usher.jit;

import io.usher.core.ConfigException;
import io.usher.core.model.User;
import io.usher.core.spi.UserStore;
import io.usher.jit.internal.SingleUse;
import io.usher.jit.oidc.AuthorizationRequest;
import io.usher.jit.oidc.IdTokenExpectations;
import io.usher.jit.oidc.OidcException;
import io.usher.jit.oidc.OidcValidator;
import io.usher.jit.saml.SamlAuthnRequest;
import io.usher.jit.saml.SamlResponseValidator;
import io.usher.jit.saml.SamlValidationException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secure administrator sessions ("websudo") for users who sign in through an identity provider and have no
 * password in the host: before an administrative action the host sends the admin back to the IdP with a forced
 * re-authentication, and opens a short window only if the answer proves a <em>fresh</em> authentication of the
 * <em>same</em> person in answer to <em>this</em> request.
 *
 * <pre>{@code
 * // 1. the admin opens an admin page without a window
 * WebsudoChallenge ch = websudo.begin(session.id(), user.key());
 * AuthorizationRequest req = websudo.oidcRedirect(ch, AuthorizationRequest.builder(authEndpoint, clientId, callback));
 * redirect(req.uri());                                 // prompt=login, max_age=0, state = ch.id(), nonce = ch.nonce()
 * // 2. the callback: exchange the code (PKCE verifier req.codeVerifier()), then
 * websudo.completeOidc(session.id(), user.key(), state, idToken, validator);
 * // (SAML: beginSaml(..., SamlAuthnRequest.builder(config, ssoUrl)) sends a ForceAuthn AuthnRequest whose ID is
 * //  the challenge id; the ACS calls completeSaml(session.id(), user.key(), challengeId, samlResponse, validator))
 * // 3. every admin request
 * if (!websudo.touch(session.id(), user.key()).isPresent()) { restart at 1 }
 * }</pre>
 *
 * <p>{@link #complete} checks, in order: the challenge exists, was issued to this session and admin (an answer
 * from anyone else is told {@code CHALLENGE_UNKNOWN} and leaves the challenge pending), and is unused (single use:
 * it is consumed by the first answer from its session, right or wrong), is within its maximum age; the proof
 * answers it (SAML InResponseTo = the challenge id, OIDC nonce = the challenge nonce); the proof's issuer and
 * subject equal the admin's linked identity (the JIT source's IdP and the user's origin id); the IdP authenticated
 * the admin at or after the challenge began (minus the skew) — an IdP that silently reuses its session is refused
 * with {@code STALE_AUTHENTICATION}; and the proof was not used before. Then the window is stored through the
 * host's {@link WebsudoSessions}.
 *
 * <p>A rolling window is never extended past {@link Builder#maxLifetime} (default 8 hours) after the
 * re-authentication that opened it.
 *
 * <p>Thread-safe. Pending challenges live in this object's memory, bounded per session (one), per admin
 * ({@link Builder#maxPendingPerUser}) and overall ({@link Builder#maxPending}), and dropped once expired; hosts with
 * several nodes route the callback to the node that began the challenge (sticky sessions).
 */
public final class Websudo {
    private static final Logger LOG = LoggerFactory.getLogger(Websudo.class);
    /** The default absolute lifetime of a window, however active the admin: a working day. */
    static final Duration DEFAULT_MAX_LIFETIME = Duration.ofHours(8);

    private final UserStore store;
    private final WebsudoSessions sessions;
    private final Map<String, String> issuers;
    private final Clock clock;
    private final Random random;
    private final Duration challengeMaxAge;
    private final Duration window;
    private final boolean rolling;
    private final Duration skew;
    private final Duration maxLifetime;
    private final int maxPending;
    private final int maxPendingPerUser;
    /** Pending challenges by id, in the order they began (so roughly in expiry order); guarded by itself. */
    private final LinkedHashMap<String, WebsudoChallenge> pending = new LinkedHashMap<>();
    /** Per session its one pending challenge id; guarded by {@link #pending}. */
    private final Map<String, String> pendingBySession = new HashMap<>();
    /** Per admin the ids of its pending challenges, oldest first; guarded by {@link #pending}. */
    private final Map<String, LinkedHashSet<String>> pendingByUser = new HashMap<>();
    private final SingleUse usedProofs;
    /**
     * Per stripe of session ids, how many drops it has seen; guarded by the stripe's lock ({@link #STRIPES}). A
     * touch writes its extended window back only if no drop of a session in its stripe came between its read and
     * its write, so a drop is never undone by a request in flight (a drop of another session of the stripe merely
     * skips one extension).
     */
    private final long[] drops = new long[STRIPES];
    private final Object[] stripeLocks = new Object[STRIPES];
    private static final int STRIPES = 64;

    private Websudo(Builder b) {
        this.store = b.store;
        this.sessions = b.sessions;
        this.issuers = Map.copyOf(b.issuers);
        this.clock = b.clock;
        this.random = b.random;
        this.challengeMaxAge = b.challengeMaxAge;
        this.window = b.window;
        this.rolling = b.rolling;
        this.skew = b.skew;
        this.maxLifetime = b.maxLifetime != null ? b.maxLifetime
                : b.window.compareTo(DEFAULT_MAX_LIFETIME) > 0 ? b.window : DEFAULT_MAX_LIFETIME;
        this.maxPending = b.maxPending;
        this.maxPendingPerUser = b.maxPendingPerUser;
        this.usedProofs = new SingleUse(b.clock, Math.max(1000, b.maxPending));
        for (int i = 0; i < STRIPES; i++) {
            stripeLocks[i] = new Object();
        }
    }

    private static int stripe(String sessionId) {
        return Math.floorMod(sessionId.hashCode(), STRIPES);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Begins a re-authentication for the admin signed in to this session. A second begin for the same session
     * replaces the first challenge.
     */
    public WebsudoChallenge begin(String sessionId, String userKey) {
        return begin(sessionId, userKey, "_" + randomToken());
    }

    /**
     * Begins a SAML re-authentication: the AuthnRequest is built with ForceAuthn (and whatever else the builder
     * holds, such as a RequestedAuthnContext or a signing key), and its ID becomes the challenge id, which the
     * Response's InResponseTo must answer. Send the browser to {@code request().redirectUrl()}.
     */
    public SamlReauthentication beginSaml(String sessionId, String userKey, SamlAuthnRequest.Builder request) {
        Objects.requireNonNull(request, "request");
        linkedUser(Objects.requireNonNull(userKey, "userKey"));
        SamlAuthnRequest authnRequest = request.forceAuthn(true).build();
        return new SamlReauthentication(begin(sessionId, userKey, authnRequest.id()), authnRequest);
    }

    /** A SAML websudo round trip's first half: the challenge and the ForceAuthn AuthnRequest carrying its id. */
    public record SamlReauthentication(WebsudoChallenge challenge, SamlAuthnRequest request) {
        public SamlReauthentication {
            Objects.requireNonNull(challenge, "challenge");
            Objects.requireNonNull(request, "request");
        }
    }

    private WebsudoChallenge begin(String sessionId, String userKey, String challengeId) {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(userKey, "userKey");
        User user = linkedUser(userKey);
        String issuer = issuers.get(user.origin().sourceId());
        Instant now = clock.instant();
        WebsudoChallenge ch = new WebsudoChallenge(challengeId, randomToken(), sessionId, userKey, issuer,
                user.origin().externalId(), now, now.plus(challengeMaxAge));
        synchronized (pending) {
            purgeExpired(now.minus(challengeMaxAge)); // a late answer is told CHALLENGE_EXPIRED for a while
            if (pending.size() >= maxPending) {
                purgeExpired(now);
            }
            String previous = pendingBySession.get(sessionId);
            if (previous != null) {
                unpend(previous); // one pending challenge per session: a new begin replaces it
            }
            LinkedHashSet<String> mine = pendingByUser.get(userKey);
            while (mine != null && mine.size() >= maxPendingPerUser) {
                unpend(mine.iterator().next()); // one admin's many sessions make way for each other, not others
                mine = pendingByUser.get(userKey);
            }
            if (pending.size() >= maxPending) {
                throw new WebsudoException(WebsudoException.Reason.TOO_MANY_PENDING, "more than " + maxPending
                        + " re-authentications are pending");
            }
            pending.put(ch.id(), ch);
            pendingBySession.put(sessionId, ch.id());
            pendingByUser.computeIfAbsent(userKey, k -> new LinkedHashSet<>()).add(ch.id());
        }
        return ch;
    }

    /**
     * The OIDC redirect for a challenge: {@code prompt=login}, {@code max_age=0}, {@code state} = the challenge
     * id, {@code nonce} = the challenge nonce, and a fresh PKCE verifier (in the returned request).
     */
    public AuthorizationRequest oidcRedirect(WebsudoChallenge challenge, AuthorizationRequest.Builder request) {
        Objects.requireNonNull(challenge, "challenge");
        Objects.requireNonNull(request, "request");
        return request.state(challenge.id()).nonce(challenge.nonce()).prompt("login").maxAge(Duration.ZERO).build();
    }

    /**
     * Completes an OIDC re-authentication: validates the ID token against the challenge named by {@code state}
     * (its nonce, {@code auth_time} required) and then checks it as {@link #complete} does.
     */
    public WebsudoGrant completeOidc(String sessionId, String userKey, String state, String idToken,
                                     OidcValidator validator) {
        Objects.requireNonNull(idToken, "idToken");
        Objects.requireNonNull(validator, "validator");
        WebsudoChallenge ch = take(sessionId, userKey, state);
        VerifiedLogin login;
        try {
            login = validator.validate(idToken, IdTokenExpectations.nonce(ch.nonce()).withMaxAge(challengeMaxAge));
        } catch (OidcException e) {
            if (e.reason() == OidcException.Reason.AUTH_TOO_OLD) {
                throw new WebsudoException(WebsudoException.Reason.STALE_AUTHENTICATION, "the identity provider "
                        + "did not authenticate the admin again (auth_time is older than the challenge)", e);
            }
            if (e.reason() == OidcException.Reason.NONCE_MISMATCH || e.reason() == OidcException.Reason.NONCE_MISSING) {
                throw new WebsudoException(WebsudoException.Reason.WRONG_CHALLENGE, "the ID token does not answer "
                        + "this challenge (" + e.reason() + ")", e);
            }
            throw new WebsudoException(WebsudoException.Reason.PROOF_INVALID, "the ID token failed validation: "
                    + e.reason(), e);
        }
        return verify(ch, login, ch.nonce());
    }

    /**
     * Completes a SAML re-authentication: validates the POSTed {@code SAMLResponse} as an answer to the challenge's
     * AuthnRequest (never unsolicited) and then checks it as {@link #complete} does.
     */
    public WebsudoGrant completeSaml(String sessionId, String userKey, String challengeId, String samlResponse,
                                     SamlResponseValidator validator) {
        Objects.requireNonNull(samlResponse, "samlResponse");
        Objects.requireNonNull(validator, "validator");
        WebsudoChallenge ch = take(sessionId, userKey, challengeId);
        VerifiedLogin login;
        try {
            login = validator.validate(samlResponse, ch.id());
        } catch (SamlValidationException e) {
            boolean other = e.reason() == SamlValidationException.Reason.IN_RESPONSE_TO_MISMATCH
                    || e.reason() == SamlValidationException.Reason.UNSOLICITED_NOT_ALLOWED;
            throw new WebsudoException(other ? WebsudoException.Reason.WRONG_CHALLENGE
                    : WebsudoException.Reason.PROOF_INVALID, "the SAML Response " + (other
                    ? "does not answer this challenge (" : "failed validation: ") + e.reason() + (other ? ")" : ""), e);
        }
        return verify(ch, login, ch.id());
    }

    /**
     * Completes a re-authentication whose proof the host already validated (a SAML Response validated with the
     * challenge id as the expected InResponseTo, or an ID token validated with the challenge nonce). OIDC proofs
     * must answer the challenge's nonce, SAML proofs its id.
     */
    public WebsudoGrant complete(String sessionId, String userKey, String challengeId, VerifiedLogin login) {
        Objects.requireNonNull(login, "login");
        WebsudoChallenge ch = take(sessionId, userKey, challengeId);
        if (login.protocol() == VerifiedLogin.Protocol.OIDC && login.first("auth_time") == null) {
            // without auth_time the login's time is the token's iat, which says nothing about the authentication
            throw new WebsudoException(WebsudoException.Reason.PROOF_INVALID, "the ID token has no auth_time, so "
                    + "it cannot show a fresh authentication (validate it with max_age, as completeOidc does)");
        }
        return verify(ch, login, login.protocol() == VerifiedLogin.Protocol.OIDC ? ch.nonce() : ch.id());
    }

    /** Whether the session has an open window for this admin (who must still be an active user of the store). */
    public boolean isActive(String sessionId, String userKey) {
        return current(sessionId, userKey).isPresent();
    }

    /**
     * The session's open window, extended to now + window when rolling (call it on each admin request);
     * empty when there is none or it expired. A {@link #drop} made while it runs is never undone by its write
     * (within this object; hosts sharing {@link WebsudoSessions} across nodes route a session's requests to one
     * node, as for challenges).
     */
    public Optional<WebsudoGrant> touch(String sessionId, String userKey) {
        Objects.requireNonNull(sessionId, "sessionId");
        int s = stripe(sessionId);
        long dropsBefore;
        synchronized (stripeLocks[s]) {
            dropsBefore = drops[s];
        }
        Optional<WebsudoGrant> g = current(sessionId, userKey);
        if (g.isEmpty() || !rolling) {
            return g;
        }
        Instant until = clock.instant().plus(window);
        Instant cap = lifetimeEnd(g.get());
        WebsudoGrant extended = g.get().extendedTo(until.isAfter(cap) ? cap : until);
        synchronized (stripeLocks[s]) {
            if (drops[s] == dropsBefore) {
                sessions.put(sessionId, extended);
                return Optional.of(extended);
            }
        }
        // a drop came between the read and the write: writing back would reopen what was closed; answer what is
        // stored now, unextended (a drop of another session of the stripe merely skips this extension)
        return current(sessionId, userKey);
    }

    /** Ends the session's window ("drop websudo") and any pending challenge. */
    public void drop(String sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        int s = stripe(sessionId);
        synchronized (stripeLocks[s]) {
            drops[s]++;
            sessions.remove(sessionId);
        }
        synchronized (pending) {
            String ch = pendingBySession.get(sessionId);
            if (ch != null) {
                unpend(ch);
            }
        }
    }

    private Optional<WebsudoGrant> current(String sessionId, String userKey) {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(userKey, "userKey");
        Optional<WebsudoGrant> g = sessions.get(sessionId);
        if (g.isEmpty() || !g.get().userKey().equals(userKey)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (!now.isBefore(g.get().expiresAt()) || !now.isBefore(lifetimeEnd(g.get()))) {
            sessions.remove(sessionId);
            return Optional.empty();
        }
        if (!store.findUser(userKey).map(User::active).orElse(false)) {
            // deprovisioned since the grant: the host's own session may outlive it, its admin powers must not
            LOG.info("websudo window of user {} ended: the user is inactive or gone", userKey);
            sessions.remove(sessionId);
            return Optional.empty();
        }
        return g;
    }

    /**
     * When a window ends however active the admin: {@link #maxLifetime} after the re-authentication that opened it
     * (the grant's time when that is earlier: an authentication time within the skew ahead of ours).
     */
    private Instant lifetimeEnd(WebsudoGrant g) {
        Instant from = g.authenticatedAt().isBefore(g.grantedAt()) ? g.authenticatedAt() : g.grantedAt();
        return from.plus(maxLifetime);
    }

    private WebsudoChallenge take(String sessionId, String userKey, String challengeId) {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(userKey, "userKey");
        WebsudoChallenge ch;
        synchronized (pending) {
            ch = challengeId == null ? null : pending.get(challengeId);
            if (ch != null && (!ch.sessionId().equals(sessionId) || !ch.userKey().equals(userKey))) {
                // someone who learnt the id (state / RelayState) must not cancel the admin's pending
                // re-authentication, nor learn that it exists: the challenge stays, and the answer is the one an
                // unknown id gets
                LOG.warn("websudo: a re-authentication answer named a challenge begun by another session or admin;"
                        + " refused, the challenge stays pending");
                ch = null;
            }
            if (ch != null) {
                unpend(ch.id()); // the first answer from its own session consumes it, right or wrong
            }
        }
        if (ch == null) {
            throw new WebsudoException(WebsudoException.Reason.CHALLENGE_UNKNOWN, "no pending re-authentication has "
                    + "this id (never issued, already answered, expired, or begun by another session)");
        }
        if (clock.instant().isAfter(ch.expiresAt())) {
            throw new WebsudoException(WebsudoException.Reason.CHALLENGE_EXPIRED, "the answer came more than "
                    + challengeMaxAge.toSeconds() + " s after the re-authentication began");
        }
        return ch;
    }

    private WebsudoGrant verify(WebsudoChallenge ch, VerifiedLogin login, String expectedResponseTo) {
        if (login.dryRun()) {
            throw new WebsudoException(WebsudoException.Reason.PROOF_INVALID, "the proof comes from a validator's dry "
                    + "run (trace), which does not record it as used; validate it");
        }
        if (login.inResponseTo() == null || !MessageDigest.isEqual(
                login.inResponseTo().getBytes(StandardCharsets.UTF_8),
                expectedResponseTo.getBytes(StandardCharsets.UTF_8))) {
            throw new WebsudoException(WebsudoException.Reason.WRONG_CHALLENGE, login.inResponseTo() == null
                    ? "the proof is unsolicited; websudo accepts only answers to its own request"
                    : "the proof answers another request");
        }
        User user = linkedUser(ch.userKey());
        if (!ch.issuer().equals(login.issuer()) || !user.origin().externalId().equals(login.subject())
                || !ch.subject().equals(login.subject())) {
            throw new WebsudoException(WebsudoException.Reason.DIFFERENT_USER, "the identity provider "
                    + "re-authenticated another person (or is another IdP) than the admin's linked identity");
        }
        Instant now = clock.instant();
        if (login.authenticatedAt().isBefore(ch.issuedAt().minus(skew))) {
            throw new WebsudoException(WebsudoException.Reason.STALE_AUTHENTICATION, "the identity provider "
                    + "authenticated the admin " + Duration.between(login.authenticatedAt(), ch.issuedAt()).toSeconds()
                    + " s before the re-authentication began; it reused an older session instead of asking again");
        }
        if (login.authenticatedAt().isAfter(now.plus(skew))) {
            throw new WebsudoException(WebsudoException.Reason.PROOF_INVALID, "the authentication time is in the "
                    + "future");
        }
        if (!usedProofs.use(login.issuer() + "|" + login.proofId(), ch.expiresAt().plus(skew))) {
            throw new WebsudoException(WebsudoException.Reason.REPLAYED, "this proof was already used");
        }
        WebsudoGrant opened = new WebsudoGrant(ch.userKey(), login.authenticatedAt(), now, now.plus(window));
        Instant cap = lifetimeEnd(opened);
        WebsudoGrant grant = opened.expiresAt().isAfter(cap) ? opened.extendedTo(cap) : opened;
        sessions.put(ch.sessionId(), grant);
        LOG.info("websudo granted to user {} until {}", ch.userKey(), grant.expiresAt());
        return grant;
    }

    private User linkedUser(String userKey) {
        User user = store.findUser(userKey).orElseThrow(() -> new WebsudoException(
                WebsudoException.Reason.UNKNOWN_USER, "no user has this key"));
        if (!user.active()) {
            throw new WebsudoException(WebsudoException.Reason.USER_INACTIVE, "the user is inactive");
        }
        if (user.isLocal()) {
            throw new WebsudoException(WebsudoException.Reason.NOT_SSO_USER, "the user is local to the host; "
                    + "confirm with the host's own password instead");
        }
        if (!issuers.containsKey(user.origin().sourceId())) {
            throw new WebsudoException(WebsudoException.Reason.NOT_SSO_USER, "source '" + user.origin().sourceId()
                    + "' has no identity provider trusted for websudo");
        }
        return user;
    }

    /**
     * Drops challenges that expired before {@code cutoff} from the oldest end until the first one that did not
     * (challenges begin in expiry order, as every one lives {@code challengeMaxAge}), so each begin frees what has
     * expired at O(1) amortised cost. Caller holds the {@link #pending} lock.
     */
    private void purgeExpired(Instant cutoff) {
        for (Iterator<WebsudoChallenge> it = pending.values().iterator(); it.hasNext(); ) {
            WebsudoChallenge ch = it.next();
            if (!cutoff.isAfter(ch.expiresAt())) {
                return;
            }
            it.remove();
            forget(ch);
        }
    }

    /** Removes a pending challenge and its index entries. Caller holds the {@link #pending} lock. */
    private void unpend(String id) {
        WebsudoChallenge ch = pending.remove(id);
        if (ch != null) {
            forget(ch);
        }
    }

    private void forget(WebsudoChallenge ch) {
        pendingBySession.remove(ch.sessionId(), ch.id());
        LinkedHashSet<String> mine = pendingByUser.get(ch.userKey());
        if (mine != null && mine.remove(ch.id()) && mine.isEmpty()) {
            pendingByUser.remove(ch.userKey());
        }
    }

    /** How many challenges are pending (for tests). */
    int pendingCount() {
        synchronized (pending) {
            return pending.size();
        }
    }

    private String randomToken() {
        byte[] b = new byte[32];
        synchronized (random) {
            random.nextBytes(b);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Builds a {@link Websudo}. Not thread-safe. */
    public static final class Builder {
        private UserStore store;
        private WebsudoSessions sessions;
        private final Map<String, String> issuers = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private Random random = new SecureRandom();
        private Duration challengeMaxAge = Duration.ofMinutes(5);
        private Duration window = Duration.ofMinutes(10);
        private boolean rolling = true;
        private Duration skew = Duration.ofSeconds(30);
        private int maxPending = 10_000;
        private int maxPendingPerUser = 10;
        private Duration maxLifetime;

        private Builder() {}

        /** The host's store, where admins are looked up by key (required). */
        public Builder store(UserStore value) {
            store = Objects.requireNonNull(value, "store");
            return this;
        }

        /** Where windows are kept (default: in memory). */
        public Builder sessions(WebsudoSessions value) {
            sessions = Objects.requireNonNull(value, "sessions");
            return this;
        }

        /** Users of this JIT source re-authenticate at this IdP (issuer / entity ID). */
        public Builder trust(String sourceId, String issuer) {
            Objects.requireNonNull(sourceId, "sourceId");
            Objects.requireNonNull(issuer, "issuer");
            if (issuers.containsKey(sourceId)) {
                throw new ConfigException("trust", "source '" + sourceId + "' is already trusted");
            }
            issuers.put(sourceId, issuer);
            return this;
        }

        /** Users of the policy's source re-authenticate at the policy's IdP. */
        public Builder trust(JitPolicy policy) {
            return trust(policy.sourceId(), policy.issuer());
        }

        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Randomness for challenge ids and nonces (default {@link SecureRandom}). */
        public Builder random(Random value) {
            random = Objects.requireNonNull(value, "random");
            return this;
        }

        /** How long an answer is accepted after {@link #begin} (default 5 minutes; 30 s .. 30 min). */
        public Builder challengeMaxAge(Duration value) {
            Objects.requireNonNull(value, "challengeMaxAge");
            if (value.compareTo(Duration.ofSeconds(30)) < 0 || value.compareTo(Duration.ofMinutes(30)) > 0) {
                throw new ConfigException("challengeMaxAge", "must be between 30 seconds and 30 minutes");
            }
            challengeMaxAge = value;
            return this;
        }

        /** The websudo window (default 10 minutes; 1 min .. 12 h). */
        public Builder window(Duration value) {
            Objects.requireNonNull(value, "window");
            if (value.compareTo(Duration.ofMinutes(1)) < 0 || value.compareTo(Duration.ofHours(12)) > 0) {
                throw new ConfigException("window", "must be between 1 minute and 12 hours");
            }
            window = value;
            return this;
        }

        /**
         * The longest a window lasts after the re-authentication that opened it, however active the admin: a rolling
         * window is never extended past it (default 8 hours, or the window when that is longer; 1 min .. 12 h, and
         * at least the window).
         */
        public Builder maxLifetime(Duration value) {
            Objects.requireNonNull(value, "maxLifetime");
            if (value.compareTo(Duration.ofMinutes(1)) < 0 || value.compareTo(Duration.ofHours(12)) > 0) {
                throw new ConfigException("maxLifetime", "must be between 1 minute and 12 hours");
            }
            maxLifetime = value;
            return this;
        }

        /** Whether {@link Websudo#touch} extends the window on activity (default true). */
        public Builder rolling(boolean value) {
            rolling = value;
            return this;
        }

        /** Allowed clock difference with the IdP for the freshness check (default 30 s; at most 2 min). */
        public Builder clockSkew(Duration value) {
            Objects.requireNonNull(value, "clockSkew");
            if (value.isNegative() || value.compareTo(Duration.ofMinutes(2)) > 0) {
                throw new ConfigException("clockSkew", "must be between 0 and 2 minutes");
            }
            skew = value;
            return this;
        }

        /** The most challenges pending at once (default 10,000). */
        public Builder maxPending(int value) {
            if (value < 1) {
                throw new ConfigException("maxPending", "must be at least 1");
            }
            maxPending = value;
            return this;
        }

        /**
         * The most challenges pending at once for one admin (default 10): an admin beginning in more sessions than
         * this drops its own oldest pending challenge, so one account cannot fill {@link #maxPending(int)} for everyone.
         */
        public Builder maxPendingPerUser(int value) {
            if (value < 1) {
                throw new ConfigException("maxPendingPerUser", "must be at least 1");
            }
            maxPendingPerUser = value;
            return this;
        }

        public Websudo build() {
            if (maxLifetime != null && maxLifetime.compareTo(window) < 0) {
                throw new ConfigException("maxLifetime", "is " + maxLifetime + ", shorter than the window ("
                        + window + "); make it at least the window");
            }
            if (store == null) {
                throw new ConfigException("store", "is required");
            }
            if (issuers.isEmpty()) {
                throw new ConfigException("trust", "at least one JIT source and its IdP are required");
            }
            if (sessions == null) {
                sessions = new InMemoryWebsudoSessions();
            }
            return new Websudo(this);
        }
    }
}
