package io.usher.jit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.core.pipeline.CaseRule;
import io.usher.core.pipeline.Pipeline;
import io.usher.core.store.InMemoryUserStore;
import io.usher.jit.JitPolicy.GroupMode;
import io.usher.jit.WebsudoException.Reason;
import io.usher.jit.saml.SamlAuthnRequest;
import io.usher.jit.saml.SamlConfig;
import io.usher.jit.saml.SamlResponseValidator;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ManualClock;
import io.usher.testkit.saml.SamlIdp;
import io.usher.testkit.saml.TestKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** SAML logins through JIT provisioning and websudo, with testkit's signing SAML IdP. */
class SamlJitWebsudoTest {
    static final String SP = "https://wiki.example.test/saml";
    static final String ACS = "https://wiki.example.test/saml/acs";
    static final String IDP = "https://idp.usher.test/saml";
    static final String SSO = "https://idp.usher.test/saml/sso";
    static final TestKeys.KeyAndCertificate IDP_KEY = TestKeys.rsa("idp", 2048);

    final ManualClock clock = new ManualClock(Instant.parse("2026-05-04T08:00:00Z"));
    final InMemoryDirectory dir = InMemoryDirectory.create(9);
    final DirectoryUser jane;
    final InMemoryUserStore store = new InMemoryUserStore();
    final ProvisioningEngine engine = ProvisioningEngine.builder().store(store).clock(clock)
            .source(Source.builder("saml-sso").pipeline(Pipeline.builder().usernameCase(CaseRule.LOWER).build())
                    .build()).build();
    final JitPolicy policy = JitPolicy.builder("saml-sso", IDP).usernameFrom("username").groupsFrom("groups")
            .groupMode(GroupMode.AUTO_CREATE).removeUnlisted(true).build();
    final JitProvisioner jit = JitProvisioner.builder().engine(engine).policy(policy).clock(clock).build();
    final SamlConfig config = SamlConfig.builder().spEntityId(SP).acsUrl(ACS).idpEntityId(IDP)
            .trustedCertificate(IDP_KEY.certificate()).clock(clock).build();
    final SamlResponseValidator validator = SamlResponseValidator.create(config);
    final Websudo websudo = Websudo.builder().store(store).trust(policy).clock(clock).build();

    SamlJitWebsudoTest() {
        jane = dir.addUser(DirectoryUser.builder("JDoe").displayName("Jane Doe").givenName("Jane").familyName("Doe")
                .email("jane@example.test").build());
        dir.addMember(dir.addGroup("engineers").id(), MemberKind.USER, jane.id());
    }

    SamlIdp idp(boolean ignoreForceAuthn) {
        return SamlIdp.builder(dir).entityId(IDP).ssoUrl(SSO).sp(SP, ACS).clock(clock).signingKey(IDP_KEY)
                .ignoreForceAuthn(ignoreForceAuthn).build();
    }

    /** An SP-initiated SAML login, validated and provisioned. */
    JitResult signIn(SamlIdp idp) {
        SamlAuthnRequest request = SamlAuthnRequest.builder(config, SSO).build();
        VerifiedLogin login = validator.validate(idp.answer(request.redirectUrl(), "JDoe").build().base64(),
                request.id());
        return jit.provision(login);
    }

    Set<String> groupsOf(String key) {
        Set<String> out = new TreeSet<>();
        store.groupsOf(MemberKind.USER, key).forEach(k -> store.findGroup(k).map(Group::name).ifPresent(out::add));
        return out;
    }

    @Test
    void samlLoginCreatesAndUpdatesTheUserThroughJit() {
        SamlIdp idp = idp(false);
        JitResult first = signIn(idp);
        assertThat(first.action()).isEqualTo(JitResult.Action.CREATED);
        User u = store.findUser(first.userKey()).orElseThrow();
        assertThat(u.origin()).isEqualTo(Origin.of("saml-sso", jane.id())); // linked by the persistent NameID
        assertThat(u.username()).isEqualTo("jdoe");
        assertThat(u.displayName()).isEqualTo("Jane Doe");
        assertThat(u.familyName()).isEqualTo("Doe");
        assertThat(u.emails()).containsExactly("jane@example.test");
        assertThat(groupsOf(u.key())).containsExactly("engineers");

        dir.renameUser(jane.id(), "jane.doe");
        dir.addMember(dir.addGroup("wiki-admins").id(), MemberKind.USER, jane.id());
        dir.removeMember(dir.groupByName("engineers").orElseThrow().id(), MemberKind.USER, jane.id());
        clock.advance(Duration.ofMinutes(10));
        SamlAuthnRequest request = SamlAuthnRequest.builder(config, SSO).build();
        JitResult second = jit.provision(validator.validate(
                idp.answer(request.redirectUrl(), "jane.doe").build().base64(), request.id()));
        assertThat(second.action()).isEqualTo(JitResult.Action.RENAMED);
        assertThat(second.userKey()).isEqualTo(first.userKey());
        assertThat(groupsOf(u.key())).containsExactly("wiki-admins");
    }

