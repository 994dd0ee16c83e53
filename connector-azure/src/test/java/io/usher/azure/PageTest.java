package io.usher.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.usher.core.http.RestClient;
import java.io.IOException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Graph pages read as token streams: good shapes and bad ones. */
class PageTest {

    private static Page read(String json) throws IOException {
        try (JsonParser p = RestClient.json().getFactory().createParser(json)) {
            return Page.read(p);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "{\"value\":[]} | 0 | - | -",
            "{\"value\":[{\"id\":\"a\"},{\"id\":\"b\"}],\"@odata.nextLink\":\"https://g/v1.0/users?$skiptoken=x\"} | 2 | https://g/v1.0/users?$skiptoken=x | -",
            "{\"@odata.context\":\"x\",\"value\":[{\"id\":\"a\",\"members@delta\":[{\"id\":\"u\"}]}],\"@odata.deltaLink\":\"https://g/d\"} | 1 | - | https://g/d",
            "{\"@odata.nextLink\":\"n\",\"value\":[],\"extra\":{\"deep\":[1,2,{\"x\":null}]}} | 0 | n | -",
            "{} | 0 | - | -",
    })
    void goodPages(String json, int items, String next, String delta) throws IOException {
        Page p = read(json);
        assertThat(p.items()).hasSize(items);
        assertThat(p.nextLink()).isEqualTo(next);
        assertThat(p.deltaLink()).isEqualTo(delta);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "[]",
            "{\"value\":[1,2]}",
            "{\"value\":[\"a\"]}",
            "{\"value\":[{\"id\":\"a\"}",
            "nonsense",
    })
    void badPagesAreJsonErrors(String json) {
        assertThatThrownBy(() -> read(json)).isInstanceOf(JsonProcessingException.class);
    }

    @Property(tries = 500)
    void anyTextIsAPageOrAJsonErrorNeverSomethingElse(@ForAll String text) {
        try {
            read(text);
        } catch (JsonProcessingException e) {
            // expected for most inputs
        } catch (IOException e) {
            throw new AssertionError("unexpected " + e);
        }
    }
}
