package io.usher.scim.http;

import static io.usher.scim.http.ListAndFilterTest.q;
import static io.usher.scim.http.PatchTest.patch;
import static io.usher.scim.http.ScimHttpServer.j;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.usher.core.model.MemberKind;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.scim.http.ScimHttpServer.Resp;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The request sequences real clients send, replayed over HTTP, payloads as the vendors document them:
 * Microsoft Entra ID's provisioning service ("Develop and plan provisioning for a SCIM endpoint"), Okta's SCIM 2.0
 * reference, and JumpCloud's custom SCIM integration (whose Test Connection creates and deletes a test user and
 * group).
 */
class ClientScenariosTest {

    private static Set<String> memberValues(JsonNode group) {
        Set<String> out = new HashSet<>();
        group.path("members").forEach(m -> out.add(m.get("value").asText()));
        return out;
    }

    @Test
    void entraId() {
        try (ScimHttpServer s = ScimHttpServer.start()) {
            // Test Connection: a filter for a random user that does not exist -> an empty ListResponse
            Resp test = s.get("/Users?filter=" + q("userName eq \"non-existent user\""));
            assertThat(test.status()).isEqualTo(200);
            assertThat(test.body().get("totalResults").asInt()).isZero();
            assertThat(test.body().get("Resources")).isEmpty();
            test = s.get("/Users?filter=" + q("userName eq \"Test_User_dfeef4c5-5681-4387-b016-bdf221e82081\""));
            assertThat(test.body().get("totalResults").asInt()).isZero();

            // create: query by userName, then POST
            String userName = "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1";
            assertThat(s.get("/Users?filter=" + q("userName eq \"" + userName + "\"")).body().get("totalResults")
                    .asInt()).isZero();
            Resp created = s.post("/Users", j("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:User',"
                    + "'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],"
                    + "'externalId':'0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef','userName':'" + userName + "','active':true,"
                    + "'emails':[{'primary':true,'type':'work','value':'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com'}],"
                    + "'meta':{'resourceType':'User'},"
                    + "'name':{'formatted':'givenName familyName','familyName':'familyName','givenName':'givenName'},"
                    + "'roles':[]}"));
            assertThat(created.status()).as(created.raw()).isEqualTo(201);
            String id = created.body().get("id").asText();

            // lookups Entra uses to match users
            assertThat(s.get("/Users?filter=" + q("externalId eq \"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef\"")).body()
                    .at("/Resources/0/id").asText()).isEqualTo(id);
            assertThat(s.get("/Users?filter=" + q("emails[type eq \"work\"].value eq "
                    + "\"Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com\"")).body().at("/Resources/0/id")
                    .asText()).isEqualTo(id);
            assertThat(s.get("/Users/" + id).body().get("userName").asText()).isEqualTo(userName);

            // update: capitalised ops, booleans as strings, multi-valued paths, a pathless mixed value, manager as a string
            String manager = s.createUser("the.manager");
            Resp upd = s.patch("/Users/" + id, patch(
                    "{'op':'Replace','path':'emails[type eq \\\"work\\\"].value','value':'updatedEmail@microsoft.com'},"
                    + "{'op':'Replace','path':'name.familyName','value':'updatedFamilyName'},"
                    + "{'op':'Add','path':'title','value':'Engineer'},"
                    + "{'op':'Add','path':'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager','value':'"
                    + manager + "'},"
                    + "{'op':'Replace','value':{'displayName':'Updated Name','name.givenName':'Updated',"
                    + "'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department':'Sales'}}"));
            assertThat(upd.status()).as(upd.raw()).isEqualTo(200);
            assertThat(upd.body().at("/emails/0/value").asText()).isEqualTo("updatedEmail@microsoft.com");
            assertThat(upd.body().at("/name/familyName").asText()).isEqualTo("updatedFamilyName");
            assertThat(upd.body().at("/name/givenName").asText()).isEqualTo("Updated");
            assertThat(upd.body().at("/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User/manager/value")
                    .asText()).isEqualTo(manager);
            assertThat(upd.body().at("/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User/department")
                    .asText()).isEqualTo("Sales");
            Resp rename = s.patch("/Users/" + id, patch("{'op':'Replace','path':'userName',"
                    + "'value':'5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com'}"));
            assertThat(rename.status()).isEqualTo(200);
            User stored = s.store.findUserByOrigin(Origin.of("scim", id)).orElseThrow();
            assertThat(stored.username()).isEqualTo("5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com");

            // groups: lookup by displayName without members, create with extra schema URI, Add/Remove members
            assertThat(s.get("/Groups?excludedAttributes=members&filter=" + q("displayName eq \"displayName\""))
                    .body().get("totalResults").asInt()).isZero();
            Resp group = s.post("/Groups", j("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:Group',"
                    + "'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],"
                    + "'externalId':'8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159','displayName':'displayName',"
                    + "'meta':{'resourceType':'Group'}}"));
            assertThat(group.status()).as(group.raw()).isEqualTo(201);
            String gid = group.body().get("id").asText();
            assertThat(s.get("/Groups/" + gid + "?excludedAttributes=members").body().has("members")).isFalse();
            Resp add = s.patch("/Groups/" + gid, patch("{'op':'Add','path':'members','value':[{'$ref':null,'value':'"
                    + id + "'},{'$ref':null,'value':'" + manager + "'}]}"));
            assertThat(add.status()).isEqualTo(204);
            Resp remove = s.patch("/Groups/" + gid, patch("{'op':'Remove','path':'members','value':[{'$ref':null,"
                    + "'value':'" + manager + "'}]}"));
            assertThat(remove.status()).isEqualTo(204);
            assertThat(memberValues(s.get("/Groups/" + gid).body())).containsExactly(id);
            assertThat(s.patch("/Groups/" + gid, patch("{'op':'Replace','path':'displayName','value':'1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName'}"))
                    .status()).isEqualTo(204);

            // soft delete: active False (a string), the user is still returned
            Resp soft = s.patch("/Users/" + id, patch("{'op':'Replace','path':'active','value':'False'}"));
            assertThat(soft.status()).isEqualTo(200);
            assertThat(soft.body().get("active").asBoolean()).isFalse();
            Resp still = s.get("/Users/" + id);
            assertThat(still.status()).isEqualTo(200);
            assertThat(still.body().get("active").asBoolean()).isFalse();
            assertThat(s.get("/Users?filter=" + q("userName eq \"5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com\""))
                    .body().get("totalResults").asInt()).isEqualTo(1);

            // hard delete
            assertThat(s.delete("/Users/" + id).status()).isEqualTo(204);
            assertThat(s.get("/Users/" + id).status()).isEqualTo(404);
            assertThat(s.delete("/Groups/" + gid).status()).isEqualTo(204);
        }
    }

