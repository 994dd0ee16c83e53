package io.usher.jit.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.ConfigException;
import io.usher.jit.VerifiedLogin;
import io.usher.testkit.saml.SamlIdp;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** AuthnRequests as the IdP sees them, and the SP-initiated round trip (also the websudo one, with ForceAuthn). */
class SamlAuthnRequestTest {
    final SamlFixture f = new SamlFixture();
    final String sso = "https://idp.usher.test/saml/sso";

    @Test
    void theRedirectCarriesTheRequestIdAcsAndForceAuthnToTheIdp() {
        SamlAuthnRequest request = SamlAuthnRequest.builder(f.config().build(), sso).forceAuthn(true)
                .relayState("/admin/settings").build();

        assertThat(request.redirectUrl()).startsWith(sso + "?SAMLRequest=");
        SamlIdp.AuthnRequestSeen seen = f.idp.readRedirect(request.redirectUrl());
        assertThat(seen.id()).isEqualTo(request.id()).startsWith("_").hasSize(41);
        assertThat(seen.issuer()).isEqualTo(SamlFixture.SP);
        assertThat(seen.acsUrl()).isEqualTo(SamlFixture.ACS);
        assertThat(seen.forceAuthn()).isTrue();
        assertThat(seen.relayState()).isEqualTo("/admin/settings");
        assertThat(request.issueInstant()).isEqualTo(SamlFixture.NOW);
        assertThat(request.xml()).contains("ForceAuthn=\"true\"").contains("Destination=\"" + sso + "\"");
        assertThat(new String(Base64.getDecoder().decode(request.postValue()), StandardCharsets.UTF_8))
                .isEqualTo(request.xml());
    }

    @Test
    void twoRequestsNeverShareAnId() {
        SamlConfig config = f.config().build();
        assertThat(SamlAuthnRequest.builder(config, sso).build().id())
                .isNotEqualTo(SamlAuthnRequest.builder(config, sso).build().id());
    }

    @Test
    void requestedAuthnContextIsSentExact() {
        SamlAuthnRequest request = SamlAuthnRequest.builder(f.config().build(), sso)
                .requestedAuthnContext("urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract").build();
        assertThat(request.xml()).contains("Comparison=\"exact\"")
                .contains("urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract");
    }

    @Test
    void aSignedRedirectVerifiesWithTheSpCertificateOverTheQueryAsSent() throws Exception {
        SamlAuthnRequest request = SamlAuthnRequest.builder(f.config().build(), sso).relayState("rs")
                .signWith(SamlFixture.SP_KEY.privateKey()).build();
        String query = URI.create(request.redirectUrl()).getRawQuery();
        int at = query.indexOf("&Signature=");
        assertThat(at).isPositive();
        assertThat(query.substring(0, at)).contains("&RelayState=rs&SigAlg=");
        byte[] signature = Base64.getDecoder().decode(URLDecoder.decode(query.substring(at + 11),
                StandardCharsets.UTF_8));
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(SamlFixture.SP_KEY.certificate().getPublicKey());
        verifier.update(query.substring(0, at).getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void aSignedPostValueCarriesAnEnvelopedSignatureThatVerifiesWithTheSpCertificate() throws Exception {
        SamlAuthnRequest request = SamlAuthnRequest.builder(f.config().build(), sso)
                .signWith(SamlFixture.SP_KEY.privateKey()).build();
        String xml = new String(Base64.getDecoder().decode(request.postValue()), StandardCharsets.UTF_8);
        assertThat(request.xml()).doesNotContain("Signature");   // the Redirect binding signs the query instead
        javax.xml.parsers.DocumentBuilderFactory factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        org.w3c.dom.Document doc = factory.newDocumentBuilder().parse(
                new java.io.ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        doc.getDocumentElement().setIdAttributeNS(null, "ID", true);
        org.w3c.dom.Element signature = (org.w3c.dom.Element) doc.getElementsByTagNameNS(
                "http://www.w3.org/2000/09/xmldsig#", "Signature").item(0);
        assertThat(signature.getParentNode()).isSameAs(doc.getDocumentElement());
        assertThat(new org.apache.xml.security.signature.XMLSignature(signature, "")
                .checkSignatureValue(SamlFixture.SP_KEY.certificate())).isTrue();
        assertThat(new org.apache.xml.security.signature.XMLSignature(signature, "")
                .checkSignatureValue(SamlFixture.IDP_KEY.certificate())).isFalse();
    }

    @Test
    void theBuilderRefusesBadSettingsByName() {
        SamlConfig config = f.config().build();
        assertThatThrownBy(() -> SamlAuthnRequest.builder(config, "not a url")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("idpSsoUrl");
        assertThatThrownBy(() -> SamlAuthnRequest.builder(config, sso).relayState("x".repeat(81)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("relayState");
        assertThatThrownBy(() -> SamlAuthnRequest.builder(config, sso).requestedAuthnContext(" "))
                .isInstanceOf(ConfigException.class).hasMessageContaining("requestedAuthnContext");
    }

    @Test
    void spInitiatedRoundTripYieldsALoginAnsweringThisRequest() {
        SamlResponseValidator validator = f.validator();
        SamlAuthnRequest request = SamlAuthnRequest.builder(validator.config(), sso).build();

        String post = f.idp.answer(request.redirectUrl(), "jdoe").build().base64();
        VerifiedLogin login = validator.validate(post, request.id());

        assertThat(login.inResponseTo()).isEqualTo(request.id());
        assertThat(login.subject()).isEqualTo(f.user.id());
    }

    @Test
    void forceAuthnGetsAFreshAuthnInstantAndAnIdpThatIgnoresItShowsTheOldOne() {
        // websudo relies on this: the login's authenticatedAt says whether the IdP really asked again
        SamlResponseValidator validator = f.validator();
        SamlAuthnRequest first = SamlAuthnRequest.builder(validator.config(), sso).build();
        validator.validate(f.idp.answer(first.redirectUrl(), "jdoe").build().base64(), first.id());
        f.clock.advance(Duration.ofMinutes(30));

        SamlAuthnRequest again = SamlAuthnRequest.builder(validator.config(), sso).forceAuthn(true).build();
        VerifiedLogin fresh = validator.validate(f.idp.answer(again.redirectUrl(), "jdoe").build().base64(),
                again.id());
        assertThat(fresh.authenticatedAt()).isEqualTo(f.clock.instant());

        SamlIdp lazy = SamlIdp.builder(f.directory).entityId(SamlFixture.IDP).sp(SamlFixture.SP, SamlFixture.ACS)
                .clock(f.clock).signingKey(SamlFixture.IDP_KEY).ignoreForceAuthn(true).build();
        SamlAuthnRequest login = SamlAuthnRequest.builder(validator.config(), sso).build();
        validator.validate(lazy.answer(login.redirectUrl(), "jdoe").build().base64(), login.id());
        java.time.Instant sessionStart = f.clock.instant();
        f.clock.advance(Duration.ofMinutes(30));
        SamlAuthnRequest sudo = SamlAuthnRequest.builder(validator.config(), sso).forceAuthn(true).build();
        VerifiedLogin reused = validator.validate(lazy.answer(sudo.redirectUrl(), "jdoe").build().base64(),
                sudo.id());
        assertThat(reused.authenticatedAt()).isEqualTo(sessionStart).isBefore(sudo.issueInstant());
    }
}
