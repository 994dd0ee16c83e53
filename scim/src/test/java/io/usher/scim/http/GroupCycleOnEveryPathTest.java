package io.usher.scim.http;

import static io.usher.scim.http.ScimHttpServer.j;
import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.Origin;
import io.usher.scim.http.ScimHttpServer.Resp;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A member list that would close a cycle of nested groups is a 400 invalidValue naming the member, and changes
 * nothing, on every path that adds group members: POST (also when it revives a group deleted over SCIM but kept by
 * the source), PUT, PATCH add and replace, and the same through /Bulk. The store's engine drops such an edge
 * silently, so without the check a client was told 201 and lost the member.
 */
class GroupCycleOnEveryPathTest {
    private final ScimHttpServer s = ScimHttpServer.start(new ScimHttpServer.Options().leaveGroups());

    @AfterEach
    void stop() {
        s.close();
    }

    private Group stored(String id) {
        return s.store.findGroupByOrigin(Origin.of("scim", id)).orElseThrow();
    }

    private Set<String> memberGroups(String id) {
        return s.store.members(stored(id).key(), MemberKind.GROUP);
    }

    private static void assertCycleRefused(Resp r, String member) {
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.body().get("scimType").asText()).isEqualTo("invalidValue");
        assertThat(r.body().get("detail").asText()).contains("'" + member + "'").contains("cycle");
    }

    /** inner is a member of outer; inner is then deleted over SCIM, which the source keeps (hidden). */
    private String[] deletedInnerInsideOuter() {
        String inner = s.createGroup("inner");
        String outer = s.post("/Groups", j("{'displayName':'outer','members':[{'value':'" + inner
                + "','type':'Group'}]}")).body().get("id").asText();
        assertThat(s.delete("/Groups/" + inner).status()).isEqualTo(204);
        assertThat(memberGroups(outer)).as("kept by the source, hidden from SCIM").contains(stored(inner).key());
        return new String[] {inner, outer};
    }

    @Test
    void revivingAGroupWhoseMembersWouldFormACycleIs400AndChangesNothing() {
        String[] io = deletedInnerInsideOuter();
        String inner = io[0];
        String outer = io[1];
        Group before = stored(inner);

        Resp r = s.post("/Groups", j("{'displayName':'inner','members':[{'value':'" + outer + "','type':'Group'}]}"));

        assertCycleRefused(r, outer);
        assertThat(s.get("/Groups/" + inner).status()).as("still deleted").isEqualTo(404);
        assertThat(stored(inner)).isEqualTo(before);
        assertThat(memberGroups(inner)).isEmpty();
        // without the offending member the revival works
        Resp ok = s.post("/Groups", j("{'displayName':'inner','members':[]}"));
        assertThat(ok.status()).as(ok.raw()).isEqualTo(201);
        assertThat(ok.body().get("id").asText()).isEqualTo(inner);
    }

    @Test
    void revivingThroughBulkIsRefusedTheSameWay() {
        String[] io = deletedInnerInsideOuter();
        Resp r = s.post("/Bulk", j("{'schemas':['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],'Operations':["
                + "{'method':'POST','path':'/Groups','bulkId':'g','data':{'displayName':'inner','members':[{'value':'"
                + io[1] + "','type':'Group'}]}}]}"));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().at("/Operations/0/status").asText()).isEqualTo("400");
        assertThat(r.body().at("/Operations/0/response/scimType").asText()).isEqualTo("invalidValue");
        assertThat(r.body().at("/Operations/0/response/detail").asText()).contains("'" + io[1] + "'");
        assertThat(s.get("/Groups/" + io[0]).status()).isEqualTo(404);
        assertThat(memberGroups(io[0])).isEmpty();
    }

    @Test
    void putPatchAndBulkOnLiveGroupsRefuseACycleAndChangeNothing() {
        String a = s.createGroup("A");
        String b = s.post("/Groups", j("{'displayName':'B','members':[{'value':'" + a + "','type':'Group'}]}"))
                .body().get("id").asText();
        String c = s.post("/Groups", j("{'displayName':'C','members':[{'value':'" + b + "','type':'Group'}]}"))
                .body().get("id").asText();
        String u = s.createUser("cyc-user");
        String etag = s.get("/Groups/" + a).header("ETag");

        assertCycleRefused(s.put("/Groups/" + a, j("{'displayName':'A','members':[{'value':'" + u + "'},{'value':'"
                + c + "','type':'Group'}]}")), c);
        assertCycleRefused(s.patch("/Groups/" + a, PatchTest.patch("{'op':'add','path':'members','value':[{'value':'"
                + u + "'},{'value':'" + c + "'}]}")), c);
        assertCycleRefused(s.patch("/Groups/" + a, PatchTest.patch("{'op':'replace','path':'members','value':[{'value':'"
                + b + "'}]}")), b);
        assertCycleRefused(s.patch("/Groups/" + a, PatchTest.patch("{'op':'replace','value':{'members':[{'value':'"
                + c + "'}]}}")), c);
        Resp bulk = s.post("/Bulk", j("{'schemas':['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],'Operations':["
                + "{'method':'PATCH','path':'/Groups/" + a + "','data':{'schemas':['urn:ietf:params:scim:api:messages:"
                + "2.0:PatchOp'],'Operations':[{'op':'add','path':'members','value':[{'value':'" + c + "'}]}]}},"
                + "{'method':'PUT','path':'/Groups/" + a + "','data':{'displayName':'A','members':[{'value':'" + b
                + "'}]}}]}"));
        assertThat(bulk.body().at("/Operations/0/status").asText()).as(bulk.raw()).isEqualTo("400");
        assertThat(bulk.body().at("/Operations/0/response/detail").asText()).contains("'" + c + "'");
        assertThat(bulk.body().at("/Operations/1/status").asText()).isEqualTo("400");
        assertThat(bulk.body().at("/Operations/1/response/detail").asText()).contains("'" + b + "'");

        // nothing changed: no members, same version
        assertThat(s.store.members(stored(a).key(), MemberKind.USER)).isEmpty();
        assertThat(memberGroups(a)).isEmpty();
        assertThat(s.get("/Groups/" + a).header("ETag")).isEqualTo(etag);
    }
}
