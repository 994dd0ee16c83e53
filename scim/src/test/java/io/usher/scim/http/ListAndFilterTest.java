package io.usher.scim.http;

import static io.usher.scim.http.ScimHttpServer.j;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.usher.scim.http.ScimHttpServer.Resp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lists and searches: filters (pushed down or evaluated), projection, sorting, paging. */
class ListAndFilterTest {
    private final ScimHttpServer s = ScimHttpServer.start(new ScimHttpServer.Options()
            .tweak(b -> b.maxSortedResults(50).maxFilterCandidates(30)));

    @AfterEach
    void stop() {
        s.close();
    }

    @BeforeEach
    void users() {
        for (int i = 1; i <= 12; i++) {
            String name = String.format("user%02d", i);
            Resp r = s.post("/Users", j("{'userName':'" + name + "','externalId':'EXT-" + i + "','displayName':'User "
                    + (13 - i) + "','title':'" + (i % 2 == 0 ? "Engineer" : "Manager") + "','active':" + (i != 3)
                    + ",'emails':[{'value':'" + name + "@corp.example','type':'work','primary':true}],"
                    + "'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User':{'department':'D" + (i % 3) + "'}}"));
            assertThat(r.status()).as(r.raw()).isEqualTo(201);
        }
    }

    static String q(String filter) {
        return URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static List<String> userNames(Resp r) {
        List<String> out = new ArrayList<>();
        r.body().get("Resources").forEach(u -> out.add(u.path("userName").asText()));
        return out;
    }

    @Test
    void equalityFiltersArePushedDownAndStillExact() {
        assertThat(userNames(s.get("/Users?filter=" + q("userName eq \"USER05\"")))).containsExactly("user05");
        assertThat(userNames(s.get("/Users?filter=" + q("externalId eq \"EXT-7\"")))).containsExactly("user07");
        // externalId is caseExact: the store's case-insensitive index is checked again
        assertThat(s.get("/Users?filter=" + q("externalId eq \"ext-7\"")).body().get("totalResults").asInt()).isZero();
        assertThat(userNames(s.get("/Users?filter=" + q("displayName eq \"user 1\"")))).containsExactly("user12");
        String id = s.get("/Users?filter=" + q("userName eq \"user02\"")).body().at("/Resources/0/id").asText();
        assertThat(userNames(s.get("/Users?filter=" + q("id eq \"" + id + "\"")))).containsExactly("user02");
        assertThat(userNames(s.get("/Users?filter=" + q("userName eq \"user02\" and active eq false")))).isEmpty();
        assertThat(userNames(s.get("/Users?filter=" + q("userName eq \"user03\" and active eq false"))))
                .containsExactly("user03");
    }

    @Test
    void aFilterForAUserThatDoesNotExistIsAnEmptyListNotA404() {
        Resp r = s.get("/Users?filter=" + q("userName eq \"5e2f1a0c-9d4b-4c1a-8f7e-2b6d3c4a5e6f@example.com\""));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("totalResults").isIntegralNumber()).isTrue();
        assertThat(r.body().get("totalResults").asInt()).isZero();
        assertThat(r.body().get("Resources")).isEmpty();
        assertThat(r.body().get("schemas").get(0).asText()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:ListResponse");
    }

    @Test
    void otherFiltersAreEvaluatedOnTheCandidates() {
        assertThat(userNames(s.get("/Users?filter=" + q("title eq \"Manager\" and active eq true"))))
                .containsExactly("user01", "user05", "user07", "user09", "user11");
        assertThat(userNames(s.get("/Users?filter=" + q("emails[type eq \"work\" and value co \"user1\"]"))))
                .containsExactly("user10", "user11", "user12");
        assertThat(userNames(s.get("/Users?filter=" + q("emails[type eq \"work\"].value eq \"user04@corp.example\""))))
                .containsExactly("user04");
        assertThat(userNames(s.get("/Users?filter=" + q(
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"D0\" and not (userName sw \"user1\")"))))
                .containsExactly("user03", "user06", "user09");
        assertThat(userNames(s.get("/Users?filter=" + q("userName ew \"1\" or userName eq \"user02\""))))
                .containsExactly("user01", "user02", "user11");
        assertThat(userNames(s.get("/Users?filter=" + q("meta.created ge \"2026-01-01T00:00:00Z\"")))).hasSize(12);
        assertThat(userNames(s.get("/Users?filter=" + q("nickName pr")))).isEmpty();
    }

    @Test
    void badFiltersAre400InvalidFilterNamingThePosition() {
        Resp r = s.get("/Users?filter=" + q("userName eq"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().get("scimType").asText()).isEqualTo("invalidFilter");
        assertThat(s.get("/Users?filter=" + q("userName xx \"a\"")).body().get("scimType").asText()).isEqualTo("invalidFilter");
        assertThat(s.get("/Users?filter=" + q("active gt true")).body().get("scimType").asText()).isEqualTo("invalidFilter");
        assertThat(s.get("/Users?filter=" + q("userName eq \"" + "a".repeat(5000) + "\"")).status()).isEqualTo(400);
    }

    @Test
    void pagingIsStableWithIntegerTotals() {
        Resp p1 = s.get("/Users?startIndex=1&count=5");
        Resp p2 = s.get("/Users?startIndex=6&count=5");
        Resp p3 = s.get("/Users?startIndex=11&count=5");
        assertThat(p1.body().get("totalResults").asInt()).isEqualTo(12);
        assertThat(p1.body().get("itemsPerPage").asInt()).isEqualTo(5);
        assertThat(p3.body().get("itemsPerPage").asInt()).isEqualTo(2);
        List<String> all = new ArrayList<>(userNames(p1));
        all.addAll(userNames(p2));
        all.addAll(userNames(p3));
        assertThat(all).doesNotHaveDuplicates().hasSize(12);
        assertThat(userNames(s.get("/Users?startIndex=1&count=5"))).isEqualTo(userNames(p1));
        // count=0: only the total; startIndex below 1 is 1; Okta's empty startIndex= is 1
        Resp none = s.get("/Users?count=0");
        assertThat(none.body().get("totalResults").asInt()).isEqualTo(12);
        assertThat(none.body().get("Resources")).isEmpty();
        assertThat(s.get("/Users?startIndex=-4&count=2").body().get("startIndex").asInt()).isEqualTo(1);
        assertThat(userNames(s.get("/Users?count=100&startIndex="))).hasSize(12);
        assertThat(s.get("/Users?count=x").body().get("scimType").asText()).isEqualTo("invalidValue");
    }

    @Test
    void sortByAndSortOrder() {
        assertThat(userNames(s.get("/Users?sortBy=displayName&count=3")))
                .containsExactly("user12", "user03", "user02"); // "User 1", "User 10", "User 11"
        assertThat(userNames(s.get("/Users?sortBy=userName&sortOrder=descending&count=2")))
                .containsExactly("user12", "user11");
        assertThat(userNames(s.get("/Users?sortBy=emails&count=1"))).containsExactly("user01");
        assertThat(s.get("/Users?sortBy=userName&sortOrder=sideways").status()).isEqualTo(400);
    }

    @Test
    void sortingMoreThanTheBoundIs400TooMany() {
        for (int i = 0; i < 40; i++) {
            s.createUser("more" + i);
        }
        Resp r = s.get("/Users?sortBy=userName");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().get("scimType").asText()).isEqualTo("tooMany");
        assertThat(s.get("/Users?sortBy=userName&filter=" + q("userName eq \"more1\"")).status()).isEqualTo(200);
    }

    @Test
    void aFilterTheStoreCannotAnswerExaminesABoundedCandidateSet() {
        assertThat(s.get("/Users?filter=" + q("title eq \"Manager\"")).status()).isEqualTo(200);
        for (int i = 0; i < 20; i++) {
            s.createUser("bulk" + i);
        }
        Resp r = s.get("/Users?filter=" + q("title eq \"Manager\""));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().get("scimType").asText()).isEqualTo("tooMany");
        // a pushable term keeps the candidates few, whatever the rest of the filter
        assertThat(userNames(s.get("/Users?filter=" + q("userName eq \"user01\" and title eq \"Manager\""))))
                .containsExactly("user01");
        assertThat(s.get("/Users?count=5").status()).isEqualTo(200); // no filter: only the page is rendered
    }

