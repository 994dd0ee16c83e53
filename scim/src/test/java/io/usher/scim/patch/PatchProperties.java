package io.usher.scim.patch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.scim.ScimException;
import io.usher.scim.schema.Schemas;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** Random PATCH bodies: nothing but a ScimException 4xx ever escapes, and a failure changes nothing. */
class PatchProperties {

    static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final String ENT = Schemas.ENTERPRISE_USER_URN;

    static final List<String> PATHS = List.of("title", "TITLE", "active", "name", "name.givenName", "emails",
            "emails.value", "emails[type eq \"work\"]", "emails[type eq \"work\"].value", "emails[primary eq true]",
            "emails[value co \"@\" or type pr].primary", "phoneNumbers[type eq \"mobile\"].value", "members",
            "members[value eq \"u-1\"]", "members[value eq \"u-1\" or value eq \"u-9\"]", "members[type eq \"User\"]",
            "members[value eq \"u-1\"].display", "id", "meta", "meta.version", "groups", "displayName", "userName",
            "password", ENT + ":manager", ENT + ":manager.value", ENT + ":department", ENT, "shoeSize", "x.y.z",
            "emails[", "emails[type eq]", "", "addresses[type eq \"work\"].streetAddress", "emails[primary gt true]",
            "urn:ietf:params:scim:schemas:core:2.0:User:nickName", "externalId", "schemas");

    static final List<String> GROUP_PATHS = List.of("members", "MEMBERS", "members[value eq \"u-1\"]",
            "members[value eq \"u-1\" or value eq \"u-9\"]", "members[type eq \"User\"]", "members.value",
            "members[value eq \"u-2\"].display", "members[value eq \"u-2\"].value", "displayName", "externalId", "id",
            "meta.location", "urn:ietf:params:scim:schemas:core:2.0:Group:members", "userName", "members[value",
            "members[value eq \"u-1\"].type", "");

    static final List<String> KEYS = List.of("value", "type", "primary", "display", "$ref", "givenName",
            "active", "title", "name.givenName", ENT + ":department", ENT, "id", "members", "emails", "displayName",
            "bogus", "schemas");

    Arbitrary<JsonNode> scalar() {
        return Arbitraries.oneOf(
                Arbitraries.of("work", "home", "True", "false", "u-1", "u-9", "", "2011-05-13T04:42:34Z", "x@y.z")
                        .map(s -> (JsonNode) F.textNode(s)),
                Arbitraries.of(true, false).map(b -> (JsonNode) F.booleanNode(b)),
                Arbitraries.integers().between(-3, 3).map(i -> (JsonNode) F.numberNode(i)),
                Arbitraries.just(F.nullNode()));
    }

    Arbitrary<JsonNode> value(int depth) {
        if (depth == 0) {
            return scalar();
        }
        Arbitrary<JsonNode> inner = Arbitraries.lazy(() -> value(depth - 1));
        Arbitrary<JsonNode> object = Combinators.combine(Arbitraries.of(KEYS).list().ofMaxSize(4),
                inner.list().ofSize(4)).as((keys, values) -> {
                    ObjectNode o = F.objectNode();
                    for (int i = 0; i < keys.size(); i++) {
                        o.set(keys.get(i), values.get(i));
                    }
                    return (JsonNode) o;
                });
        Arbitrary<JsonNode> array = inner.list().ofMaxSize(3).map(l -> {
            ArrayNode a = F.arrayNode();
            l.forEach(a::add);
            return (JsonNode) a;
        });
        return Arbitraries.oneOf(scalar(), object, array);
    }

