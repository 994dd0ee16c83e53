package io.usher.jit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.ConfigException;
import io.usher.core.model.User;
import io.usher.jit.WebsudoException.Reason;
import io.usher.jit.oidc.AuthorizationRequest;
import io.usher.testkit.oidc.OidcProvider;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebsudoTest {
    static final String SESSION = "sess-1";
    static final URI CALLBACK = URI.create("https://wiki.example/websudo/callback");

    JitFixture f;
    Websudo websudo;
    InMemoryWebsudoSessions sessions;
    String alice;
    String aliceKey;

    @BeforeEach
    void setUp() {
        f = new JitFixture();
        sessions = new InMemoryWebsudoSessions();
        websudo = Websudo.builder().store(f.store).sessions(sessions).trust(f.jit.policy()).clock(f.clock).build();
        alice = f.addUser("alice");
        aliceKey = f.signIn(alice).userKey();
        f.clock.advance(Duration.ofMinutes(30)); // the admin has been working for a while
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : uri.getRawQuery().split("&")) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    AuthorizationRequest redirect(WebsudoChallenge ch) {
        return websudo.oidcRedirect(ch, AuthorizationRequest.builder(f.idp.authorizationUri(), JitFixture.CLIENT,
                CALLBACK));
    }

    /** What the IdP answers: an ID token for the user, with the nonce from the redirect, authenticated at authTime. */
    String answer(String userId, AuthorizationRequest req, Instant authTime) {
        return f.idp.idToken(userId).audience(JitFixture.CLIENT).nonce(query(req.uri()).get("nonce"))
                .authTime(authTime).sign();
    }

    @Test
    void oidcRoundTripGrantsARollingWindow() {
        WebsudoChallenge ch = websudo.begin(SESSION, aliceKey);
        AuthorizationRequest req = redirect(ch);
        Map<String, String> q = query(req.uri());
        assertThat(q).containsEntry("prompt", "login").containsEntry("max_age", "0")
                .containsEntry("state", ch.id()).containsEntry("nonce", ch.nonce());
        assertThat(ch.toString()).doesNotContain(ch.id()).doesNotContain(ch.nonce());

        f.clock.advance(Duration.ofSeconds(20)); // the admin types the password at the IdP
        Instant reauth = f.clock.instant();
        String idToken = f.idp.answer(req.uri(), alice).sign(); // the IdP reads our redirect: prompt=login honoured
        WebsudoGrant g = websudo.completeOidc(SESSION, aliceKey, q.get("state"), idToken, f.validator);
        assertThat(g.userKey()).isEqualTo(aliceKey);
        assertThat(g.authenticatedAt()).isEqualTo(reauth);
        assertThat(g.expiresAt()).isEqualTo(reauth.plus(Duration.ofMinutes(10)));
        assertThat(websudo.isActive(SESSION, aliceKey)).isTrue();
        assertThat(websudo.isActive("another-session", aliceKey)).isFalse();

        f.clock.advance(Duration.ofMinutes(8));
        assertThat(websudo.touch(SESSION, aliceKey)).get().extracting(WebsudoGrant::expiresAt)
                .isEqualTo(f.clock.instant().plus(Duration.ofMinutes(10)));
        f.clock.advance(Duration.ofMinutes(9));
        assertThat(websudo.isActive(SESSION, aliceKey)).as("rolled forward").isTrue();
        f.clock.advance(Duration.ofMinutes(2));
        assertThat(websudo.isActive(SESSION, aliceKey)).as("idle past the window").isFalse();
        assertThat(sessions.get(SESSION)).isEmpty();
    }

    @Test
    void dropEndsTheWindow() {
        WebsudoChallenge ch = websudo.begin(SESSION, aliceKey);
        AuthorizationRequest req = redirect(ch);
        websudo.completeOidc(SESSION, aliceKey, ch.id(), answer(alice, req, f.clock.instant()), f.validator);
        websudo.drop(SESSION);
        assertThat(websudo.isActive(SESSION, aliceKey)).isFalse();
        assertThat(websudo.touch(SESSION, aliceKey)).isEmpty();
    }

    @Test
    void staleReauthenticationIsRefusedWithAClearReason() {
        // the IdP ignored prompt=login and answered from the session it opened when alice first signed in
        WebsudoChallenge ch = websudo.begin(SESSION, aliceKey);
        AuthorizationRequest req = redirect(ch);
        f.clock.advance(Duration.ofSeconds(5));
        String reused = answer(alice, req, ch.issuedAt().minus(Duration.ofMinutes(2)));
        assertThatThrownBy(() -> websudo.completeOidc(SESSION, aliceKey, ch.id(), reused, f.validator))
                .isInstanceOfSatisfying(WebsudoException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.STALE_AUTHENTICATION);
                    assertThat(e.getMessage()).contains("reused an older session");
                });
        assertThat(websudo.isActive(SESSION, aliceKey)).isFalse();

        // a session older than the challenge's maximum age is refused by the token check, with the same reason
        WebsudoChallenge ch2 = websudo.begin(SESSION, aliceKey);
        String ancient = answer(alice, redirect(ch2), JitFixture.T0);
        assertThatThrownBy(() -> websudo.completeOidc(SESSION, aliceKey, ch2.id(), ancient, f.validator))
                .isInstanceOfSatisfying(WebsudoException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.STALE_AUTHENTICATION));
    }

    @Test
    void aProviderThatIgnoresPromptLoginIsCaughtAsStale() {
        URI login = AuthorizationRequest.builder(f.idp.authorizationUri(), JitFixture.CLIENT, CALLBACK).build().uri();
        f.idp.answer(login, alice).sign();                     // the IdP session begins (the admin's morning login)
        f.clock.advance(Duration.ofMinutes(3));
        f.idp.ignorePromptLogin(true);
        WebsudoChallenge ch = websudo.begin(SESSION, aliceKey);
        String reused = f.idp.answer(redirect(ch).uri(), alice).sign();
        assertThatThrownBy(() -> websudo.completeOidc(SESSION, aliceKey, ch.id(), reused, f.validator))
                .isInstanceOfSatisfying(WebsudoException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.STALE_AUTHENTICATION);
                    assertThat(e.getMessage()).contains("180 s before");
                });
        f.idp.ignorePromptLogin(false);
        WebsudoChallenge again = websudo.begin(SESSION, aliceKey);
        websudo.completeOidc(SESSION, aliceKey, again.id(), f.idp.answer(redirect(again).uri(), alice).sign(),
                f.validator);
        assertThat(websudo.isActive(SESSION, aliceKey)).isTrue();
    }

    @Test
    void withinTheSkewIsFresh() {
        WebsudoChallenge ch = websudo.begin(SESSION, aliceKey);
        AuthorizationRequest req = redirect(ch);
        websudo.completeOidc(SESSION, aliceKey, ch.id(), answer(alice, req, ch.issuedAt().minusSeconds(20)),
                f.validator);
        assertThat(websudo.isActive(SESSION, aliceKey)).isTrue();
    }

    @Test
    void anIdTokenWithoutAuthTimeCannotProveFreshness() {
        WebsudoChallenge ch = websudo.begin(SESSION, aliceKey);
        AuthorizationRequest req = redirect(ch);
        String noAuthTime = f.idp.idToken(alice).audience(JitFixture.CLIENT).nonce(ch.nonce()).withoutAuthTime().sign();
        assertThatThrownBy(() -> websudo.completeOidc(SESSION, aliceKey, ch.id(), noAuthTime, f.validator))
                .isInstanceOfSatisfying(WebsudoException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.PROOF_INVALID);
                    assertThat(e.getMessage()).contains("AUTH_TIME_MISSING");
                });
        assertThat(req.uri()).isNotNull();
    }

    @Test
    void anOidcLoginWithoutAuthTimeCannotCompleteThroughTheGenericPath() {
        WebsudoChallenge ch = websudo.begin(SESSION, aliceKey);
        String token = f.idp.idToken(alice).audience(JitFixture.CLIENT).nonce(ch.nonce()).withoutAuthTime().sign();
        VerifiedLogin login = f.validator.validate(token, io.usher.jit.oidc.IdTokenExpectations.nonce(ch.nonce()));
        assertThat(login.authenticatedAt()).as("iat stands in").isEqualTo(f.clock.instant());
        assertThatThrownBy(() -> websudo.complete(SESSION, aliceKey, ch.id(), login))
                .isInstanceOfSatisfying(WebsudoException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.PROOF_INVALID);
                    assertThat(e.getMessage()).contains("auth_time");
                });
        WebsudoChallenge ch2 = websudo.begin(SESSION, aliceKey);
        String withAuthTime = f.idp.idToken(alice).audience(JitFixture.CLIENT).nonce(ch2.nonce())
                .authTime(f.clock.instant()).sign();
        websudo.complete(SESSION, aliceKey, ch2.id(),
                f.validator.validate(withAuthTime, io.usher.jit.oidc.IdTokenExpectations.nonce(ch2.nonce())));
        assertThat(websudo.isActive(SESSION, aliceKey)).isTrue();
    }

    @Test
    void replayedProofIsRefused() {
        WebsudoChallenge ch = websudo.begin(SESSION, aliceKey);
        AuthorizationRequest req = redirect(ch);
        String token = answer(alice, req, f.clock.instant());
        websudo.completeOidc(SESSION, aliceKey, ch.id(), token, f.validator);
        // the same answer again: the challenge is spent
        assertThatThrownBy(() -> websudo.completeOidc(SESSION, aliceKey, ch.id(), token, f.validator))
                .isInstanceOfSatisfying(WebsudoException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CHALLENGE_UNKNOWN));
        // the same answer to a new challenge: it answers the old one
        WebsudoChallenge next = websudo.begin(SESSION, aliceKey);
        assertThatThrownBy(() -> websudo.completeOidc(SESSION, aliceKey, next.id(), token, f.validator))
                .isInstanceOfSatisfying(WebsudoException.class,
                        e -> assertThat(e.reason()).isIn(Reason.WRONG_CHALLENGE, Reason.PROOF_INVALID));
        // a proof whose id was used before, even when it names the new challenge (a validator without replay cache)
        WebsudoChallenge third = websudo.begin(SESSION, aliceKey);
        VerifiedLogin first = new VerifiedLogin(VerifiedLogin.Protocol.SAML, f.idp.issuer(), alice, "_assertion-1",
                f.clock.instant(), third.id(), Map.of());
        websudo.complete(SESSION, aliceKey, third.id(), first);
        WebsudoChallenge fourth = websudo.begin(SESSION, aliceKey);
        VerifiedLogin replay = new VerifiedLogin(VerifiedLogin.Protocol.SAML, f.idp.issuer(), alice, "_assertion-1",
                f.clock.instant(), fourth.id(), Map.of());
        assertThatThrownBy(() -> websudo.complete(SESSION, aliceKey, fourth.id(), replay))
                .isInstanceOfSatisfying(WebsudoException.class, e -> assertThat(e.reason()).isEqualTo(Reason.REPLAYED));
    }

    @Test
    void anotherPersonsReauthenticationIsRefused() {
        String bob = f.addUser("bob");
        f.signIn(bob);
        WebsudoChallenge ch = websudo.begin(SESSION, aliceKey);
        AuthorizationRequest req = redirect(ch);
        assertThatThrownBy(() -> websudo.completeOidc(SESSION, aliceKey, ch.id(),
                answer(bob, req, f.clock.instant()), f.validator))
                .isInstanceOfSatisfying(WebsudoException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.DIFFERENT_USER));
        WebsudoChallenge ch2 = websudo.begin(SESSION, aliceKey);
        VerifiedLogin otherIdp = new VerifiedLogin(VerifiedLogin.Protocol.SAML, "https://other-idp.example", alice,
                "_a2", f.clock.instant(), ch2.id(), Map.of());
        assertThatThrownBy(() -> websudo.complete(SESSION, aliceKey, ch2.id(), otherIdp))
                .isInstanceOfSatisfying(WebsudoException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.DIFFERENT_USER));
    }

    @Test
    void challengesAreBoundToSessionAndAdminAndExpire() {
        String bob = f.addUser("bob");
        String bobKey = f.signIn(bob).userKey();
        WebsudoChallenge ch = websudo.begin(SESSION, aliceKey);
        String token = answer(alice, redirect(ch), f.clock.instant());
        assertThatThrownBy(() -> websudo.completeOidc("sess-2", aliceKey, ch.id(), token, f.validator))
                .isInstanceOfSatisfying(WebsudoException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CHALLENGE_UNKNOWN)); // not revealed
        WebsudoChallenge ch2 = websudo.begin(SESSION, aliceKey);
        assertThatThrownBy(() -> websudo.completeOidc(SESSION, bobKey, ch2.id(), token, f.validator))
                .isInstanceOfSatisfying(WebsudoException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CHALLENGE_UNKNOWN)); // not revealed
        WebsudoChallenge ch3 = websudo.begin(SESSION, aliceKey);
        AuthorizationRequest req3 = redirect(ch3);
        f.clock.advance(Duration.ofMinutes(6));
        String late = answer(alice, req3, f.clock.instant());
        assertThatThrownBy(() -> websudo.completeOidc(SESSION, aliceKey, ch3.id(), late, f.validator))
                .isInstanceOfSatisfying(WebsudoException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CHALLENGE_EXPIRED));
        assertThatThrownBy(() -> websudo.completeOidc(SESSION, aliceKey, "_made-up", late, f.validator))
                .isInstanceOfSatisfying(WebsudoException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CHALLENGE_UNKNOWN));
    }

    @Test
    void aNewBeginReplacesThePendingChallenge() {
        WebsudoChallenge first = websudo.begin(SESSION, aliceKey);
        String token = answer(alice, redirect(first), f.clock.instant());
        websudo.begin(SESSION, aliceKey);
        assertThatThrownBy(() -> websudo.completeOidc(SESSION, aliceKey, first.id(), token, f.validator))
                .isInstanceOfSatisfying(WebsudoException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CHALLENGE_UNKNOWN));
    }

    @Test
    void unsolicitedOrMismatchedAnswersAreRefused() {
        WebsudoChallenge ch = websudo.begin(SESSION, aliceKey);
        VerifiedLogin unsolicited = new VerifiedLogin(VerifiedLogin.Protocol.SAML, f.idp.issuer(), alice, "_u1",
                f.clock.instant(), null, Map.of());
        assertThatThrownBy(() -> websudo.complete(SESSION, aliceKey, ch.id(), unsolicited))
                .isInstanceOfSatisfying(WebsudoException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.WRONG_CHALLENGE);
                    assertThat(e.getMessage()).contains("unsolicited");
                });
        WebsudoChallenge ch2 = websudo.begin(SESSION, aliceKey);
        String tokenForOtherNonce = f.idp.idToken(alice).audience(JitFixture.CLIENT).nonce("some-other-login")
                .authTime(f.clock.instant()).sign();
        assertThatThrownBy(() -> websudo.completeOidc(SESSION, aliceKey, ch2.id(), tokenForOtherNonce, f.validator))
                .isInstanceOfSatisfying(WebsudoException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_CHALLENGE));
        WebsudoChallenge ch3 = websudo.begin(SESSION, aliceKey);
        String forged = f.idp.idToken(alice).audience(JitFixture.CLIENT).nonce(ch3.nonce())
                .attack(OidcProvider.Attack.ALG_NONE).sign();
        assertThatThrownBy(() -> websudo.completeOidc(SESSION, aliceKey, ch3.id(), forged, f.validator))
                .isInstanceOfSatisfying(WebsudoException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.PROOF_INVALID);
                    assertThat(e.getMessage()).contains("UNSIGNED");
                });
    }

    @Test
    void samlShapedProofAnswersTheChallengeId() {
        WebsudoChallenge ch = websudo.begin(SESSION, aliceKey);
        assertThat(ch.id()).startsWith("_").hasSize(44);
        f.clock.advance(Duration.ofSeconds(10));
        VerifiedLogin saml = new VerifiedLogin(VerifiedLogin.Protocol.SAML, f.idp.issuer(), alice, "_assertion-9",
                f.clock.instant(), ch.id(), Map.of());
        assertThat(websudo.complete(SESSION, aliceKey, ch.id(), saml).userKey()).isEqualTo(aliceKey);
    }

    @Test
    void onlyLinkedActiveUsersOfATrustedSourceMayBegin() {
        User local = f.store.createUser(User.builder("root").build());
        assertThatThrownBy(() -> websudo.begin(SESSION, local.key()))
                .isInstanceOfSatisfying(WebsudoException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.NOT_SSO_USER);
                    assertThat(e.getMessage()).contains("password");
                });
        assertThatThrownBy(() -> websudo.begin(SESSION, "no-such-key"))
                .isInstanceOfSatisfying(WebsudoException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_USER));
        f.engine.push(JitFixture.SOURCE).deactivateUser(alice);
        assertThatThrownBy(() -> websudo.begin(SESSION, aliceKey))
                .isInstanceOfSatisfying(WebsudoException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.USER_INACTIVE));
        Websudo otherTrust = Websudo.builder().store(f.store).trust("another-source", "https://x").clock(f.clock)
                .build();
        f.engine.push(JitFixture.SOURCE).reactivateUser(alice);
        assertThatThrownBy(() -> otherTrust.begin(SESSION, aliceKey))
                .isInstanceOfSatisfying(WebsudoException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NOT_SSO_USER));
    }

    @Test
    void builderChecks() {
        assertThatThrownBy(() -> Websudo.builder().store(f.store).build()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("trust");
        assertThatThrownBy(() -> Websudo.builder().window(Duration.ofSeconds(5))).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> Websudo.builder().clockSkew(Duration.ofMinutes(5))).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> Websudo.builder().trust("a", "x").trust("a", "y")).isInstanceOf(ConfigException.class);
    }

    @Test
    void pendingChallengesAreBounded() {
        Websudo small = Websudo.builder().store(f.store).trust(f.jit.policy()).clock(f.clock).maxPending(2).build();
        small.begin("s1", aliceKey);
        small.begin("s2", aliceKey);
        assertThatThrownBy(() -> small.begin("s3", aliceKey)).isInstanceOfSatisfying(WebsudoException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_PENDING));
        f.clock.advance(Duration.ofMinutes(6));
        assertThat(small.begin("s3", aliceKey)).isNotNull();
    }

    // ------------------------------------------------------------------ regressions (fixes branch)

    @Test
    void aStrangerWhoLearnsTheChallengeIdCannotCancelTheAdminsReauthentication() {
        String bob = f.addUser("bob");
        String bobKey = f.signIn(bob).userKey();
        WebsudoChallenge ch = websudo.begin(SESSION, aliceKey);
        AuthorizationRequest req = redirect(ch);
        // the state leaks (a Referer, a proxy log); another session, another admin, and alice's own key from
        // another session all present it: each is told exactly what an unknown id is told
        String unknownMessage = catchWebsudo(() -> websudo.completeOidc("attacker", bobKey, "_never-issued",
                answer(bob, req, f.clock.instant()), f.validator)).getMessage();
        for (String[] who : new String[][] {{"attacker", bobKey}, {"attacker", aliceKey}, {SESSION, bobKey}}) {
            WebsudoException e = catchWebsudo(() -> websudo.completeOidc(who[0], who[1], ch.id(),
                    answer(bob, req, f.clock.instant()), f.validator));
            assertThat(e.reason()).isEqualTo(Reason.CHALLENGE_UNKNOWN);
            assertThat(e.getMessage()).isEqualTo(unknownMessage);
            VerifiedLogin forged = new VerifiedLogin(VerifiedLogin.Protocol.SAML, f.idp.issuer(), bob, "_x",
                    f.clock.instant(), ch.id(), Map.of());
            assertThat(catchWebsudo(() -> websudo.complete(who[0], who[1], ch.id(), forged)).reason())
                    .isEqualTo(Reason.CHALLENGE_UNKNOWN);
        }
        // alice's challenge is still pending and still works
        f.clock.advance(Duration.ofSeconds(10));
        websudo.completeOidc(SESSION, aliceKey, ch.id(), f.idp.answer(req.uri(), alice).sign(), f.validator);
        assertThat(websudo.isActive(SESSION, aliceKey)).isTrue();
    }

    static WebsudoException catchWebsudo(Runnable r) {
        try {
            r.run();
        } catch (WebsudoException e) {
            return e;
        }
        throw new AssertionError("no WebsudoException");
    }

    WebsudoGrant grant(Websudo w) {
        WebsudoChallenge ch = w.begin(SESSION, aliceKey);
        VerifiedLogin login = new VerifiedLogin(VerifiedLogin.Protocol.SAML, f.idp.issuer(), alice,
                "_proof-" + ch.id(), f.clock.instant(), ch.id(), Map.of());
        return w.complete(SESSION, aliceKey, ch.id(), login);
    }

    @Test
    void anAdminActiveForeverStillReauthenticatesAfterTheMaximumLifetime() {
        WebsudoGrant g = grant(websudo);
        Instant cap = g.grantedAt().plus(Duration.ofHours(8));
        // busy all day: an admin request every 5 minutes keeps the rolling window open, but never past 8 h
        while (f.clock.instant().plus(Duration.ofMinutes(5)).isBefore(cap)) {
            f.clock.advance(Duration.ofMinutes(5));
            WebsudoGrant t = websudo.touch(SESSION, aliceKey).orElseThrow();
            assertThat(t.expiresAt()).isBeforeOrEqualTo(cap);
        }
        assertThat(websudo.touch(SESSION, aliceKey)).get().extracting(WebsudoGrant::expiresAt).isEqualTo(cap);
        f.clock.advance(Duration.between(f.clock.instant(), cap).minusSeconds(1));
        assertThat(websudo.isActive(SESSION, aliceKey)).isTrue();
        f.clock.advance(Duration.ofSeconds(1));
        assertThat(websudo.touch(SESSION, aliceKey)).as("8 h after the re-authentication").isEmpty();
        assertThat(websudo.isActive(SESSION, aliceKey)).isFalse();
        // a grant kept by the host's store with a later expiry (written before the cap existed) is capped too
        sessions.put(SESSION, new WebsudoGrant(aliceKey, g.authenticatedAt(), g.grantedAt(),
                cap.plus(Duration.ofHours(4))));
        assertThat(websudo.isActive(SESSION, aliceKey)).isFalse();
        // a fresh re-authentication starts a new lifetime
        assertThat(grant(websudo).expiresAt()).isEqualTo(f.clock.instant().plus(Duration.ofMinutes(10)));
        assertThat(websudo.isActive(SESSION, aliceKey)).isTrue();
    }

    @Test
    void theMaximumLifetimeIsConfigurableAndChecked() {
        Websudo shortCap = Websudo.builder().store(f.store).sessions(sessions).trust(f.jit.policy()).clock(f.clock)
                .maxLifetime(Duration.ofMinutes(30)).build();
        WebsudoGrant g = grant(shortCap);
        for (int i = 0; i < 5; i++) {
            f.clock.advance(Duration.ofMinutes(5));
            shortCap.touch(SESSION, aliceKey);
        }
        assertThat(shortCap.touch(SESSION, aliceKey)).get().extracting(WebsudoGrant::expiresAt)
                .isEqualTo(g.grantedAt().plus(Duration.ofMinutes(30)));
        f.clock.advance(Duration.ofMinutes(6));
        assertThat(shortCap.isActive(SESSION, aliceKey)).isFalse();

        assertThatThrownBy(() -> Websudo.builder().maxLifetime(Duration.ofHours(13)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("12 hours");
        assertThatThrownBy(() -> Websudo.builder().store(f.store).trust(f.jit.policy()).window(Duration.ofHours(1))
                .maxLifetime(Duration.ofMinutes(30)).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("maxLifetime")
                .hasMessageContaining("window");
        // a window longer than the default cap, without a cap of its own, is capped at the window (not refused)
        Websudo longWindow = Websudo.builder().store(f.store).sessions(new InMemoryWebsudoSessions())
                .trust(f.jit.policy()).clock(f.clock).window(Duration.ofHours(10)).build();
        assertThat(longWindow).isNotNull();
    }

    @Test
    void expiredChallengesAreDroppedWithoutWaitingForTheTableToFill() {
        for (int i = 0; i < 50; i++) {
            websudo.begin("s" + i, aliceKey);
        }
        assertThat(websudo.pendingCount()).isEqualTo(10); // at most 10 per admin
        f.clock.advance(Duration.ofMinutes(11)); // 5 min to expire, 5 more in which a late answer hears EXPIRED
        websudo.begin("later", aliceKey);
        assertThat(websudo.pendingCount()).as("the expired ones are gone").isEqualTo(1);
        assertThat(websudo.pendingCount()).isEqualTo(1);
    }

    @Test
    void oneAdminOpeningManySessionsCannotFillThePendingTableForEveryone() {
        String bob = f.addUser("bob");
        String bobKey = f.signIn(bob).userKey();
        Websudo small = Websudo.builder().store(f.store).trust(f.jit.policy()).clock(f.clock).maxPending(20)
                .maxPendingPerUser(3).build();
        WebsudoChallenge first = small.begin("alice-0", aliceKey);
        for (int i = 1; i < 25; i++) {
            small.begin("alice-" + i, aliceKey); // the oldest of alice's challenges make way
        }
        assertThat(small.pendingCount()).isEqualTo(3);
        VerifiedLogin late = new VerifiedLogin(VerifiedLogin.Protocol.SAML, f.idp.issuer(), alice, "_late",
                f.clock.instant(), first.id(), Map.of());
        assertThat(catchWebsudo(() -> small.complete("alice-0", aliceKey, first.id(), late)).reason())
                .isEqualTo(Reason.CHALLENGE_UNKNOWN);
        WebsudoChallenge newest = small.begin("alice-24", aliceKey);
        WebsudoChallenge forBob = small.begin("bob-1", bobKey);
        small.complete("bob-1", bobKey, forBob.id(), new VerifiedLogin(VerifiedLogin.Protocol.SAML, f.idp.issuer(),
                bob, "_bob", f.clock.instant(), forBob.id(), Map.of()));
        assertThat(small.isActive("bob-1", bobKey)).isTrue();
        assertThat(newest).isNotNull();
        assertThatThrownBy(() -> Websudo.builder().maxPendingPerUser(0)).isInstanceOf(ConfigException.class);
    }

    @Test
    void aDeactivatedOrDeletedAdminLosesTheOpenWindowAtOnce() {
        grant(websudo);
        assertThat(websudo.touch(SESSION, aliceKey)).isPresent();
        // the IdP deprovisions alice (SCIM, a sync, JIT cleanup); the host's own session may well live on
        f.engine.push(JitFixture.SOURCE).deactivateUser(alice);
        assertThat(websudo.touch(SESSION, aliceKey)).as("inactive").isEmpty();
        assertThat(websudo.isActive(SESSION, aliceKey)).isFalse();
        assertThat(sessions.get(SESSION)).as("the window is ended, not just hidden").isEmpty();
        f.engine.push(JitFixture.SOURCE).reactivateUser(alice);
        assertThat(websudo.isActive(SESSION, aliceKey)).as("reactivation does not reopen it").isFalse();

        grant(websudo);
        assertThat(websudo.isActive(SESSION, aliceKey)).isTrue();
        f.store.deleteUser(aliceKey);
        assertThat(websudo.touch(SESSION, aliceKey)).as("deleted").isEmpty();
    }

    @Test
    void aSessionBeginningAgainAndAgainHoldsOnePendingChallenge() {
        for (int i = 0; i < 100; i++) {
            websudo.begin(SESSION, aliceKey);
        }
        assertThat(websudo.pendingCount()).isEqualTo(1);
        websudo.drop(SESSION);
        assertThat(websudo.pendingCount()).isZero();
    }
}
