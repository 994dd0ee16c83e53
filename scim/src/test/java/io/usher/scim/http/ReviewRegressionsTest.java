package io.usher.scim.http;

import static io.usher.scim.http.ScimHttpServer.j;
import static org.assertj.core.api.Assertions.assertThat;

import io.usher.scim.http.ScimHttpServer.Resp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Defects found by a security review of the SCIM endpoints over HTTP, each named after what broke. */
class ReviewRegressionsTest {
    private final ScimHttpServer s = ScimHttpServer.start();

    @AfterEach
    void stop() {
        s.close();
    }

    private static String paths(int n) {
        StringBuilder a = new StringBuilder();
        for (int i = 0; i < n; i++) {
            a.append(i == 0 ? "" : ",").append("attr").append(i);
        }
        return a.toString();
    }

    /**
     * Every attribute path is applied to every resource of the page: 60,000 paths in a 1 MiB search body cost
     * seconds of CPU per request (measured 4.5 s for a page of 1,000 users). Now at most 200 distinct paths.
     */
    @Test
    void aProjectionNamingThousandsOfPathsIs400InsteadOfSecondsOfWork() {
        s.createUser("proj-user");
        Resp search = s.post("/Users/.search", "{\"attributes\":\"" + paths(10_000) + "\",\"count\":1000}");
        assertThat(search.status()).as(search.raw()).isEqualTo(400);
        assertThat(search.body().get("scimType").asText()).isEqualTo("invalidValue");
        assertThat(search.body().get("detail").asText()).contains("200");
        Resp excluded = s.get("/Users?excludedAttributes=" + paths(201));
        assertThat(excluded.status()).as(excluded.raw()).isEqualTo(400);
        Resp one = s.get("/Users?attributes=userName");
        assertThat(one.status()).isEqualTo(200);
        // repeats are not counted: the same path 1,000 times is one path
        Resp repeated = s.get("/Users?attributes=" + "userName,".repeat(1000) + paths(199));
        assertThat(repeated.status()).as(repeated.raw()).isEqualTo(200);
        assertThat(repeated.body().at("/Resources/0/userName").asText()).isEqualTo("proj-user");
        assertThat(repeated.body().at("/Resources/0").has("emails")).isFalse();
    }

    /**
     * A JSON escape can spell a lone surrogate ({@code "\ud800"}): it was stored as a userName and served back in
     * every list, where strict JSON parsers refuse the whole response (and a UTF-8 store turns it into '?', so two
     * such names collide). Now a 400 naming where, and nothing stored.
     */
    @Test
    void textThatIsNotUnicodeIs400AndNothingIsStored() {
        for (String body : new String[] {
                "{\"userName\":\"lone\\ud800\"}",
                "{\"userName\":\"low\\udc00first\"}",
                "{\"userName\":\"ok\",\"emails\":[{\"value\":\"x@y\",\"display\":\"\\udbff\"}]}"}) {
            Resp r = s.post("/Users", body);
            assertThat(r.status()).as(body + " -> " + r.raw()).isEqualTo(400);
            assertThat(r.body().get("scimType").asText()).isEqualTo("invalidValue");
            assertThat(r.body().get("detail").asText()).contains("Unicode");
        }
        // (in a field name Jackson already refuses it: malformed JSON)
        assertThat(s.post("/Users", "{\"userName\":\"ok2\",\"\\ud800\":\"field name\"}").status()).isEqualTo(400);
        Resp r = s.post("/Users", "{\"userName\":\"x\",\"emails\":[{\"value\":\"x@y\",\"display\":\"\\udbff\"}]}");
        assertThat(r.body().get("detail").asText()).contains("'/emails/0/display'");
        assertThat(s.store.userCount()).isZero();
        // a pair is fine: an emoji
        Resp emoji = s.post("/Users", "{\"userName\":\"smile\\ud83d\\ude00\"}");
        assertThat(emoji.status()).as(emoji.raw()).isEqualTo(201);
        assertThat(emoji.body().get("userName").asText()).isEqualTo("smile\uD83D\uDE00");
        String g = s.createGroup("g1");
        Resp patch = s.patch("/Groups/" + g, PatchTest.patch("{'op':'replace','path':'displayName','value':'\\udfff'}"));
        assertThat(patch.status()).as(patch.raw()).isEqualTo(400);
        assertThat(s.get("/Groups/" + g).body().get("displayName").asText()).isEqualTo("g1");
        Resp bulk = s.post("/Bulk", j("{'Operations':[{'method':'POST','path':'/Users','bulkId':'a','data':"
                + "{'userName':'b\\ud800'}}]}"));
        assertThat(bulk.status()).as(bulk.raw()).isEqualTo(400);
        assertThat(s.store.userCount()).isEqualTo(1);
    }

    /**
     * {@code urn:a:b::userName}: the path's last colon leaves a schema ending in ':', which the parser passed on
     * and {@code AttributePath} refused with an IllegalArgumentException: a 500 for a client's typo, in filters
     * and in PATCH paths (found by {@code FilterRoundTripProperties}). Now a 400 naming the column.
     */
    @Test
    void aSchemaUrnEndingInAColonIs400NotA500() {
        String u = s.createUser("urn-user");
        for (String filter : new String[] {"urn:a:b::userName eq \"x\"", "urn:x::userName pr",
                "emails[urn:a::value eq \"x\"]", "urn:ietf:params:scim:schemas:core:2.0:User::userName pr"}) {
            Resp r = s.get("/Users?filter=" + ListAndFilterTest.q(filter));
            assertThat(r.status()).as(filter + " -> " + r.raw()).isEqualTo(400);
            assertThat(r.body().get("scimType").asText()).isEqualTo("invalidFilter");
            assertThat(r.body().get("detail").asText()).contains("column");
        }
        Resp patch = s.patch("/Users/" + u, PatchTest.patch("{'op':'replace','path':'urn:a:b::displayName','value':'x'}"));
        assertThat(patch.status()).as(patch.raw()).isEqualTo(400);
        assertThat(patch.body().get("scimType").asText()).isEqualTo("invalidPath");
    }
}
