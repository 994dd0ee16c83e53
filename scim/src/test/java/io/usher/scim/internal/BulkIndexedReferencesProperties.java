package io.usher.scim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.core.DeprovisionPolicy;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.model.MemberKind;
import io.usher.core.store.InMemoryUserStore;
import io.usher.testkit.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * The Bulk loop indexes its bulkId references once instead of rescanning every waiting operation on every pass
 * (O(n³) for a chain of forward references); it must run, order, succeed and fail exactly as the plain loop did.
 * Random requests (forward, backward, self and dangling references, duplicate bulkIds, operations that fail,
 * malformed ones, failOnErrors) go through both, each on a fresh identical server: the responses and what is stored
 * must be the same.
 */
class BulkIndexedReferencesProperties {
    private static final String BASE = "https://scim.example/v2";
    private static final List<String> IDS = List.of("a", "b", "c", "d", "e"); // e is never defined by a POST

    /** A fresh service over an empty store, with predictable ids and time. */
    private static final class Fixture {
        final InMemoryUserStore store = new InMemoryUserStore();
        final ScimService service;

        Fixture() {
            ProvisioningEngine engine = ProvisioningEngine.builder().store(store)
                    .source(Source.builder("scim").deprovision(DeprovisionPolicy.DEACTIVATE).build())
                    .clock(new ManualClock(Instant.parse("2026-11-29T08:00:00Z"))).build();
            AtomicLong ids = new AtomicLong();
            service = new ScimService(new Settings(engine, "scim", null,
                    new ManualClock(Instant.parse("2026-11-29T08:00:00Z")),
                    () -> String.format("id-%04d", ids.incrementAndGet()), 1 << 20, 100, 100, 1000, 1000, 1000, 1000,
                    null, () -> "request-1"));
        }

        /** Everything stored, in a comparable form. */
        String dump() {
            TreeMap<String, String> out = new TreeMap<>();
            store.usersOwnedBy("scim").forEach(u -> out.put("user " + u.origin().externalId(), u.username() + " "
                    + u.active() + " " + new TreeMap<>(u.attributes())));
            store.groupsOwnedBy("scim").forEach(g -> out.put("group " + g.origin().externalId(), g.name() + " "
                    + new TreeMap<>(g.attributes()) + " users " + new TreeSet<>(store.members(g.key(), MemberKind.USER))
                    + " groups " + new TreeSet<>(store.members(g.key(), MemberKind.GROUP))));
            return out.toString();
        }
    }

    private static String ref(String id) {
        return "bulkId:" + id;
    }

