package io.usher.jit.saml;

import io.usher.core.model.MemberKind;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ManualClock;
import io.usher.testkit.saml.SamlIdp;
import io.usher.testkit.saml.TestKeys;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * One directory user, one test IdP that signs for it and the SP settings that trust it, on a manual clock.
 * Keys are made once per JVM (RSA generation is the slow part of these tests).
 */
final class SamlFixture {
    static final String SP = "https://wiki.example.test/saml";
    static final String ACS = "https://wiki.example.test/saml/acs";
    static final String IDP = "https://idp.usher.test/saml";
    static final Instant NOW = Instant.parse("2026-11-29T07:00:00Z");
    static final String REQUEST = "_req0123456789abcdef";

    static final TestKeys.KeyAndCertificate IDP_KEY = TestKeys.rsa("idp", 2048);
    static final TestKeys.KeyAndCertificate SP_KEY = TestKeys.rsa("sp", 2048);

    final ManualClock clock = new ManualClock(NOW);
    final InMemoryDirectory directory = InMemoryDirectory.create(7);
    final DirectoryUser user;
    final SamlIdp idp;

    SamlFixture() {
        user = directory.addUser(DirectoryUser.builder("jdoe").displayName("Jane Doe").givenName("Jane")
                .familyName("Doe").emails(List.of("jane.doe@example.test")).build());
        DirectoryGroup engineers = directory.addGroup("engineers");
        DirectoryGroup admins = directory.addGroup("wiki-admins");
        directory.addMember(engineers.id(), MemberKind.USER, user.id());
        directory.addMember(admins.id(), MemberKind.USER, user.id());
        idp = SamlIdp.builder(directory).entityId(IDP).sp(SP, ACS).clock(clock).signingKey(IDP_KEY).build();
    }

    /** The SP settings that trust this IdP, with changes. */
    SamlConfig.Builder config() {
        return SamlConfig.builder().spEntityId(SP).acsUrl(ACS).idpEntityId(IDP).trustedCertificate(IDP_KEY.certificate())
                .clock(clock).decryptionKey(SP_KEY.privateKey());
    }

    SamlResponseValidator validator() {
        return SamlResponseValidator.create(config().build());
    }

    SamlResponseValidator validator(Consumer<SamlConfig.Builder> change) {
        SamlConfig.Builder b = config();
        change.accept(b);
        return SamlResponseValidator.create(b.build());
    }

    /** A valid Response answering {@link #REQUEST}, as the test changes it. */
    SamlIdp.ResponseSpec response() {
        return idp.response("jdoe").inResponseTo(REQUEST);
    }
}
