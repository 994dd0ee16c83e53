package io.usher.scim.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A parsed SCIM filter (RFC 7644 §3.4.2.2): a tree of immutable nodes. Build one with {@link #parse(String)} or
 * with the static factories ({@link #eq(String, String)}, {@link #and(Filter...)}, ...); walk it with a
 * {@link FilterVisitor}; each node's {@code toString()} prints the canonical form, which parses back to an equal tree.
 *
 * <p>{@code and} and {@code or} are n-ary and flattened: {@code a and (b and c)} is the same tree as
 * {@code a and b and c}. The Entra form {@code emails[type eq "work"].value eq "x"} is normalised to
 * {@code emails[type eq "work" and value eq "x"]}, which means the same thing.
 *
 * <p>All nodes are immutable and thread-safe.
 */
public sealed interface Filter {

    /** Accepts a visitor. */
    <R> R accept(FilterVisitor<R> visitor);

    /**
     * Parses a filter with the default limits ({@link FilterParser#defaults()}).
     *
     * @throws io.usher.scim.ScimException 400 {@code invalidFilter} naming the column and what was expected
     */
    static Filter parse(String text) {
        return FilterParser.defaults().parseFilter(text);
    }

    /** {@code path op value}. */
    record Comparison(AttributePath path, CompareOp op, Literal value) implements Filter {
        /** Requires all parts. */
        public Comparison {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public <R> R accept(FilterVisitor<R> visitor) {
            return visitor.visitComparison(this);
        }

        @Override
        public String toString() {
            return FilterPrinter.print(this);
        }
    }

    /** {@code path pr}. */
    record Present(AttributePath path) implements Filter {
        /** Requires the path. */
        public Present {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public <R> R accept(FilterVisitor<R> visitor) {
            return visitor.visitPresent(this);
        }

        @Override
        public String toString() {
            return FilterPrinter.print(this);
        }
    }

    /** {@code a and b and ...}: at least two operands, none of them an {@code And} (nested ones are flattened). */
    record And(List<Filter> operands) implements Filter {
        /** Flattens nested {@code And}s and copies the list. */
        public And {
            operands = flatten(operands, And.class);
        }

        @Override
        public <R> R accept(FilterVisitor<R> visitor) {
            return visitor.visitAnd(this);
        }

        @Override
        public String toString() {
            return FilterPrinter.print(this);
        }
    }

    /** {@code a or b or ...}: at least two operands, none of them an {@code Or} (nested ones are flattened). */
    record Or(List<Filter> operands) implements Filter {
        /** Flattens nested {@code Or}s and copies the list. */
        public Or {
            operands = flatten(operands, Or.class);
        }

        @Override
        public <R> R accept(FilterVisitor<R> visitor) {
            return visitor.visitOr(this);
        }

        @Override
        public String toString() {
            return FilterPrinter.print(this);
        }
    }

    /** {@code not (filter)}. */
    record Not(Filter filter) implements Filter {
        /** Requires the operand. */
        public Not {
            Objects.requireNonNull(filter, "filter");
        }

        @Override
        public <R> R accept(FilterVisitor<R> visitor) {
            return visitor.visitNot(this);
        }

        @Override
        public String toString() {
            return FilterPrinter.print(this);
        }
    }

    /**
     * {@code attribute[filter]}: matches when one value of the multi-valued (or complex) attribute matches the
     * inner filter, whose paths name sub-attributes. The attribute has no sub-attribute and the inner filter
     * holds no value path (RFC 7644 forbids nesting them).
     */
    record ValuePath(AttributePath attribute, Filter filter) implements Filter {
        /** Checks the nesting rules. */
        public ValuePath {
            Objects.requireNonNull(attribute, "attribute");
            Objects.requireNonNull(filter, "filter");
            if (attribute.subAttribute() != null) {
                throw new IllegalArgumentException("a value path's attribute has no sub-attribute: " + attribute);
            }
            if (containsValuePath(filter)) {
                throw new IllegalArgumentException("value paths do not nest");
            }
        }

        @Override
        public <R> R accept(FilterVisitor<R> visitor) {
            return visitor.visitValuePath(this);
        }

        @Override
        public String toString() {
            return FilterPrinter.print(this);
        }
    }

    // ---- factories -------------------------------------------------------------------------------------------

    /** {@code path op value}. */
    static Filter compare(AttributePath path, CompareOp op, Literal value) {
        return new Comparison(path, op, value);
    }

    /** {@code attribute eq "value"}. */
    static Filter eq(String attribute, String value) {
        return new Comparison(AttributePath.parse(attribute), CompareOp.EQ, Literal.string(value));
    }

    /** {@code path eq value}. */
    static Filter eq(AttributePath path, Literal value) {
        return new Comparison(path, CompareOp.EQ, value);
    }

    /** {@code path pr}. */
    static Filter present(AttributePath path) {
        return new Present(path);
    }

    /** {@code a and b ...}; a single operand is returned as it is. */
    static Filter and(Filter... operands) {
        return and(List.of(operands));
    }

    /** {@code a and b ...}; a single operand is returned as it is. */
    static Filter and(List<Filter> operands) {
        return operands.size() == 1 ? operands.get(0) : new And(operands);
    }

    /** {@code a or b ...}; a single operand is returned as it is. */
    static Filter or(Filter... operands) {
        return or(List.of(operands));
    }

    /** {@code a or b ...}; a single operand is returned as it is. */
    static Filter or(List<Filter> operands) {
        return operands.size() == 1 ? operands.get(0) : new Or(operands);
    }

    /** {@code not (filter)}. */
    static Filter not(Filter filter) {
        return new Not(filter);
    }

    /** {@code attribute[filter]}. */
    static Filter valuePath(AttributePath attribute, Filter filter) {
        return new ValuePath(attribute, filter);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static List<Filter> flatten(List<Filter> operands, Class<? extends Filter> kind) {
        Objects.requireNonNull(operands, "operands");
        List<Filter> out = new ArrayList<>(operands.size());
        for (Filter f : operands) {
            Objects.requireNonNull(f, "operand");
            if (kind.isInstance(f)) {
                out.addAll(f instanceof And a ? a.operands() : ((Or) f).operands());
            } else {
                out.add(f);
            }
        }
        if (out.size() < 2) {
            throw new IllegalArgumentException(kind.getSimpleName().toLowerCase(java.util.Locale.ROOT)
                    + " needs at least two operands");
        }
        return List.copyOf(out);
    }

    private static boolean containsValuePath(Filter f) {
        if (f instanceof ValuePath) {
            return true;
        }
        if (f instanceof And a) {
            return a.operands().stream().anyMatch(Filter::containsValuePath);
        }
        if (f instanceof Or o) {
            return o.operands().stream().anyMatch(Filter::containsValuePath);
        }
        if (f instanceof Not n) {
            return containsValuePath(n.filter());
        }
        return false;
    }
}
