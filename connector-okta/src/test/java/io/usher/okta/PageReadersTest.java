package io.usher.okta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import io.usher.core.http.RestClient;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The streaming readers of Okta's list pages. */
class PageReadersTest {
    private static JsonParser parser(String json) throws IOException {
        return RestClient.json().getFactory().createParser(json);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "[] | ''",
        "[{\"id\":\"00u1\"}] | 00u1",
        "[{\"status\":\"ACTIVE\",\"id\":\"00u1\",\"profile\":{\"id\":\"nested\"}},{\"id\":\"00u2\",\"_links\":[1,2]}] | 00u1,00u2",
        "[{\"id\":7},{\"id\":\"00u3\"}] | 00u3",
        "[{}] | ''",
    })
    void idsAreReadFromEachObjectOnly(String json, String expected) throws IOException {
        assertThat(String.join(",", OktaSourceConnector.ids(parser(json)))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "\"x\"", "[1,2]", "[{\"id\":\"a\"},3]", "null"})
    void somethingOtherThanAnArrayOfObjectsIsRefused(String json) {
        assertThatThrownBy(() -> OktaSourceConnector.ids(parser(json))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> OktaSourceConnector.objects(parser(json))).isInstanceOf(IOException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"[] | 0", "[{\"id\":\"a\"},{\"id\":\"b\",\"profile\":{\"login\":\"x\"}}] | 2"})
    void objectsAreReadWhole(String json, int count) throws IOException {
        assertThat(OktaSourceConnector.objects(parser(json))).hasSize(count);
    }
}
