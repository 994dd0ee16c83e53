package io.usher.scim.http;

import static io.usher.scim.http.ScimHttpServer.j;
import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.scim.http.ScimHttpServer.Resp;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** /Users over HTTP: create, read, replace, delete, versions, and what is stored in the host. */
class UsersEndpointTest {
    private final ScimHttpServer s = ScimHttpServer.start();

    @AfterEach
    void stop() {
        s.close();
    }

    static final String BJENSEN = j("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:User',"
            + "'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],"
            + "'externalId':'701984','userName':'bjensen@example.com',"
            + "'name':{'formatted':'Ms. Barbara J Jensen, III','familyName':'Jensen','givenName':'Barbara',"
            + "'middleName':'Jane','honorificPrefix':'Ms.','honorificSuffix':'III'},"
            + "'displayName':'Babs Jensen','nickName':'Babs','title':'Tour Guide','userType':'Employee',"
            + "'preferredLanguage':'en-US','locale':'en-US','timezone':'America/Los_Angeles','active':true,"
            + "'password':'t1meMa$heen',"
            + "'emails':[{'value':'bjensen@example.com','type':'work','primary':true},"
            + "{'value':'babs@jensen.org','type':'home'}],"
            + "'phoneNumbers':[{'value':'555-555-5555','type':'work'},{'value':'555-555-4444','type':'mobile'}],"
            + "'addresses':[{'type':'work','streetAddress':'100 Universal City Plaza','locality':'Hollywood',"
            + "'region':'CA','postalCode':'91608','country':'USA','formatted':'100 Universal City Plaza','primary':true}],"
            + "'roles':[{'value':'tour-guide','primary':true}],"
            + "'groups':[],"
            + "'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User':{'employeeNumber':'701984',"
            + "'costCenter':'4130','organization':'Universal Studios','division':'Theme Park','department':'Tour Operations'}}");

    @Test
    void createReturns201WithIdMetaLocationAndEtagAndKeepsEveryAttribute() {
        Resp r = s.post("/Users", BJENSEN);

        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        assertThat(r.header("Content-Type")).startsWith("application/scim+json");
        String id = r.body().get("id").asText();
        assertThat(r.header("Location")).isEqualTo(s.base + "/Users/" + id);
        assertThat(r.header("ETag")).isEqualTo("W/\"1\"");
        assertThat(r.body().at("/meta/location").asText()).isEqualTo(s.base + "/Users/" + id);
        assertThat(r.body().at("/meta/version").asText()).isEqualTo("W/\"1\"");
        assertThat(r.body().at("/meta/created").asText()).isEqualTo("2026-11-29T08:00:00Z");
        assertThat(r.body().at("/meta/resourceType").asText()).isEqualTo("User");
        assertThat(r.body().get("userName").asText()).isEqualTo("bjensen@example.com");
        assertThat(r.body().get("externalId").asText()).isEqualTo("701984");
        assertThat(r.body().at("/name/middleName").asText()).isEqualTo("Jane");
        assertThat(r.body().at("/name/givenName").asText()).isEqualTo("Barbara");
        assertThat(r.body().get("title").asText()).isEqualTo("Tour Guide");
        assertThat(r.body().at("/emails/0/value").asText()).isEqualTo("bjensen@example.com");
        assertThat(r.body().at("/emails/0/primary").asBoolean()).isTrue();
        assertThat(r.body().at("/emails/1/type").asText()).isEqualTo("home");
        assertThat(r.body().at("/phoneNumbers/1/type").asText()).isEqualTo("mobile");
        assertThat(r.body().at("/addresses/0/locality").asText()).isEqualTo("Hollywood");
        assertThat(r.body().at("/roles/0/value").asText()).isEqualTo("tour-guide");
        assertThat(r.body().at("/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User/department").asText())
                .isEqualTo("Tour Operations");
        assertThat(r.body().has("password")).isFalse();
        assertThat(r.raw()).doesNotContain("t1meMa$heen");

        User stored = s.store.findUserByOrigin(Origin.of("scim", id)).orElseThrow();
        assertThat(stored.username()).isEqualTo("bjensen@example.com");
        assertThat(stored.givenName()).isEqualTo("Barbara");
        assertThat(stored.emails()).containsExactly("bjensen@example.com", "babs@jensen.org");
        assertThat(stored.attributes()).containsEntry("scim.externalId", java.util.List.of("701984"))
                .containsEntry("scim.enterprise.department", java.util.List.of("Tour Operations"));
        assertThat(stored.attributes().toString()).doesNotContain("t1meMa$heen").doesNotContain("password");
    }

