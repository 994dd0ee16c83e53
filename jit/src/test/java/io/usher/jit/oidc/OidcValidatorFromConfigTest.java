package io.usher.jit.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.usher.core.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link OidcValidator#fromConfig}: good configurations (a JWKS URI, fixed keys from a file, every optional key)
 * and a table of bad ones, each refused naming its key and never echoing the value; a property: any map gives a
 * validator or a {@link ConfigException}, nothing else, and no value shows in the message.
 */
class OidcValidatorFromConfigTest {
    @TempDir
    static Path tmp;

    static RSAKey key;

    static RSAKey key() throws Exception {
        if (key == null) {
            key = new RSAKeyGenerator(2048).keyID("k1").generate();
        }
        return key;
    }

    static Path write(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    static Map<String, String> good() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("issuer", "https://login.corp.example");
        m.put("clientId", "wiki");
        m.put("jwksUri", "https://login.corp.example/keys");
        return m;
    }

    static Map<String, String> with(Map<String, String> base, String... kv) {
        Map<String, String> m = new LinkedHashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                m.remove(kv[i]);
            } else {
                m.put(kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    @Test
    void aJwksUriConfiguration() {
        OidcValidator v = OidcValidator.fromConfig(good()).build();
        assertThat(v.issuer()).isEqualTo("https://login.corp.example");
        assertThat(v.clientId()).isEqualTo("wiki");
    }

    @Test
    void fixedKeysAndEveryOptionalKey() throws Exception {
        Path jwks = write("jwks.json", new JWKSet(key().toPublicJWK()).toString());
        Path dec = write("dec.jwk.json", key().toJSONString());
        OidcValidator v = OidcValidator.fromConfig(with(good(), "jwksUri", null, "jwks", jwks.toString(),
                "userInfoEndpoint", "https://login.corp.example/userinfo", "clockSkew", "30s", "algorithms",
                "RS256, ES256", "decryptionKey", dec.toString(), "timeout", "5s", "jwksCacheTtl", "10m",
                "replayCacheSize", "50")).build();
        assertThat(v.issuer()).isEqualTo("https://login.corp.example");
    }

    static Stream<Arguments> bad() throws Exception {
        Path privateJwks = write("private-jwks.json", new JWKSet(key()).toString(false));
        Path notJson = write("not-json.json", "SECRET-TEXT-1");
        Path publicOnly = write("public.jwk.json", key().toPublicJWK().toJSONString());
        return Stream.of(
                Arguments.of(with(good(), "issuer", null), "issuer", null),
                Arguments.of(with(good(), "clientId", null), "clientId", null),
                Arguments.of(with(good(), "jwksUri", null), "jwksUri", null),
                Arguments.of(with(good(), "jwksUri", "http://SECRET-HOST.example/keys"), "jwksUri", "SECRET-HOST"),
                Arguments.of(with(good(), "jwksUri", null, "jwks", privateJwks.toString()), "jwks", null),
                Arguments.of(with(good(), "jwksUri", null, "jwks", notJson.toString()), "jwks", "SECRET-TEXT-1"),
                Arguments.of(with(good(), "jwksUri", null, "jwks", tmp.resolve("SECRET-NAME").toString()), "jwks",
                        "SECRET-NAME"),
                Arguments.of(with(good(), "jwks", tmp.resolve("x").toString()), "jwks", null),
                Arguments.of(with(good(), "algorithms", "HS256"), "algorithms", "HS256"),
                Arguments.of(with(good(), "algorithms", "SECRET-ALG"), "algorithms", "SECRET-ALG"),
                Arguments.of(with(good(), "clockSkew", "11m"), "clockSkew", null),
                Arguments.of(with(good(), "decryptionKey", publicOnly.toString()), "decryptionKey", null),
                Arguments.of(with(good(), "userInfoEndpoint", "not a uri"), "userInfoEndpoint", "not a uri"),
                Arguments.of(with(good(), "replayCacheSize", "0"), "replayCacheSize", null),
                Arguments.of(with(good(), "clientID", "x"), "clientID", null));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("bad")
    void aBadSettingIsRefusedNamingItsKeyNeverItsValue(Map<String, String> config, String key, String secret) {
        assertThatThrownBy(() -> OidcValidator.fromConfig(config).build())
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo(key);
                    if (secret != null) {
                        assertThat(e.getMessage()).doesNotContain(secret);
                    }
                });
    }

    @Property(tries = 300)
    void anyMapGivesAValidatorOrAConfigExceptionWithoutItsValues(@ForAll("maps") Map<String, String> config) {
        try {
            OidcValidator.fromConfig(config).build();
        } catch (ConfigException e) {
            for (String v : config.values()) {
                if (v.length() >= 6) {
                    assertThat(e.getMessage()).doesNotContain(v);
                }
            }
        }
    }

    @Provide
    Arbitrary<Map<String, String>> maps() {
        Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of(List.copyOf(OidcValidator.CONFIG_KEYS)),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12));
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
                Arbitraries.of("https://login.example", "wiki", "RS256", "30s", "HS256", "http://127.0.0.1:9/k"),
                Arbitraries.strings().alpha().ofLength(8).map(s -> "Zq" + s));
        return Arbitraries.maps(keys, values).ofMaxSize(8).map(HashMap::new);
    }

}
