package io.usher.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Endpoints in errors and logs: query names stay, their values (skip tokens, delta tokens) never do. */
class DescribeTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "https://graph.microsoft.com/v1.0/users | GET https://graph.microsoft.com/v1.0/users",
            "https://graph.microsoft.com/v1.0/users?$top=999&$select=id,mail | GET https://graph.microsoft.com/v1.0/users?$top&$select",
            "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=SECRET | GET https://graph.microsoft.com/v1.0/users/delta?$deltatoken",
            "http://127.0.0.1:8080/t/oauth2/v2.0/token | GET http://127.0.0.1:8080/t/oauth2/v2.0/token",
            "https://user:pw@host.example/x?a | GET https://host.example/x?a",
            "https://host.example/x#frag | GET https://host.example/x",
            "https://host.example/x?%24skiptoken=abc | GET https://host.example/x?$skiptoken",
    })
    void table(String url, String expected) {
        assertThat(RestClient.describe("GET", URI.create(url))).isEqualTo(expected);
    }

    @Property
    void queryValuesNeverAppear(@ForAll @AlphaChars @StringLength(min = 1, max = 10) String name,
                                @ForAll @StringLength(min = 8, max = 40) String secret) {
        String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        URI uri = URI.create("https://graph.example/v1.0/users?" + name + "=" + encoded + "&$top=" + encoded);
        String described = RestClient.describe("GET", uri);
        assertThat(described).endsWith("?" + name + "&$top").doesNotContain(encoded.substring(0, Math.min(8, encoded.length())) + "&");
        assertThat(described.substring(described.indexOf('?'))).isEqualTo("?" + name + "&$top");
    }
}
