package io.usher.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LinkHeaderTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        // header value | rel | expected target ('-' for none)
        "<https://x.okta.com/api/v1/users?limit=200>; rel=\"self\", <https://x.okta.com/api/v1/users?after=00ub0&limit=200>; rel=\"next\" | next | https://x.okta.com/api/v1/users?after=00ub0&limit=200",
        "<https://x.okta.com/api/v1/users?limit=200>; rel=\"self\" | next | -",
        "<https://a/b?c=d>; rel=next | next | https://a/b?c=d",
        "<https://a/b>;rel=\"prev next\" | next | https://a/b",
        "<https://a/b>; REL=\"NEXT\" | next | https://a/b",
        "<https://a/b>; title=\"a, b; c\"; rel=\"next\" | next | https://a/b",
        "<https://a/b>; title=\"esc \\\" q\"; rel=next | next | https://a/b",
        "<https://a/one>; rel=next, <https://a/two>; rel=next | next | https://a/one",
        "   <https://a/b>   ;   rel = \"next\"   | next | https://a/b",
        "<https://a/b>; rel=\"next\" | self | -",
        "https://a/b; rel=next | next | -",
        "<https://a/b; rel=next | next | -",
        "<https://a/b>; rel=\"next | next | -",
        "<https://a/b> rel=next | next | -",
        "<>; rel=next | next | -",
        "<https://a/b>; =next | next | -",
        "'' | next | -",
    })
    void findsTheNextLinkOrNothing(String header, String rel, String expected) {
        Optional<String> found = LinkHeader.find(List.of(header), rel);
        if (expected.equals("-")) {
            assertThat(found).isEmpty();
        } else {
            assertThat(found).contains(expected);
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "<https://a/self>; rel=\"self\" | <https://a/next>; rel=\"next\"",
        "<https://a/next>; rel=\"next\" | <https://a/self>; rel=\"self\"",
    })
    void looksAcrossSeveralHeaders(String first, String second) {
        assertThat(LinkHeader.find(List.of(first, second), "next")).contains("https://a/next");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"a", "<", ">", ";", ",,,,", "<a>;;;", "<a>; rel=\"\\"})
    void malformedValuesNeverThrow(String header) {
        assertThat(LinkHeader.parse(header)).isNotNull();
    }

    @Property
    void aTargetComesBackVerbatim(@ForAll @AlphaChars @NumericChars @StringLength(min = 1, max = 40) String cursor,
                                  @ForAll @AlphaChars @StringLength(min = 1, max = 10) String rel) {
        String target = "https://org.example/api/v1/users?after=" + cursor + "&limit=200&filter=a%20b";
        String header = "<https://org.example/api/v1/users?limit=200>; rel=\"self\", <" + target + ">; rel=\"" + rel
                + "\"";
        assertThat(LinkHeader.find(List.of(header), rel)).contains(target);
    }

    @Property
    void arbitraryInputNeverThrows(@ForAll @StringLength(max = 200) String header) {
        assertThat(LinkHeader.parse(header)).allSatisfy(l -> assertThat(l.target()).isNotEmpty());
    }
}