    Arbitrary<JsonNode> operation(List<String> paths) {
        Arbitrary<JsonNode> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(30, Arbitraries.of("add", "Replace", "remove", "REMOVE")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("merge", ""))).withoutEdgeCases().map(s -> (JsonNode) F.textNode(s));
        Arbitrary<JsonNode> path = Arbitraries.of(paths).map(s -> (JsonNode) F.textNode(s)).injectNull(0.2);
        Arbitrary<JsonNode> members = Combinators.combine(Arbitraries.of("u-1", "u-2", "u-3", "", "g-1"),
                Arbitraries.of("User", "Group", "user", "Robot").injectNull(0.5)).as((v, t) -> {
                    ObjectNode m = F.objectNode().put("value", v);
                    if (t != null) {
                        m.put("type", t);
                    }
                    m.putNull("$ref");
                    return m;
                }).list().ofMaxSize(3).map(l -> {
                    ArrayNode a = F.arrayNode();
                    l.forEach(a::add);
                    return (JsonNode) a;
                });
        Arbitrary<JsonNode> value = Arbitraries.oneOf(value(2), scalar(), members).injectNull(0.1);
        return Combinators.combine(op, path, value, Arbitraries.integers().between(0, 49).withoutEdgeCases())
                .as((o, p, v, shape) -> {
                    if (shape == 0) {
                        return (JsonNode) F.textNode("not an operation");
                    }
                    ObjectNode n = F.objectNode();
                    n.set("op", o);
                    if (p != null) {
                        n.set("path", p);
                    }
                    if (v != null) {
                        n.set("value", v);
                    }
                    return (JsonNode) n;
                });
    }

    @Provide
    Arbitrary<ObjectNode> bodies() {
        return bodies(PATHS);
    }

    @Provide
    Arbitrary<ObjectNode> groupBodies() {
        return bodies(GROUP_PATHS);
    }

    Arbitrary<ObjectNode> bodies(List<String> paths) {
        return operation(paths).list().ofMinSize(1).ofMaxSize(3).map(ops -> {
            ObjectNode body = F.objectNode();
            body.putArray("schemas").add(PatchRequest.SCHEMA);
            ArrayNode arr = body.putArray("Operations");
            ops.forEach(arr::add);
            return body;
        });
    }

    @Property(tries = 1500)
    void randomPatchesOnUsersOnlyEverFailWithAScimError(@ForAll("bodies") ObjectNode body) {
        check(body, PatchApplier.forResourceType(Schemas.USER_RESOURCE), PatchApplierTest.json(PatchApplierTest.USER));
    }

    @Property(tries = 1000)
    void randomPatchesOnGroupsOnlyEverFailWithAScimError(@ForAll("groupBodies") ObjectNode body) {
        ObjectNode group = PatchApplierTest.json("""
                {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "g", "displayName": "G",
                 "members": [{"value": "u-1", "type": "User"}, {"value": "u-2"}]}""");
        check(body, PatchApplier.forResourceType(Schemas.GROUP_RESOURCE), group);
        check(body, PatchApplier.forResourceType(Schemas.GROUP_RESOURCE, false), group);
    }

    @Property(tries = 1000)
    void parsePrintParseGivesTheSameRequest(@ForAll("bodies") ObjectNode body) {
        PatchRequest parsed;
        try {
            parsed = PatchRequest.parse(body);
        } catch (ScimException e) {
            Statistics.label("parsed").collect(false);
            return;
        }
        Statistics.label("parsed").collect(true);
        ObjectNode printed = parsed.toJson();
        assertThat(PatchRequest.parse(printed)).isEqualTo(parsed);
        assertThat(PatchRequest.parse(printed).toJson()).isEqualTo(printed);
    }

    private static void check(ObjectNode body, PatchApplier applier, ObjectNode resource) {
        ObjectNode before = resource.deepCopy();
        try {
            PatchResult r = applier.apply(resource, PatchRequest.parse(body));
            assertThat(r.resource()).isNotNull();
            // a result is itself a valid starting point: a no-op patch leaves it alone
            assertThat(r.modified()).isEqualTo(!r.resource().equals(before));
            Statistics.label("outcome").collect("applied");
        } catch (ScimException e) {
            Statistics.label("outcome").collect(e.scimType());
            assertThat(e.status()).isBetween(400, 499);
            assertThat(e.scimType()).isNotNull();
            assertThat(e.getMessage()).isNotBlank();
        }
        assertThat(resource).isEqualTo(before);
    }
}
