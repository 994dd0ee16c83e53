package io.usher.scim.http;

import static io.usher.scim.http.ScimHttpServer.j;
import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.model.CredentialPolicy;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.scim.http.ScimHttpServer.Resp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 over HTTP (Jersey): users an identity provider pushes by SCIM are SSO-only in the host's store, a
 * source setting of HOST overrides, and the policy is the host's business, never part of the SCIM resource.
 */
class CredentialPolicyOverHttpTest {
    private final List<ScimHttpServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(ScimHttpServer::close);
    }

    private ScimHttpServer start(ScimHttpServer.Options o) {
        ScimHttpServer s = ScimHttpServer.start(o);
        servers.add(s);
        return s;
    }

    private static User stored(ScimHttpServer s, String id) {
        return s.store.findUserByOrigin(Origin.of("scim", id)).orElseThrow();
    }

    @Test
    void aScimCreatedUserIsSsoOnlyAndUpdatesAndDeactivationKeepIt() {
        ScimHttpServer s = start(new ScimHttpServer.Options());
        Resp created = s.post("/Users", UsersEndpointTest.BJENSEN);
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String id = created.body().get("id").asText();
        assertThat(stored(s, id).credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);

        Resp patched = s.patch("/Users/" + id, j("{'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp'],"
                + "'Operations':[{'op':'replace','path':'displayName','value':'Barbara J.'}]}"));
        assertThat(patched.status()).as(patched.raw()).isEqualTo(200);
        assertThat(stored(s, id).displayName()).isEqualTo("Barbara J.");
        assertThat(stored(s, id).credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);

        Resp off = s.patch("/Users/" + id, j("{'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp'],"
                + "'Operations':[{'op':'replace','path':'active','value':false}]}"));
        assertThat(off.status()).as(off.raw()).isEqualTo(200);
        assertThat(stored(s, id).active()).isFalse();
        assertThat(stored(s, id).credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
    }

    /** The SCIM layer compares the stored user with the pipeline's: with the policy in both, a same PUT is a no-op. */
    @Test
    void aPutOfTheSameRepresentationKeepsTheVersionOfAnSsoOnlyUser() {
        ScimHttpServer s = start(new ScimHttpServer.Options());
        Resp created = s.post("/Users", UsersEndpointTest.BJENSEN);
        String id = created.body().get("id").asText();
        Resp put = s.put("/Users/" + id, UsersEndpointTest.BJENSEN);
        assertThat(put.status()).as(put.raw()).isEqualTo(200);
        assertThat(put.header("ETag")).isEqualTo(created.header("ETag"));
    }

    @Test
    void aScimSourceSetToHostLeavesCredentialsToTheHost() {
        ScimHttpServer s = start(new ScimHttpServer.Options().credentials(CredentialPolicy.HOST));
        Resp created = s.post("/Users", UsersEndpointTest.BJENSEN);
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(stored(s, created.body().get("id").asText()).credentials()).isEqualTo(CredentialPolicy.HOST);
    }

    @Test
    void thePolicyIsNotPartOfTheScimResourceOrSchema() {
        ScimHttpServer s = start(new ScimHttpServer.Options());
        String id = s.post("/Users", UsersEndpointTest.BJENSEN).body().get("id").asText();
        for (Resp r : List.of(s.get("/Users/" + id), s.get("/Users?filter=" + java.net.URLEncoder.encode(
                "userName eq \"bjensen@example.com\"", java.nio.charset.StandardCharsets.UTF_8)),
                s.get("/Schemas"))) {
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            assertThat(r.raw()).doesNotContainIgnoringCase("credential").doesNotContain("SSO_ONLY");
        }
        assertThat(stored(s, id).attributes()).doesNotContainKey("credentials");
    }
}
