package io.usher.scim.http;

import static io.usher.scim.http.ScimHttpServer.j;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.usher.scim.http.ScimHttpServer.Resp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** POST /Bulk: bulkId references (also forward ones), failOnErrors, limits. */
class BulkTest {
    private final ScimHttpServer s = ScimHttpServer.start(new ScimHttpServer.Options()
            .tweak(b -> b.maxBulkOperations(5)));

    @AfterEach
    void stop() {
        s.close();
    }

    @Test
    void bulkIdReferencesResolveIncludingForwardOnes() {
        Resp r = s.post("/Bulk", j("{'schemas':['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],"
                + "'Operations':["
                + "{'method':'POST','path':'/Groups','bulkId':'grp','data':{'displayName':'Bulk Group',"
                + "'members':[{'type':'User','value':'bulkId:alice'}]}},"
                + "{'method':'POST','path':'/Users','bulkId':'alice','data':{'userName':'alice'}},"
                + "{'method':'PUT','path':'/Users/bulkId:alice','data':{'userName':'alice','displayName':'Alice'}}"
                + "]}"));

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        JsonNode ops = r.body().get("Operations");
        assertThat(r.body().get("schemas").get(0).asText()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:BulkResponse");
        assertThat(ops).hasSize(3);
        assertThat(ops.get(0).get("status").asText()).isEqualTo("201");
        assertThat(ops.get(1).get("status").asText()).isEqualTo("201");
        assertThat(ops.get(2).get("status").asText()).isEqualTo("200");
        assertThat(ops.get(0).get("location").asText()).startsWith(s.base + "/Groups/");
        assertThat(ops.get(1).get("version").asText()).isEqualTo("W/\"1\"");
        String userId = ops.get(1).get("location").asText().replaceAll(".*/", "");
        String groupId = ops.get(0).get("location").asText().replaceAll(".*/", "");
        assertThat(s.get("/Groups/" + groupId).body().at("/members/0/value").asText()).isEqualTo(userId);
        assertThat(s.get("/Users/" + userId).body().get("displayName").asText()).isEqualTo("Alice");
    }

    @Test
    void failOnErrorsStopsAfterThatManyErrors() {
        Resp r = s.post("/Bulk", j("{'schemas':['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],"
                + "'failOnErrors':1,'Operations':["
                + "{'method':'POST','path':'/Users','bulkId':'a','data':{'displayName':'no userName'}},"
                + "{'method':'POST','path':'/Users','bulkId':'b','data':{'userName':'never'}}]}"));
        assertThat(r.status()).isEqualTo(200);
        JsonNode ops = r.body().get("Operations");
        assertThat(ops).hasSize(1);
        assertThat(ops.get(0).get("status").asText()).isEqualTo("400");
        assertThat(ops.get(0).at("/response/scimType").asText()).isEqualTo("invalidValue");
        assertThat(s.store.userCount()).isZero();
    }

    @Test
    void withoutFailOnErrorsEveryOperationRunsAndErrorsAreReportedEach() {
        String id = s.createUser("present");
        Resp r = s.post("/Bulk", j("{'schemas':['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],'Operations':["
                + "{'method':'POST','path':'/Users','bulkId':'dup','data':{'userName':'present'}},"
                + "{'method':'DELETE','path':'/Users/" + id + "'},"
                + "{'method':'DELETE','path':'/Users/missing'},"
                + "{'method':'POST','path':'/Users','bulkId':'x','data':{'userName':'y','members':'bulkId:nope'}},"
                + "{'method':'GET','path':'/Users'}]}"));
        JsonNode ops = r.body().get("Operations");
        assertThat(ops).hasSize(5);
        assertThat(ops.get(0).get("status").asText()).isEqualTo("409");
        assertThat(ops.get(1).get("status").asText()).isEqualTo("204");
        assertThat(ops.get(2).get("status").asText()).isEqualTo("404");
        assertThat(ops.get(3).get("status").asText()).isEqualTo("400");
        assertThat(ops.get(4).get("status").asText()).isEqualTo("400");
    }

    @Test
    void moreOperationsThanMaxOperationsIs413() {
        StringBuilder ops = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            ops.append(i == 0 ? "" : ",").append("{'method':'POST','path':'/Users','bulkId':'b").append(i)
                    .append("','data':{'userName':'u").append(i).append("'}}");
        }
        Resp r = s.post("/Bulk", j("{'schemas':['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],'Operations':["
                + ops + "]}"));
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.body().get("status").asText()).isEqualTo("413");
        assertThat(s.store.userCount()).isZero();
    }

    @Test
    void aCycleOfBulkIdsIsReportedNotLooped() {
        Resp r = s.post("/Bulk", j("{'schemas':['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],'Operations':["
                + "{'method':'POST','path':'/Groups','bulkId':'g1','data':{'displayName':'g1','members':[{'value':'bulkId:g2'}]}},"
                + "{'method':'POST','path':'/Groups','bulkId':'g2','data':{'displayName':'g2','members':[{'value':'bulkId:g1'}]}}]}"));
        JsonNode ops = r.body().get("Operations");
        assertThat(ops).hasSize(2);
        assertThat(ops.get(0).get("status").asText()).isEqualTo("409");
        assertThat(s.store.groupCount()).isZero();
    }
}
