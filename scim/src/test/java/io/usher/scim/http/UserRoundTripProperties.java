package io.usher.scim.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.scim.http.ScimHttpServer.Resp;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** What a client POSTs is what it GETs back: every supported attribute survives the mapping to Usher's model. */
class UserRoundTripProperties {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final AtomicInteger N = new AtomicInteger();
    private static ScimHttpServer s;

    @BeforeContainer
    static void start() {
        s = ScimHttpServer.start();
    }

    @AfterContainer
    static void stop() {
        s.close();
    }

    @Property(tries = 60)
    void postedUsersReadBackAsPosted(@ForAll("users") ObjectNode user) {
        user.put("userName", "rt" + N.incrementAndGet());
        Resp created = s.post("/Users", user.toString());
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        JsonNode got = s.get("/Users/" + created.body().get("id").asText()).body();
        for (String field : new String[] {"userName", "displayName", "title", "nickName", "externalId", "active",
                "name", "emails", "phoneNumbers", "addresses", "roles",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"}) {
            if (user.has(field)) {
                assertThat(got.get(field)).as(field + " in " + got).isEqualTo(user.get(field));
            }
        }
    }

    @Provide
    Arbitrary<ObjectNode> users() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~').withChars("éßЖ中").ofMinLength(1)
                .ofMaxLength(30).filter(t -> !t.isBlank());
        Arbitrary<ArrayNode> emails = Combinators.combine(text, Arbitraries.of("work", "home", "other"))
                .as((v, t) -> (JsonNode) F.objectNode().put("value", v.replace(" ", "") + "@x.example").put("type", t))
                .list().ofMaxSize(3).uniqueElements(e -> e.get("value").asText()).map(l -> {
                    ArrayNode a = F.arrayNode();
                    for (int i = 0; i < l.size(); i++) {
                        ObjectNode e = ((ObjectNode) l.get(i)).deepCopy();
                        if (i == 0) {
                            e.put("primary", true);
                        }
                        a.add(e);
                    }
                    return a;
                });
        Arbitrary<ArrayNode> addresses = Combinators.combine(text, text, Arbitraries.of("work", "home"))
                .as((street, city, t) -> (JsonNode) F.objectNode().put("streetAddress", street).put("locality", city)
                        .put("type", t)).list().ofMaxSize(2).uniqueElements().map(l -> {
                            ArrayNode a = F.arrayNode();
                            l.forEach(a::add);
                            return a;
                        });
        Arbitrary<ObjectNode> name = Combinators.combine(text, text, text.injectNull(0.5))
                .as((g, f, m) -> {
                    ObjectNode n = F.objectNode().put("familyName", f).put("givenName", g);
                    if (m != null) {
                        n.put("middleName", m);
                    }
                    return n;
                });
        Arbitrary<ObjectNode> enterprise = Combinators.combine(text, text.injectNull(0.5))
                .as((d, e) -> {
                    ObjectNode n = F.objectNode().put("department", d);
                    if (e != null) {
                        n.put("employeeNumber", e);
                    }
                    return n;
                });
        return Combinators.combine(text.injectNull(0.3), text.injectNull(0.5), Arbitraries.of(true, false), name,
                emails, addresses, enterprise.injectNull(0.5), text.injectNull(0.5)).as(
                (display, title, active, n, em, ad, ent, ext) -> {
                    ObjectNode u = F.objectNode();
                    if (display != null) {
                        u.put("displayName", display);
                    }
                    if (title != null) {
                        u.put("title", title);
                    }
                    if (ext != null) {
                        u.put("externalId", ext);
                    }
                    u.put("active", active);
                    u.set("name", n);
                    if (!em.isEmpty()) {
                        u.set("emails", em);
                    }
                    if (!ad.isEmpty()) {
                        u.set("addresses", ad);
                    }
                    if (ent != null) {
                        u.set("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", ent);
                    }
                    return u;
                });
    }
}
