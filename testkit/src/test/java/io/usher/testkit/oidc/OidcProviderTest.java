package io.usher.testkit.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.usher.core.model.MemberKind;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ManualClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OidcProviderTest {
    final ManualClock clock = new ManualClock(Instant.parse("2026-02-01T08:00:00Z"));
    final HttpClient http = HttpClient.newHttpClient();
    InMemoryDirectory dir;
    OidcProvider idp;
    String uid;

    @BeforeEach
    void start() {
        dir = InMemoryDirectory.create(3);
        uid = dir.addUser(DirectoryUser.builder("zoe").displayName("Zoe Z").email("zoe@corp.example").build()).id();
        dir.addMember(dir.addGroup("staff").id(), MemberKind.USER, uid);
        idp = OidcProvider.start(dir, clock);
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    Map<String, Object> getJson(URI uri, String bearer, int status) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(status);
        return JSONObjectUtils.parse(r.body());
    }

    @Test
    void servesDiscoveryOnLoopback() throws Exception {
        assertThat(idp.issuer()).startsWith("http://127.0.0.1:");
        Map<String, Object> d = getJson(idp.discoveryUri(), null, 200);
        assertThat(d).containsEntry("issuer", idp.issuer()).containsEntry("jwks_uri", idp.jwksUri().toString())
                .containsEntry("userinfo_endpoint", idp.userInfoUri().toString());
        assertThat(idp.discoveryRequests()).isEqualTo(1);
    }

    @Test
    void signsTokensVerifiableWithThePublishedKeysAndRotates() throws Exception {
        SignedJWT rs = SignedJWT.parse(idp.idToken(uid).audience("app").nonce("n").sign());
        JWKSet jwks = JWKSet.parse(getJson(idp.jwksUri(), null, 200));
        assertThat(jwks.getKeys()).allSatisfy(k -> assertThat(k.isPrivate()).isFalse());
        assertThat(rs.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(rs.verify(new RSASSAVerifier((RSAKey) jwks.getKeyByKeyId(rs.getHeader().getKeyID())))).isTrue();
        var c = rs.getJWTClaimsSet();
        assertThat(c.getSubject()).isEqualTo(uid);
        assertThat(c.getIssuer()).isEqualTo(idp.issuer());
        assertThat(c.getAudience()).containsExactly("app");
        assertThat(c.getStringClaim("nonce")).isEqualTo("n");
        assertThat(c.getStringClaim("preferred_username")).isEqualTo("zoe");
        assertThat(c.getStringListClaim("groups")).containsExactly("staff");
        assertThat(c.getIssueTime().toInstant()).isEqualTo(clock.instant());

        String oldKid = idp.currentKeyId();
        String esKid = idp.rotateKey(JWSAlgorithm.ES256);
        SignedJWT es = SignedJWT.parse(idp.idToken(uid).audience("app").sign());
        assertThat(es.getHeader().getKeyID()).isEqualTo(esKid);
        JWKSet rotated = JWKSet.parse(getJson(idp.jwksUri(), null, 200));
        assertThat(rotated.getKeyByKeyId(oldKid)).isNotNull();
        assertThat(es.verify(new ECDSAVerifier((ECKey) rotated.getKeyByKeyId(esKid)))).isTrue();
        idp.retireOldKeys();
        assertThat(JWKSet.parse(getJson(idp.jwksUri(), null, 200)).getKeyByKeyId(oldKid)).isNull();
        assertThat(idp.jwksRequests()).isEqualTo(3);
    }

    @Test
    void brokenVariantsAreBrokenAsNamed() throws Exception {
        assertThat(JWTParser.parse(idp.idToken(uid).audience("a").attack(OidcProvider.Attack.ALG_NONE).sign()))
                .isInstanceOf(PlainJWT.class);
        SignedJWT hs = SignedJWT.parse(idp.idToken(uid).audience("a")
                .attack(OidcProvider.Attack.HS256_WITH_PUBLIC_KEY).sign());
        assertThat(hs.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
        SignedJWT unknown = SignedJWT.parse(idp.idToken(uid).audience("a").attack(OidcProvider.Attack.UNKNOWN_KID)
                .sign());
        assertThat(idp.publicJwks().getKeyByKeyId(unknown.getHeader().getKeyID())).isNull();
        SignedJWT tampered = SignedJWT.parse(idp.idToken(uid).audience("a").attack(OidcProvider.Attack.TAMPERED).sign());
        assertThat(tampered.verify(new RSASSAVerifier((RSAKey) idp.publicJwks().getKeys().get(0)))).isFalse();
        assertThat(tampered.getJWTClaimsSet().getStringClaim("preferred_username")).isEqualTo("admin");
        assertThatThrownBy(() -> idp.idToken(uid).attack(OidcProvider.Attack.ENCRYPTED_UNSIGNED).sign())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("encryptTo");
        assertThat(SignedJWT.parse(idp.idToken(uid).audience("a").without("sub").sign()).getJWTClaimsSet()
                .getSubject()).isNull();
    }

    @Test
    void userInfoAnswersBearerTokensAndCanLie() throws Exception {
        String at = idp.accessToken(uid);
        assertThat(getJson(idp.userInfoUri(), at, 200)).containsEntry("sub", uid).containsEntry("email",
                "zoe@corp.example").containsEntry("groups", List.of("staff"));
        getJson(idp.userInfoUri(), "wrong", 401);
        idp.lieInUserInfo("someone-else");
        assertThat(getJson(idp.userInfoUri(), at, 200)).containsEntry("sub", "someone-else");
        idp.failJwksWith(503);
        getJson(idp.jwksUri(), null, 503);
    }

    @Test
    void answersAuthorizationRequestsWithSessionsAndPromptLogin() throws Exception {
        URI plain = URI.create(idp.authorizationUri() + "?response_type=code&client_id=app&nonce=n%201&state=s");
        URI reauth = URI.create(idp.authorizationUri() + "?response_type=code&client_id=app&nonce=n2&prompt=login");
        Instant first = clock.instant();
        var c1 = SignedJWT.parse(idp.answer(plain, uid).sign()).getJWTClaimsSet();
        assertThat(c1.getAudience()).containsExactly("app");
        assertThat(c1.getStringClaim("nonce")).isEqualTo("n 1");
        assertThat(c1.getLongClaim("auth_time")).isEqualTo(first.getEpochSecond());
        clock.advance(java.time.Duration.ofMinutes(30));
        assertThat(SignedJWT.parse(idp.answer(plain, uid).sign()).getJWTClaimsSet().getLongClaim("auth_time"))
                .as("the session is reused").isEqualTo(first.getEpochSecond());
        assertThat(SignedJWT.parse(idp.answer(reauth, uid).sign()).getJWTClaimsSet().getLongClaim("auth_time"))
                .as("prompt=login authenticates again").isEqualTo(clock.instant().getEpochSecond());
        clock.advance(java.time.Duration.ofMinutes(30));
        idp.ignorePromptLogin(true);
        assertThat(SignedJWT.parse(idp.answer(reauth, uid).sign()).getJWTClaimsSet().getLongClaim("auth_time"))
                .as("a provider that ignores prompt=login").isEqualTo(first.getEpochSecond() + 1800);
        assertThatThrownBy(() -> idp.answer(URI.create(idp.authorizationUri() + "?client_id=app"), uid))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void directoryChangesShowInTheNextToken() throws Exception {
        dir.renameUser(uid, "zoe.z");
        assertThat(SignedJWT.parse(idp.idToken(uid).audience("a").sign()).getJWTClaimsSet()
                .getStringClaim("preferred_username")).isEqualTo("zoe.z");
        assertThatThrownBy(() -> idp.idToken("no-such-id")).isInstanceOf(IllegalArgumentException.class);
    }
}