    @Test
    void samlWebsudoRoundTripWithForceAuthn() {
        SamlIdp idp = idp(false);
        String key = signIn(idp).userKey();
        clock.advance(Duration.ofMinutes(40));

        Websudo.SamlReauthentication re = websudo.beginSaml("s1", key, SamlAuthnRequest.builder(config, SSO));
        assertThat(re.request().forceAuthn()).isTrue();
        assertThat(re.challenge().id()).isEqualTo(re.request().id());
        assertThat(idp.readRedirect(re.request().redirectUrl()).forceAuthn()).isTrue();
        clock.advance(Duration.ofSeconds(15));
        String response = idp.answer(re.request().redirectUrl(), "JDoe").build().base64();
        WebsudoGrant g = websudo.completeSaml("s1", key, re.challenge().id(), response, validator);
        assertThat(g.authenticatedAt()).isEqualTo(clock.instant());
        assertThat(websudo.isActive("s1", key)).isTrue();

        // the same Response again: the challenge is spent
        assertThatThrownBy(() -> websudo.completeSaml("s1", key, re.challenge().id(), response, validator))
                .isInstanceOfSatisfying(WebsudoException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CHALLENGE_UNKNOWN));
        // ... or offered to a new challenge: it answers another request
        Websudo.SamlReauthentication next = websudo.beginSaml("s1", key, SamlAuthnRequest.builder(config, SSO));
        assertThatThrownBy(() -> websudo.completeSaml("s1", key, next.challenge().id(), response, validator))
                .isInstanceOfSatisfying(WebsudoException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_CHALLENGE));
    }

    @Test
    void anIdpThatIgnoresForceAuthnIsCaughtAsStale() {
        SamlIdp lazy = idp(true);
        String key = signIn(lazy).userKey();          // the IdP session starts here
        clock.advance(Duration.ofMinutes(40));
        Websudo.SamlReauthentication re = websudo.beginSaml("s1", key, SamlAuthnRequest.builder(config, SSO));
        String response = lazy.answer(re.request().redirectUrl(), "JDoe").build().base64();
        assertThatThrownBy(() -> websudo.completeSaml("s1", key, re.challenge().id(), response, validator))
                .isInstanceOfSatisfying(WebsudoException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.STALE_AUTHENTICATION);
                    assertThat(e.getMessage()).contains("2400 s before").contains("reused an older session");
                });
        assertThat(websudo.isActive("s1", key)).isFalse();
    }

    @Test
    void anUnsolicitedOrBrokenResponseNeverOpensAWindow() {
        SamlIdp idp = idp(false);
        String key = signIn(idp).userKey();
        Websudo.SamlReauthentication re = websudo.beginSaml("s1", key, SamlAuthnRequest.builder(config, SSO));
        String unsolicited = idp.response("JDoe").build().base64();
        assertThatThrownBy(() -> websudo.completeSaml("s1", key, re.challenge().id(), unsolicited, validator))
                .isInstanceOfSatisfying(WebsudoException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_CHALLENGE));
        Websudo.SamlReauthentication re2 = websudo.beginSaml("s1", key, SamlAuthnRequest.builder(config, SSO));
        String unsigned = idp.answer(re2.request().redirectUrl(), "JDoe").signing(SamlIdp.Signing.NONE).build()
                .base64();
        assertThatThrownBy(() -> websudo.completeSaml("s1", key, re2.challenge().id(), unsigned, validator))
                .isInstanceOfSatisfying(WebsudoException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.PROOF_INVALID);
                    assertThat(e.getMessage()).contains("UNSIGNED");
                });
        assertThat(websudo.isActive("s1", key)).isFalse();
    }
}
