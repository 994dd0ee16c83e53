package io.usher.jit.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.ConfigException;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The builder refuses a bad or repeated setting at once, naming it; the defaults are the strict ones. */
class SamlConfigTest {

    @Test
    void defaultsAreStrict() {
        SamlConfig config = new SamlFixture().config().build();
        assertThat(config.legacyAlgorithms()).isFalse();
        assertThat(config.allowUnsolicited()).isFalse();
        assertThat(config.clockSkew()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.maxResponseSize()).isEqualTo(256 * 1024);
        assertThat(config.signatureAlgorithms()).isEqualTo(SamlAlgorithms.DEFAULT_SIGNATURE)
                .doesNotContain(SamlAlgorithms.RSA_SHA1);
        assertThat(config.digestAlgorithms()).doesNotContain(SamlAlgorithms.DIGEST_SHA1);
        assertThat(config.keyTransportAlgorithms()).doesNotContain(SamlAlgorithms.RSA_1_5);
        assertThat(config.toString()).doesNotContain("PrivateKey").contains("decryption=true");
    }

    @Test
    void legacyAddsSha1AndNothingElse() {
        SamlConfig config = new SamlFixture().config().allowLegacyAlgorithms(true).build();
        assertThat(config.signatureAlgorithms()).containsAll(SamlAlgorithms.DEFAULT_SIGNATURE)
                .contains(SamlAlgorithms.RSA_SHA1).hasSize(SamlAlgorithms.DEFAULT_SIGNATURE.size() + 1);
        assertThat(config.digestAlgorithms()).contains(SamlAlgorithms.DIGEST_SHA1);
    }

    static Stream<Arguments> badSettings() {
        return Stream.of(
                bad("spEntityId", b -> b.spEntityId(" ")),
                bad("spEntityId", b -> b.spEntityId("https://again")),
                bad("acsUrl", b -> b.acsUrl("again")),
                bad("idpEntityId", b -> b.idpEntityId(" padded ")),
                bad("trustedCertificate", b -> b.trustedCertificate(SamlFixture.IDP_KEY.certificate())),
                bad("clockSkew", b -> b.clockSkew(Duration.ofMinutes(11))),
                bad("clockSkew", b -> b.clockSkew(Duration.ofSeconds(-1))),
                bad("signatureAlgorithms", b -> b.signatureAlgorithms(Set.of())),
                bad("signatureAlgorithms", b -> b.signatureAlgorithms(Set.of(SamlAlgorithms.RSA_SHA1))),
                bad("digestAlgorithms", b -> b.digestAlgorithms(Set.of(SamlAlgorithms.DIGEST_SHA1))),
                bad("keyTransportAlgorithms", b -> b.keyTransportAlgorithms(Set.of(SamlAlgorithms.RSA_1_5))),
                bad("maxResponseSize", b -> b.maxResponseSize(100)),
                bad("decryptionKey", b -> b.decryptionKey(SamlFixture.SP_KEY.privateKey())),
                bad("clock", b -> b.clock(java.time.Clock.systemUTC())));
    }

    private static Arguments bad(String key, Consumer<SamlConfig.Builder> change) {
        return Arguments.of(key, change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSettings")
    void aBadOrRepeatedSettingIsRefusedByName(String key, Consumer<SamlConfig.Builder> change) {
        SamlConfig.Builder builder = new SamlFixture().config();   // every required setting already given once
        assertThatThrownBy(() -> change.accept(builder)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'" + key + "'")
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key));
    }

    @Test
    void missingRequiredSettingsAreNamed() {
        assertThatThrownBy(() -> SamlConfig.builder().build()).hasMessageContaining("'spEntityId'");
        assertThatThrownBy(() -> SamlConfig.builder().spEntityId("sp").build()).hasMessageContaining("'acsUrl'");
        assertThatThrownBy(() -> SamlConfig.builder().spEntityId("sp").acsUrl("https://sp/acs").build())
                .hasMessageContaining("'idpEntityId'");
        assertThatThrownBy(() -> SamlConfig.builder().spEntityId("sp").acsUrl("https://sp/acs").idpEntityId("idp")
                .build()).hasMessageContaining("'trustedCertificate'");
        assertThatThrownBy(() -> SamlConfig.builder().acsUrl("ftp://sp/acs")).hasMessageContaining("'acsUrl'");
        assertThatThrownBy(() -> SamlConfig.builder().acsUrl("/relative")).hasMessageContaining("'acsUrl'");
    }
}
