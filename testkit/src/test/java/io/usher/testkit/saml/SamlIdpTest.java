package io.usher.testkit.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.model.MemberKind;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ManualClock;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.zip.Deflater;
import org.apache.xml.security.signature.XMLSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The fake IdP issues what it says, signed so that the signature verifies with its certificate (checked here
 * with Santuario directly, not with Usher's validator, which lives in another module); the attacks have the
 * shapes they are named after.
 */
class SamlIdpTest {
    static final TestKeys.KeyAndCertificate KEY = TestKeys.rsa("idp", 2048);
    static final TestKeys.KeyAndCertificate OTHER = TestKeys.rsa("other", 2048);
    static final Instant NOW = Instant.parse("2026-11-29T07:00:00Z");

    final ManualClock clock = new ManualClock(NOW);
    final InMemoryDirectory directory = InMemoryDirectory.create(3);
    final DirectoryUser jane = directory.addUser(DirectoryUser.builder("jane").givenName("Jane").familyName("Doe")
            .emails(List.of("jane@example.test")).build());
    final SamlIdp idp = SamlIdp.builder(directory).sp("https://sp.test", "https://sp.test/acs").clock(clock)
            .signingKey(KEY).build();

    @Test
    void aResponseCarriesTheUserFromTheDirectoryAndWhatTheSpExpects() {
        DirectoryGroup g = directory.addGroup("staff");
        directory.addMember(g.id(), MemberKind.USER, jane.id());

        SamlIdp.IssuedResponse r = idp.response("jane").inResponseTo("_req").build();
        Document doc = SamlXml.parse(r.xml());

        assertThat(text(doc, "NameID")).isEqualTo(jane.id());
        assertThat(attr(doc, "Response", "Destination")).isEqualTo("https://sp.test/acs");
        assertThat(attr(doc, "Response", "InResponseTo")).isEqualTo("_req");
        assertThat(attr(doc, "Response", "ID")).isEqualTo(r.responseId());
        assertThat(attr(doc, "Assertion", "ID")).isEqualTo(r.assertionId());
        assertThat(text(doc, "Audience")).isEqualTo("https://sp.test");
        assertThat(attr(doc, "SubjectConfirmationData", "Recipient")).isEqualTo("https://sp.test/acs");
        assertThat(attr(doc, "SubjectConfirmationData", "NotOnOrAfter")).isEqualTo("2026-11-29T07:05:00.000Z");
        assertThat(attr(doc, "AuthnStatement", "AuthnInstant")).isEqualTo("2026-11-29T07:00:00.000Z");
        assertThat(r.xml()).contains(">jane@example.test<").contains(">staff<").contains(">Jane<");
    }

    @Test
    void aChangeInTheDirectoryIsInTheNextResponse() {
        directory.updateUser(jane.toBuilder().emails(List.of("jane.doe@example.test")).build());
        assertThat(idp.response("jane").build().xml()).contains(">jane.doe@example.test<");
    }

    @Test
    void unknownAndDisabledUsersGetNoResponse() {
        assertThatThrownBy(() -> idp.response("nobody")).isInstanceOf(IllegalArgumentException.class);
        directory.disableUser(jane.id());
        assertThatThrownBy(() -> idp.response("jane")).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @EnumSource(value = SamlIdp.Signing.class, names = {"ASSERTION", "RESPONSE", "BOTH"})
    void signaturesVerifyWithTheIdpCertificateAndNotWithAnother(SamlIdp.Signing signing) throws Exception {
        Document doc = SamlXml.parse(idp.response("jane").signing(signing).build().xml());
        NodeList signatures = doc.getElementsByTagNameNS(SamlXml.DSIG_NS, "Signature");
        assertThat(signatures.getLength()).isEqualTo(signing == SamlIdp.Signing.BOTH ? 2 : 1);
        for (int i = 0; i < signatures.getLength(); i++) {
            Element signature = (Element) signatures.item(i);
            ((Element) signature.getParentNode()).setIdAttributeNS(null, "ID", true);
            assertThat(new XMLSignature(signature, "").checkSignatureValue(KEY.certificate())).isTrue();
            assertThat(new XMLSignature(signature, "").checkSignatureValue(
                    OTHER.certificate())).isFalse();
        }
    }

    @Test
    void anUnsignedResponseHasNoSignatureAndAnEncryptedOneNoReadableNameId() {
        assertThat(idp.response("jane").signing(SamlIdp.Signing.NONE).build().xml()).doesNotContain("Signature");
        String encrypted = idp.response("jane").encryptFor(OTHER.certificate()).build().xml();
        assertThat(encrypted).contains("EncryptedAssertion").contains("rsa-oaep-mgf1p").contains("aes256-gcm")
                .doesNotContain(jane.id()).doesNotContain("jane@example.test");
    }

    @Test
    void xswPermutationsHaveTheirShapes() {
        String assertionSigned = idp.response("jane").build().xml();
        String responseSigned = idp.response("jane").signing(SamlIdp.Signing.RESPONSE).build().xml();
        for (SamlAttacks.Xsw variant : SamlAttacks.Xsw.values()) {
            String xml = SamlAttacks.wrap(variant, variant.needsSignedResponse() ? responseSigned : assertionSigned,
                    "admin");
            Document doc = SamlXml.parse(xml);
            assertThat(doc.getElementsByTagNameNS(SamlXml.SAML_NS, "Assertion").getLength()).as(variant.name())
                    .isEqualTo(2);
            assertThat(xml).as(variant.name()).contains(">admin<").contains(">" + jane.id() + "<");
        }
        assertThat(SamlXml.parse(SamlAttacks.wrap(SamlAttacks.Xsw.XSW1, responseSigned, "admin"))
                .getElementsByTagNameNS(SamlXml.SAMLP_NS, "Response").getLength()).isEqualTo(2);
        assertThatThrownBy(() -> SamlAttacks.wrap(SamlAttacks.Xsw.XSW1, assertionSigned, "admin"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("signed Response");
    }

    @Test
    void commentInjectionSplitsTheNameIdAndXxeAddsADoctype() {
        String xml = idp.response("jane").nameId("jane@evil.test.example.test").build().xml();
        assertThat(SamlAttacks.injectComment(xml, 14)).contains(">jane@evil.test<!---->.example.test<");
        assertThat(SamlAttacks.xxe(xml)).contains("<!DOCTYPE").contains(">&xxe;<");
        assertThat(SamlAttacks.billionLaughs(xml)).contains("<!ENTITY l9").contains(">&l9;<");
    }

    @Test
    void answerReadsTheRedirectAndHonoursForceAuthnUnlessToldToIgnoreIt() {
        String plain = redirect("_r1", false);
        SamlIdp.IssuedResponse first = idp.answer(plain, "jane").build();
        assertThat(first.xml()).contains("InResponseTo=\"_r1\"");
        clock.advance(Duration.ofMinutes(20));

        assertThat(idp.answer(redirect("_r2", false), "jane").build().xml())
                .contains("AuthnInstant=\"2026-11-29T07:00:00.000Z\"");
        assertThat(idp.answer(redirect("_r3", true), "jane").build().xml())
                .contains("AuthnInstant=\"2026-11-29T07:20:00.000Z\"");

        SamlIdp lazy = SamlIdp.builder(directory).sp("https://sp.test", "https://sp.test/acs").clock(clock)
                .signingKey(KEY).ignoreForceAuthn(true).build();
        lazy.answer(plain, "jane");
        clock.advance(Duration.ofMinutes(20));
        assertThat(lazy.answer(redirect("_r4", true), "jane").build().xml())
                .contains("AuthnInstant=\"2026-11-29T07:20:00.000Z\"");
    }

    @Test
    void metadataNamesTheEntityTheSsoUrlAndTheCertificate() throws Exception {
        String md = idp.metadata();
        assertThat(md).contains("entityID=\"https://idp.usher.test/saml\"")
                .contains("Location=\"https://idp.usher.test/saml/sso\"")
                .contains(Base64.getEncoder().encodeToString(KEY.certificate().getEncoded()).substring(0, 60));
    }

    private String redirect(String id, boolean force) {
        String xml = "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"" + id
                + "\" Version=\"2.0\" IssueInstant=\"2026-11-29T07:00:00Z\" AssertionConsumerServiceURL="
                + "\"https://sp.test/acs\"" + (force ? " ForceAuthn=\"true\"" : "") + "/>";
        Deflater deflater = new Deflater(Deflater.DEFLATED, true);
        deflater.setInput(xml.getBytes(StandardCharsets.UTF_8));
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        return idp.ssoUrl() + "?SAMLRequest=" + URLEncoder.encode(Base64.getEncoder().encodeToString(
                out.toByteArray()), StandardCharsets.UTF_8);
    }

    private static String text(Document doc, String local) {
        return doc.getElementsByTagNameNS(SamlXml.SAML_NS, local).item(0).getTextContent();
    }

    private static String attr(Document doc, String local, String name) {
        NodeList list = doc.getElementsByTagNameNS(SamlXml.SAML_NS, local);
        if (list.getLength() == 0) {
            list = doc.getElementsByTagNameNS(SamlXml.SAMLP_NS, local);
        }
        return ((Element) list.item(0)).getAttribute(name);
    }
}
