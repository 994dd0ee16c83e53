package io.usher.jit.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.usher.core.ConfigException;
import io.usher.core.UsherException;
import io.usher.jit.VerifiedLogin;
import io.usher.jit.oidc.OidcException.Reason;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ManualClock;
import io.usher.testkit.oidc.OidcProvider;
import io.usher.testkit.oidc.OidcProvider.Attack;
import io.usher.testkit.oidc.OidcProvider.TokenBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OidcValidatorTest {
    static final String CLIENT = "usher-app";
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    ManualClock clock;
    InMemoryDirectory dir;
    OidcProvider idp;
    OidcValidator validator;
    String alice;

    @BeforeEach
    void start() {
        clock = new ManualClock(T0);
        dir = InMemoryDirectory.create(7);
        alice = dir.addUser(DirectoryUser.builder("alice").displayName("Alice Liddell").givenName("Alice")
                .familyName("Liddell").email("alice@corp.example").build()).id();
        String eng = dir.addGroup("engineering").id();
        dir.addMember(eng, io.usher.core.model.MemberKind.USER, alice);
        idp = OidcProvider.start(dir, clock);
        validator = validator(b -> b);
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    OidcValidator validator(UnaryOperator<OidcValidator.Builder> tweak) {
        return tweak.apply(OidcValidator.builder().issuer(idp.issuer()).clientId(CLIENT).jwksUri(idp.jwksUri())
                .userInfoEndpoint(idp.userInfoUri()).clock(clock)).build();
    }

    TokenBuilder token() {
        return idp.idToken(alice).audience(CLIENT).nonce("n-1");
    }

    @Test
    void validTokenBecomesAVerifiedLogin() {
        VerifiedLogin login = validator.validate(token().authTime(T0.minusSeconds(30)).sign(),
                IdTokenExpectations.nonce("n-1"));
        assertThat(login.protocol()).isEqualTo(VerifiedLogin.Protocol.OIDC);
        assertThat(login.issuer()).isEqualTo(idp.issuer());
        assertThat(login.subject()).isEqualTo(alice);
        assertThat(login.inResponseTo()).isEqualTo("n-1");
        assertThat(login.authenticatedAt()).isEqualTo(T0.minusSeconds(30));
        assertThat(login.first("preferred_username")).isEqualTo("alice");
        assertThat(login.first("email")).isEqualTo("alice@corp.example");
        assertThat(login.attributes().get("groups")).containsExactly("engineering");
        assertThat(login.proofId()).isNotBlank();
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                c("alg none", t -> t.attack(Attack.ALG_NONE), Reason.UNSIGNED),
                c("HS256 keyed with the public key", t -> t.attack(Attack.HS256_WITH_PUBLIC_KEY), Reason.ALG_NOT_ALLOWED),
                c("unknown kid", t -> t.attack(Attack.UNKNOWN_KID), Reason.UNKNOWN_KEY),
                c("tampered payload", t -> t.attack(Attack.TAMPERED), Reason.BAD_SIGNATURE),
                c("an RFC 9068 access token", t -> t.type("at+jwt"), Reason.WRONG_TOKEN_TYPE),
                c("a logout token", t -> t.type("logout+jwt"), Reason.WRONG_TOKEN_TYPE),
                c("wrong audience", t -> t.without("aud").claim("aud", "someone-else"), Reason.WRONG_AUDIENCE),
                c("no audience", t -> t.without("aud"), Reason.MISSING_CLAIM),
                c("wrong issuer", t -> t.issuer("https://evil.example"), Reason.WRONG_ISSUER),
                c("issuer with trailing slash", t -> t.issuer("ISSUER/"), Reason.WRONG_ISSUER),
                c("no issuer", t -> t.without("iss"), Reason.MISSING_CLAIM),
                c("azp another client", t -> t.authorizedParty("other"), Reason.WRONG_AUTHORIZED_PARTY),
                c("two audiences, no azp", t -> t.audience("other"), Reason.WRONG_AUTHORIZED_PARTY),
                c("no sub", t -> t.without("sub"), Reason.MISSING_CLAIM),
                c("no exp", t -> t.without("exp"), Reason.MISSING_CLAIM),
                c("no iat", t -> t.without("iat"), Reason.MISSING_CLAIM),
                c("expired beyond skew", t -> t.issuedAt(T0.minusSeconds(600)).expiresAt(T0.minusSeconds(61)),
                        Reason.EXPIRED),
                c("not yet valid", t -> t.notBefore(T0.plusSeconds(120)), Reason.NOT_YET_VALID),
                c("issued in the future", t -> t.issuedAt(T0.plusSeconds(120)), Reason.ISSUED_IN_FUTURE),
                c("wrong nonce", t -> t.nonce("n-other"), Reason.NONCE_MISMATCH),
                c("no nonce", t -> t.nonce(null), Reason.NONCE_MISSING),
                c("nonce not a string", t -> t.nonce(null).claim("nonce", 42), Reason.MALFORMED));
    }

    static Arguments c(String name, UnaryOperator<TokenBuilder> tweak, Reason reason) {
        return Arguments.of(name, tweak, reason);
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("refusals")
    void refusesWithTheReason(String name, UnaryOperator<TokenBuilder> tweak, Reason reason) {
        TokenBuilder b = token();
        if (name.equals("issuer with trailing slash")) {
            b.issuer(idp.issuer() + "/");
        } else {
            tweak.apply(b);
        }
        String jwt = b.sign();
        assertRefused(() -> validator.validate(jwt, IdTokenExpectations.nonce("n-1")), reason, jwt);
    }

    static void assertRefused(Runnable call, Reason reason, String token) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(OidcException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.code()).isEqualTo(UsherException.Code.INVALID);
            for (String part : token.split("\\.")) {
                if (part.length() > 8) {
                    assertThat(e.getMessage()).doesNotContain(part);
                }
            }
        });
    }

    @Test
    void clockSkewIsAllowedOnBothSides() {
        validator.validate(token().issuedAt(T0.minusSeconds(600)).expiresAt(T0.minusSeconds(50)).sign(),
                IdTokenExpectations.nonce("n-1"));
        validator.validate(idp.idToken(alice).audience(CLIENT).nonce("n-2").issuedAt(T0.plusSeconds(50))
                .notBefore(T0.plusSeconds(50)).sign(), IdTokenExpectations.nonce("n-2"));
    }

    @Test
    void maxAgeRequiresARecentAuthTime() {
        IdTokenExpectations e = IdTokenExpectations.nonce("n-1").withMaxAge(Duration.ofMinutes(5));
        assertRefused(() -> validator.validate(token().withoutAuthTime().sign(), e), Reason.AUTH_TIME_MISSING, "");
        assertRefused(() -> validator.validate(token().authTime(T0.minus(Duration.ofMinutes(7))).sign(), e),
                Reason.AUTH_TOO_OLD, "");
        assertThat(validator.validate(token().authTime(T0.minus(Duration.ofMinutes(4))).sign(), e).authenticatedAt())
                .isEqualTo(T0.minus(Duration.ofMinutes(4)));
    }

    @Test
    void acrPolicy() {
        IdTokenExpectations e = IdTokenExpectations.nonce("n-1").withAcceptedAcr("urn:mfa");
        assertRefused(() -> validator.validate(token().acr("urn:password").sign(), e), Reason.ACR_NOT_ALLOWED, "");
        assertRefused(() -> validator.validate(token().sign(), e), Reason.ACR_NOT_ALLOWED, "");
        assertThat(validator.validate(token().acr("urn:mfa").sign(), e).first("acr")).isEqualTo("urn:mfa");
    }

    @Test
    void atHashMustMatchTheAccessTokenWhenGiven() {
        String at = idp.accessToken(alice);
        assertRefused(() -> validator.validate(token().atHashFor("another-token").sign(),
                IdTokenExpectations.nonce("n-1").withAccessToken(at)), Reason.AT_HASH_MISMATCH, "");
        validator.validate(token().atHashFor(at).sign(), IdTokenExpectations.nonce("n-1").withAccessToken(at));
    }

    @Test
    void replayedTokenAndReusedNonceAreRefused() {
        String jwt = token().sign();
        validator.validate(jwt, IdTokenExpectations.nonce("n-1"));
        assertRefused(() -> validator.validate(jwt, IdTokenExpectations.nonce("n-1")), Reason.REPLAYED, jwt);
        String second = token().sign(); // a new token for the same nonce
        assertRefused(() -> validator.validate(second, IdTokenExpectations.nonce("n-1")), Reason.REPLAYED, second);
        String noNonce = idp.idToken(alice).audience(CLIENT).sign();
        validator.validate(noNonce, IdTokenExpectations.withoutNonce());
        assertRefused(() -> validator.validate(noNonce, IdTokenExpectations.withoutNonce()), Reason.REPLAYED, noNonce);
    }

    @Test
    void aFailedAttemptDoesNotUseUpTheNonce() {
        assertRefused(() -> validator.validate(token().without("aud").claim("aud", "x").sign(),
                IdTokenExpectations.nonce("n-1")), Reason.WRONG_AUDIENCE, "");
        validator.validate(token().sign(), IdTokenExpectations.nonce("n-1"));
    }

    @Test
    void keyRotationIsPickedUpByOneRefreshOnAnUnknownKid() {
        validator.validate(token().sign(), IdTokenExpectations.nonce("n-1"));
        assertThat(idp.jwksRequests()).isEqualTo(1);
        idp.rotateKey(JWSAlgorithm.ES256);
        VerifiedLogin login = validator.validate(idp.idToken(alice).audience(CLIENT).nonce("n-2").sign(),
                IdTokenExpectations.nonce("n-2"));
        assertThat(login.subject()).isEqualTo(alice);
        assertThat(idp.jwksRequests()).isEqualTo(2);
        validator.validate(idp.idToken(alice).audience(CLIENT).nonce("n-3").sign(), IdTokenExpectations.nonce("n-3"));
        assertThat(idp.jwksRequests()).isEqualTo(2); // cached
    }

    @Test
    void unknownKidRefreshesAreRateLimited() {
        validator.validate(token().sign(), IdTokenExpectations.nonce("n-1"));
        for (int i = 0; i < 5; i++) {
            String forged = idp.idToken(alice).audience(CLIENT).nonce("x" + i).attack(Attack.UNKNOWN_KID).sign();
            assertRefused(() -> validator.validate(forged, IdTokenExpectations.nonce("x"
                    + forged.length())), Reason.UNKNOWN_KEY, forged);
        }
        assertThat(idp.jwksRequests()).as("one refresh for five unknown kids within the interval").isEqualTo(2);
        clock.advance(Duration.ofSeconds(61));
        String forged = idp.idToken(alice).audience(CLIENT).attack(Attack.UNKNOWN_KID).sign();
        assertRefused(() -> validator.validate(forged, IdTokenExpectations.withoutNonce()), Reason.UNKNOWN_KEY, forged);
        assertThat(idp.jwksRequests()).isEqualTo(3);
    }

    @Test
    void retiredKeyIsRefusedAfterTheCacheExpires() {
        String old = token().lifetime(Duration.ofHours(3)).sign();
        idp.rotateKey(JWSAlgorithm.RS256);
        idp.retireOldKeys();
        clock.advance(Duration.ofMinutes(1));
        assertRefused(() -> validator.validate(old, IdTokenExpectations.nonce("n-1")), Reason.UNKNOWN_KEY, old);
    }

    @Test
    void jwksOutageIsRetryableAndCachedKeysSurviveIt() {
        idp.failJwksWith(503);
        assertThatThrownBy(() -> validator.validate(token().sign(), IdTokenExpectations.nonce("n-1")))
                .isInstanceOfSatisfying(OidcException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.PROVIDER_UNAVAILABLE);
                    assertThat(e.isRetryable()).isTrue();
                });
        idp.failJwksWith(0);
        clock.advance(Duration.ofSeconds(61));
        validator.validate(token().sign(), IdTokenExpectations.nonce("n-1"));
        idp.failJwksWith(500);
        clock.advance(Duration.ofHours(2)); // the cache is stale and the refetch fails: the old keys still serve
        validator.validate(idp.idToken(alice).audience(CLIENT).nonce("n-9").sign(), IdTokenExpectations.nonce("n-9"));
    }

    @Test
    void encryptedTokensMustContainASignedJwt() throws Exception {
        RSAKey rp = new RSAKeyGenerator(2048).keyID("rp").generate();
        OidcValidator withKey = validator(b -> b.decryptionKey(rp));
        String unsigned = token().encryptTo(rp.toPublicJWK()).attack(Attack.ENCRYPTED_UNSIGNED).sign();
        assertRefused(() -> withKey.validate(unsigned, IdTokenExpectations.nonce("n-1")), Reason.ENCRYPTED_NOT_SIGNED,
                unsigned);
        String nested = token().encryptTo(rp.toPublicJWK()).sign();
        assertRefused(() -> validator.validate(nested, IdTokenExpectations.nonce("n-1")), Reason.DECRYPTION_FAILED,
                nested);
        assertThat(withKey.validate(nested, IdTokenExpectations.nonce("n-1")).subject()).isEqualTo(alice);
    }

    @Test
    void aKidNamingAKeyOfAnotherTypeIsAKeyMismatch() {
        String ecKid = idp.rotateKey(JWSAlgorithm.ES256);
        idp.rotateKey(JWSAlgorithm.RS256); // RSA signs again; the EC key stays published
        String confused = token().keyId(ecKid).sign();
        assertRefused(() -> validator.validate(confused, IdTokenExpectations.nonce("n-1")), Reason.KEY_MISMATCH,
                confused);
    }

    @Test
    void rsa15KeyTransportIsNeverDecrypted() throws Exception {
        RSAKey rp = new RSAKeyGenerator(2048).keyID("rp").generate();
        OidcValidator withKey = validator(b -> b.decryptionKey(rp));
        com.nimbusds.jose.JWEObject jwe = new com.nimbusds.jose.JWEObject(
                new com.nimbusds.jose.JWEHeader.Builder(com.nimbusds.jose.JWEAlgorithm.RSA1_5,
                        com.nimbusds.jose.EncryptionMethod.A128CBC_HS256).contentType("JWT").build(),
                new com.nimbusds.jose.Payload(com.nimbusds.jwt.SignedJWT.parse(token().sign())));
        jwe.encrypt(new com.nimbusds.jose.crypto.RSAEncrypter(rp.toPublicJWK()));
        String token = jwe.serialize();
        assertThatThrownBy(() -> withKey.validate(token, IdTokenExpectations.nonce("n-1")))
                .isInstanceOfSatisfying(OidcException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.DECRYPTION_FAILED);
                    assertThat(e.getMessage()).contains("RSA1_5").contains("not allowed");
                });
    }

    @Test
    void oversizedAndGarbageInputs() {
        assertRefused(() -> validator.validate("x".repeat(40_000), IdTokenExpectations.withoutNonce()),
                Reason.TOO_LARGE, "");
        for (String bad : List.of("", "abc", "a.b.c", "eyJ.eyJ.x", "....", "{\"alg\":\"none\"}")) {
            assertRefused(() -> validator.validate(bad, IdTokenExpectations.withoutNonce()), Reason.MALFORMED, "");
        }
    }

    @Test
    void userInfoIsMergedAndItsSubMustMatch() {
        String at = idp.accessToken(alice);
        VerifiedLogin login = validator.validate(idp.idToken(alice).audience(CLIENT).nonce("u1")
                .without("email").sign(), IdTokenExpectations.nonce("u1"));
        assertThat(login.first("email")).isNull();
        VerifiedLogin merged = validator.withUserInfo(login, at);
        assertThat(merged.first("email")).isEqualTo("alice@corp.example");
        assertThat(merged.subject()).isEqualTo(alice);
        idp.lieInUserInfo(UUID.randomUUID().toString());
        assertRefused(() -> validator.withUserInfo(login, at), Reason.USERINFO_SUBJECT_MISMATCH, at);
        idp.lieInUserInfo(null);
        assertThatThrownBy(() -> validator.withUserInfo(login, "not-a-token"))
                .isInstanceOfSatisfying(OidcException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.PROVIDER_UNAVAILABLE));
    }

    @Test
    void builderRefusesDangerousSettings() {
        assertThatThrownBy(() -> OidcValidator.builder().algorithms(JWSAlgorithm.HS256))
                .isInstanceOf(ConfigException.class).hasMessageContaining("HS256");
        assertThatThrownBy(() -> OidcValidator.builder().algorithms(new JWSAlgorithm("none")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("never accepted");
        assertThatThrownBy(() -> OidcValidator.builder().jwksUri(java.net.URI.create("http://idp.example/jwks")))
                .isInstanceOf(OidcException.class).hasMessageContaining("https");
        assertThatThrownBy(() -> OidcValidator.builder().issuer("x").clientId("c").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("jwks");
        assertThatThrownBy(() -> OidcValidator.builder().jwks(new com.nimbusds.jose.jwk.JWKSet(
                new RSAKeyGenerator(2048).generate()))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("private");
    }

    @Test
    void allowListNarrowsTheAlgorithms() {
        OidcValidator esOnly = validator(b -> b.algorithms(JWSAlgorithm.ES256));
        String rs = token().sign();
        assertRefused(() -> esOnly.validate(rs, IdTokenExpectations.nonce("n-1")), Reason.ALG_NOT_ALLOWED, rs);
    }

    @Test
    void metadataFromDiscoveryConfiguresTheValidator() {
        OidcProviderMetadata md = OidcProviderMetadata.discover(java.net.http.HttpClient.newHttpClient(),
                idp.issuer(), Duration.ofSeconds(5));
        assertThat(md.jwksUri()).isEqualTo(idp.jwksUri());
        assertThat(md.userInfoEndpoint()).isEqualTo(idp.userInfoUri());
        OidcValidator v = OidcValidator.builder().metadata(md).clientId(CLIENT).clock(clock).build();
        assertThat(v.validate(token().sign(), IdTokenExpectations.nonce("n-1")).subject()).isEqualTo(alice);
        assertThatThrownBy(() -> OidcProviderMetadata.discover(java.net.http.HttpClient.newHttpClient(),
                idp.issuer() + "/other", Duration.ofSeconds(5))).isInstanceOf(OidcException.class);
    }
}