    @Provide
    Arbitrary<ObjectNode> requests() {
        Arbitrary<String> bulkId = Arbitraries.of("a", "b", "c", "d").injectNull(0.1);
        Arbitrary<String> target = Arbitraries.of(IDS);
        Arbitrary<String> userName = Arbitraries.of("u1", "u2", "u3").injectNull(0.1);
        Arbitrary<Integer> kind = Arbitraries.frequency(Tuple.of(6, 1), Tuple.of(2, 0), Tuple.of(2, 2), Tuple.of(2, 3),
                Tuple.of(1, 4), Tuple.of(1, 5), Tuple.of(1, 6), Tuple.of(1, 7), Tuple.of(1, 8), Tuple.of(1, 9));
        Arbitrary<ObjectNode> op = Combinators.combine(kind, bulkId, target, target, userName).as((k, b, t1, t2, un) -> {
            ObjectNode o = Json.object();
            ObjectNode data = Json.object();
            switch (k) {
                case 0, 1 -> { // a user, maybe managed by another operation's user
                    o.put("method", "POST").put("path", "/Users");
                    if (un != null) {
                        data.put("userName", un);
                    }
                    if (k == 1) {
                        data.putObject("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
                                .putObject("manager").put("value", ref(t1));
                    }
                }
                case 2, 3 -> { // a group with members from other operations
                    o.put("method", "POST").put("path", "/Groups");
                    data.put("displayName", "g-" + (un == null ? "x" : un));
                    ArrayNode m = data.putArray("members");
                    m.addObject().put("value", ref(t1));
                    if (k == 3) {
                        m.addObject().put("value", ref(t2)).put("type", "Group");
                    }
                }
                case 4 -> {
                    o.put("method", "PUT").put("path", "/Users/" + ref(t1));
                    data.put("userName", un == null ? "renamed" : un + "-r").put("displayName", ref(t2));
                }
                case 5 -> {
                    o.put("method", "PATCH").put("path", "/Groups/" + ref(t1));
                    data.putArray("schemas").add(Urns.PATCH);
                    data.putArray("Operations").addObject().put("op", "add").put("path", "members").putArray("value")
                            .addObject().put("value", ref(t2));
                }
                case 6 -> o.put("method", "DELETE").put("path", "/Users/" + ref(t1));
                case 7 -> o.put("method", "DELETE").put("path", "/Groups/" + ref(t1));
                case 8 -> o.put("path", "/Users"); // no method
                default -> o.put("method", "POST").put("path", "/Widgets");
            }
            if (b != null) {
                o.put("bulkId", b);
            }
            if (k < 6) {
                o.set("data", data);
            }
            return o;
        });
        Arbitrary<List<ObjectNode>> ops = op.list().ofMinSize(1).ofMaxSize(16);
        Arbitrary<Integer> failOnErrors = Arbitraries.integers().between(1, 4).injectNull(0.5);
        return Combinators.combine(ops, failOnErrors).as((list, foe) -> {
            ObjectNode body = Json.object();
            body.putArray("schemas").add(Urns.BULK_REQUEST);
            if (foe != null) {
                body.put("failOnErrors", foe);
            }
            ArrayNode arr = body.putArray("Operations");
            list.forEach(arr::add);
            return body;
        });
    }

    @Property(tries = 500)
    void theIndexedLoopAnswersAndStoresExactlyAsThePlainLoop(@ForAll("requests") ObjectNode request) {
        Fixture plain = new Fixture();
        Fixture indexed = new Fixture();
        ObjectNode expected = new ReferenceBulk(plain.service).execute(request.deepCopy(), BASE);
        ObjectNode actual = new Bulk(indexed.service).execute(request.deepCopy(), BASE);
        assertThat(actual.toString()).as(request.toString()).isEqualTo(expected.toString());
        assertThat(indexed.dump()).as(request.toString()).isEqualTo(plain.dump());
        actual.get("Operations").forEach(o -> assertThat(o.get("status").asText()).as(request.toString())
                .doesNotStartWith("5"));
    }

    private static ObjectNode user(String bulkId, String managerBulkId) {
        ObjectNode data = Json.object().put("userName", "user-" + bulkId);
        if (managerBulkId != null) {
            data.putObject("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User").putObject("manager")
                    .put("value", ref(managerBulkId));
        }
        ObjectNode op = Json.object().put("method", "POST").put("path", "/Users").put("bulkId", bulkId);
        op.set("data", data);
        return op;
    }

    private static void assertSameAsPlainLoop(ObjectNode body) {
        Fixture plain = new Fixture();
        Fixture indexed = new Fixture();
        ObjectNode expected = new ReferenceBulk(plain.service).execute(body.deepCopy(), BASE);
        ObjectNode actual = new Bulk(indexed.service).execute(body.deepCopy(), BASE);
        assertThat(actual.toString()).isEqualTo(expected.toString());
        assertThat(indexed.dump()).isEqualTo(plain.dump());
    }

    /**
     * The order within a pass: x waits for z (defined later), w waits for x; in the first pass z and v are created,
     * in the second x, then at once w (after x in the same pass, as the plain loop visits it there), then the one
     * that waited for v. The ids the server hands out show the order.
     */
    @Test
    void anOperationWokenByAnEarlierOneInThePassRunsInThatPass() {
        ObjectNode body = Json.object();
        ArrayNode arr = body.putArray("Operations");
        arr.add(user("x", "z"));
        arr.add(user("w", "x"));
        arr.add(user("z", null));
        arr.add(user("k", "v"));
        arr.add(user("v", null));
        assertSameAsPlainLoop(body);
        ObjectNode out = new Bulk(new Fixture().service).execute(body, BASE);
        List<String> locations = new ArrayList<>();
        out.get("Operations").forEach(o -> locations.add(o.get("location").asText().replaceAll(".*/", "")));
        assertThat(locations).containsExactly("id-0003", "id-0004", "id-0001", "id-0005", "id-0002");
    }

    /** A bulkId whose operation failed fails those waiting for it one pass later, counted for failOnErrors. */
    @Test
    void aFailedDefinerFailsItsWaitersInTheNextPass() {
        ObjectNode body = Json.object().put("failOnErrors", 3);
        ArrayNode arr = body.putArray("Operations");
        arr.add(user("a", "b"));
        arr.add(user("c", "a"));
        ObjectNode bad = user("b", null);
        ((ObjectNode) bad.get("data")).remove("userName");
        arr.add(bad);
        arr.add(user("d", null));
        arr.add(user("e", "e"));
        assertSameAsPlainLoop(body);
        body.put("failOnErrors", 2);
        assertSameAsPlainLoop(body);
        body.put("failOnErrors", 1);
        assertSameAsPlainLoop(body);
    }

    /** A long chain of forward references (each operation names the next) resolves, from its end. */
    @Test
    void aLongForwardChainResolvesCompletely() {
        ObjectNode body = Json.object();
        body.putArray("schemas").add(Urns.BULK_REQUEST);
        ArrayNode arr = body.putArray("Operations");
        int n = 300;
        for (int i = 0; i < n; i++) {
            ObjectNode data = Json.object().put("userName", "chain" + i);
            if (i < n - 1) {
                data.putObject("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User").putObject("manager")
                        .put("value", ref("u" + (i + 1)));
            }
            arr.addObject().put("method", "POST").put("path", "/Users").put("bulkId", "u" + i).set("data", data);
        }
        Fixture plain = new Fixture();
        Fixture indexed = new Fixture();
        ObjectNode expected = new ReferenceBulk(plain.service).execute(body.deepCopy(), BASE);
        ObjectNode actual = new Bulk(indexed.service).execute(body, BASE);
        assertThat(actual.toString()).isEqualTo(expected.toString());
        List<String> statuses = new ArrayList<>();
        actual.get("Operations").forEach(o -> statuses.add(o.get("status").asText()));
        assertThat(statuses).hasSize(n).containsOnly("201");
        assertThat(indexed.store.userCount()).isEqualTo(n);
        assertThat(indexed.dump()).isEqualTo(plain.dump());
    }
}