    @Test
    void okta() {
        try (ScimHttpServer s = ScimHttpServer.start()) {
            // import / existence check: paging with count=100 and an empty startIndex
            Resp page = s.get("/Users?filter=" + q("userName eq \"dade.murphy@example.com\"") + "&startIndex=1&count=100");
            assertThat(page.body().get("totalResults").asInt()).isZero();

            // create with a placeholder password and the read-only groups
            Resp created = s.post("/Users", j("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:User'],"
                    + "'userName':'dade.murphy@example.com','name':{'givenName':'Dade','familyName':'Murphy'},"
                    + "'emails':[{'primary':true,'value':'dade.murphy@example.com','type':'work'}],"
                    + "'displayName':'Dade Murphy','locale':'en-US','externalId':'00u1dhhb1fkIGP7RL1d8',"
                    + "'groups':[],'password':'1mz050nq','active':true}"));
            assertThat(created.status()).as(created.raw()).isEqualTo(201);
            String id = created.body().get("id").asText();
            assertThat(created.raw()).doesNotContain("1mz050nq");
            assertThat(s.store.findUserByOrigin(Origin.of("scim", id)).orElseThrow().attributes().toString())
                    .doesNotContain("1mz050nq");

            // 409 on a duplicate userName
            Resp dup = s.post("/Users", j("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:User'],"
                    + "'userName':'dade.murphy@example.com','active':true}"));
            assertThat(dup.status()).isEqualTo(409);
            assertThat(dup.body().get("scimType").asText()).isEqualTo("uniqueness");

            // every profile update is a PUT of the whole user
            Resp put = s.put("/Users/" + id, j("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:User'],'id':'" + id
                    + "','userName':'dade.murphy@example.com','name':{'givenName':'Dade','familyName':'Murphy-Zero'},"
                    + "'emails':[{'primary':true,'value':'dade.murphy@example.com','type':'work'}],"
                    + "'displayName':'Dade Murphy','locale':'en-US','externalId':'00u1dhhb1fkIGP7RL1d8',"
                    + "'groups':[],'active':true}"));
            assertThat(put.status()).as(put.raw()).isEqualTo(200);
            assertThat(put.body().at("/name/familyName").asText()).isEqualTo("Murphy-Zero");

            // deactivate: PUT with active false, or a pathless PATCH replace
            Resp deactivate = s.put("/Users/" + id, ((com.fasterxml.jackson.databind.node.ObjectNode) put.body().deepCopy()).put("active", false).toString());
            assertThat(deactivate.body().get("active").asBoolean()).isFalse();
            Resp reactivate = s.patch("/Users/" + id, patch("{'op':'replace','value':{'active':true}}"));
            assertThat(reactivate.body().get("active").asBoolean()).isTrue();
            Resp pathless = s.patch("/Users/" + id, patch("{'op':'replace','value':{'active':false}}"));
            assertThat(pathless.status()).isEqualTo(200);
            assertThat(s.store.findUserByOrigin(Origin.of("scim", id)).orElseThrow().active()).isFalse();

            // group push: create, member list by PUT, rename with the id in the value, combined remove+add PATCH
            String other = s.createUser("other@example.com");
            Resp g = s.post("/Groups", j("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:Group'],"
                    + "'displayName':'Test SCIMv2','members':[]}"));
            assertThat(g.status()).isEqualTo(201);
            String gid = g.body().get("id").asText();
            Resp members = s.put("/Groups/" + gid, j("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:Group'],"
                    + "'id':'" + gid + "','displayName':'Test SCIMv2','members':[{'value':'" + id
                    + "','display':'dade.murphy@example.com'}]}"));
            assertThat(members.status()).isEqualTo(200);
            assertThat(memberValues(members.body())).containsExactly(id);
            Resp rename = s.patch("/Groups/" + gid, patch("{'op':'replace','value':{'id':'" + gid
                    + "','displayName':'Test SCIMv2 renamed'}}"));
            assertThat(rename.status()).as(rename.raw()).isEqualTo(204);
            Resp swap = s.patch("/Groups/" + gid, patch("{'op':'remove','path':'members[value eq \\\"" + id + "\\\"]'},"
                    + "{'op':'add','path':'members','value':[{'value':'" + other + "','display':'other@example.com'}]}"));
            assertThat(swap.status()).isEqualTo(204);
            JsonNode after = s.get("/Groups/" + gid).body();
            assertThat(after.get("displayName").asText()).isEqualTo("Test SCIMv2 renamed");
            assertThat(memberValues(after)).containsExactly(other);

            // import: page through everyone, count=100
            for (int i = 0; i < 150; i++) {
                s.createUser("imp" + i);
            }
            int seen = 0;
            int start = 1;
            while (true) {
                Resp p = s.get("/Users?startIndex=" + start + "&count=100");
                int n = p.body().get("Resources").size();
                seen += n;
                if (n < 100) {
                    assertThat(p.body().get("totalResults").asInt()).isEqualTo(152);
                    break;
                }
                start += n;
            }
            assertThat(seen).isEqualTo(152);

            // a wrong token: 401 with a SCIM Error body
            Resp unauth = s.get("/Users", "Authorization", "Bearer not-the-token-at-all");
            assertThat(unauth.status()).isEqualTo(401);
            assertThat(unauth.body().get("status").asText()).isEqualTo("401");
        }
    }

