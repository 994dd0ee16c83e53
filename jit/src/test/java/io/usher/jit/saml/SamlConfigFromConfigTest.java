package io.usher.jit.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
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
 * {@link SamlConfig#fromConfig}: good configurations (certificate files, IdP metadata, every optional key) and a
 * table of bad ones, each refused naming its key and never echoing the value; a property: any map gives a config
 * or a {@link ConfigException}, nothing else, and no value shows in the message.
 */
class SamlConfigFromConfigTest {
    @TempDir
    static Path tmp;

    static Path write(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + type
                + "-----\n";
    }

    static Map<String, String> good() throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("spEntityId", SamlFixture.SP);
        m.put("acsUrl", SamlFixture.ACS);
        m.put("idpEntityId", SamlFixture.IDP);
        m.put("trustedCertificates", write("idp.pem", pem("CERTIFICATE",
                SamlFixture.IDP_KEY.certificate().getEncoded())).toString());
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
    void theMinimalConfigurationValidatesResponsesLikeTheBuilders() throws Exception {
        SamlFixture f = new SamlFixture();
        SamlConfig c = SamlConfig.fromConfig(good()).clock(f.clock).build();
        assertThat(c.spEntityId()).isEqualTo(SamlFixture.SP);
        assertThat(c.trustedCertificates()).containsExactly(SamlFixture.IDP_KEY.certificate());
        assertThat(c.clockSkew()).isEqualTo(SamlConfig.DEFAULT_CLOCK_SKEW);
        assertThat(c.allowUnsolicited()).isFalse();
        assertThat(SamlResponseValidator.create(c).validate(f.response().build().base64(), SamlFixture.REQUEST)
                .subject()).isEqualTo(f.user.id());
    }

    @Test
    void everyOptionalKeyIsRead() throws Exception {
        Path key = write("sp-key.pem", pem("PRIVATE KEY", SamlFixture.SP_KEY.privateKey().getEncoded()));
        SamlConfig c = SamlConfig.fromConfig(with(good(), "clockSkew", "30s", "allowLegacyAlgorithms", "true",
                "allowUnsolicited", "yes", "maxResponseSize", "8192", "decryptionKey", key.toString())).build();
        assertThat(c.clockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.legacyAlgorithms()).isTrue();
        assertThat(c.allowUnsolicited()).isTrue();
        assertThat(c.maxResponseSize()).isEqualTo(8192);
        assertThat(c.hasDecryptionKey()).isTrue();
        // and the key decrypts: an encrypted Assertion for this SP validates
        SamlFixture f = new SamlFixture();
        SamlConfig withClock = SamlConfig.fromConfig(with(good(), "decryptionKey", key.toString())).clock(f.clock)
                .build();
        assertThat(SamlResponseValidator.create(withClock).validate(f.response()
                .encryptFor(SamlFixture.SP_KEY.certificate()).build().base64(), SamlFixture.REQUEST).subject())
                .isEqualTo(f.user.id());
    }

    @Test
    void idpMetadataGivesTheEntityIdAndTheCertificates() throws Exception {
        SamlFixture f = new SamlFixture();
        Path metadata = write("idp-metadata.xml", f.idp.metadata());
        SamlConfig c = SamlConfig.fromConfig(with(good(), "idpEntityId", null, "trustedCertificates", null,
                "idpMetadata", metadata.toString())).build();
        assertThat(c.idpEntityId()).isEqualTo(SamlFixture.IDP);
        assertThat(c.trustedCertificates()).containsExactly(SamlFixture.IDP_KEY.certificate());
    }

    static Stream<Arguments> bad() throws Exception {
        Map<String, String> g = good();
        Path notCert = write("not-a-cert.pem", "SECRET-TEXT-1");
        Path notKey = write("not-a-key.pem", "-----BEGIN PRIVATE KEY-----\nU0VDUkVU\n-----END PRIVATE KEY-----\n");
        Path notXml = write("not-metadata.xml", "SECRET-TEXT-2");
        return Stream.of(
                Arguments.of(with(g, "spEntityId", null), "spEntityId", null),
                Arguments.of(with(g, "acsUrl", null), "acsUrl", null),
                Arguments.of(with(g, "acsUrl", "ftp://SECRET-HOST/acs"), "acsUrl", "SECRET-HOST"),
                Arguments.of(with(g, "idpEntityId", null), "idpEntityId", null),
                Arguments.of(with(g, "trustedCertificates", null), "trustedCertificates", null),
                Arguments.of(with(g, "trustedCertificates", tmp.resolve("SECRET-NAME.pem").toString()),
                        "trustedCertificates", "SECRET-NAME"),
                Arguments.of(with(g, "trustedCertificates", notCert.toString()), "trustedCertificates",
                        "SECRET-TEXT-1"),
                Arguments.of(with(g, "trustedCertificates", g.get("trustedCertificates") + ","
                        + g.get("trustedCertificates")), "trustedCertificates", null),
                Arguments.of(with(g, "clockSkew", "SECRET-forever"), "clockSkew", "SECRET-forever"),
                Arguments.of(with(g, "clockSkew", "1h"), "clockSkew", null),
                Arguments.of(with(g, "allowLegacyAlgorithms", "SECRET-maybe"), "allowLegacyAlgorithms", "SECRET"),
                Arguments.of(with(g, "allowUnsolicited", "2"), "allowUnsolicited", null),
                Arguments.of(with(g, "maxResponseSize", "10"), "maxResponseSize", null),
                Arguments.of(with(g, "decryptionKey", notKey.toString()), "decryptionKey", "U0VDUkVU"),
                Arguments.of(with(g, "idpMetadata", notXml.toString()), "idpMetadata", "SECRET-TEXT-2"),
                Arguments.of(with(g, "acsURL", "x"), "acsURL", null));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("bad")
    void aBadSettingIsRefusedNamingItsKeyNeverItsValue(Map<String, String> config, String key, String secret) {
        assertThatThrownBy(() -> SamlConfig.fromConfig(config).build()).isInstanceOfSatisfying(ConfigException.class,
                e -> {
                    assertThat(e.key()).isEqualTo(key);
                    if (secret != null) {
                        assertThat(e.getMessage()).doesNotContain(secret);
                    }
                });
    }

    @Property(tries = 300)
    void anyMapGivesAConfigOrAConfigExceptionWithoutItsValues(@ForAll("maps") Map<String, String> config) {
        try {
            SamlConfig.fromConfig(config).build();
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
        Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of(List.copyOf(SamlConfig.CONFIG_KEYS)),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12));
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
                Arbitraries.of("https://sp.example/acs", "urn:sp", "true", "30s", "4096", "PT11M", "-1"),
                Arbitraries.strings().alpha().ofLength(8).map(s -> "Zq" + s));
        return Arbitraries.maps(keys, values).ofMaxSize(8).map(HashMap::new);
    }
}
