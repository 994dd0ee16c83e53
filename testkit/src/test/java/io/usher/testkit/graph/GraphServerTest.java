package io.usher.testkit.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.usher.core.model.MemberKind;
import io.usher.core.spi.SourceException;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ManualClock;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fake Graph on the wire: what a client sees, status by status. */
class GraphServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SelfSignedCertificate CERT = SelfSignedCertificate.create("graph-server-test");
    private final HttpClient http = HttpClient.newHttpClient();
    private final ManualClock clock = new ManualClock(Instant.now());
    private final InMemoryDirectory dir = InMemoryDirectory.create(11);
    private GraphServer server;

    record Answer(int status, JsonNode body, HttpResponse<String> raw) {}

    @BeforeEach
    void start() {
        for (int i = 0; i < 5; i++) {
            dir.addUser(DirectoryUser.builder("user" + i + "@corp.example").email("user" + i + "@corp.example").build());
        }
        server = GraphServer.builder(dir).clock(clock).tokenLifetime(Duration.ofMinutes(10))
                .clientSecret("app", "pw", GraphServer.CONNECTOR_PERMISSIONS)
                .clientSecret("users-only", "pw2", Set.of("User.Read.All"))
                .clientCertificate("cert-app", CERT.certificate(), GraphServer.CONNECTOR_PERMISSIONS).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Answer post(URI uri, Map<String, String> form) throws Exception {
        StringJoiner b = new StringJoiner("&");
        form.forEach((k, v) -> b.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Content-Type",
                "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(b.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), JSON.readTree(r.body()), r);
    }

    private Map<String, String> secretForm(String client, String secret) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "client_credentials");
        f.put("client_id", client);
        f.put("client_secret", secret);
        f.put("scope", "https://graph.microsoft.com/.default");
        return f;
    }

    private String token(String client, String secret) throws Exception {
        Answer a = post(server.tokenUri(), secretForm(client, secret));
        assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
        return a.body().get("access_token").asText();
    }

    private Answer get(String pathOrUrl, String token) throws Exception {
        URI uri = pathOrUrl.startsWith("http") ? URI.create(pathOrUrl) : server.graphUri().resolve(pathOrUrl);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), JSON.readTree(r.body()), r);
    }

    private String assertion(JWSAlgorithm alg, String aud, Instant exp, String jti, java.security.PrivateKey key)
            throws Exception {
        byte[] der = CERT.certificate().getEncoded();
        JWSHeader h = new JWSHeader.Builder(alg).type(JOSEObjectType.JWT)
                .x509CertSHA256Thumbprint(Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(der))).build();
        JWTClaimsSet c = new JWTClaimsSet.Builder().audience(aud).issuer("cert-app").subject("cert-app").jwtID(jti)
                .expirationTime(Date.from(exp)).notBeforeTime(Date.from(clock.instant())).build();
        SignedJWT jwt = new SignedJWT(h, c);
        jwt.sign(alg == JWSAlgorithm.HS256 ? new MACSigner(new byte[32]) : new RSASSASigner(key));
        return jwt.serialize();
    }

    private Answer withAssertion(String jwt) throws Exception {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "client_credentials");
        f.put("client_id", "cert-app");
        f.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        f.put("client_assertion", jwt);
        f.put("scope", "https://graph.microsoft.com/.default");
        return post(server.tokenUri(), f);
    }

    // ---------------------------------------------------------------- token endpoint

    @Test
    void aClientSecretGetsAnExpiringToken() throws Exception {
        Answer a = post(server.tokenUri(), secretForm("app", "pw"));

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body().get("token_type").asText()).isEqualTo("Bearer");
        assertThat(a.body().get("expires_in").asLong()).isEqualTo(600);
        assertThat(get("users", a.body().get("access_token").asText()).status()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "wrong secret | app | nope | 401 | invalid_client",
            "unknown app | ghost | pw | 400 | unauthorized_client",
    })
    void refusedSecrets(String what, String client, String secret, int status, String error) throws Exception {
        Answer a = post(server.tokenUri(), secretForm(client, secret));
        assertThat(a.status()).isEqualTo(status);
        assertThat(a.body().get("error").asText()).isEqualTo(error);
        assertThat(a.body().get("error_description").asText()).startsWith("AADSTS");
    }

    @Test
    void aWrongTenantOrScopeOrGrantIsRefused() throws Exception {
        assertThat(post(server.loginUri().resolve("other-tenant/oauth2/v2.0/token"), secretForm("app", "pw")).status())
                .isEqualTo(400);
        Map<String, String> f = secretForm("app", "pw");
        f.put("scope", "User.Read");
        assertThat(post(server.tokenUri(), f).body().get("error").asText()).isEqualTo("invalid_scope");
        f = secretForm("app", "pw");
        f.put("grant_type", "password");
        assertThat(post(server.tokenUri(), f).body().get("error").asText()).isEqualTo("unsupported_grant_type");
    }

    @Test
    void aClientAssertionIsCheckedLikeEntraIdDoes() throws Exception {
        String aud = server.tokenUri().toString();
        Instant exp = clock.instant().plusSeconds(600);
        String jti = UUID.randomUUID().toString();
        java.security.PrivateKey key = CERT.keyPair().getPrivate();
        java.security.PrivateKey otherKey = SelfSignedCertificate.create("other").keyPair().getPrivate();

        assertThat(withAssertion(assertion(JWSAlgorithm.RS256, aud, exp, jti, key)).status()).isEqualTo(200);
        assertThat(withAssertion(assertion(JWSAlgorithm.PS256, aud, exp, UUID.randomUUID().toString(), key)).status())
                .isEqualTo(200);
        assertThat(description(withAssertion(assertion(JWSAlgorithm.RS256, aud, exp, jti, key)))).contains("replay");
        assertThat(description(withAssertion(assertion(JWSAlgorithm.RS256, "https://elsewhere/token", exp,
                UUID.randomUUID().toString(), key)))).contains("audience");
        assertThat(description(withAssertion(assertion(JWSAlgorithm.RS256, aud, clock.instant().minusSeconds(1),
                UUID.randomUUID().toString(), key)))).contains("time range");
        assertThat(description(withAssertion(assertion(JWSAlgorithm.RS256, aud, exp, UUID.randomUUID().toString(),
                otherKey)))).contains("signature");
        assertThat(description(withAssertion(assertion(JWSAlgorithm.HS256, aud, exp, UUID.randomUUID().toString(),
                key)))).contains("Unsupported");
        assertThat(withAssertion("not.a.jwt").status()).isEqualTo(401);
    }

    private static String description(Answer a) {
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.body().get("error").asText()).isEqualTo("invalid_client");
        return a.body().get("error_description").asText();
    }

    @Test
    void missingExpiredAndRevokedTokensAre401() throws Exception {
        assertThat(get("users", null).body().at("/error/code").asText()).isEqualTo("InvalidAuthenticationToken");
        String t = token("app", "pw");
        clock.advance(Duration.ofMinutes(11));
        assertThat(get("users", t).status()).isEqualTo(401);
        String fresh = token("app", "pw");
        server.expireAccessTokens();
        assertThat(get("users", fresh).status()).isEqualTo(401);
        assertThat(get("users", token("app", "pw")).status()).isEqualTo(200);
    }

    @Test
    void aMissingPermissionIsAuthorizationRequestDenied() throws Exception {
        String t = token("users-only", "pw2");
        assertThat(get("users", t).status()).isEqualTo(200);
        Answer a = get("groups", t);
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.body().at("/error/code").asText()).isEqualTo("Authorization_RequestDenied");
    }

    // ---------------------------------------------------------------- collections

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "users?$top=0",
            "users?$top=1000",
            "users?$top=ten",
            "users?$select=id,shoeSize",
            "users?$skiptoken=forged",
            "users?$filter=startswith(displayName,'a')",
            "groups?$select=members",
            "users?$top=1&$top=2",
    })
    void badQueriesAre400WithAGraphError(String path) throws Exception {
        Answer a = get(path, token("app", "pw"));
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.body().at("/error/code").asText()).isEqualTo("Request_BadRequest");
    }

    @Test
    void pagesFollowNextLinksAndAFullLastPageIsFollowedByAnEmptyOne() throws Exception {
        String t = token("app", "pw");
        Answer p1 = get("users?$top=2&$select=id,userPrincipalName", t);
        assertThat(p1.body().get("value")).hasSize(2);
        assertThat(p1.body().get("value").get(0).fieldNames()).toIterable().containsExactly("id", "userPrincipalName");
        Answer p2 = get(p1.body().get("@odata.nextLink").asText(), t);
        Answer p3 = get(p2.body().get("@odata.nextLink").asText(), t);
        assertThat(p3.body().get("value")).hasSize(1);
        assertThat(p3.body().has("@odata.nextLink")).isFalse();

        Answer full = get("users?$top=5", t);
        assertThat(full.body().get("value")).hasSize(5);
        Answer empty = get(full.body().get("@odata.nextLink").asText(), t);
        assertThat(empty.body().get("value")).isEmpty();
        assertThat(empty.body().has("@odata.nextLink")).isFalse();
    }

    @Test
    void theDefaultSelectLeavesOutAccountEnabledAndUserTypeAsGraphDoes() throws Exception {
        JsonNode u = get("users", token("app", "pw")).body().get("value").get(0);
        assertThat(u.has("userPrincipalName")).isTrue();
        assertThat(u.has("accountEnabled")).isFalse();
        assertThat(u.has("userType")).isFalse();
    }

    @Test
    void membersCarryTheirTypeAndNestedGroups() throws Exception {
        DirectoryGroup g = dir.addGroup("g");
        DirectoryGroup inner = dir.addGroup("inner");
        dir.addMember(g.id(), MemberKind.GROUP, inner.id());
        DirectoryUser u = dir.users().findFirst().orElseThrow();
        dir.addMember(g.id(), MemberKind.USER, u.id());

        JsonNode v = get("groups/" + g.id() + "/members?$select=id", token("app", "pw")).body().get("value");

        assertThat(v).hasSize(2);
        assertThat(v.get(0).get("@odata.type").asText()).isEqualTo("#microsoft.graph.user");
        assertThat(v.get(1).get("@odata.type").asText()).isEqualTo("#microsoft.graph.group");
        assertThat(get("groups/no-such-group/members", token("app", "pw")).status()).isEqualTo(404);
    }

    // ---------------------------------------------------------------- delta

    @Test
    void deltaTellsSoftFromPermanentDeletesAndReportsMemberChanges() throws Exception {
        String t = token("app", "pw");
        DirectoryGroup g = dir.addGroup("g");
        String users = get("users/delta?$select=id,userPrincipalName&$deltatoken=latest", t).body()
                .get("@odata.deltaLink").asText();
        String groups = get("groups/delta?$select=id,displayName,members&$deltatoken=latest", t).body()
                .get("@odata.deltaLink").asText();
        DirectoryUser[] u = dir.users().limit(3).toArray(DirectoryUser[]::new);
        dir.softDeleteUser(u[0].id());
        dir.deleteUser(u[1].id());
        dir.renameUser(u[2].id(), "renamed@corp.example");
        dir.addMember(g.id(), MemberKind.USER, u[2].id());

        JsonNode ud = get(users, t).body();
        JsonNode gd = get(groups, t).body();

        Map<String, String> seen = new LinkedHashMap<>();
        ud.get("value").forEach(o -> seen.put(o.get("id").asText(),
                o.has("@removed") ? o.at("/@removed/reason").asText() : o.get("userPrincipalName").asText()));
        assertThat(seen).containsExactly(Map.entry(u[0].id(), "changed"), Map.entry(u[1].id(), "deleted"),
                Map.entry(u[2].id(), "renamed@corp.example"));
        assertThat(ud.has("@odata.deltaLink")).isTrue();
        assertThat(gd.get("value")).hasSize(1);
        assertThat(gd.get("value").get(0).get("members@delta").get(0).get("id").asText()).isEqualTo(u[2].id());
        JsonNode deleted = get("directory/deletedItems/" + u[0].id(), t).body();
        assertThat(deleted.get("userPrincipalName").asText()).isEqualTo(u[0].id().replace("-", "") + u[0].loginName());
    }

    @Test
    void anExpiredDeltaTokenIs410SyncStateNotFound() throws Exception {
        String t = token("app", "pw");
        String link = get("users/delta?$deltatoken=latest", t).body().get("@odata.deltaLink").asText();
        server.expireDeltaTokens();

        Answer a = get(link, t);

        assertThat(a.status()).isEqualTo(410);
        assertThat(a.body().at("/error/code").asText()).isEqualTo("syncStateNotFound");
        String fresh = get("users/delta?$deltatoken=latest", t).body().get("@odata.deltaLink").asText();
        dir.addUser(DirectoryUser.of("later"));
        dir.trimChangeLog(dir.currentSequence());
        assertThat(get(fresh, t).status()).as("older than the change log").isEqualTo(410);
    }

    // ---------------------------------------------------------------- faults

    @Test
    void throttlingAndServerErrorsAreInjected() throws Exception {
        String t = token("app", "pw");
        server.throttleNext(1, Duration.ofSeconds(9));
        Answer throttled = get("users", t);
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.raw().headers().firstValue("Retry-After")).contains("9");
        server.failNext(1, 504);
        assertThat(get("users", t).status()).isEqualTo(504);
        dir.failNextRead(SourceException.unavailable("down", null));
        assertThat(get("users", t).status()).isEqualTo(503);
        assertThat(get("users", t).status()).isEqualTo(200);
        server.failAfterRecords(2, 500);
        assertThat(get("users?$top=3", t).status()).isEqualTo(200);
        assertThat(get("users?$top=3", t).status()).isEqualTo(500);
        server.clearFaults();
        assertThat(get("users", t).status()).isEqualTo(200);
        assertThat(server.throttledResponses()).isEqualTo(1);
    }
}
