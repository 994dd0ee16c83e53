package io.usher.jit.saml;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.jit.VerifiedLogin;
import java.security.PrivateKey;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's SAML quick start, kept compiling and true: if this breaks, fix the README too. */
class SamlReadmeExampleTest {

    @Test
    void samlQuickStart() {
        SamlFixture f = new SamlFixture();
        String idpMetadataXml = f.idp.metadata();
        PrivateKey spPrivateKey = SamlFixture.SP_KEY.privateKey();
        Map<String, String> session = new HashMap<>();
        Map<String, String> form = new HashMap<>();
        String[] redirectedTo = new String[1];
        String[] outcome = new String[1];

        // --- README: start-up
        SamlMetadata.IdpMetadata idp = SamlMetadata.parseIdp(idpMetadataXml, null);
        SamlConfig config = SamlConfig.builder()
                .spEntityId("https://wiki.example.test/saml")
                .acsUrl("https://wiki.example.test/saml/acs")
                .idp(idp)                                   // IdP entity ID + signing certificate(s)
                .decryptionKey(spPrivateKey)                // only if the IdP encrypts assertions
                .clock(f.clock)                             // omit in production: the system clock
                .build();
        SamlResponseValidator validator = SamlResponseValidator.create(config);

        // GET /login: send the browser to the IdP, remember which request it carries
        SamlAuthnRequest request = SamlAuthnRequest.builder(config, idp.ssoRedirectUrl()).build();
        session.put("saml.requestId", request.id());
        redirectedTo[0] = request.redirectUrl();            // i.e. response.sendRedirect(...)
        // --- end of README excerpt

        // the browser goes to the IdP and comes back with a form POST
        form.put("SAMLResponse", f.idp.answer(redirectedTo[0], "jdoe").build().base64());

        // --- README: the ACS endpoint
        // POST /saml/acs
        try {
            VerifiedLogin login = validator.validate(form.get("SAMLResponse"), session.remove("saml.requestId"));
            outcome[0] = login.subject();                   // hand `login` to JIT provisioning, then sign in
        } catch (SamlValidationException e) {
            outcome[0] = e.reason().name();                 // answer 403 with a generic page; log e.reason()
        }
        // --- end of README excerpt

        assertThat(outcome[0]).isEqualTo(f.user.id());
        assertThat(session).doesNotContainKey("saml.requestId");

        // the same POST again (back button, or a thief): no request in the session any more
        try {
            validator.validate(form.get("SAMLResponse"), session.remove("saml.requestId"));
        } catch (SamlValidationException e) {
            outcome[0] = e.reason().name();
        }
        assertThat(outcome[0]).isEqualTo("IN_RESPONSE_TO_MISMATCH");
    }
}
