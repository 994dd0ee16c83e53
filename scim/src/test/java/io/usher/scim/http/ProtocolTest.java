package io.usher.scim.http;

import static io.usher.scim.http.ScimHttpServer.j;
import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.Change;
import io.usher.core.SyncListener;
import io.usher.scim.ScimCaller;
import io.usher.scim.http.ScimHttpServer.Resp;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Authentication, content types, size limits, malformed bodies, unknown paths, discovery endpoints. */
class ProtocolTest {
    private final ScimHttpServer s = ScimHttpServer.start(new ScimHttpServer.Options()
            .tweak(b -> b.maxPayloadBytes(4096)));

    @AfterEach
    void stop() {
        s.close();
    }

    private static void assertScimError(Resp r, int status, String scimType) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/scim+json");
        assertThat(r.body().get("schemas").get(0).asText()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
        assertThat(r.body().get("status").isTextual()).isTrue();
        assertThat(r.body().get("status").asText()).isEqualTo(Integer.toString(status));
        if (scimType == null) {
            assertThat(r.body().has("scimType")).isFalse();
        } else {
            assertThat(r.body().get("scimType").asText()).isEqualTo(scimType);
        }
        assertThat(r.raw()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void missingOrWrongTokenIs401WithAScimErrorBody() {
        Resp none = s.get("/Users", "Authorization", "");
        assertScimError(none, 401, null);
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        assertScimError(s.get("/Users", "Authorization", "Bearer wrong-token-0123456789"), 401, null);
        assertScimError(s.get("/Users", "Authorization", "Basic dXNlcjpwYXNz"), 401, null);
        assertScimError(s.post("/Users", j("{'userName':'x'}"), "Authorization", "Bearer nope"), 401, null);
        assertThat(s.store.userCount()).isZero();
    }

    @Test
    void everyConfiguredTokenWorksSoATokenCanBeRotated() {
        assertThat(s.get("/Users", "Authorization", "Bearer " + ScimHttpServer.TOKEN).status()).isEqualTo(200);
        assertThat(s.get("/Users", "Authorization", "Bearer " + ScimHttpServer.OLD_TOKEN).status()).isEqualTo(200);
        assertThat(s.get("/Users", "Authorization", "bearer " + ScimHttpServer.OLD_TOKEN).status()).isEqualTo(200);
    }

    @Test
    void theTokenIdNotTheTokenIsAvailableToAuditListeners() {
        List<String> seen = new CopyOnWriteArrayList<>();
        // the engine's listeners run on the request thread: they see the caller
        try (ScimHttpServer audited = ScimHttpServer.startWithListener(new SyncListener() {
            @Override
            public void onChange(String runId, Change change) {
                ScimCaller c = ScimCaller.current();
                seen.add(change.kind() + " by " + (c == null ? "nobody" : c.id()));
            }
        })) {
            audited.post("/Users", j("{'userName':'audited'}"), "Authorization", "Bearer " + ScimHttpServer.OLD_TOKEN);
        }
        assertThat(seen).containsExactly("USER_CREATED by previous");
        assertThat(String.join(",", seen)).doesNotContain(ScimHttpServer.OLD_TOKEN);
    }

    @Test
    void malformedJsonIs400InvalidSyntax() {
        assertScimError(s.post("/Users", "{\"userName\": "), 400, "invalidSyntax");
        assertScimError(s.post("/Users", "not json"), 400, "invalidSyntax");
        assertScimError(s.post("/Users", "[1,2]"), 400, "invalidSyntax");
        assertScimError(s.post("/Users", ""), 400, "invalidSyntax");
        assertScimError(s.post("/Users", "{\"userName\":\"a\",\"userName\":\"b\"}"), 400, "invalidSyntax");
        assertScimError(s.post("/Users", "{\"userName\":\"a\"} trailing"), 400, "invalidSyntax");
        assertScimError(s.post("/Users", "[".repeat(200)), 400, "invalidSyntax");
        Resp pos = s.post("/Users", "{\n\"userName\": tru\n}");
        assertThat(pos.body().get("detail").asText()).contains("line 2");
    }

    @Test
    void applicationJsonIsAcceptedAndOtherContentTypesAre415() {
        assertThat(s.post("/Users", j("{'userName':'json'}"), "Content-Type", "application/json; charset=utf-8")
                .status()).isEqualTo(201);
        assertScimError(s.post("/Users", j("{'userName':'xml'}"), "Content-Type", "application/xml"), 415, null);
        assertScimError(s.post("/Users", j("{'userName':'txt'}"), "Content-Type", "text/plain"), 415, null);
    }

    @Test
    void aClientThatAcceptsOnlyApplicationJsonGetsIt() {
        Resp r = s.get("/Users", "Accept", "application/json");
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(s.get("/Users", "Accept", "application/scim+json").header("Content-Type"))
                .startsWith("application/scim+json");
    }

    @Test
    void aBodyOverTheLimitIs413AndNothingIsStored() {
        String big = j("{'userName':'big','displayName':'" + "x".repeat(5000) + "'}");
        assertScimError(s.post("/Users", big), 413, null);
        assertThat(s.store.userCount()).isZero();
    }

    @Test
    void unknownPathsAre404AndUnsupportedMethodsAre405() {
        assertScimError(s.get("/Nope"), 404, null);
        assertScimError(s.get("/Users/a/b"), 404, null);
        assertScimError(s.delete("/Users"), 405, null);
        assertScimError(s.put("/ServiceProviderConfig", "{}"), 405, null);
    }

    @Test
    void serviceProviderConfigTellsTheTruth() {
        Resp r = s.get("/ServiceProviderConfig");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().at("/patch/supported").asBoolean()).isTrue();
        assertThat(r.body().at("/bulk/supported").asBoolean()).isTrue();
        assertThat(r.body().at("/bulk/maxPayloadSize").asLong()).isEqualTo(4096);
        assertThat(r.body().at("/bulk/maxOperations").asInt()).isEqualTo(1000);
        assertThat(r.body().at("/filter/maxResults").asInt()).isEqualTo(1000);
        assertThat(r.body().at("/changePassword/supported").asBoolean()).isFalse();
        assertThat(r.body().at("/etag/supported").asBoolean()).isTrue();
        assertThat(r.body().at("/sort/supported").asBoolean()).isTrue();
        assertThat(r.body().at("/authenticationSchemes/0/type").asText()).isEqualTo("oauthbearertoken");
    }

    @Test
    void resourceTypesAndSchemasAreServed() {
        Resp types = s.get("/ResourceTypes");
        assertThat(types.body().get("totalResults").asInt()).isEqualTo(2);
        assertThat(types.body().at("/Resources/0/endpoint").asText()).isEqualTo("/Users");
        assertThat(types.body().at("/Resources/0/schemaExtensions/0/schema").asText())
                .isEqualTo("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
        assertThat(s.get("/ResourceTypes/Group").body().get("endpoint").asText()).isEqualTo("/Groups");
        assertScimError(s.get("/ResourceTypes/Printer"), 404, null);

        Resp schemas = s.get("/Schemas");
        assertThat(schemas.body().get("totalResults").asInt()).isEqualTo(3);
        Resp user = s.get("/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");
        assertThat(user.status()).isEqualTo(200);
        assertThat(user.body().get("id").asText()).isEqualTo("urn:ietf:params:scim:schemas:core:2.0:User");
        assertThat(user.body().at("/meta/location").asText())
                .isEqualTo(s.base + "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");
        assertScimError(s.get("/Schemas/urn:nope"), 404, null);
    }

    @Test
    void mountedBelowAHostPathByASubResourceLocatorTheLocationsNameThatPath() {
        try (ScimHttpServer hosted = ScimHttpServer.start(new ScimHttpServer.Options().mountedByLocator())) {
            Resp r = hosted.post("/Users", j("{'userName':'located'}"));
            assertThat(r.status()).as(r.raw()).isEqualTo(201);
            assertThat(hosted.base).endsWith("/app/api/scim/v2");
            assertThat(r.header("Location")).isEqualTo(hosted.base + "/Users/" + r.body().get("id").asText());
            assertThat(hosted.get("/Users/" + r.body().get("id").asText()).status()).isEqualTo(200);
            assertScimError(hosted.get("/Nope"), 404, null);
        }
    }

    @Test
    void aFailingStoreIs503WithoutItsErrorAndAClientMistakeStays4xx() {
        try (ScimHttpServer broken = ScimHttpServer.start(new ScimHttpServer.Options().counting())) {
            String id = broken.createUser("before");
            ((CountingStore) broken.engineStore).failWrites = true;
            Resp create = broken.post("/Users", j("{'userName':'during'}"));
            assertScimError(create, 503, null);
            assertThat(create.raw()).doesNotContain("jdbc").doesNotContain("refused");
            assertScimError(broken.put("/Users/" + id, j("{'userName':'before','displayName':'x'}")), 503, null);
            assertScimError(broken.post("/Users", "{bad json"), 400, "invalidSyntax");
            ((CountingStore) broken.engineStore).failWrites = false;
            assertThat(broken.post("/Users", j("{'userName':'during'}")).status()).isEqualTo(201);
        }
    }
}