    @Test
    void attributesAndExcludedAttributesProject() {
        JsonNode u = s.get("/Users?filter=" + q("userName eq \"user01\"") + "&attributes=userName,name.givenName,"
                + "emails.value,urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department")
                .body().at("/Resources/0");
        assertThat(u.has("id")).isTrue();
        assertThat(u.has("schemas")).isTrue();
        assertThat(u.get("userName").asText()).isEqualTo("user01");
        assertThat(u.has("displayName")).isFalse();
        assertThat(u.has("meta")).isFalse();
        assertThat(u.at("/emails/0/value").asText()).isEqualTo("user01@corp.example");
        assertThat(u.at("/emails/0").has("type")).isFalse();
        assertThat(u.at("/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User/department").asText()).isEqualTo("D1");

        JsonNode e = s.get("/Users?filter=" + q("userName eq \"user01\"") + "&excludedAttributes=emails,title,id")
                .body().at("/Resources/0");
        assertThat(e.has("emails")).isFalse();
        assertThat(e.has("title")).isFalse();
        assertThat(e.has("id")).isTrue(); // always returned
        assertThat(e.has("displayName")).isTrue();

        String id = e.get("id").asText();
        JsonNode one = s.get("/Users/" + id + "?attributes=displayName").body();
        assertThat(one.fieldNames()).toIterable().containsExactlyInAnyOrder("schemas", "id", "displayName");
        assertThat(s.get("/Users?attributes=bad%20path").body().get("scimType").asText()).isEqualTo("invalidPath");
    }

    @Test
    void searchWithPostGivesTheSameAnswerAsGet() {
        Resp r = s.post("/Users/.search", j("{'schemas':['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],"
                + "'attributes':['userName'],'filter':'title eq \\\"Engineer\\\"','sortBy':'userName',"
                + "'sortOrder':'descending','startIndex':1,'count':2}"));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().get("totalResults").asInt()).isEqualTo(6);
        assertThat(userNames(r)).containsExactly("user12", "user10");
        assertThat(r.body().at("/Resources/0").has("title")).isFalse();

        s.createGroup("Engineers");
        Resp root = s.post("/.search", j("{'schemas':['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],"
                + "'filter':'displayName sw \\\"Eng\\\" or userName eq \\\"user01\\\"'}"));
        assertThat(root.status()).as(root.raw()).isEqualTo(200);
        assertThat(root.body().get("totalResults").asInt()).isEqualTo(2);
        assertThat(root.body().at("/Resources/0/userName").asText()).isEqualTo("user01");
        assertThat(root.body().at("/Resources/1/displayName").asText()).isEqualTo("Engineers");
        assertThat(s.post("/Users/.search", j("{'schemas':['urn:wrong'],'filter':'userName pr'}")).status()).isEqualTo(400);
    }
}
