package io.usher.scim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.scim.filter.Filter;
import io.usher.scim.filter.FilterEvaluator;
import io.usher.scim.schema.Schemas;
import java.util.function.Predicate;
import io.usher.scim.filter.FilterVisitor;
import io.usher.scim.filter.Pushdown;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The server's use of the filter language ({@link io.usher.scim.filter}): parse once, push the equality terms
 * of a top-level {@code and} down to the store, evaluate the rest on the candidates.
 */
final class Filtering {
    /** A pushable equality term: attribute is userName, externalId, displayName or id. */
    record EqTerm(String attribute, String value, boolean caseExact) {}

    interface Compiled {
        boolean matches(ObjectNode resource);

        /** Equality terms every match must satisfy (empty when none can be pushed down). */
        List<EqTerm> pushable();

        /** Whether the filter reads the attribute (so the server computes it, e.g. members). */
        boolean mentions(String attribute);
    }

    private Filtering() {}

    static Compiled compile(String text, String resourceType) {
        Filter filter = Filter.parse(text);
        Pushdown split = Pushdown.split(filter, resourceType.equals("User") ? Pushdown.DEFAULT_ATTRIBUTES
                : Set.of("id", "externalId", "displayName"));
        List<EqTerm> terms = split.terms().stream().map(t -> new EqTerm(t.attribute(), t.value(), t.caseExact()))
                .toList();
        Set<String> names = attributeNames(filter);
        FilterEvaluator evaluator = FilterEvaluator.forResourceType(resourceType.equals("User")
                ? Schemas.USER_RESOURCE : Schemas.GROUP_RESOURCE);
        evaluator.predicate(filter); // checks operators against attribute types once: 400 invalidFilter
        Optional<Predicate<JsonNode>> rest = split.remainder().map(evaluator::predicate);
        return new Compiled() {
            @Override
            public boolean matches(ObjectNode resource) {
                for (EqTerm t : terms) {
                    JsonNode v = Json.field(resource, t.attribute());
                    if (v == null || !v.isTextual() || !(t.caseExact() ? v.asText().equals(t.value())
                            : v.asText().equalsIgnoreCase(t.value()))) {
                        return false;
                    }
                }
                return rest.isEmpty() || rest.get().test(resource);
            }

            @Override
            public List<EqTerm> pushable() {
                return terms;
            }

            @Override
            public boolean mentions(String attribute) {
                return names.contains(attribute.toLowerCase(Locale.ROOT));
            }
        };
    }

    /** The (lower-case) top-level attribute names a filter reads. */
    private static Set<String> attributeNames(Filter f) {
        Set<String> out = new HashSet<>();
        f.accept(new FilterVisitor<Void>() {
            @Override public Void visitComparison(Filter.Comparison c) {
                out.add(c.path().name().toLowerCase(Locale.ROOT));
                return null;
            }
            @Override public Void visitPresent(Filter.Present p) {
                out.add(p.path().name().toLowerCase(Locale.ROOT));
                return null;
            }
            @Override public Void visitAnd(Filter.And a) {
                a.operands().forEach(o -> o.accept(this));
                return null;
            }
            @Override public Void visitOr(Filter.Or o) {
                o.operands().forEach(x -> x.accept(this));
                return null;
            }
            @Override public Void visitNot(Filter.Not n) {
                n.filter().accept(this);
                return null;
            }
            @Override public Void visitValuePath(Filter.ValuePath v) {
                out.add(v.attribute().name().toLowerCase(Locale.ROOT));
                return null;
            }
        });
        return out;
    }
}