    @Test
    void getByIdReturnsTheUserAndUnknownIdIsA404ScimError() {
        String id = s.post("/Users", BJENSEN).body().get("id").asText();

        Resp r = s.get("/Users/" + id);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("id").asText()).isEqualTo(id);
        assertThat(r.header("ETag")).isEqualTo("W/\"1\"");

        Resp missing = s.get("/Users/no-such-id");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body().get("schemas").get(0).asText())
                .isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
        assertThat(missing.body().get("status").isTextual()).isTrue();
        assertThat(missing.body().get("status").asText()).isEqualTo("404");
    }

    @Test
    void duplicateUserNameIs409UniquenessIgnoringCase() {
        s.createUser("jdoe");
        Resp r = s.post("/Users", j("{'userName':'JDOE'}"));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.body().get("scimType").asText()).isEqualTo("uniqueness");
        assertThat(r.body().get("status").asText()).isEqualTo("409");
    }

    @Test
    void putReplacesTheUserAndRaisesTheVersion() {
        String id = s.createUser("jdoe");
        s.clock.advance(Duration.ofMinutes(5));

        Resp r = s.put("/Users/" + id, j("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:User'],"
                + "'userName':'jdoe','displayName':'John Doe','active':false}"));

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.header("ETag")).isEqualTo("W/\"2\"");
        assertThat(r.body().get("displayName").asText()).isEqualTo("John Doe");
        assertThat(r.body().get("active").asBoolean()).isFalse();
        assertThat(r.body().has("emails")).isFalse(); // replaced: not given, so cleared
        assertThat(r.body().at("/meta/lastModified").asText()).isEqualTo("2026-11-29T08:05:00Z");
        assertThat(r.body().at("/meta/created").asText()).isEqualTo("2026-11-29T08:00:00Z");
        User stored = s.store.findUserByOrigin(Origin.of("scim", id)).orElseThrow();
        assertThat(stored.active()).isFalse();
        assertThat(stored.emails()).isEmpty();
    }

    @Test
    void putWithoutChangesKeepsTheVersion() {
        String id = s.createUser("same");
        Resp first = s.get("/Users/" + id);
        Resp r = s.put("/Users/" + id, first.body().toString());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("ETag")).isEqualTo(first.header("ETag"));
    }

    @Test
    void ifMatchWithAStaleVersionIs412AndChangesNothing() {
        String id = s.createUser("jdoe");
        s.put("/Users/" + id, j("{'userName':'jdoe','displayName':'v2'}"));

        Resp r = s.put("/Users/" + id, j("{'userName':'jdoe','displayName':'v3'}"), "If-Match", "W/\"1\"");
        assertThat(r.status()).isEqualTo(412);
        assertThat(s.get("/Users/" + id).body().get("displayName").asText()).isEqualTo("v2");

        Resp ok = s.put("/Users/" + id, j("{'userName':'jdoe','displayName':'v3'}"), "If-Match", "W/\"2\"");
        assertThat(ok.status()).isEqualTo(200);
        Resp stale = s.delete("/Users/" + id, "If-Match", "W/\"2\"");
        assertThat(stale.status()).isEqualTo(412);
    }

    @Test
    void ifNoneMatchWithTheCurrentVersionIs304() {
        String id = s.createUser("jdoe");
        assertThat(s.get("/Users/" + id, "If-None-Match", "W/\"1\"").status()).isEqualTo(304);
        assertThat(s.get("/Users/" + id, "If-None-Match", "W/\"0\"").status()).isEqualTo(200);
    }

    @Test
    void deleteHidesTheUserAndAKeptUserIsRevivedByALaterCreate() {
        String id = s.createUser("leaver");
        assertThat(s.delete("/Users/" + id).status()).isEqualTo(204);
        assertThat(s.get("/Users/" + id).status()).isEqualTo(404);
        assertThat(s.delete("/Users/" + id).status()).isEqualTo(404);
        // the source deactivates: the host keeps the user, inactive
        User kept = s.store.findUserByOrigin(Origin.of("scim", id)).orElseThrow();
        assertThat(kept.active()).isFalse();
        assertThat(s.get("/Users?filter=" + enc("userName eq \"leaver\"")).body().get("totalResults").asInt())
                .isZero();

        Resp again = s.post("/Users", j("{'userName':'leaver','displayName':'Back'}"));
        assertThat(again.status()).as(again.raw()).isEqualTo(201);
        assertThat(again.body().get("id").asText()).isEqualTo(id);
        assertThat(again.body().get("active").asBoolean()).isTrue();
        assertThat(s.store.findUserByOrigin(Origin.of("scim", id)).orElseThrow().key()).isEqualTo(kept.key());
    }

    @Test
    void missingUserNameIs400InvalidValue() {
        Resp r = s.post("/Users", j("{'displayName':'x'}"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().get("scimType").asText()).isEqualTo("invalidValue");
    }

    @Test
    void wrongTypesAre400InvalidValueNot500() {
        assertThat(s.post("/Users", j("{'userName':5}")).body().get("scimType").asText()).isEqualTo("invalidValue");
        assertThat(s.post("/Users", j("{'userName':'a','emails':'x'}")).status()).isEqualTo(400);
        assertThat(s.post("/Users", j("{'userName':'a','emails':[{'value':'a@b','primary':true},"
                + "{'value':'c@d','primary':true}]}")).body().get("scimType").asText()).isEqualTo("invalidValue");
        assertThat(s.post("/Users", j("{'userName':'a','active':'maybe'}")).status()).isEqualTo(400);
        assertThat(s.post("/Users", j("{'userName':'a','name':'x'}")).status()).isEqualTo(400);
        assertThat(s.post("/Users", j("{'userName':'a\\u0001b'}")).status()).isEqualTo(400);
    }

    @Test
    void attributeNamesAreCaseInsensitive() {
        Resp r = s.post("/Users", j("{'SCHEMAS':['urn:ietf:params:scim:schemas:core:2.0:User'],'UserName':'casey',"
                + "'NAME':{'GIVENNAME':'Case','familyname':'Y'},'Emails':[{'VALUE':'c@y.example','Primary':true}],"
                + "'urn:ietf:params:scim:schemas:extension:enterprise:2.0:user':{'Department':'QA'}}"));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        assertThat(r.body().get("userName").asText()).isEqualTo("casey");
        assertThat(r.body().at("/name/givenName").asText()).isEqualTo("Case");
        assertThat(r.body().at("/emails/0/value").asText()).isEqualTo("c@y.example");
        assertThat(r.body().at("/emails/0/primary").asBoolean()).isTrue();
        assertThat(r.body().at("/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User/department").asText())
                .isEqualTo("QA");
    }

    @Test
    void theSourcesUsernameTransformationsApplyAndTheScimUserNameStaysAsSent() {
        try (ScimHttpServer t = ScimHttpServer.start(new ScimHttpServer.Options().pipeline(
                io.usher.core.pipeline.Pipeline.builder().namePart()
                        .usernameCase(io.usher.core.pipeline.CaseRule.LOWER).build()))) {
            Resp r = t.post("/Users", j("{'userName':'John.Doe@Corp.example'}"));
            assertThat(r.status()).as(r.raw()).isEqualTo(201);
            assertThat(r.body().get("userName").asText()).isEqualTo("John.Doe@Corp.example");
            String id = r.body().get("id").asText();
            assertThat(t.store.findUserByOrigin(Origin.of("scim", id)).orElseThrow().username()).isEqualTo("john.doe");
            // the lookup Entra and Okta make still finds the user (pushed down through the pipeline)
            Resp found = t.get("/Users?filter=" + enc("userName eq \"John.Doe@Corp.example\""));
            assertThat(found.body().get("totalResults").asInt()).isEqualTo(1);
            assertThat(found.body().at("/Resources/0/id").asText()).isEqualTo(id);
            assertThat(t.get("/Users?filter=" + enc("userName eq \"john.doe\"")).body().get("totalResults").asInt())
                    .isZero();
        }
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
