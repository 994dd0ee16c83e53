package io.usher.scim.filter;

/**
 * A visitor over {@link Filter} nodes.
 *
 * @param <R> what a visit returns
 */
public interface FilterVisitor<R> {
    /** {@code path op value}. */
    R visitComparison(Filter.Comparison comparison);

    /** {@code path pr}. */
    R visitPresent(Filter.Present present);

    /** {@code a and b ...}. */
    R visitAnd(Filter.And and);

    /** {@code a or b ...}. */
    R visitOr(Filter.Or or);

    /** {@code not (f)}. */
    R visitNot(Filter.Not not);

    /** {@code attr[f]}. */
    R visitValuePath(Filter.ValuePath valuePath);
}
