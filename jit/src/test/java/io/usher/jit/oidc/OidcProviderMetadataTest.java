package io.usher.jit.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OidcProviderMetadataTest {
    static final String ISS = "https://idp.example/realms/corp";

    static String doc(String issuer, String auth, String jwks, String token, String userInfo) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", issuer);
        m.put("authorization_endpoint", auth);
        m.put("jwks_uri", jwks);
        if (token != null) {
            m.put("token_endpoint", token);
        }
        if (userInfo != null) {
            m.put("userinfo_endpoint", userInfo);
        }
        m.values().removeIf(v -> v == null);
        return JSONObjectUtils.toJSONString(m);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "full https document      | https://idp.example/realms/corp | https://idp.example/auth | https://idp.example/jwks | https://idp.example/token | https://idp.example/userinfo",
        "no token or userinfo     | https://idp.example/realms/corp | https://idp.example/auth | https://idp.example/jwks | - | -",
        "http on loopback (tests) | https://idp.example/realms/corp | http://127.0.0.1:8080/auth | http://localhost:8080/jwks | - | -",
    })
    void accepts(String name, String iss, String auth, String jwks, String token, String userInfo) {
        OidcProviderMetadata md = OidcProviderMetadata.parse(doc(iss, auth, jwks, token, userInfo), ISS);
        assertThat(md.issuer()).isEqualTo(ISS);
        assertThat(md.jwksUri()).isEqualTo(URI.create(jwks));
        assertThat(md.authorizationEndpoint()).isEqualTo(URI.create(auth));
        assertThat(md.tokenEndpoint()).isEqualTo(token == null ? null : URI.create(token));
        assertThat(md.userInfoEndpoint()).isEqualTo(userInfo == null ? null : URI.create(userInfo));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "another issuer         | https://evil.example/realms/corp | https://idp.example/auth | https://idp.example/jwks | issuer is not the expected",
        "issuer with slash      | https://idp.example/realms/corp/ | https://idp.example/auth | https://idp.example/jwks | issuer is not the expected",
        "issuer case differs    | https://IDP.example/realms/corp | https://idp.example/auth | https://idp.example/jwks | issuer is not the expected",
        "no issuer              | -                                | https://idp.example/auth | https://idp.example/jwks | issuer is missing",
        "no jwks_uri            | https://idp.example/realms/corp  | https://idp.example/auth | -                        | jwks_uri is missing",
        "no authorization       | https://idp.example/realms/corp  | -                        | https://idp.example/jwks | authorization_endpoint is missing",
        "http jwks off loopback | https://idp.example/realms/corp  | https://idp.example/auth | http://idp.example/jwks  | jwks_uri must use https",
        "relative jwks          | https://idp.example/realms/corp  | https://idp.example/auth | /jwks                    | jwks_uri is not an absolute",
        "jwks with userinfo     | https://idp.example/realms/corp  | https://idp.example/auth | https://u:p@idp.example/jwks | jwks_uri must not carry user info",
        "jwks not a URI         | https://idp.example/realms/corp  | https://idp.example/auth | https://idp example/j    | jwks_uri is not a valid URI",
        "javascript scheme      | https://idp.example/realms/corp  | javascript:alert(1)      | https://idp.example/jwks | authorization_endpoint is not an absolute",
    })
    void refuses(String name, String iss, String auth, String jwks, String message) {
        assertThatThrownBy(() -> OidcProviderMetadata.parse(doc(iss, auth, jwks, null, null), ISS))
                .isInstanceOfSatisfying(OidcException.class,
                        e -> assertThat(e.reason()).isEqualTo(OidcException.Reason.BAD_DISCOVERY))
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"[]", "null", "'not json'", "{\"issuer\": 5}", "{\"issuer\": [\"x\"]}", "{"})
    void refusesNonObjects(String json) {
        assertThatThrownBy(() -> OidcProviderMetadata.parse(json, ISS))
                .isInstanceOfSatisfying(OidcException.class,
                        e -> assertThat(e.reason()).isEqualTo(OidcException.Reason.BAD_DISCOVERY));
    }

    @ParameterizedTest
    @CsvSource({"https://idp.example, https://idp.example/.well-known/openid-configuration",
        "https://idp.example/, https://idp.example/.well-known/openid-configuration",
        "https://idp.example/realms/a, https://idp.example/realms/a/.well-known/openid-configuration"})
    void discoveryUriAppendsTheWellKnownPath(String issuer, String expected) {
        assertThat(OidcProviderMetadata.discoveryUri(issuer)).isEqualTo(URI.create(expected));
    }

    @Property(tries = 300)
    void anyTextIsParsedOrRefusedWithAReason(@ForAll String junk) {
        try {
            OidcProviderMetadata.parse(junk, ISS);
        } catch (OidcException e) {
            assertThat(e.reason()).isIn(OidcException.Reason.BAD_DISCOVERY, OidcException.Reason.TOO_LARGE);
            assertThat(e.getMessage()).doesNotContain(junk.length() > 12 ? junk : "\u0000never");
        }
    }

    @Property(tries = 200)
    void wellFormedDocumentsRoundTrip(@ForAll("hosts") String host, @ForAll("paths") String path) {
        String iss = "https://" + host + path;
        OidcProviderMetadata md = OidcProviderMetadata.parse(doc(iss, iss + "/auth", iss + "/keys", iss + "/token",
                null), iss);
        assertThat(md.issuer()).isEqualTo(iss);
        assertThat(md.jwksUri().toString()).isEqualTo(iss + "/keys");
        assertThatThrownBy(() -> OidcProviderMetadata.parse(doc(iss, iss + "/auth", iss + "/keys", null, null),
                iss + "x")).isInstanceOf(OidcException.class);
    }

    @Provide
    Arbitrary<String> hosts() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12).list().ofMinSize(1)
                .ofMaxSize(3).map(l -> String.join(".", l) + ".example");
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.strings().withCharRange('a', 'z').numeric().ofMaxLength(8).list().ofMaxSize(3)
                .map(l -> l.isEmpty() ? "" : "/" + String.join("/", l)).filter(p -> !p.contains("//"));
    }
}
