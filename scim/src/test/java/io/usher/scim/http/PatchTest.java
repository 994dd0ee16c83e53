package io.usher.scim.http;

import static io.usher.scim.http.ScimHttpServer.j;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.scim.http.ScimHttpServer.Resp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** PATCH over HTTP: users and groups, all or nothing, member changes one at a time, concurrency. */
class PatchTest {
    private final ScimHttpServer s = ScimHttpServer.start(new ScimHttpServer.Options().counting());

    @AfterEach
    void stop() {
        s.close();
    }

    static String patch(String ops) {
        return j("{'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp'],'Operations':[" + ops + "]}");
    }

    private static Set<String> memberValues(JsonNode group) {
        Set<String> out = new HashSet<>();
        group.path("members").forEach(m -> out.add(m.get("value").asText()));
        return out;
    }

    @Test
    void userPatchAddReplaceRemoveWithPathsValueFiltersAndUrns() {
        String id = s.createUser("pu");
        Resp r = s.patch("/Users/" + id, patch(
                "{'op':'replace','path':'displayName','value':'Pat U'},"
                + "{'op':'add','path':'emails','value':[{'value':'home@pu.example','type':'home'}]},"
                + "{'op':'replace','path':'emails[type eq \\\"work\\\"].value','value':'work@pu.example'},"
                + "{'op':'add','path':'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department','value':'R&D'},"
                + "{'op':'remove','path':'name.familyName'}"));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().get("displayName").asText()).isEqualTo("Pat U");
        assertThat(r.body().at("/name").has("familyName")).isFalse();
        assertThat(r.header("ETag")).isEqualTo("W/\"2\"");
        User u = s.store.findUserByOrigin(Origin.of("scim", id)).orElseThrow();
        assertThat(u.emails()).containsExactly("work@pu.example", "home@pu.example");
        assertThat(u.familyName()).isNull();
        assertThat(u.attributes().get("scim.enterprise.department")).containsExactly("R&D");
    }

    @Test
    void aFailingOperationAppliesNone() {
        String id = s.createUser("atomic");
        Resp r = s.patch("/Users/" + id, patch("{'op':'replace','path':'displayName','value':'changed'},"
                + "{'op':'replace','path':'emails[type eq \\\"fax\\\"].value','value':'x'}"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().get("scimType").asText()).isEqualTo("noTarget");
        assertThat(s.get("/Users/" + id).body().has("displayName")).isFalse();
        assertThat(s.get("/Users/" + id).header("ETag")).isEqualTo("W/\"1\"");
    }

    @Test
    void patchErrorsCarryTheirScimType() {
        String id = s.createUser("errs");
        assertThat(s.patch("/Users/" + id, patch("{'op':'replace','path':'id','value':'x'}")).body()
                .get("scimType").asText()).isEqualTo("mutability");
        assertThat(s.patch("/Users/" + id, patch("{'op':'add','path':'groups','value':[{'value':'g'}]}")).body()
                .get("scimType").asText()).isEqualTo("mutability");
        assertThat(s.patch("/Users/" + id, patch("{'op':'replace','path':'nope','value':'x'}")).body()
                .get("scimType").asText()).isEqualTo("invalidPath");
        assertThat(s.patch("/Users/" + id, patch("{'op':'replace','path':'emails[type eq]','value':'x'}")).status())
                .isEqualTo(400);
        assertThat(s.patch("/Users/" + id, patch("{'op':'jump','path':'displayName','value':'x'}")).status())
                .isEqualTo(400);
        assertThat(s.patch("/Users/" + id, patch("{'op':'replace','path':'active','value':42}")).body()
                .get("scimType").asText()).isEqualTo("invalidValue");
        assertThat(s.patch("/Users/" + id, "{\"Operations\": 5}").status()).isEqualTo(400);
        assertThat(s.patch("/Users/missing", patch("{'op':'replace','path':'displayName','value':'x'}")).status())
                .isEqualTo(404);
        assertThat(s.patch("/Users/" + id, patch("{'op':'replace','path':'displayName','value':'x'}"),
                "If-Match", "W/\"9\"").status()).isEqualTo(412);
    }

    @Test
    void groupPatchAddsAndRemovesMembersAndAnswers204() {
        String a = s.createUser("ga");
        String b = s.createUser("gb");
        String c = s.createUser("gc");
        String g = s.createGroup("patched", a);

        Resp add = s.patch("/Groups/" + g, patch("{'op':'add','path':'members','value':[{'value':'" + b
                + "'},{'value':'" + c + "'}]}"));
        assertThat(add.status()).as(add.raw()).isEqualTo(204);
        assertThat(add.header("ETag")).isEqualTo("W/\"2\"");
        assertThat(memberValues(s.get("/Groups/" + g).body())).containsExactlyInAnyOrder(a, b, c);

        assertThat(s.patch("/Groups/" + g, patch("{'op':'remove','path':'members[value eq \\\"" + a + "\\\"]'}"))
                .status()).isEqualTo(204);
        assertThat(memberValues(s.get("/Groups/" + g).body())).containsExactlyInAnyOrder(b, c);

        Resp rename = s.patch("/Groups/" + g + "?attributes=displayName", patch(
                "{'op':'replace','value':{'id':'" + g + "','displayName':'renamed'}}"));
        assertThat(rename.status()).as(rename.raw()).isEqualTo(200);
        assertThat(rename.body().get("displayName").asText()).isEqualTo("renamed");
        assertThat(rename.body().has("members")).isFalse();

        assertThat(s.patch("/Groups/" + g, patch("{'op':'replace','path':'members','value':[{'value':'" + a + "'}]}"))
                .status()).isEqualTo(204);
        assertThat(memberValues(s.get("/Groups/" + g).body())).containsExactly(a);
        assertThat(s.patch("/Groups/" + g, patch("{'op':'remove','path':'members'}")).status()).isEqualTo(204);
        assertThat(memberValues(s.get("/Groups/" + g).body())).isEmpty();
    }

    @Test
    void aGroupPatchWithAnUnknownMemberAppliesNothing() {
        String a = s.createUser("na");
        String g = s.createGroup("strict");
        Resp r = s.patch("/Groups/" + g, patch("{'op':'replace','path':'displayName','value':'changed'},"
                + "{'op':'add','path':'members','value':[{'value':'" + a + "'},{'value':'ghost'}]}"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().get("scimType").asText()).isEqualTo("invalidValue");
        JsonNode after = s.get("/Groups/" + g).body();
        assertThat(after.get("displayName").asText()).isEqualTo("strict");
        assertThat(memberValues(after)).isEmpty();
    }

    @Test
    void aPatchThatWouldCloseACycleIs400() {
        String a = s.createGroup("ca");
        String b = s.createGroup("cb");
        assertThat(s.patch("/Groups/" + a, patch("{'op':'add','path':'members','value':[{'value':'" + b
                + "','type':'Group'}]}")).status()).isEqualTo(204);
        Resp r = s.patch("/Groups/" + b, patch("{'op':'add','path':'members','value':[{'value':'" + a + "'}]}"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().get("scimType").asText()).isEqualTo("invalidValue");
        assertThat(s.patch("/Groups/" + a, patch("{'op':'add','path':'members','value':[{'value':'" + a + "'}]}"))
                .status()).isEqualTo(400);
    }

    @Test
    void memberPatchesAndGroupReadsWithoutMembersNeverEnumerateTheMembers() {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            users.add(s.createUser("e" + i));
        }
        String g = s.createGroup("no-enum", users.subList(0, 20).toArray(new String[0]));
        long before = s.memberEnumerations();

        for (int i = 20; i < 30; i++) {
            assertThat(s.patch("/Groups/" + g, patch("{'op':'Add','path':'members','value':[{'value':'" + users.get(i)
                    + "'}]}")).status()).isEqualTo(204);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(s.patch("/Groups/" + g, patch("{'op':'Remove','path':'members','value':[{'value':'"
                    + users.get(i) + "'}]}")).status()).isEqualTo(204);
        }
        assertThat(s.get("/Groups/" + g + "?excludedAttributes=members").body().has("members")).isFalse();
        assertThat(s.get("/Groups?excludedAttributes=members&filter=" + ListAndFilterTest.q("displayName eq \"no-enum\""))
                .body().get("totalResults").asInt()).isEqualTo(1);
        s.patch("/Groups/" + g, patch("{'op':'replace','path':'displayName','value':'still-no-enum'}"));

        assertThat(s.memberEnumerations()).isEqualTo(before);
        Group stored = s.store.findGroupByOrigin(Origin.of("scim", g)).orElseThrow();
        assertThat(s.store.memberCount(stored.key(), MemberKind.USER)).isEqualTo(25);
        // the counter does see enumerations: a full read lists the members
        assertThat(memberValues(s.get("/Groups/" + g).body())).hasSize(25);
        assertThat(s.memberEnumerations()).isGreaterThan(before);
    }

    @Test
    void fiftyConcurrentPatchesAddingDistinctMembersLoseNone() throws Exception {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            users.add(s.createUser("c" + i));
        }
        String g = s.createGroup("crowded");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Resp>> fs = new ArrayList<>();
        for (String u : users) {
            fs.add(pool.submit(() -> s.patch("/Groups/" + g, patch("{'op':'add','path':'members','value':[{'value':'"
                    + u + "'}]}"))));
        }
        for (Future<Resp> f : fs) {
            assertThat(f.get().status()).isEqualTo(204);
        }
        pool.shutdown();
        assertThat(memberValues(s.get("/Groups/" + g).body())).containsExactlyInAnyOrderElementsOf(users);
        assertThat(s.get("/Groups/" + g).header("ETag")).isEqualTo("W/\"51\"");
    }
}
