package io.usher.scim.http;

import static io.usher.scim.http.ScimHttpServer.j;
import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.Change;
import io.usher.core.SyncListener;
import io.usher.scim.BearerTokenAuthenticator;
import io.usher.scim.InMemoryScimTokenStore;
import io.usher.scim.IpAllowList;
import io.usher.scim.RateLimit;
import io.usher.scim.ScimCaller;
import io.usher.scim.ScimScope;
import io.usher.scim.ScimToken;
import io.usher.scim.http.ScimHttpServer.Resp;
import io.usher.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SCIM exposure hardening over HTTP on Jersey: hashed tokens with scopes, expiry, revocation and rotation; the
 * client IP allow-list behind a trusted proxy; the per-token rate limit.
 */
class ExposureHardeningTest {
    private static final String USER = j("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:User'],'userName':'%s'}");
    private static final String GROUP = j("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:Group'],"
            + "'displayName':'%s'}");
    private static final String PATCH_ACTIVE = j("{'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp'],"
            + "'Operations':[{'op':'replace','path':'active','value':false}]}");

    private final ManualClock tokenClock = new ManualClock(Instant.parse("2026-11-29T08:00:00Z"));
    private final InMemoryScimTokenStore tokens = InMemoryScimTokenStore.of(
            // the harness's default token, so its helpers work
            ScimToken.of("current", ScimToken.digestOf(ScimHttpServer.TOKEN), ScimScope.ALL));
    private final ScimToken.Minted entra = mint("entra", ScimScope.USERS, ScimScope.GROUPS);
    private final ScimToken.Minted reader = mint("reader", ScimScope.READ);
    private final ScimToken.Minted usersOnly = mint("users-only", ScimScope.USERS);
    private final ScimToken.Minted groupsOnly = mint("groups-only", ScimScope.GROUPS);
    private final List<String> audit = new CopyOnWriteArrayList<>();
    private ScimHttpServer s;

    private ScimToken.Minted mint(String id, ScimScope... scopes) {
        ScimToken.Minted m = ScimToken.mint(id, Set.of(scopes), null);
        tokens.add(m.token());
        return m;
    }

    private ScimHttpServer start(java.util.function.Consumer<io.usher.scim.ScimServer.Builder> more) {
        s = ScimHttpServer.start(new ScimHttpServer.Options()
                .listener(new SyncListener() {
                    @Override
                    public void onChange(String runId, Change change) {
                        ScimCaller c = ScimCaller.current();
                        audit.add(change.kind() + " by " + (c == null ? "nobody" : c.id()));
                    }
                })
                .tweak(b -> {
                    b.authenticator(BearerTokenAuthenticator.builder().store(tokens).clock(tokenClock).build());
                    more.accept(b);
                }));
        return s;
    }

    private ScimHttpServer start() {
        return start(b -> { });
    }

    @AfterEach
    void stop() {
        if (s != null) {
            s.close();
        }
    }

    private static String bearer(ScimToken.Minted m) {
        return "Bearer " + m.secret();
    }

    private static void assertScimError(Resp r, int status) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/scim+json");
        assertThat(r.body().get("schemas").get(0).asText()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
        assertThat(r.body().get("status").asText()).isEqualTo(Integer.toString(status));
        assertThat(r.raw()).doesNotContain("Exception").doesNotContain(ScimToken.PREFIX);
    }

    // ------------------------------------------------------------------ tokens

