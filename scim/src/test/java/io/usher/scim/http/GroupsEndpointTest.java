package io.usher.scim.http;

import static io.usher.scim.http.ScimHttpServer.j;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.Origin;
import io.usher.scim.http.ScimHttpServer.Resp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** /Groups over HTTP: members of both kinds, nested groups and cycles, what is stored. */
class GroupsEndpointTest {
    private final ScimHttpServer s = ScimHttpServer.start();

    @AfterEach
    void stop() {
        s.close();
    }

    private static List<String> memberValues(JsonNode group) {
        List<String> out = new ArrayList<>();
        group.path("members").forEach(m -> out.add(m.get("value").asText()));
        return out;
    }

    @Test
    void createWithMembersStoresMembershipsAndReturnsThem() {
        String a = s.createUser("alice");
        String b = s.createUser("bob");
        Resp r = s.post("/Groups", j("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:Group'],"
                + "'externalId':'grp-ext-1','displayName':'Tour Guides','members':[{'value':'" + a
                + "','type':'User'},{'value':'" + b + "','$ref':null}]}"));

        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        String id = r.body().get("id").asText();
        assertThat(r.header("Location")).isEqualTo(s.base + "/Groups/" + id);
        assertThat(r.body().get("externalId").asText()).isEqualTo("grp-ext-1");
        assertThat(memberValues(r.body())).containsExactlyInAnyOrder(a, b);
        assertThat(r.body().at("/members/0/type").asText()).isEqualTo("User");
        assertThat(r.body().at("/members/0/$ref").asText()).startsWith(s.base + "/Users/");
        assertThat(r.body().at("/meta/resourceType").asText()).isEqualTo("Group");

        Group g = s.store.findGroupByOrigin(Origin.of("scim", id)).orElseThrow();
        assertThat(g.name()).isEqualTo("Tour Guides");
        assertThat(g.attributes()).containsEntry("scim.externalId", List.of("grp-ext-1"));
        assertThat(s.store.members(g.key(), MemberKind.USER)).hasSize(2);

        JsonNode alice = s.get("/Users/" + a).body();
        assertThat(alice.at("/groups/0/value").asText()).isEqualTo(id);
        assertThat(alice.at("/groups/0/display").asText()).isEqualTo("Tour Guides");
        assertThat(alice.at("/groups/0/type").asText()).isEqualTo("direct");
    }

    @Test
    void extraSchemaUrisOnGroupPostAreTolerated() {
        Resp r = s.post("/Groups", j("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:Group',"
                + "'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],"
                + "'externalId':'8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159','displayName':'Group1DisplayName','members':[]}"));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
    }

    @Test
    void unknownMembersAreRefusedAndNothingIsCreated() {
        Resp r = s.post("/Groups", j("{'displayName':'G','members':[{'value':'nobody'}]}"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().get("scimType").asText()).isEqualTo("invalidValue");
        assertThat(s.store.groupCount()).isZero();
    }

    @Test
    void duplicateDisplayNameIs409() {
        s.createGroup("dup");
        Resp r = s.post("/Groups", j("{'displayName':'DUP'}"));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.body().get("scimType").asText()).isEqualTo("uniqueness");
    }

    @Test
    void groupsNestAndUsersSeeIndirectGroups() {
        String u = s.createUser("nested-user");
        String inner = s.createGroup("inner", u);
        Resp outer = s.post("/Groups", j("{'displayName':'outer','members':[{'value':'" + inner + "','type':'Group'}]}"));
        assertThat(outer.status()).as(outer.raw()).isEqualTo(201);
        assertThat(outer.body().at("/members/0/type").asText()).isEqualTo("Group");

        JsonNode user = s.get("/Users/" + u).body();
        List<String> types = new ArrayList<>();
        user.get("groups").forEach(g -> types.add(g.get("display").asText() + ":" + g.get("type").asText()));
        assertThat(types).containsExactlyInAnyOrder("inner:direct", "outer:indirect");
    }

