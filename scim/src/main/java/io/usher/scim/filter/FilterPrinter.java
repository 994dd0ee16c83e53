package io.usher.scim.filter;

/** Prints the canonical form of a filter: lower-case operators, minimal parentheses, JSON-escaped strings. */
final class FilterPrinter implements FilterVisitor<Void> {

    private final StringBuilder out = new StringBuilder();

    private FilterPrinter() {
    }

    static String print(Filter filter) {
        FilterPrinter p = new FilterPrinter();
        filter.accept(p);
        return p.out.toString();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    @Override
    public Void visitComparison(Filter.Comparison c) {
        out.append(c.path()).append(' ').append(c.op().token()).append(' ').append(c.value());
        return null;
    }

    @Override
    public Void visitPresent(Filter.Present p) {
        out.append(p.path()).append(" pr");
        return null;
    }

    @Override
    public Void visitAnd(Filter.And and) {
        String sep = "";
        for (Filter f : and.operands()) {
            out.append(sep);
            sep = " and ";
            if (f instanceof Filter.Or) {
                out.append('(');
                f.accept(this);
                out.append(')');
            } else {
                f.accept(this);
            }
        }
        return null;
    }

    @Override
    public Void visitOr(Filter.Or or) {
        String sep = "";
        for (Filter f : or.operands()) {
            out.append(sep);
            sep = " or ";
            f.accept(this);
        }
        return null;
    }

    @Override
    public Void visitNot(Filter.Not not) {
        out.append("not (");
        not.filter().accept(this);
        out.append(')');
        return null;
    }

    @Override
    public Void visitValuePath(Filter.ValuePath vp) {
        out.append(vp.attribute()).append('[');
        vp.filter().accept(this);
        out.append(']');
        return null;
    }
}
