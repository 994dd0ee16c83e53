package io.usher.testkit.google;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.usher.core.model.MemberKind;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake Directory API on the wire: the token endpoint's checks, paging bounds, fields=, etags, access, faults. */
class GoogleDirectoryServerTest {
    private static final String SA = "sync@proj.iam.gserviceaccount.com";
    private static final String CLIENT_ID = "1234567890";
    private static final String ADMIN = "admin@example.com";
    private static final String USER_SCOPE = "https://www.googleapis.com/auth/admin.directory.user.readonly";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static KeyPair keys;
    private static KeyPair otherKeys;
    private final HttpClient http = HttpClient.newHttpClient();
    private InMemoryDirectory dir;
    private GoogleDirectoryServer server;
    private DirectoryGroup parent;
    private DirectoryGroup child;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        keys = g.generateKeyPair();
        otherKeys = g.generateKeyPair();
    }

    @BeforeEach
    void start() {
        dir = InMemoryDirectory.create(9);
        for (int i = 0; i < 5; i++) {
            dir.addUser(DirectoryUser.builder("user" + i).displayName("User " + i).email("alias" + i + "@example.com")
                    .build());
        }
        parent = dir.addGroup("Parent");
        child = dir.addGroup("Child");
        dir.users().limit(2).forEach(u -> dir.addMember(child.id(), MemberKind.USER, u.id()));
        dir.users().skip(4).forEach(u -> dir.addMember(parent.id(), MemberKind.USER, u.id()));
        dir.addMember(parent.id(), MemberKind.GROUP, child.id());
        server = GoogleDirectoryServer.builder(dir).serviceAccount(SA, CLIENT_ID, keys.getPublic())
                .delegate(CLIENT_ID, GoogleDirectoryServer.READONLY_SCOPES).admin(ADMIN).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String jwt(KeyPair k, Consumer<JWTClaimsSet.Builder> edit) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(SA).subject(ADMIN)
                .audience(server.tokenUri().toString())
                .claim("scope", String.join(" ", GoogleDirectoryServer.READONLY_SCOPES))
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)));
        edit.accept(b);
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), b.build());
        jwt.sign(new RSASSASigner(k.getPrivate()));
        return jwt.serialize();
    }

    private HttpResponse<String> token(String grantType, String assertion) throws Exception {
        String form = "grant_type=" + URLEncoder.encode(grantType, StandardCharsets.UTF_8) + "&assertion="
                + URLEncoder.encode(assertion, StandardCharsets.UTF_8);
        return http.send(HttpRequest.newBuilder(server.tokenUri())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String accessToken(Consumer<JWTClaimsSet.Builder> edit) throws Exception {
        HttpResponse<String> r = token(GoogleDirectoryServer.JWT_BEARER, jwt(keys, edit));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("access_token").asText();
    }

    private HttpResponse<String> get(String token, String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.apiUri() + pathAndQuery))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static void assertOAuthError(HttpResponse<String> r, int status, String error) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(json(r).get("error").asText()).isEqualTo(error);
    }

    private static void assertGoogleError(HttpResponse<String> r, int status, String reason) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(json(r).at("/error/code").asInt()).isEqualTo(status);
        assertThat(json(r).at("/error/errors/0/reason").asText()).isEqualTo(reason);
    }

    // ------------------------------------------------------------------ token endpoint

    @Test
    void aGoodDelegationGrantGetsAnHourLongBearerToken() throws Exception {
        HttpResponse<String> r = token(GoogleDirectoryServer.JWT_BEARER, jwt(keys, b -> { }));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("token_type").asText()).isEqualTo("Bearer");
        assertThat(json(r).get("expires_in").asLong()).isEqualTo(3600);
    }

    @Test
    void theTokenEndpointRefusesEveryBrokenGrantAsGoogleDoes() throws Exception {
        assertOAuthError(token("client_credentials", jwt(keys, b -> { })), 400, "unsupported_grant_type");
        assertOAuthError(token(GoogleDirectoryServer.JWT_BEARER, "not.a.jwt"), 400, "invalid_grant");
        assertOAuthError(token(GoogleDirectoryServer.JWT_BEARER, jwt(otherKeys, b -> { })), 400, "invalid_grant");
        assertOAuthError(token(GoogleDirectoryServer.JWT_BEARER, jwt(keys, b -> b.issuer("who@else.com"))), 400,
                "invalid_grant");
        assertOAuthError(token(GoogleDirectoryServer.JWT_BEARER, jwt(keys, b -> b.audience("https://elsewhere/token"))),
                400, "invalid_grant");
        Instant now = Instant.now();
        assertOAuthError(token(GoogleDirectoryServer.JWT_BEARER, jwt(keys, b -> b.expirationTime(
                Date.from(now.plusSeconds(7200))))), 400, "invalid_grant");
        assertOAuthError(token(GoogleDirectoryServer.JWT_BEARER, jwt(keys, b -> b.issueTime(
                Date.from(now.minusSeconds(7200))).expirationTime(Date.from(now.minusSeconds(3700))))), 400,
                "invalid_grant");
        assertOAuthError(token(GoogleDirectoryServer.JWT_BEARER, jwt(keys, b -> b.claim("scope", null))), 400,
                "invalid_scope");
        assertOAuthError(token(GoogleDirectoryServer.JWT_BEARER, jwt(keys, b -> b.subject("ghost@example.com"))), 400,
                "invalid_grant");
        SignedJWT hs = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().issuer(SA).build());
        hs.sign(new MACSigner(new byte[32]));
        assertOAuthError(token(GoogleDirectoryServer.JWT_BEARER, hs.serialize()), 400, "invalid_grant");
    }

    @Test
    void aScopeNotDelegatedToTheClientIsUnauthorizedClient() throws Exception {
        HttpResponse<String> r = token(GoogleDirectoryServer.JWT_BEARER, jwt(keys,
                b -> b.claim("scope", "https://www.googleapis.com/auth/admin.directory.user")));

        assertOAuthError(r, 401, "unauthorized_client");
        assertThat(json(r).get("error_description").asText()).contains("not authorized for any of the scopes");
    }

    @Test
    void accessNeedsAnAdminSubjectAndTheRightScope() throws Exception {
        String noSub = accessToken(b -> b.subject(null));
        assertGoogleError(get(noSub, "users?customer=my_customer"), 403, "forbidden");
        String notAdmin = accessToken(b -> b.subject("user1@example.com"));
        assertGoogleError(get(notAdmin, "users?customer=my_customer"), 403, "forbidden");
        String usersOnly = accessToken(b -> b.claim("scope", USER_SCOPE));
        assertThat(get(usersOnly, "users?customer=my_customer").statusCode()).isEqualTo(200);
        assertGoogleError(get(usersOnly, "groups?customer=my_customer"), 403, "insufficientPermissions");
        assertGoogleError(get("ya29.made-up", "users?customer=my_customer"), 401, "authError");
    }

    @Test
    void expiredAccessTokensAreRefused() throws Exception {
        String t = accessToken(b -> { });
        server.expireAccessTokens();

        assertGoogleError(get(t, "users?customer=my_customer"), 401, "authError");
    }

    // ------------------------------------------------------------------ lists

    @Test
    void usersPageWithOpaqueTamperEvidentTokensUntilTheEnd() throws Exception {
        String t = accessToken(b -> { });
        List<String> ids = new ArrayList<>();
        String page = null;
        int pages = 0;
        do {
            JsonNode n = json(get(t, "users?customer=my_customer&maxResults=2"
                    + (page == null ? "" : "&pageToken=" + URLEncoder.encode(page, StandardCharsets.UTF_8))));
            n.get("users").forEach(u -> ids.add(u.get("id").asText()));
            page = n.path("nextPageToken").asText(null);
            pages++;
        } while (page != null);

        assertThat(ids).containsExactlyElementsOf(dir.users().map(DirectoryUser::id).toList());
        assertThat(pages).isEqualTo(3);
        String first = json(get(t, "users?customer=my_customer&maxResults=2")).get("nextPageToken").asText();
        String tampered = first.substring(0, 3) + (first.charAt(3) == 'A' ? 'B' : 'A') + first.substring(4);
        assertGoogleError(get(t, "users?customer=my_customer&maxResults=2&pageToken=" + tampered), 400, "invalid");
        assertGoogleError(get(t, "users?domain=example.com&maxResults=2&pageToken=" + first), 400, "invalid");
    }

    @Test
    void boundsAndRequiredParametersAreEnforced() throws Exception {
        String t = accessToken(b -> { });
        assertGoogleError(get(t, "users?customer=my_customer&maxResults=501"), 400, "invalid");
        assertGoogleError(get(t, "users?customer=my_customer&maxResults=0"), 400, "invalid");
        assertGoogleError(get(t, "groups?customer=my_customer&maxResults=201"), 400, "invalid");
        assertGoogleError(get(t, "groups/" + parent.id() + "/members?maxResults=201"), 400, "invalid");
        assertGoogleError(get(t, "users"), 400, "badRequest");
        assertGoogleError(get(t, "users?customer=someone_else"), 400, "badRequest");
        assertGoogleError(get(t, "users?customer=my_customer&$top=5"), 400, "invalidParameter");
        assertGoogleError(get(t, "groups/nope/members"), 404, "notFound");
        assertThat(get(t, "users?customer=my_customer&maxResults=500").statusCode()).isEqualTo(200);
    }

    @Test
    void fieldsSelectsAPartialResponseAndRefusesUnknownFields() throws Exception {
        String t = accessToken(b -> { });
        JsonNode n = json(get(t, "users?customer=my_customer&fields="
                + URLEncoder.encode("users(id,name/fullName)", StandardCharsets.UTF_8)));

        JsonNode u = n.get("users").get(0);
        assertThat(n.has("kind")).isFalse();
        assertThat(u.size()).isEqualTo(2);
        assertThat(u.at("/name/fullName").asText()).startsWith("User ");
        assertThat(u.at("/name").size()).isEqualTo(1);
        assertGoogleError(get(t, "users?customer=my_customer&fields=users(id,userPrincipalName)"), 400,
                "invalidParameter");
        assertGoogleError(get(t, "users?customer=my_customer&fields=users(id"), 400, "invalidParameter");
    }

    @Test
    void aUsersEtagChangesExactlyWhenTheUserDoes() throws Exception {
        String t = accessToken(b -> { });
        DirectoryUser u = dir.users().findFirst().orElseThrow();
        String before = json(get(t, "users?customer=my_customer")).get("users").get(0).get("etag").asText();
        String again = json(get(t, "users?customer=my_customer")).get("users").get(0).get("etag").asText();
        dir.disableUser(u.id());
        String after = json(get(t, "users?customer=my_customer")).get("users").get(0).get("etag").asText();

        assertThat(again).isEqualTo(before).startsWith("\"").endsWith("\"");
        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void usersCarryGoogleShapesAndAliases() throws Exception {
        String t = accessToken(b -> { });
        DirectoryUser first = dir.users().findFirst().orElseThrow();
        JsonNode u = json(get(t, "users?customer=my_customer")).get("users").get(0);

        assertThat(u.get("id").asText()).isEqualTo(first.id());
        assertThat(u.get("kind").asText()).isEqualTo("admin#directory#user");
        assertThat(u.get("primaryEmail").asText()).isEqualTo(first.loginName() + "@example.com");
        assertThat(u.get("aliases").get(0).asText()).isEqualTo(first.emails().get(0));
        assertThat(u.get("suspended").asBoolean()).isFalse();
        assertThat(u.get("orgUnitPath").asText()).isEqualTo("/");
    }

    @Test
    void membersListUsersAndGroupsByTypeAndDerivedMembershipFlattens() throws Exception {
        String t = accessToken(b -> { });
        JsonNode direct = json(get(t, "groups/" + parent.id() + "/members"));
        JsonNode byEmail = json(get(t, "groups/" + URLEncoder.encode(server.groupEmail(parent.id()),
                StandardCharsets.UTF_8) + "/members"));
        JsonNode derived = json(get(t, "groups/" + parent.id() + "/members?includeDerivedMembership=true"));

        assertThat(direct.get("members")).hasSize(2);
        assertThat(direct.get("members").findValuesAsText("type")).containsExactlyInAnyOrder("USER", "GROUP");
        assertThat(byEmail).isEqualTo(direct);
        assertThat(derived.get("members").findValuesAsText("type")).containsExactlyInAnyOrder("USER", "USER", "USER",
                "GROUP");
    }

    @Test
    void membersPageAtTheGivenSize() throws Exception {
        String t = accessToken(b -> { });
        JsonNode first = json(get(t, "groups/" + parent.id() + "/members?maxResults=1"));
        JsonNode second = json(get(t, "groups/" + parent.id() + "/members?maxResults=1&pageToken="
                + first.get("nextPageToken").asText()));

        assertThat(first.get("members")).hasSize(1);
        assertThat(second.get("members")).hasSize(1);
        assertThat(second.has("nextPageToken")).isFalse();
    }

    // ------------------------------------------------------------------ faults

    @Test
    void throttlingIsAnsweredInEveryDocumentedShape() throws Exception {
        String t = accessToken(b -> { });
        server.throttleNext(1, GoogleDirectoryServer.Throttle.USER_RATE_LIMIT);
        assertGoogleError(get(t, "users?customer=my_customer"), 403, "userRateLimitExceeded");
        server.throttleNext(1, GoogleDirectoryServer.Throttle.QUOTA);
        assertGoogleError(get(t, "users?customer=my_customer"), 403, "quotaExceeded");
        server.throttleNext(1, GoogleDirectoryServer.Throttle.TOO_MANY_REQUESTS);
        assertGoogleError(get(t, "users?customer=my_customer"), 429, "rateLimitExceeded");
        server.failNext(1, 503);
        assertGoogleError(get(t, "users?customer=my_customer"), 503, "backendError");
        assertThat(get(t, "users?customer=my_customer").statusCode()).isEqualTo(200);
        assertThat(server.throttledResponses()).isEqualTo(3);
    }

    @Test
    void theBuilderRefusesAnIncompleteSetup() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GoogleDirectoryServer.builder(dir).admin(ADMIN).start())
                .hasMessageContaining("service account");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GoogleDirectoryServer.builder(dir)
                .serviceAccount(SA, "abc", keys.getPublic())).hasMessageContaining("numeric");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.keyFile("x@y.z", keys.getPrivate()))
                .hasMessageContaining("no service account");
        assertThat(Set.of(server.keyFile(SA, keys.getPrivate()))).allMatch(k -> k.contains(server.tokenUri().toString()));
    }
}