    @Test
    void aMembershipThatWouldCloseACycleIs400InvalidValue() {
        String a = s.createGroup("A");
        String b = s.post("/Groups", j("{'displayName':'B','members':[{'value':'" + a + "','type':'Group'}]}"))
                .body().get("id").asText();
        String c = s.post("/Groups", j("{'displayName':'C','members':[{'value':'" + b + "','type':'Group'}]}"))
                .body().get("id").asText();

        Resp r = s.put("/Groups/" + a, j("{'displayName':'A','members':[{'value':'" + c + "','type':'Group'}]}"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().get("scimType").asText()).isEqualTo("invalidValue");
        Resp self = s.put("/Groups/" + a, j("{'displayName':'A','members':[{'value':'" + a + "'}]}"));
        assertThat(self.status()).isEqualTo(400);
        assertThat(memberValues(s.get("/Groups/" + a).body())).isEmpty();
    }

    @Test
    void excludedAttributesMembersLeavesMembersOut() {
        String u = s.createUser("m1");
        String g = s.createGroup("big", u);
        JsonNode body = s.get("/Groups/" + g + "?excludedAttributes=members").body();
        assertThat(body.has("members")).isFalse();
        assertThat(body.get("displayName").asText()).isEqualTo("big");
        JsonNode listed = s.get("/Groups?excludedAttributes=members&filter="
                + ListAndFilterTest.q("displayName eq \"BIG\"")).body();
        assertThat(listed.get("totalResults").asInt()).isEqualTo(1);
        assertThat(listed.at("/Resources/0").has("members")).isFalse();
        assertThat(memberValues(s.get("/Groups/" + g).body())).containsExactly(u);
        assertThat(s.get("/Groups?filter=" + ListAndFilterTest.q("members.value eq \"" + u + "\"")).body()
                .get("totalResults").asInt()).isEqualTo(1);
    }

    @Test
    void putReplacesMembersAndDisplayName() {
        String a = s.createUser("pa");
        String b = s.createUser("pb");
        String g = s.createGroup("before", a);
        Resp r = s.put("/Groups/" + g, j("{'displayName':'after','members':[{'value':'" + b + "'}]}"));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().get("displayName").asText()).isEqualTo("after");
        assertThat(memberValues(r.body())).containsExactly(b);
        assertThat(r.header("ETag")).isEqualTo("W/\"2\"");
    }

    @Test
    void deleteRemovesTheGroupAndDeletedUsersLeaveGroups() {
        String u = s.createUser("dg-user");
        String keep = s.createUser("dg-keep");
        String g = s.createGroup("doomed", u, keep);
        assertThat(s.delete("/Users/" + u).status()).isEqualTo(204);
        assertThat(memberValues(s.get("/Groups/" + g).body())).containsExactly(keep);
        assertThat(s.delete("/Groups/" + g).status()).isEqualTo(204);
        assertThat(s.get("/Groups/" + g).status()).isEqualTo(404);
        assertThat(s.store.findGroupByOrigin(Origin.of("scim", g))).isEmpty();
        assertThat(s.get("/Users/" + keep).body().has("groups")).isFalse();
    }

    @Test
    void filterByExternalIdAndDisplayNameArePushedDown() {
        s.post("/Groups", j("{'displayName':'Sales','externalId':'E-S'}"));
        s.post("/Groups", j("{'displayName':'Ops','externalId':'E-O'}"));
        JsonNode byExt = s.get("/Groups?filter=" + ListAndFilterTest.q("externalId eq \"E-O\"")).body();
        assertThat(byExt.get("totalResults").asInt()).isEqualTo(1);
        assertThat(byExt.at("/Resources/0/displayName").asText()).isEqualTo("Ops");
        assertThat(s.get("/Groups?filter=" + ListAndFilterTest.q("displayName eq \"sales\"")).body()
                .at("/Resources/0/externalId").asText()).isEqualTo("E-S");
    }

    @Test
    void groupsOnAFlatStoreRefuseGroupMembers() {
        try (ScimHttpServer flat = ScimHttpServer.start(new ScimHttpServer.Options().flat())) {
            String a = flat.createGroup("fa");
            Resp r = flat.post("/Groups", j("{'displayName':'fb','members':[{'value':'" + a + "','type':'Group'}]}"));
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body().get("scimType").asText()).isEqualTo("invalidValue");
        }
    }

    @Test
    void controlCharacterInAGroupDisplayNameIs400Not500() {
        Resp r = s.post("/Groups", "{\"displayName\":\"bad\\u0000name\"}");
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.body().get("scimType").asText()).isEqualTo("invalidValue");
        String g = s.createGroup("good");
        Resp p = s.patch("/Groups/" + g, PatchTest.patch("{'op':'add','value':{'displayName':'x\\u0000'}}"));
        assertThat(p.status()).as(p.raw()).isEqualTo(400);
    }
}
