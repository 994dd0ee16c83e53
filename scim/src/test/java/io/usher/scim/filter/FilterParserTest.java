package io.usher.scim.filter;

import static io.usher.scim.filter.Filter.and;
import static io.usher.scim.filter.Filter.compare;
import static io.usher.scim.filter.Filter.not;
import static io.usher.scim.filter.Filter.or;
import static io.usher.scim.filter.Filter.present;
import static io.usher.scim.filter.Filter.valuePath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.scim.ScimException;
import io.usher.scim.ScimException.ScimType;
import java.math.BigDecimal;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class FilterParserTest {

    static final String ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    static final String CORE = "urn:ietf:params:scim:schemas:core:2.0:User";

    static AttributePath p(String s) {
        int dot = s.indexOf('.');
        return dot < 0 ? AttributePath.of(s) : AttributePath.of(s.substring(0, dot), s.substring(dot + 1));
    }

    static Filter eq(String path, Literal v) {
        return compare(p(path), CompareOp.EQ, v);
    }

    static Literal s(String v) {
        return Literal.string(v);
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("userName eq \"bjensen\"", eq("userName", s("bjensen"))),
                Arguments.of("userName Eq \"bjensen\"", eq("userName", s("bjensen"))),
                Arguments.of("name.familyName co \"O'Malley\"",
                        compare(p("name.familyName"), CompareOp.CO, s("O'Malley"))),
                Arguments.of("userName sw \"J\"", compare(p("userName"), CompareOp.SW, s("J"))),
                Arguments.of("userName ew \"n\"", compare(p("userName"), CompareOp.EW, s("n"))),
                Arguments.of(CORE + ":userName sw \"J\"",
                        compare(AttributePath.of(CORE, "userName", null), CompareOp.SW, s("J"))),
                Arguments.of(ENT + ":employeeNumber eq \"701984\"",
                        compare(AttributePath.of(ENT, "employeeNumber", null), CompareOp.EQ, s("701984"))),
                Arguments.of(ENT + ":manager.value eq \"26118915-6090-4610-87e4-49d8ca9f808d\"",
                        compare(AttributePath.of(ENT, "manager", "value"), CompareOp.EQ,
                                s("26118915-6090-4610-87e4-49d8ca9f808d"))),
                Arguments.of("title pr", present(p("title"))),
                Arguments.of("title PR", present(p("title"))),
                Arguments.of("meta.lastModified gt \"2011-05-13T04:42:34Z\"",
                        compare(p("meta.lastModified"), CompareOp.GT, s("2011-05-13T04:42:34Z"))),
                Arguments.of("meta.lastModified ge \"2011-05-13T04:42:34Z\"",
                        compare(p("meta.lastModified"), CompareOp.GE, s("2011-05-13T04:42:34Z"))),
                Arguments.of("meta.lastModified lt \"2011-05-13T04:42:34Z\"",
                        compare(p("meta.lastModified"), CompareOp.LT, s("2011-05-13T04:42:34Z"))),
                Arguments.of("meta.lastModified le \"2011-05-13T04:42:34Z\"",
                        compare(p("meta.lastModified"), CompareOp.LE, s("2011-05-13T04:42:34Z"))),
                Arguments.of("title pr and userType eq \"Employee\"",
                        and(present(p("title")), eq("userType", s("Employee")))),
                Arguments.of("title pr or userType eq \"Intern\"",
                        or(present(p("title")), eq("userType", s("Intern")))),
                Arguments.of("schemas eq \"" + ENT + "\"", eq("schemas", s(ENT))),
                // and binds tighter than or
                Arguments.of("a pr or b pr and c pr", or(present(p("a")), and(present(p("b")), present(p("c"))))),
                Arguments.of("a pr and b pr or c pr", or(and(present(p("a")), present(p("b"))), present(p("c")))),
                Arguments.of("a pr and (b pr or c pr)", and(present(p("a")), or(present(p("b")), present(p("c"))))),
                Arguments.of("a pr and (b pr and c pr)", and(present(p("a")), present(p("b")), present(p("c")))),
                Arguments.of("userType eq \"Employee\" and (emails co \"example.com\" or emails.value co \"example.org\")",
                        and(eq("userType", s("Employee")), or(compare(p("emails"), CompareOp.CO, s("example.com")),
                                compare(p("emails.value"), CompareOp.CO, s("example.org"))))),
                Arguments.of("userType ne \"Employee\" and not (emails co \"example.com\" or emails.value co \"example.org\")",
                        and(compare(p("userType"), CompareOp.NE, s("Employee")),
                                not(or(compare(p("emails"), CompareOp.CO, s("example.com")),
                                        compare(p("emails.value"), CompareOp.CO, s("example.org")))))),
                Arguments.of("userType eq \"Employee\" and (emails.type eq \"work\")",
                        and(eq("userType", s("Employee")), eq("emails.type", s("work")))),
                Arguments.of("userType eq \"Employee\" and emails[type eq \"work\" and value co \"@example.com\"]",
                        and(eq("userType", s("Employee")), valuePath(p("emails"), and(eq("type", s("work")),
                                compare(p("value"), CompareOp.CO, s("@example.com")))))),
                Arguments.of("emails[type eq \"work\" and value co \"@example.com\"] or ims[type eq \"xmpp\" and value co \"@foo.com\"]",
                        or(valuePath(p("emails"), and(eq("type", s("work")), compare(p("value"), CompareOp.CO, s("@example.com")))),
                                valuePath(p("ims"), and(eq("type", s("xmpp")), compare(p("value"), CompareOp.CO, s("@foo.com")))))),
                Arguments.of("emails[type eq \"work\" and primary eq true].value eq \"a@b.c\"",
                        valuePath(p("emails"), and(eq("type", s("work")), eq("primary", Literal.bool(true)),
                                eq("value", s("a@b.c"))))),
                Arguments.of("emails[type eq \"work\"].value eq \"a@b.c\"",
                        valuePath(p("emails"), and(eq("type", s("work")), eq("value", s("a@b.c"))))),
                Arguments.of("emails[not (type eq \"work\")]", valuePath(p("emails"), not(eq("type", s("work"))))),
                Arguments.of("members[value eq \"x\"]", valuePath(p("members"), eq("value", s("x")))),
                Arguments.of("members.$ref pr", present(AttributePath.of("members", "$ref"))),
                Arguments.of("active eq True", eq("active", Literal.bool(true))),
                Arguments.of("active eq false", eq("active", Literal.bool(false))),
                Arguments.of("nickName eq null", eq("nickName", Literal.nullValue())),
                Arguments.of("x eq 42", eq("x", Literal.number(42))),
                Arguments.of("x gt -1.5e3", compare(p("x"), CompareOp.GT, Literal.number(new BigDecimal("-1.5e3")))),
                Arguments.of("x eq 0", eq("x", Literal.number(0))),
                Arguments.of("x eq \"a\\\"b\\\\c\\/d\\n\\u00e9\"", eq("x", s("a\"b\\c/d\né"))),
                Arguments.of("  (  ( userName eq \"a\" ) )  ", eq("userName", s("a"))),
                Arguments.of("not (a pr)", not(present(p("a")))),
                Arguments.of("not(a pr)", not(present(p("a")))),
                Arguments.of("not pr", present(p("not"))),
                Arguments.of("a pr\tand\nb pr", and(present(p("a")), present(p("b")))),
                Arguments.of("userName eq \"ünïcödé 名前\"", eq("userName", s("ünïcödé 名前"))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("valid")
    void parsesValidFilters(String text, Filter expected) {
        Filter parsed = Filter.parse(text);
        assertThat(parsed).isEqualTo(expected);
        // the canonical print parses back to the same tree
        assertThat(Filter.parse(parsed.toString())).isEqualTo(parsed);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("", 1, "expected a filter but found the end of the filter"),
                Arguments.of("   ", 4, "expected a filter"),
                Arguments.of("userName", 9, "expected a space and an operator"),
                Arguments.of("userName eq", 12, "expected a space and a value after 'eq'"),
                Arguments.of("userName eq ", 13, "expected a value"),
                Arguments.of("userName equals \"a\"", 10, "expected an operator (eq ne co sw ew gt ge lt le pr) but found 'equals'"),
                Arguments.of("userName eq bjensen", 13, "expected a value"),
                Arguments.of("userName eq \"bjensen", 13, "not closed"),
                Arguments.of("userName eq \"a\" and", 20, "expected a filter after 'and'"),
                Arguments.of("userName eq \"a\" or ", 20, "expected a filter after 'or'"),
                Arguments.of("userName eq \"a\" xor b pr", 17, "expected 'and', 'or' or the end of the filter but found 'x'"),
                Arguments.of("(userName eq \"a\"", 17, "expected ')' closing the group"),
                Arguments.of("userName eq \"a\")", 16, "expected 'and', 'or' or the end"),
                Arguments.of("not (a pr", 10, "expected ')' closing 'not ('"),
                Arguments.of("emails[type eq \"work\"", 22, "expected ']' closing the value filter"),
                Arguments.of("emails[type[value eq \"x\"] pr]", 12, "value filters do not nest"),
                Arguments.of("name.givenName[value eq \"x\"]", 1, "a value filter follows an attribute, not a sub-attribute"),
                Arguments.of("emails[type eq \"work\"].", 24, "expected a sub-attribute name after '].'"),
                Arguments.of("a.b.c pr", 4, "at most one sub-attribute"),
                Arguments.of("1abc pr", 1, "expected an attribute name (starting with a letter)"),
                Arguments.of("foo:bar pr", 1, "expected an attribute name or a schema URN"),
                Arguments.of("urn:x:: pr", 8, "expected an attribute name"),
                Arguments.of("x eq \"\\q\"", 8, "expected one of"),
                Arguments.of("x eq \"\\u12G4\"", 11, "expected four hex digits"),
                Arguments.of("x eq 01", 7, "expected the end of the number"),
                Arguments.of("x eq 1.", 8, "expected a digit after the decimal point"),
                Arguments.of("x eq 1e", 8, "expected a digit in the exponent"),
                Arguments.of("x eq -", 7, "expected a digit"),
                Arguments.of("x eq truex", 6, "expected a value"),
                Arguments.of("x eq \"a\nb\"", 8, "a control character must be escaped"),
                Arguments.of("[type eq \"x\"]", 1, "expected an attribute path but found '['"),
                Arguments.of("x eq \"a\" and and", 17, "expected a space and an operator"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void rejectsInvalidFiltersNamingTheColumn(String text, int column, String expected) {
        assertThatThrownBy(() -> Filter.parse(text))
                .isInstanceOfSatisfying(ScimException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.scimType()).isEqualTo(ScimType.invalidFilter);
                    assertThat(e.getMessage()).startsWith("invalid filter at column " + column + ": ")
                            .contains(expected);
                });
    }

    @Test
    void errorMessagesDoNotEchoTheSearchedValue() {
        assertThatThrownBy(() -> Filter.parse("userName eq \"secret-person@example.com\" )"))
                .isInstanceOf(ScimException.class)
                .hasMessageNotContaining("secret-person");
    }

    @Test
    void filterLongerThanTheLimitIsRefused() {
        FilterParser parser = FilterParser.withLimits(29, 5);
        assertThat(parser.parseFilter("userName eq \"abcdefghijklmno\"")).isNotNull();
        assertThatThrownBy(() -> parser.parseFilter("userName eq \"abcdefghijklmnop\""))
                .isInstanceOfSatisfying(ScimException.class, e -> {
                    assertThat(e.scimType()).isEqualTo(ScimType.invalidFilter);
                    assertThat(e.getMessage()).isEqualTo("the filter is 30 characters long; the limit is 29");
                });
    }

    @Test
    void filterNestedDeeperThanTheLimitIsRefused() {
        FilterParser parser = FilterParser.withLimits(1000, 3);
        assertThat(parser.parseFilter("(((a pr)))")).isEqualTo(present(p("a")));
        assertThatThrownBy(() -> parser.parseFilter("((((a pr))))"))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("invalid filter at column 4: the filter nests deeper than 3 levels"));
        assertThatThrownBy(() -> parser.parseFilter("not (not (not (not (a pr))))"))
                .hasMessageContaining("nests deeper than 3 levels");
    }

    @Test
    void defaultLimitsRejectAHostileDeepFilterWithoutStackOverflow() {
        String deep = "(".repeat(2000) + "a pr" + ")".repeat(2000);
        assertThatThrownBy(() -> Filter.parse(deep)).isInstanceOfSatisfying(ScimException.class,
                e -> assertThat(e.getMessage()).contains("nests deeper than 32 levels"));
        String longOr = String.join(" or ", java.util.Collections.nCopies(300, "a pr"));
        assertThat(((Filter.Or) Filter.parse(longOr)).operands()).hasSize(300);
    }

    @Test
    void withLimitsRejectsNonsense() {
        assertThatThrownBy(() -> FilterParser.withLimits(0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxLength must be at least 1, was 0");
        assertThatThrownBy(() -> FilterParser.withLimits(1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxDepth must be at least 1, was 0");
    }

    @Test
    void canonicalPrint() {
        assertThat(Filter.parse("A Pr AND (b EQ \"x\" OR NOT (c gt 1))").toString())
                .isEqualTo("A pr and (b eq \"x\" or not (c gt 1))");
        assertThat(Filter.parse("emails[type eq \"work\"].value eq \"a\"").toString())
                .isEqualTo("emails[type eq \"work\" and value eq \"a\"]");
        assertThat(Filter.parse("x eq \"tab\\there\\u0001\"").toString()).isEqualTo("x eq \"tab\\there\\u0001\"");
    }

    @Test
    void visitorSeesEveryNode() {
        Filter f = Filter.parse("a pr and (b eq 1 or not (c pr)) and d[e pr]");
        int count = f.accept(new FilterVisitor<Integer>() {
            @Override
            public Integer visitComparison(Filter.Comparison c) {
                return 1;
            }

            @Override
            public Integer visitPresent(Filter.Present p) {
                return 1;
            }

            @Override
            public Integer visitAnd(Filter.And a) {
                return 1 + a.operands().stream().mapToInt(o -> o.accept(this)).sum();
            }

            @Override
            public Integer visitOr(Filter.Or o) {
                return 1 + o.operands().stream().mapToInt(x -> x.accept(this)).sum();
            }

            @Override
            public Integer visitNot(Filter.Not n) {
                return 1 + n.filter().accept(this);
            }

            @Override
            public Integer visitValuePath(Filter.ValuePath v) {
                return 1 + v.filter().accept(this);
            }
        });
        assertThat(count).isEqualTo(8);
    }
}
