package io.usher.scim.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.scim.http.ScimHttpServer.Resp;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Random PATCH bodies sent over HTTP to a user and to a group: never a 5xx, always a SCIM answer. */
class RandomPatchOverHttpProperties {
    private static ScimHttpServer s;
    private static String userId;
    private static String groupId;
    private static String memberId;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @BeforeContainer
    static void start() {
        s = ScimHttpServer.start();
        userId = s.createUser("random-target");
        memberId = s.createUser("random-member");
        groupId = s.createGroup("random-group", memberId);
    }

    @AfterContainer
    static void stop() {
        s.close();
    }

    @Property(tries = 300)
    void randomPatchBodiesNeverGiveA5xx(@ForAll("bodies") String body, @ForAll boolean onGroup) {
        String path = onGroup ? "/Groups/" + groupId : "/Users/" + userId;
        Resp r = s.patch(path, body);
        assertThat(r.status()).as(body + " -> " + r.raw()).isIn(200, 204, 400, 404, 409, 412, 413);
        if (r.status() >= 400) {
            assertThat(r.body().get("status").asText()).isEqualTo(Integer.toString(r.status()));
            assertThat(r.raw()).doesNotContain("Exception").doesNotContain("\tat ");
        }
        // whatever happened, both resources still read back
        assertThat(s.get("/Users/" + userId).status()).isEqualTo(200);
        assertThat(s.get("/Groups/" + groupId).status()).isEqualTo(200);
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<JsonNode> op = Combinators.combine(ops(), paths(), values(), Arbitraries.integers().between(0, 3))
                .as((o, p, v, shape) -> {
                    ObjectNode n = F.objectNode();
                    if (shape != 1) {
                        n.put("op", o);
                    }
                    if (p != null && shape != 2) {
                        n.put("path", p);
                    }
                    if (shape != 3) {
                        n.set("value", v);
                    }
                    return n;
                });
        Arbitrary<String> wellFormed = op.list().ofMinSize(0).ofMaxSize(4).map(list -> {
            ObjectNode body = F.objectNode();
            body.putArray("schemas").add("urn:ietf:params:scim:api:messages:2.0:PatchOp");
            ArrayNode arr = body.putArray("Operations");
            list.forEach(arr::add);
            return body.toString();
        });
        Arbitrary<String> garbage = Arbitraries.of("{", "[]", "null", "{\"Operations\":{}}", "{\"Operations\":[1]}",
                "{\"schemas\":[\"urn:x\"],\"Operations\":[]}", "{\"Operations\":[{\"op\":null}]}", "\"text\"",
                "{\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":null}]}]}");
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, wellFormed), net.jqwik.api.Tuple.of(1, garbage));
    }

    private Arbitrary<String> ops() {
        return Arbitraries.of("add", "replace", "remove", "Add", "Replace", "Remove", "ADD", "move", "", "copy");
    }

    private Arbitrary<String> paths() {
        return Arbitraries.of(null, "displayName", "userName", "active", "title", "name.givenName", "name",
                "emails", "emails[type eq \"work\"].value", "emails[type eq \"work\"]", "emails[value co \"@\"].primary",
                "phoneNumbers", "addresses[type eq \"home\"].locality", "members", "members[value eq \"" + "x" + "\"]",
                "members[value eq \"MEMBER\"]", "externalId", "id", "meta.created", "groups", "password",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
                "urn:ietf:params:scim:schemas:core:2.0:User:displayName", "emails[", "a.b.c", "members[type eq]",
                "émails", "roles[primary eq true].value", "x509Certificates");
    }

    private Arbitrary<JsonNode> values() {
        Arbitrary<JsonNode> simple = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).map(F::textNode),
                Arbitraries.of("True", "False", "true", "", "MEMBER").map(F::textNode),
                Arbitraries.integers().map(F::numberNode),
                Arbitraries.of(true, false).map(F::booleanNode),
                Arbitraries.just(F.nullNode()));
        Arbitrary<JsonNode> member = Arbitraries.of("MEMBER", "ghost", "", "GROUP").map(v -> {
            ObjectNode m = F.objectNode();
            m.put("value", v.equals("MEMBER") ? memberId : v.equals("GROUP") ? groupId : v);
            m.putNull("$ref");
            return m;
        });
        Arbitrary<JsonNode> array = Arbitraries.oneOf(member, simple,
                Arbitraries.of("work", "home").map(t -> (JsonNode) F.objectNode().put("type", t)
                        .put("value", t + "@example.com"))).list().ofMaxSize(3).map(l -> {
                            ArrayNode a = F.arrayNode();
                            l.forEach(a::add);
                            return a;
                        });
        Arbitrary<JsonNode> object = Combinators.combine(
                Arbitraries.of("displayName", "active", "name.givenName", "id", "emails", "members", "externalId",
                        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "nickName", "meta"),
                simple).as((k, v) -> (JsonNode) F.objectNode().set(k, v));
        return Arbitraries.oneOf(simple, array, object);
    }

}
