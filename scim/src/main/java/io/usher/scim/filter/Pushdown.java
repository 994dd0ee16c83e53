package io.usher.scim.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Splits a filter into what a store can answer from an index (string equality on a few attributes) and what must
 * be evaluated in memory on the candidates. Only the filter itself or the operands of a top-level {@code and}
 * are pushed: {@code userName eq "a" and active eq true} gives the term {@code userName = "a"} and the remainder
 * {@code active eq true}; an {@code or}, {@code not} or value path is never split.
 *
 * <p>The result is exact: a resource matches the filter if and only if it matches every term (with the term's
 * case rule) and the remainder. Immutable and thread-safe.
 *
 * @param terms     the equality terms, in filter order (possibly two on the same attribute)
 * @param remainder what is left to evaluate in memory; empty when the terms say everything
 */
public record Pushdown(List<Term> terms, Optional<Filter> remainder) {

    /** The attributes pushed by {@link #split(Filter)}: {@code id}, {@code externalId}, {@code userName}, {@code displayName}. */
    public static final Set<String> DEFAULT_ATTRIBUTES = Set.of("id", "externalId", "userName", "displayName");

    /** Copies the terms. */
    public Pushdown {
        terms = List.copyOf(terms);
        Objects.requireNonNull(remainder, "remainder");
    }

    /**
     * One pushable equality.
     *
     * @param attribute the attribute, spelled as in {@link #DEFAULT_ATTRIBUTES} (or as passed to
     *                  {@link #split(Filter, Set)}), whatever case the filter used
     * @param value     the string the attribute must equal
     * @param caseExact whether the comparison is case-exact ({@code id} and {@code externalId}) or not
     *                  ({@code userName}, {@code displayName}), per RFC 7643
     */
    public record Term(String attribute, String value, boolean caseExact) {
        /** Requires all parts. */
        public Term {
            Objects.requireNonNull(attribute, "attribute");
            Objects.requireNonNull(value, "value");
        }
    }

    /** Splits against {@link #DEFAULT_ATTRIBUTES}. */
    public static Pushdown split(Filter filter) {
        return split(filter, DEFAULT_ATTRIBUTES);
    }

    /**
     * Splits a filter. A term is an {@code eq} with a string value on one of {@code attributes} (case-insensitive),
     * with no sub-attribute and either no schema prefix or a core schema prefix
     * ({@code urn:ietf:params:scim:schemas:core:2.0:...}).
     */
    public static Pushdown split(Filter filter, Set<String> attributes) {
        Objects.requireNonNull(filter, "filter");
        List<Filter> operands = filter instanceof Filter.And and ? and.operands() : List.of(filter);
        List<Term> terms = new ArrayList<>();
        List<Filter> rest = new ArrayList<>();
        Set<String> lower = attributes.stream().map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        for (Filter f : operands) {
            Optional<Term> t = term(f, attributes, lower);
            if (t.isPresent()) {
                terms.add(t.get());
            } else {
                rest.add(f);
            }
        }
        return new Pushdown(terms, rest.isEmpty() ? Optional.empty() : Optional.of(Filter.and(rest)));
    }

    /** Whether the whole filter was pushed (no remainder) and at least one term exists. */
    public boolean fullyPushed() {
        return !terms.isEmpty() && remainder.isEmpty();
    }

    /** The terms on one attribute (case-insensitive). */
    public List<Term> termsFor(String attribute) {
        return terms.stream().filter(t -> t.attribute().equalsIgnoreCase(attribute)).toList();
    }

    private static Optional<Term> term(Filter f, Set<String> attributes, Set<String> lower) {
        if (!(f instanceof Filter.Comparison c) || c.op() != CompareOp.EQ
                || c.value().kind() != Literal.Kind.STRING || c.path().subAttribute() != null) {
            return Optional.empty();
        }
        String schema = c.path().schema();
        if (schema != null && !schema.toLowerCase(Locale.ROOT).startsWith("urn:ietf:params:scim:schemas:core:2.0:")) {
            return Optional.empty();
        }
        if (!lower.contains(c.path().name().toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        String canonical = attributes.stream().filter(a -> a.equalsIgnoreCase(c.path().name())).findFirst()
                .orElseThrow();
        boolean caseExact = canonical.equalsIgnoreCase("id") || canonical.equalsIgnoreCase("externalId");
        return Optional.of(new Term(canonical, c.value().asString(), caseExact));
    }
}
