package io.usher.scim.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.scim.ScimException;
import java.math.BigDecimal;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class FilterRoundTripProperties {

    private static final List<String> NAMES = List.of("userName", "name", "emails", "active", "not", "and", "or",
            "pr", "eq", "x-1", "a_b", "$ref", "members", "Type", "value");
    private static final List<String> SCHEMAS = List.of("urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "urn:x:y");

    Arbitrary<String> name() {
        return Arbitraries.oneOf(Arbitraries.of(NAMES),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(3)
                        .flatMap(first -> Arbitraries.strings().withChars("abcXYZ019_-").ofMaxLength(6)
                                .map(rest -> first + rest)));
    }

    Arbitrary<AttributePath> path(boolean allowSchema) {
        Arbitrary<String> schema = allowSchema ? Arbitraries.of(SCHEMAS).injectNull(0.6) : Arbitraries.just(null);
        return Combinators.combine(schema, name(), name().injectNull(0.6)).as(AttributePath::of);
    }

    Arbitrary<Literal> literal() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12).map(Literal::string),
                Arbitraries.strings().withChars("\"\\/\n\t\u0001é名 ").ofMaxLength(6).map(Literal::string),
                Arbitraries.bigDecimals().between(new BigDecimal("-1e9"), new BigDecimal("1e9")).ofScale(3)
                        .map(Literal::number),
                Arbitraries.longs().map(Literal::number),
                Arbitraries.of(Literal.bool(true), Literal.bool(false), Literal.nullValue()));
    }

    Arbitrary<Filter> leaf(boolean allowSchema) {
        return Arbitraries.oneOf(
                Combinators.combine(path(allowSchema), Arbitraries.of(CompareOp.class), literal())
                        .as(Filter::compare),
                path(allowSchema).map(Filter::present));
    }

    Arbitrary<Filter> tree(int depth, boolean inValuePath) {
        if (depth == 0) {
            return leaf(!inValuePath);
        }
        Arbitrary<Filter> sub = Arbitraries.lazy(() -> tree(depth - 1, inValuePath));
        List<Arbitrary<Filter>> choices = new java.util.ArrayList<>(List.of(
                leaf(!inValuePath),
                sub.list().ofMinSize(2).ofMaxSize(4).map(Filter::and),
                sub.list().ofMinSize(2).ofMaxSize(4).map(Filter::or),
                sub.map(Filter::not)));
        if (!inValuePath) {
            choices.add(Combinators.combine(path(true).map(AttributePath::parent),
                    Arbitraries.lazy(() -> tree(Math.min(depth - 1, 2), true))).as(Filter::valuePath));
        }
        return Arbitraries.oneOf(choices);
    }

    @Provide
    Arbitrary<Filter> filters() {
        return Arbitraries.integers().between(0, 4).flatMap(d -> tree(d, false));
    }

    @Property(tries = 500)
    void printThenParseGivesTheSameTree(@ForAll("filters") Filter filter) {
        String printed = filter.toString();
        Filter reparsed = Filter.parse(printed);
        assertThat(reparsed).isEqualTo(filter);
        assertThat(reparsed.toString()).isEqualTo(printed);
    }

    @Property(tries = 300)
    void patchPathsRoundTrip(@ForAll("filters") Filter inner) {
        if (inner.toString().contains("[")) {
            return; // value filters do not nest
        }
        PatchPath path = new PatchPath(AttributePath.of("emails"), inner, "value");
        assertThat(PatchPath.parse(path.toString())).isEqualTo(path);
    }

    @Property(tries = 1000)
    void arbitraryTextEitherParsesOrFailsWithAScimError(@ForAll("noise") String text) {
        try {
            Filter f = Filter.parse(text);
            assertThat(Filter.parse(f.toString())).isEqualTo(f);
        } catch (ScimException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).startsWith("invalid filter at column ");
        }
    }

    @Property(tries = 1000)
    void arbitraryPathsEitherParseOrFailWithAScimError(@ForAll("noise") String text) {
        try {
            PatchPath p = PatchPath.parse(text);
            assertThat(PatchPath.parse(p.toString())).isEqualTo(p);
        } catch (ScimException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).startsWith("invalid path at column ");
        }
        try {
            AttributePath a = AttributePath.parse(text);
            assertThat(AttributePath.parse(a.toString())).isEqualTo(a);
        } catch (ScimException e) {
            assertThat(e.getMessage()).startsWith("invalid attribute path at column ");
        }
    }

    @Provide
    Arbitrary<String> noise() {
        Arbitrary<String> tokens = Arbitraries.of("userName", " ", "eq", "pr", "and", "or", "not", "(", ")", "[",
                "]", "\"", "\\", ".", ":", "urn:a:b", "1", "-2.5e3", "true", "null", "emails", "value", "\"x\"",
                "\u0000", "é");
        return tokens.list().ofMaxSize(14).map(l -> String.join("", l));
    }
}