    @Test
    void aRevokedTokenIsRefusedFromTheNextRequest() {
        start();
        assertThat(s.get("/Users", "Authorization", bearer(entra)).status()).isEqualTo(200);
        tokens.revoke("entra");
        Resp r = s.post("/Users", String.format(USER, "after-revoke"), "Authorization", bearer(entra));
        assertScimError(r, 401);
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"SCIM\", error=\"invalid_token\"");
        assertThat(r.raw()).doesNotContain(entra.secret());
        assertThat(s.store.findUserByUsername("after-revoke")).isEmpty();
    }

    @Test
    void anExpiredTokenIsRefused() {
        ScimToken.Minted temp = ScimToken.mint("temp", ScimScope.ALL, tokenClock.instant().plus(Duration.ofHours(1)));
        tokens.add(temp.token());
        start();
        assertThat(s.get("/Users", "Authorization", bearer(temp)).status()).isEqualTo(200);
        tokenClock.advance(Duration.ofHours(1));
        Resp r = s.post("/Users", String.format(USER, "too-late"), "Authorization", bearer(temp));
        assertScimError(r, 401);
        assertThat(r.body().get("detail").asText()).contains("expired");
        assertThat(r.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        assertThat(s.store.findUserByUsername("too-late")).isEmpty();
        // a new expiry brings it back: the host extended it
        tokens.replace(temp.token().withExpiry(tokenClock.instant().plus(Duration.ofDays(1))));
        assertThat(s.get("/Users", "Authorization", bearer(temp)).status()).isEqualTo(200);
    }

    @Test
    void noTokenIs401WithAPlainChallenge() {
        start();
        Resp r = s.get("/Users", "Authorization", "");
        assertScimError(r, 401);
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"SCIM\"");
    }

    @Test
    void rotationKeepsBothTokensValidUntilTheOldOneIsRevoked() {
        start();
        String id = s.post("/Users", String.format(USER, "rotated"), "Authorization", bearer(entra)).body()
                .get("id").asText();
        ScimToken.Minted next = ScimToken.mint("entra-next", Set.of(ScimScope.USERS, ScimScope.GROUPS), null);
        tokens.add(next.token());
        // both valid at once: the identity provider is moved over while requests keep flowing
        assertThat(s.get("/Users/" + id, "Authorization", bearer(entra)).status()).isEqualTo(200);
        assertThat(s.patch("/Users/" + id, PATCH_ACTIVE, "Authorization", bearer(next)).status()).isEqualTo(200);
        tokens.revoke("entra");
        assertScimError(s.get("/Users/" + id, "Authorization", bearer(entra)), 401);
        assertThat(s.get("/Users/" + id, "Authorization", bearer(next)).status()).isEqualTo(200);
        // the audit trail names the token that made each change, never the token itself
        assertThat(audit).containsExactly("USER_CREATED by entra", "USER_DEACTIVATED by entra-next");
        assertThat(String.join(",", audit)).doesNotContain(entra.secret()).doesNotContain(next.secret());
    }

    // ------------------------------------------------------------------ scopes

    @Test
    void aReadOnlyTokenReadsEverythingAndWritesNothing() {
        start();
        String user = s.createUser("alice");
        String group = s.createGroup("ops", user);
        String auth = bearer(reader);
        assertThat(s.get("/Users", "Authorization", auth).status()).isEqualTo(200);
        assertThat(s.get("/Users/" + user, "Authorization", auth).status()).isEqualTo(200);
        assertThat(s.post("/Users/.search", "{}", "Authorization", auth).status()).isEqualTo(200);
        assertThat(s.get("/Groups/" + group, "Authorization", auth).status()).isEqualTo(200);
        assertThat(s.post("/.search", "{}", "Authorization", auth).status()).isEqualTo(200);
        assertThat(s.get("/ServiceProviderConfig", "Authorization", auth).status()).isEqualTo(200);
        assertThat(s.get("/Schemas", "Authorization", auth).status()).isEqualTo(200);
        assertThat(s.get("/ResourceTypes/User", "Authorization", auth).status()).isEqualTo(200);

        Resp create = s.post("/Users", String.format(USER, "mallory"), "Authorization", auth);
        assertScimError(create, 403);
        assertThat(create.body().get("detail").asText()).contains("users scope");
        assertScimError(s.put("/Users/" + user, String.format(USER, "alice"), "Authorization", auth), 403);
        assertScimError(s.patch("/Users/" + user, PATCH_ACTIVE, "Authorization", auth), 403);
        assertScimError(s.delete("/Users/" + user, "Authorization", auth), 403);
        assertScimError(s.post("/Groups", String.format(GROUP, "evil"), "Authorization", auth), 403);
        assertScimError(s.delete("/Groups/" + group, "Authorization", auth), 403);
        assertScimError(s.post("/Bulk", j("{'schemas':['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],"
                + "'Operations':[]}"), "Authorization", auth), 403);
        // paths that are no endpoint below /Users still need the write scope for anything but reads
        assertScimError(s.delete("/Users/" + user + "%2Fx", "Authorization", auth), 403);
        assertScimError(s.delete("/Users", "Authorization", auth), 403);
        // regression: Jersey matched DELETE /Users;x=y/{id} to deleteUser while reporting a shifted matched path,
        // so a read-only token deleted a user; matrix parameters and dot segments are refused outright
        assertScimError(s.delete("/Users;x=y/" + user, "Authorization", auth), 404);
        assertScimError(s.delete("/Users;/" + user, "Authorization", auth), 404);
        assertScimError(s.delete("/Groups/../Users/" + user, "Authorization", bearer(groupsOnly)), 404);
        assertScimError(s.delete("/Groups/%2E%2E/Users/" + user, "Authorization", bearer(groupsOnly)), 404);
        assertThat(s.store.userCount()).isEqualTo(1);
        assertThat(s.store.findUserByUsername("alice").orElseThrow().active()).isTrue();
        assertThat(s.get("/Groups/" + group, "Authorization", auth).status()).isEqualTo(200);
    }

    @Test
    void scopesHoldWhenScimIsMountedBelowAHostPath() {
        s = ScimHttpServer.start(new ScimHttpServer.Options().mountedByLocator().tweak(b -> b.authenticator(
                BearerTokenAuthenticator.builder().store(tokens).clock(tokenClock).build())));
        assertThat(s.base).endsWith("/api/scim/v2");
        assertThat(s.get("/Users", "Authorization", bearer(reader)).status()).isEqualTo(200);
        assertScimError(s.post("/Users", String.format(USER, "mounted"), "Authorization", bearer(reader)), 403);
        assertScimError(s.get("/Groups", "Authorization", bearer(usersOnly)), 403);
        assertThat(s.post("/Users", String.format(USER, "mounted"), "Authorization", bearer(usersOnly)).status())
                .isEqualTo(201);
    }

    @Test
    void aUsersTokenCannotTouchGroupsAndAGroupsTokenCannotWriteUsers() {
        start();
        String group = s.createGroup("ops");
        String users = bearer(usersOnly);
        Resp created = s.post("/Users", String.format(USER, "bob"), "Authorization", users);
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String bob = created.body().get("id").asText();
        assertThat(s.patch("/Users/" + bob, PATCH_ACTIVE, "Authorization", users).status()).isEqualTo(200);
        Resp listGroups = s.get("/Groups", "Authorization", users);
        assertScimError(listGroups, 403);
        assertThat(listGroups.body().get("detail").asText()).contains("read or groups scope");
        assertScimError(s.get("/Groups/" + group, "Authorization", users), 403);
        assertScimError(s.post("/Groups", String.format(GROUP, "mine"), "Authorization", users), 403);
        assertScimError(s.patch("/Groups/" + group, j("{'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp'],"
                + "'Operations':[{'op':'add','path':'members','value':[{'value':'" + bob + "'}]}]}"),
                "Authorization", users), 403);
        assertScimError(s.delete("/Groups/" + group, "Authorization", users), 403);
        assertScimError(s.post("/.search", "{}", "Authorization", users), 403);

        String groups = bearer(groupsOnly);
        assertThat(s.post("/Groups", String.format(GROUP, "theirs"), "Authorization", groups).status()).isEqualTo(201);
        assertThat(s.get("/Groups", "Authorization", groups).status()).isEqualTo(200);
        assertScimError(s.post("/Users", String.format(USER, "carol"), "Authorization", groups), 403);
        assertScimError(s.get("/Users/" + bob, "Authorization", groups), 403);

        assertThat(s.store.findUserByUsername("carol")).isEmpty();
        assertThat(s.store.findGroupByName("mine")).isEmpty();
        assertThat(s.store.findGroupByName("ops")).isPresent();
    }

    @Test
    void aBulkRequestRunsOnlyWhenEveryOperationIsAllowed() {
        start();
        String mixed = j("{'schemas':['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],'Operations':["
                + "{'method':'POST','path':'/Users','bulkId':'u','data':{'userName':'dave'}},"
                + "{'method':'POST','path':'/Groups','bulkId':'g','data':{'displayName':'daves',"
                + "'members':[{'value':'bulkId:u'}]}}]}");
        Resp refused = s.post("/Bulk", mixed, "Authorization", bearer(usersOnly));
        assertScimError(refused, 403);
        assertThat(refused.body().get("detail").asText()).contains("Bulk operation 2").contains("groups scope");
        assertThat(s.store.findUserByUsername("dave")).as("nothing ran").isEmpty();

        String usersOnlyBulk = j("{'schemas':['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],'Operations':["
                + "{'method':'POST','path':'/Users','bulkId':'u','data':{'userName':'erin'}}]}");
        assertThat(s.post("/Bulk", usersOnlyBulk, "Authorization", bearer(usersOnly)).status()).isEqualTo(200);
        assertThat(s.store.findUserByUsername("erin")).isPresent();

        Resp both = s.post("/Bulk", mixed, "Authorization", bearer(entra));
        assertThat(both.status()).isEqualTo(200);
        assertThat(both.body().get("Operations").get(1).get("status").asText()).isEqualTo("201");
        assertThat(s.store.findGroupByName("daves")).isPresent();
    }

    // ------------------------------------------------------------------ IP allow-list

    @Test
    void anAddressOutsideTheAllowListIsRefusedBehindATrustedProxy() {
        // the test client connects from loopback: loopback plays the trusted proxy, X-Forwarded-For the clients
        start(b -> b.ipAllowList(IpAllowList.builder()
                .allow("198.51.100.0/24", "2001:db8:1::/48")
                .trustedProxies("127.0.0.0/8", "::1")
                .forwardedHeader("X-Forwarded-For")
                .peerAddress(ScimHttpServer.PEER_ADDRESS)
                .build()));
        String auth = bearer(entra);
        assertThat(s.get("/Users", "Authorization", auth, "X-Forwarded-For", "198.51.100.7").status()).isEqualTo(200);
        assertThat(s.get("/Users", "Authorization", auth, "X-Forwarded-For", "[2001:db8:1::9]:443").status())
                .isEqualTo(200);
        assertThat(s.get("/Users", "Authorization", auth, "X-Forwarded-For", "::ffff:198.51.100.7").status())
                .isEqualTo(200);
        // the real client (right-most untrusted) is allowed even if it made up an entry to its left
        assertThat(s.get("/Users", "Authorization", auth, "X-Forwarded-For", "203.0.113.9, 198.51.100.7").status())
                .isEqualTo(200);

        Resp outside = s.post("/Users", String.format(USER, "intruder"), "Authorization", auth,
                "X-Forwarded-For", "203.0.113.9");
        assertScimError(outside, 403);
        assertThat(outside.raw()).doesNotContain("203.0.113.9");
        // a client outside cannot pass by writing an allowed address to the left of its own
        assertScimError(s.get("/Users", "Authorization", auth, "X-Forwarded-For", "198.51.100.7, 203.0.113.9"), 403);
        // the proxy's own request (loopback, no header) is not in the list
        assertScimError(s.get("/Users", "Authorization", auth), 403);
        assertScimError(s.get("/Users", "Authorization", auth, "X-Forwarded-For", "unknown"), 403);
        // refused before the token is looked at: no token, still 403 (not 401)
        assertScimError(s.get("/Users", "Authorization", "", "X-Forwarded-For", "203.0.113.9"), 403);
        // an allowed client still needs a valid token
        assertScimError(s.get("/Users", "Authorization", "Bearer nope-0123456789abcdef", "X-Forwarded-For",
                "198.51.100.7"), 401);
        assertThat(s.store.findUserByUsername("intruder")).isEmpty();
        // HEAD runs the GET handler, checks included
        assertThat(s.send("HEAD", "/Users", null, "Authorization", auth, "X-Forwarded-For", "203.0.113.9").status())
                .isEqualTo(403);
    }

    @Test
    void withoutTrustedProxiesTheForwardedHeaderIsIgnored() {
        start(b -> b.ipAllowList(IpAllowList.builder().allow("198.51.100.0/24")
                .peerAddress(ScimHttpServer.PEER_ADDRESS).build()));
        assertScimError(s.get("/Users", "Authorization", bearer(entra), "X-Forwarded-For", "198.51.100.7"), 403);
    }

    @Test
    void aDirectClientInTheAllowListIsServed() {
        start(b -> b.ipAllowList(IpAllowList.builder().allow("127.0.0.0/8", "::1")
                .peerAddress(ScimHttpServer.PEER_ADDRESS).build()));
        assertThat(s.get("/Users", "Authorization", bearer(entra)).status()).isEqualTo(200);
    }

    @Test
    void aPeerAddressSourceThatFailsRefusesRatherThanAllows() {
        start(b -> b.ipAllowList(IpAllowList.builder().allow("0.0.0.0/0", "::/0")
                .peerAddress(() -> {
                    throw new IllegalStateException("no request bound");
                }).build()));
        assertScimError(s.get("/Users", "Authorization", bearer(entra)), 403);
    }

    // ------------------------------------------------------------------ rate limit

    @Test
    void aClientOverItsRateGets429WithRetryAfterAndOthersAreUnaffected() {
        // 3 at once, then one every 2 seconds; the server's clock is the harness's ManualClock
        start(b -> b.rateLimit(RateLimit.of(3, 1, Duration.ofSeconds(2))));
        String greedy = bearer(entra);
        for (int i = 0; i < 3; i++) {
            assertThat(s.get("/Users", "Authorization", greedy).status()).isEqualTo(200);
        }
        Resp limited = s.post("/Users", String.format(USER, "flood"), "Authorization", greedy);
        assertScimError(limited, 429);
        assertThat(limited.header("Retry-After")).isEqualTo("2");
        assertThat(limited.body().get("detail").asText()).contains("retry after 2 seconds");
        assertThat(s.store.findUserByUsername("flood")).as("a refused request is not run").isEmpty();

        // another token has its own bucket
        for (int i = 0; i < 3; i++) {
            assertThat(s.get("/Users", "Authorization", bearer(reader)).status()).isEqualTo(200);
        }

        s.clock.advance(Duration.ofMillis(1500));
        assertThat(s.get("/Users", "Authorization", greedy).header("Retry-After")).as("0.5 s, rounded up")
                .isEqualTo("1");
        s.clock.advance(Duration.ofMillis(500));
        assertThat(s.post("/Users", String.format(USER, "flood"), "Authorization", greedy).status()).isEqualTo(201);
        assertScimError(s.get("/Users", "Authorization", greedy), 429);
        // refused logins do not reach a bucket
        assertScimError(s.get("/Users", "Authorization", "Bearer nope-0123456789abcdef"), 401);
    }
}