    @Test
    void jumpCloudTestConnectionCreatesThenDeletesAUserAndAGroup() {
        try (ScimHttpServer s = ScimHttpServer.start()) {
            for (int round = 0; round < 2; round++) { // Test Connection can be pressed twice
                Resp user = s.post("/Users", j("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:User'],"
                        + "'userName':'jctest@example.com','name':{'givenName':'JumpCloud','familyName':'Test'},"
                        + "'emails':[{'value':'jctest@example.com','type':'work','primary':true}],'active':true}"));
                assertThat(user.status()).as(user.raw()).isEqualTo(201);
                Resp group = s.post("/Groups", j("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:Group'],"
                        + "'displayName':'JumpCloud Test Group'}"));
                assertThat(group.status()).as(group.raw()).isEqualTo(201);
                String uid = user.body().get("id").asText();
                String gid = group.body().get("id").asText();
                assertThat(s.delete("/Users/" + uid).status()).isEqualTo(204);
                assertThat(s.delete("/Groups/" + gid).status()).isEqualTo(204);
                assertThat(s.get("/Users/" + uid).status()).isEqualTo(404);
                assertThat(s.get("/Groups/" + gid).status()).isEqualTo(404);
            }
            assertThat(s.get("/Users").body().get("totalResults").asInt()).isZero();
            assertThat(s.get("/Groups").body().get("totalResults").asInt()).isZero();
            // the source deactivates (kept in the host, inactive), groups are deleted
            assertThat(s.store.userCount()).isEqualTo(1);
            assertThat(s.store.allUsers().get(0).active()).isFalse();
            assertThat(s.store.groupCount()).isZero();
            assertThat(s.store.groupsOf(MemberKind.USER, s.store.allUsers().get(0).key())).isEmpty();
        }
    }
}
