package io.usher.scim.filter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.scim.schema.Schemas;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** What a store answers from Pushdown.terms (with each term's case rule) plus the remainder is exactly the filter. */
class PushdownProperties {

    static final FilterEvaluator USERS = FilterEvaluator.forResourceType(Schemas.USER_RESOURCE);
    static final List<String> VALUES = List.of("a", "A", "b", "B");

    Arbitrary<Filter> leaf() {
        Arbitrary<Filter> pushable = Combinators.combine(
                Arbitraries.of("id", "externalId", "userName", "displayName", "USERNAME",
                        "urn:ietf:params:scim:schemas:core:2.0:User:userName"),
                Arbitraries.of(VALUES)).as((a, v) -> Filter.eq(a, v));
        Arbitrary<Filter> other = Arbitraries.oneOf(
                Arbitraries.of(true, false).map(b -> Filter.eq(AttributePath.of("active"), Literal.bool(b))),
                Arbitraries.of("title", "userName", "nickName").map(a -> Filter.present(AttributePath.of(a))),
                Arbitraries.of(VALUES).map(v -> Filter.compare(AttributePath.of("title"), CompareOp.SW, Literal.string(v))),
                Arbitraries.of(VALUES).map(v -> Filter.compare(AttributePath.of("userName"), CompareOp.NE, Literal.string(v))));
        return Arbitraries.oneOf(pushable, pushable, other);
    }

    Arbitrary<Filter> tree(int depth) {
        if (depth == 0) {
            return leaf();
        }
        Arbitrary<Filter> sub = Arbitraries.lazy(() -> tree(depth - 1));
        return Arbitraries.oneOf(leaf(), sub.list().ofMinSize(2).ofMaxSize(4).map(Filter::and),
                sub.list().ofMinSize(2).ofMaxSize(3).map(Filter::or), sub.map(Filter::not));
    }

    @Provide
    Arbitrary<Filter> filters() {
        return Arbitraries.integers().between(0, 3).flatMap(this::tree);
    }

    @Provide
    Arbitrary<JsonNode> users() {
        Arbitrary<String> v = Arbitraries.of(VALUES).injectNull(0.2);
        return Combinators.combine(v, v, v, v, v, Arbitraries.of(true, false)).as((id, ext, un, dn, title, active) -> {
            ObjectNode u = JsonNodeFactory.instance.objectNode();
            if (id != null) {
                u.put("id", id);
            }
            if (ext != null) {
                u.put("externalId", ext);
            }
            if (un != null) {
                u.put("userName", un);
            }
            if (dn != null) {
                u.put("displayName", dn);
            }
            if (title != null) {
                u.put("title", title);
            }
            u.put("active", active);
            return u;
        });
    }

    @Property(tries = 1000)
    void termsAndRemainderAreExactlyTheFilter(@ForAll("filters") Filter filter, @ForAll("users") JsonNode user) {
        Pushdown split = Pushdown.split(filter);
        boolean byStore = true;
        for (Pushdown.Term t : split.terms()) {
            JsonNode actual = user.get(t.attribute());
            boolean eq = actual != null && (t.caseExact() ? actual.asText().equals(t.value())
                    : actual.asText().toLowerCase(Locale.ROOT).equals(t.value().toLowerCase(Locale.ROOT)));
            byStore &= eq;
        }
        boolean byRemainder = split.remainder().map(r -> USERS.matches(r, user)).orElse(true);
        assertThat(byStore && byRemainder).isEqualTo(USERS.matches(filter, user));
        // nothing is lost: terms and remainder rebuild the filter's operands
        List<Filter> rebuilt = new ArrayList<>();
        split.terms().forEach(t -> rebuilt.add(Filter.eq(t.attribute(), t.value())));
        split.remainder().ifPresent(rebuilt::add);
        int operands = filter instanceof Filter.And and ? and.operands().size() : 1;
        int remainderOperands = split.remainder().map(r -> r instanceof Filter.And a ? a.operands().size() : 1)
                .orElse(0);
        assertThat(split.terms().size() + remainderOperands).isEqualTo(operands);
        assertThat(rebuilt).isNotEmpty();
    }
}
