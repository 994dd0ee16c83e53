package io.usher.jit.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.ConfigException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** IdP metadata in, SP metadata out. */
class SamlMetadataTest {
    final SamlFixture f = new SamlFixture();

    @Test
    void theTestIdpsMetadataConfiguresAValidatorThatAcceptsItsResponses() {
        SamlMetadata.IdpMetadata idp = SamlMetadata.parseIdp(f.idp.metadata(), null);

        assertThat(idp.entityId()).isEqualTo(SamlFixture.IDP);
        assertThat(idp.ssoRedirectUrl()).isEqualTo(f.idp.ssoUrl());
        assertThat(idp.ssoPostUrl()).isEqualTo(f.idp.ssoUrl());
        assertThat(idp.signingCertificates()).containsExactly(SamlFixture.IDP_KEY.certificate());

        SamlResponseValidator validator = SamlResponseValidator.create(SamlConfig.builder().spEntityId(SamlFixture.SP)
                .acsUrl(SamlFixture.ACS).idp(idp).clock(f.clock).build());
        assertThat(validator.validate(f.response().build().base64(), SamlFixture.REQUEST).subject())
                .isEqualTo(f.user.id());
    }

    @Test
    void anAggregateYieldsTheNamedIdp() {
        String one = f.idp.metadata().replaceFirst("<\\?xml[^>]*>", "");
        String other = one.replace(SamlFixture.IDP, "https://other-idp.example");
        String aggregate = "<md:EntitiesDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\">" + one + other
                + "</md:EntitiesDescriptor>";
        assertThat(SamlMetadata.parseIdp(aggregate, "https://other-idp.example").entityId())
                .isEqualTo("https://other-idp.example");
        assertThatThrownBy(() -> SamlMetadata.parseIdp(aggregate, null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("holds 2 SAML 2.0 IdPs");
    }

    static Stream<Arguments> badMetadata() {
        String md = "xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\"";
        return Stream.of(
                Arguments.of("not XML", "nope", "not well-formed"),
                Arguments.of("DOCTYPE", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/hostname\">]><x>&e;</x>",
                        "DOCTYPE"),
                Arguments.of("other root", "<x xmlns=\"urn:x\"/>", "not an EntityDescriptor"),
                Arguments.of("an SP, not an IdP", "<md:EntityDescriptor " + md + " entityID=\"sp\"><md:SPSSODescriptor "
                        + "protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\"/></md:EntityDescriptor>",
                        "no SAML 2.0 IdP"),
                Arguments.of("no SSO service", "<md:EntityDescriptor " + md + " entityID=\"idp\"><md:IDPSSODescriptor "
                        + "protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\"/></md:EntityDescriptor>",
                        "no SingleSignOnService"),
                Arguments.of("no certificate", "<md:EntityDescriptor " + md + " entityID=\"idp\"><md:IDPSSODescriptor "
                        + "protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\"><md:SingleSignOnService "
                        + "Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" Location=\"https://i/sso\"/>"
                        + "</md:IDPSSODescriptor></md:EntityDescriptor>", "no signing certificate"),
                Arguments.of("too large", "<x>" + "a".repeat(SamlMetadata.MAX_METADATA_BYTES) + "</x>",
                        "larger than"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badMetadata")
    void badIdpMetadataIsRefusedWithTheReason(String name, String xml, String message) {
        assertThatThrownBy(() -> SamlMetadata.parseIdp(xml, null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("idpMetadata").hasMessageContaining(message);
    }

    @Test
    void spMetadataNamesTheAcsAndTheCertificatesAndReadsBackAsXml() {
        String xml = SamlMetadata.spMetadata(f.config().build(), SamlFixture.SP_KEY.certificate(),
                SamlFixture.SP_KEY.certificate());
        assertThat(xml).contains("entityID=\"" + SamlFixture.SP + "\"")
                .contains("Location=\"" + SamlFixture.ACS + "\"")
                .contains("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST")
                .contains("AuthnRequestsSigned=\"true\"").contains("WantAssertionsSigned=\"true\"")
                .contains("use=\"signing\"").contains("use=\"encryption\"")
                .contains("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent");
        String withoutKeys = SamlMetadata.spMetadata(f.config().build(), null, null);
        assertThat(withoutKeys).contains("AuthnRequestsSigned=\"false\"").doesNotContain("KeyDescriptor");
    }

    @Test
    void aTruncatedCertificateInMetadataIsAConfigErrorNotAStreamException() {
        // found by SamlMetadataProperties: cryptacular's unchecked StreamException escaped parseIdp
        String md = f.idp.metadata();
        int at = md.indexOf("<ds:X509Certificate>") + "<ds:X509Certificate>".length() + 40;
        String damaged = md.substring(0, at) + md.substring(at + 1);
        assertThatThrownBy(() -> SamlMetadata.parseIdp(damaged, null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("signing certificate cannot be decoded");
    }
}
