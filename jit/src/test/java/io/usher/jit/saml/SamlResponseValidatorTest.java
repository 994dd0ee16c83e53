package io.usher.jit.saml;

import static io.usher.jit.saml.SamlFixture.ACS;
import static io.usher.jit.saml.SamlFixture.IDP;
import static io.usher.jit.saml.SamlFixture.NOW;
import static io.usher.jit.saml.SamlFixture.REQUEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.jit.VerifiedLogin;
import io.usher.jit.saml.SamlValidationException.Reason;
import io.usher.testkit.saml.SamlAttacks;
import io.usher.testkit.saml.SamlIdp;
import io.usher.testkit.saml.SamlIdp.Algorithm;
import io.usher.testkit.saml.SamlIdp.ContentEncryption;
import io.usher.testkit.saml.SamlIdp.KeyTransport;
import io.usher.testkit.saml.SamlIdp.Signing;
import io.usher.testkit.saml.TestKeys;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every check the validator makes, each with a Response that fails exactly it (and the reason asserted), plus the
 * Responses that must pass. The Responses are real: signed by {@link SamlIdp} over a directory user.
 */
class SamlResponseValidatorTest {
    static final TestKeys.KeyAndCertificate OTHER_KEY = TestKeys.rsa("someone-else", 2048);
    static final TestKeys.KeyAndCertificate WEAK_KEY = TestKeys.rsa("weak", 1024);
    static final TestKeys.KeyAndCertificate EC_KEY = TestKeys.ec("ec-idp");

    final SamlFixture f = new SamlFixture();

    // ---- what a valid login yields ----------------------------------------------------------------------------

    @Test
    void aSignedAssertionAnsweringTheRequestYieldsTheLoginFromThatAssertion() {
        SamlIdp.IssuedResponse issued = f.response().authnInstant(NOW.minusSeconds(30)).build();

        VerifiedLogin login = f.validator().validate(issued.base64(), REQUEST);

        assertThat(login.protocol()).isEqualTo(VerifiedLogin.Protocol.SAML);
        assertThat(login.issuer()).isEqualTo(IDP);
        assertThat(login.subject()).isEqualTo(f.user.id());
        assertThat(login.proofId()).isEqualTo(issued.assertionId());
        assertThat(login.authenticatedAt()).isEqualTo(NOW.minusSeconds(30));
        assertThat(login.inResponseTo()).isEqualTo(REQUEST);
        assertThat(login.first("username")).isEqualTo("jdoe");
        assertThat(login.first("email")).isEqualTo("jane.doe@example.test");
        assertThat(login.first("givenName")).isEqualTo("Jane");
        assertThat(login.first("familyName")).isEqualTo("Doe");
        assertThat(login.attributes().get("groups")).containsExactly("engineers", "wiki-admins");
    }

    @ParameterizedTest
    @EnumSource(value = Signing.class, names = {"ASSERTION", "RESPONSE", "BOTH"})
    void anAssertionSignedItselfOrThroughItsResponseIsAccepted(Signing signing) {
        String post = f.response().signing(signing).build().base64();
        assertThat(f.validator().validate(post, REQUEST).subject()).isEqualTo(f.user.id());
    }

    @Test
    void anIdpInitiatedResponseIsAcceptedOnlyWhenUnsolicitedResponsesAreAllowed() {
        String post = f.idp.response("jdoe").build().base64();
        assertThat(f.validator(b -> b.allowUnsolicited(true)).validate(post).inResponseTo()).isNull();
        assertReason(() -> f.validator().validate(post), Reason.UNSOLICITED_NOT_ALLOWED);
    }

    @Test
    void certificateRolloverAcceptsEitherTrustedCertificate() {
        SamlResponseValidator validator = f.validator(b -> b.trustedCertificate(OTHER_KEY.certificate()));
        assertThat(validator.validate(f.response().build().base64(), REQUEST).subject()).isEqualTo(f.user.id());
        assertThat(validator.validate(f.response().inResponseTo("_req2").signedBy(OTHER_KEY).build().base64(),
                "_req2").subject()).isEqualTo(f.user.id());
    }

    @Test
    void rolloverAcrossKeyTypesTriesEveryCertificate() {
        // an EC certificate first must not stop an RSA signature from verifying with the RSA one after it
        SamlResponseValidator validator = SamlResponseValidator.create(SamlConfig.builder()
                .spEntityId(SamlFixture.SP).acsUrl(ACS).idpEntityId(IDP).trustedCertificate(EC_KEY.certificate())
                .trustedCertificate(WEAK_KEY.certificate()).trustedCertificate(SamlFixture.IDP_KEY.certificate())
                .clock(f.clock).build());
        assertThat(validator.validate(f.response().build().base64(), REQUEST).subject()).isEqualTo(f.user.id());
    }

    @Test
    void anEcdsaSignatureFromATrustedEcKeyIsAccepted() {
        String post = f.response().signedBy(EC_KEY).algorithm(Algorithm.ECDSA_SHA256).build().base64();
        SamlResponseValidator validator = SamlResponseValidator.create(SamlConfig.builder()
                .spEntityId(SamlFixture.SP).acsUrl(ACS).idpEntityId(IDP).trustedCertificate(EC_KEY.certificate())
                .clock(f.clock).build());
        assertThat(validator.validate(post, REQUEST).subject()).isEqualTo(f.user.id());
    }

    @Test
    void sha1AndWeakKeysPassOnlyWithLegacyAllowed() {
        String sha1 = f.response().algorithm(Algorithm.RSA_SHA1).build().base64();
        assertReason(() -> f.validator().validate(sha1, REQUEST), Reason.DISALLOWED_ALGORITHM);
        assertThat(f.validator(b -> b.allowLegacyAlgorithms(true)).validate(sha1, REQUEST).subject())
                .isEqualTo(f.user.id());

        String weak = f.response().inResponseTo("_req2").signedBy(WEAK_KEY).build().base64();
        SamlConfig strict = SamlConfig.builder().spEntityId(SamlFixture.SP).acsUrl(ACS).idpEntityId(IDP)
                .trustedCertificate(WEAK_KEY.certificate()).clock(f.clock).build();
        assertReason(() -> SamlResponseValidator.create(strict).validate(weak, "_req2"), Reason.WEAK_KEY);
        SamlConfig legacy = SamlConfig.builder().spEntityId(SamlFixture.SP).acsUrl(ACS).idpEntityId(IDP)
                .trustedCertificate(WEAK_KEY.certificate()).clock(f.clock).allowLegacyAlgorithms(true).build();
        assertThat(SamlResponseValidator.create(legacy).validate(weak, "_req2").subject()).isEqualTo(f.user.id());
    }

    @Test
    void clockSkewIsToleratedUpToTheConfiguredAmountAndNoFurther() {
        String post = f.response().build().base64();
        f.clock.advance(Duration.ofMinutes(6)); // 5 minutes valid + 1 minute over: inside the 2-minute skew
        assertThat(f.validator().validate(post, REQUEST).subject()).isEqualTo(f.user.id());

        String later = f.response().build().base64();
        f.clock.advance(Duration.ofMinutes(8)); // 3 minutes over
        assertReason(() -> f.validator().validate(later, REQUEST), Reason.CONFIRMATION_EXPIRED);

        String early = f.response().issueInstant(f.clock.instant().plusSeconds(90)).build().base64();
        assertThat(f.validator().validate(early, REQUEST).subject()).isEqualTo(f.user.id());
        String zeroSkew = f.response().issueInstant(f.clock.instant().plusSeconds(90)).build().base64();
        assertReason(() -> f.validator(b -> b.clockSkew(Duration.ZERO)).validate(zeroSkew, REQUEST),
                Reason.NOT_YET_VALID);
    }

    // ---- encryption -------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = ContentEncryption.class, names = {"AES256_GCM", "AES128_CBC"})
    void anEncryptedAssertionIsDecryptedAndThenValidatedLikeAnyOther(ContentEncryption content) {
        SamlIdp.IssuedResponse issued = f.response().encryptFor(SamlFixture.SP_KEY.certificate())
                .contentEncryption(content).build();
        assertThat(issued.xml()).contains("EncryptedAssertion").doesNotContain(f.user.id());

        VerifiedLogin login = f.validator().validate(issued.base64(), REQUEST);
        assertThat(login.subject()).isEqualTo(f.user.id());
        assertThat(login.proofId()).isEqualTo(issued.assertionId());
        assertThat(login.first("email")).isEqualTo("jane.doe@example.test");
    }

    @Test
    void anEncryptedUnsignedAssertionInASignedResponseIsAccepted() {
        String post = f.response().signing(Signing.RESPONSE).encryptFor(SamlFixture.SP_KEY.certificate()).build()
                .base64();
        assertThat(f.validator().validate(post, REQUEST).subject()).isEqualTo(f.user.id());
    }

    @Test
    void anEncryptedAssertionWithoutAConfiguredKeyIsAConfigurationProblem() {
        String post = f.response().encryptFor(SamlFixture.SP_KEY.certificate()).build().base64();
        SamlResponseValidator noKey = SamlResponseValidator.create(SamlConfig.builder().spEntityId(SamlFixture.SP)
                .acsUrl(ACS).idpEntityId(IDP).trustedCertificate(SamlFixture.IDP_KEY.certificate()).clock(f.clock)
                .build());
        SamlValidationException e = assertReason(() -> noKey.validate(post, REQUEST), Reason.NO_DECRYPTION_KEY);
        assertThat(e.code()).isEqualTo(io.usher.core.UsherException.Code.CONFIG);
    }

    // ---- one Response per check: the table ---------------------------------------------------------------------

    record Case(String name, Function<SamlFixture, String> post, Consumer<SamlConfig.Builder> config,
                String expectedRequest, Reason reason) {
        @Override
        public String toString() {
            return name + " -> " + reason;
        }
    }

    private static Case refused(String name, Function<SamlIdp.ResponseSpec, SamlIdp.ResponseSpec> change,
            Reason reason) {
        return new Case(name, fx -> change.apply(fx.response()).build().base64(), b -> { }, REQUEST, reason);
    }

    private static Case refusedXml(String name, Function<SamlFixture, String> xml, Reason reason) {
        return new Case(name, fx -> SamlAttacks.base64(xml.apply(fx)), b -> { }, REQUEST, reason);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                // input
                new Case("empty value", fx -> "", b -> { }, REQUEST, Reason.MALFORMED_BASE64),
                new Case("not base64", fx -> "PHNhbWxwOl%%%", b -> { }, REQUEST, Reason.MALFORMED_BASE64),
                new Case("larger than the limit", fx -> "A".repeat(SamlConfig.DEFAULT_MAX_RESPONSE_SIZE + 4),
                        b -> { }, REQUEST, Reason.TOO_LARGE),
                new Case("larger than a configured limit", fx -> fx.response().build().base64(),
                        b -> b.maxResponseSize(4096), REQUEST, Reason.TOO_LARGE),
                new Case("not XML", fx -> b64("hello, I am not XML"), b -> { }, REQUEST, Reason.MALFORMED_XML),
                new Case("DEFLATE-compressed (POST is never inflated)", fx -> deflated(fx.response().build().xml()),
                        b -> { }, REQUEST, Reason.MALFORMED_XML),
                new Case("nested 100,000 levels deep", fx -> b64("<samlp:Response xmlns:samlp="
                        + "'urn:oasis:names:tc:SAML:2.0:protocol'>" + "<a>".repeat(100_000) + "</a>".repeat(100_000)
                        + "</samlp:Response>"), b -> b.maxResponseSize(4 * 1024 * 1024), REQUEST,
                        Reason.MALFORMED_XML),
                new Case("another root element", fx -> b64("<a xmlns='urn:x'/>"), b -> { }, REQUEST,
                        Reason.NOT_A_SAML2_RESPONSE),
                new Case("a SAML 2.0 AuthnRequest instead of a Response", fx -> b64(
                        "<samlp:AuthnRequest xmlns:samlp='urn:oasis:names:tc:SAML:2.0:protocol' ID='_a' "
                                + "Version='2.0' IssueInstant='2026-11-29T07:00:00Z'/>"), b -> { }, REQUEST,
                        Reason.NOT_A_SAML2_RESPONSE),
                refusedXml("XXE: DOCTYPE with an external entity", fx -> SamlAttacks.xxe(fx.response().build().xml()),
                        Reason.DOCTYPE_FORBIDDEN),
                refusedXml("billion laughs", fx -> SamlAttacks.billionLaughs(fx.response().build().xml()),
                        Reason.DOCTYPE_FORBIDDEN),
                // status and structure
                refused("status Responder", r -> r.statusCode("urn:oasis:names:tc:SAML:2.0:status:Responder"),
                        Reason.STATUS_NOT_SUCCESS),
                refused("unsigned", r -> r.signing(Signing.NONE), Reason.UNSIGNED),
                refusedXml("signatures stripped", fx -> SamlAttacks.removeSignatures(
                        fx.response().signing(Signing.BOTH).build().xml()), Reason.UNSIGNED),
                refusedXml("an Extensions element reusing the Assertion's ID", fx -> {
                    SamlIdp.IssuedResponse r = fx.response().build();
                    return r.xml().replace("<saml2p:Status>", "<saml2p:Extensions><x xmlns=\"urn:x\" ID=\""
                            + r.assertionId() + "\"/></saml2p:Extensions><saml2p:Status>");
                }, Reason.DUPLICATE_ID),
                refusedXml("a copy of the Assertion's Signature in Extensions", fx -> {
                    String xml = fx.response().build().xml();
                    String signature = xml.substring(xml.indexOf("<ds:Signature"),
                            xml.indexOf("</ds:Signature>") + "</ds:Signature>".length());
                    return xml.replace("<saml2p:Status>", "<saml2p:Extensions>" + signature
                            + "</saml2p:Extensions><saml2p:Status>");
                }, Reason.UNEXPECTED_SIGNATURE),
                // signatures
                refusedXml("Assertion signature referencing the Response", fx -> {
                    SamlIdp.IssuedResponse r = fx.response().build();
                    return r.xml().replace("URI=\"#" + r.assertionId() + "\"", "URI=\"#" + r.responseId() + "\"");
                }, Reason.SIGNATURE_PROFILE),
                refused("signed by an untrusted key", r -> r.signedBy(OTHER_KEY), Reason.SIGNATURE_INVALID),
                refused("Response signed by an untrusted key, Assertion by the IdP",
                        r -> r.signing(Signing.RESPONSE).signedBy(OTHER_KEY), Reason.SIGNATURE_INVALID),
                refusedXml("NameID changed after signing", fx -> SamlAttacks.replaceNameId(
                        fx.response().build().xml(), "admin"), Reason.SIGNATURE_INVALID),
                refusedXml("SignatureValue with one base64 character changed", fx -> flipSignatureValue(
                        fx.response().build().xml()), Reason.SIGNATURE_INVALID),
                refused("RSA-SHA1", r -> r.algorithm(Algorithm.RSA_SHA1), Reason.DISALLOWED_ALGORITHM),
                refused("RSA-SHA1 on the Response", r -> r.signing(Signing.RESPONSE).algorithm(Algorithm.RSA_SHA1),
                        Reason.DISALLOWED_ALGORITHM),
                // issuer, destination, request binding
                refused("Issuer of another IdP", r -> r.issuer("https://evil.example"), Reason.ISSUER_MISMATCH),
                refused("Assertion Issuer of another IdP", r -> r.assertionIssuer("https://evil.example"),
                        Reason.ISSUER_MISMATCH),
                refused("Destination elsewhere", r -> r.destination("https://other.example/acs"),
                        Reason.DESTINATION_MISMATCH),
                refused("signed Response without Destination", r -> r.signing(Signing.RESPONSE).destination(null),
                        Reason.DESTINATION_MISMATCH),
                refused("InResponseTo another request", r -> r.inResponseTo("_another"),
                        Reason.IN_RESPONSE_TO_MISMATCH),
                refused("no InResponseTo where a request was sent", r -> r.inResponseTo(null),
                        Reason.IN_RESPONSE_TO_MISMATCH),
                new Case("InResponseTo where none was expected", fx -> fx.response().build().base64(),
                        b -> b.allowUnsolicited(true), null, Reason.IN_RESPONSE_TO_MISMATCH),
                new Case("unsolicited where not allowed", fx -> fx.response().inResponseTo(null).build().base64(),
                        b -> { }, null, Reason.UNSOLICITED_NOT_ALLOWED),
                // subject and bearer confirmation
                refused("no NameID", r -> r.nameId(null), Reason.SUBJECT_MISSING),
                refused("holder-of-key instead of bearer",
                        r -> r.confirmationMethod("urn:oasis:names:tc:SAML:2.0:cm:holder-of-key"),
                        Reason.NO_BEARER_CONFIRMATION),
                refused("Recipient elsewhere", r -> r.recipient("https://other.example/acs"),
                        Reason.RECIPIENT_MISMATCH),
                refused("no Recipient", r -> r.recipient(null), Reason.RECIPIENT_MISMATCH),
                refused("bearer NotBefore", SamlIdp.ResponseSpec::bearerNotBefore, Reason.BEARER_DATA_INVALID),
                refused("bearer without NotOnOrAfter", SamlIdp.ResponseSpec::withoutBearerNotOnOrAfter,
                        Reason.BEARER_DATA_INVALID),
                refused("bearer expired", r -> r.issueInstant(NOW.minus(Duration.ofMinutes(10))),
                        Reason.CONFIRMATION_EXPIRED),
                // conditions
                refused("no Conditions", SamlIdp.ResponseSpec::withoutConditions, Reason.CONDITIONS_INVALID),
                refused("Conditions expired", r -> r.issueInstant(NOW.minus(Duration.ofMinutes(4)))
                        .conditionsValidity(Duration.ofMinutes(1)), Reason.EXPIRED),
                refused("Conditions NotBefore in the future", r -> r.notBefore(NOW.plus(Duration.ofMinutes(5))),
                        Reason.NOT_YET_VALID),
                refused("issued in the future", r -> r.issueInstant(NOW.plus(Duration.ofMinutes(5))),
                        Reason.NOT_YET_VALID),
                refused("audience of another SP", r -> r.audiences("https://other.example"),
                        Reason.AUDIENCE_MISMATCH),
                refused("no AudienceRestriction", r -> r.audiences(), Reason.AUDIENCE_MISMATCH),
                refused("no AuthnStatement", SamlIdp.ResponseSpec::withoutAuthnStatement,
                        Reason.AUTHN_STATEMENT_INVALID),
                refused("AuthnInstant in the future", r -> r.authnInstant(NOW.plus(Duration.ofMinutes(5))),
                        Reason.AUTHN_STATEMENT_INVALID),
                // encryption
                refused("RSA 1.5 key transport", r -> r.encryptFor(SamlFixture.SP_KEY.certificate())
                        .keyTransport(KeyTransport.RSA_1_5), Reason.DISALLOWED_ALGORITHM),
                refused("3DES content encryption", r -> r.encryptFor(SamlFixture.SP_KEY.certificate())
                        .contentEncryption(ContentEncryption.TRIPLEDES_CBC), Reason.DISALLOWED_ALGORITHM),
                refused("encrypted for another SP", r -> r.encryptFor(OTHER_KEY.certificate()),
                        Reason.DECRYPTION_FAILED),
                refused("encrypted and nothing signed", r -> r.encryptFor(SamlFixture.SP_KEY.certificate())
                        .signing(Signing.NONE), Reason.UNSIGNED)
        ).map(c -> Arguments.of(c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void everyCheckRefusesItsOwnFailure(Case c) {
        SamlFixture fx = new SamlFixture();
        String post = c.post().apply(fx);
        SamlConfig.Builder b = fx.config();
        c.config().accept(b);
        SamlResponseValidator validator = SamlResponseValidator.create(b.build());

        SamlValidationException e = assertReason(() -> validator.validate(post, c.expectedRequest()), c.reason());
        // the message names the check, never a value from the Response
        assertThat(e.getMessage()).startsWith(c.reason().name() + ": ")
                .doesNotContain(fx.user.id()).doesNotContain("jdoe").doesNotContain("jane.doe")
                .doesNotContain("_another").doesNotContain("evil.example").doesNotContain("other.example");
    }

    // ---- attacks ----------------------------------------------------------------------------------------------

    static Stream<Arguments> wrappings() {
        return Stream.of(
                Arguments.of(SamlAttacks.Xsw.XSW1, Reason.WRAPPED_CONTENT),
                Arguments.of(SamlAttacks.Xsw.XSW2, Reason.WRAPPED_CONTENT),
                Arguments.of(SamlAttacks.Xsw.XSW3, Reason.ASSERTION_COUNT),
                Arguments.of(SamlAttacks.Xsw.XSW4, Reason.WRAPPED_CONTENT),
                Arguments.of(SamlAttacks.Xsw.XSW5, Reason.ASSERTION_COUNT),
                Arguments.of(SamlAttacks.Xsw.XSW6, Reason.WRAPPED_CONTENT),
                Arguments.of(SamlAttacks.Xsw.XSW7, Reason.WRAPPED_CONTENT),
                Arguments.of(SamlAttacks.Xsw.XSW8, Reason.WRAPPED_CONTENT));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("wrappings")
    void theEightSignatureWrappingPermutationsAreRefused(SamlAttacks.Xsw variant, Reason reason) {
        String signed = f.response().signing(variant.needsSignedResponse() ? Signing.RESPONSE : Signing.ASSERTION)
                .build().xml();
        String wrapped = SamlAttacks.wrap(variant, signed, "admin");
        assertThat(wrapped).contains(">admin<");

        assertReason(() -> f.validator().validate(SamlAttacks.base64(wrapped), REQUEST), reason);
        assertReason(() -> f.validator(b -> b.allowLegacyAlgorithms(true).allowUnsolicited(true))
                .validate(SamlAttacks.base64(wrapped), REQUEST), reason);
    }

    @Test
    void commentInjectionInTheNameIdYieldsTheWholeSignedValueNotThePrefix() {
        // the IdP signs for "attacker@evil.test.example.test"; a reader of the first text node would see
        // "attacker@evil.test" (CVE-2017-11427 family)
        String signed = f.response().nameId("attacker@evil.test.example.test").build().xml();
        String injected = SamlAttacks.injectComment(signed, "attacker@evil.test".length());
        assertThat(injected).contains("attacker@evil.test<!---->.example.test");

        VerifiedLogin login = f.validator().validate(SamlAttacks.base64(injected), REQUEST);
        assertThat(login.subject()).isEqualTo("attacker@evil.test.example.test");
    }

    @Test
    void anEmptyCdataSectionOrACharacterReferenceInTheNameIdAlsoYieldsTheWholeValue() {
        // the same trick with other node splits; canonicalization makes them invisible to the signature
        SamlResponseValidator validator = f.validator(b -> b.allowUnsolicited(true));
        for (String split : List.of("attacker@evil.test<![CDATA[]]>.example.test",
                "attacker@evil.test&#46;example.test")) {
            String signed = f.idp.response("jdoe").nameId("attacker@evil.test.example.test").build().xml();
            String injected = signed.replace(">attacker@evil.test.example.test<", ">" + split + "<");
            assertThat(injected).contains(split);
            assertThat(validator.validate(SamlAttacks.base64(injected)).subject())
                    .isEqualTo("attacker@evil.test.example.test");
        }
    }

    @Test
    void theSameResponsePostedTwiceIsAReplay() {
        String post = f.idp.response("jdoe").build().base64();
        SamlResponseValidator validator = f.validator(b -> b.allowUnsolicited(true));
        validator.validate(post);
        assertReason(() -> validator.validate(post), Reason.REPLAYED);
    }

    @Test
    void aSecondAssertionWithAnAcceptedIdIsAReplayEvenInAFreshResponse() {
        SamlResponseValidator validator = f.validator(b -> b.allowUnsolicited(true));
        validator.validate(f.idp.response("jdoe").assertionId("_same").build().base64());
        assertReason(() -> validator.validate(f.idp.response("jdoe").assertionId("_same").build().base64()),
                Reason.REPLAYED);
    }

    @Test
    void aRequestIsAnsweredOnlyOnce() {
        SamlResponseValidator validator = f.validator();
        validator.validate(f.response().build().base64(), REQUEST);
        assertReason(() -> validator.validate(f.response().build().base64(), REQUEST),
                Reason.REQUEST_ALREADY_ANSWERED);
    }

    @Test
    void aFullReplayCacheRefusesRatherThanForgets() {
        SamlResponseValidator validator = f.validator(b -> b.allowUnsolicited(true)
                .replayCache(SamlReplayCache.inMemory(f.clock, 1)));
        validator.validate(f.idp.response("jdoe").build().base64());
        assertReason(() -> validator.validate(f.idp.response("jdoe").build().base64()),
                Reason.REPLAY_CACHE_UNAVAILABLE);
        // once the first entry has expired, there is room again
        f.clock.advance(Duration.ofMinutes(8));
        assertThat(validator.validate(f.idp.response("jdoe").build().base64()).subject()).isEqualTo(f.user.id());
    }

    @Test
    void aValidatorIsSharedSafelyBetweenThreads() throws Exception {
        SamlResponseValidator validator = f.validator(b -> b.allowUnsolicited(true));
        List<String> posts = Stream.generate(() -> f.idp.response("jdoe").build().base64()).limit(16).toList();
        List<Thread> threads = posts.stream().map(p -> new Thread(() -> validator.validate(p))).toList();
        java.util.concurrent.ConcurrentLinkedQueue<Throwable> errors = new java.util.concurrent.ConcurrentLinkedQueue<>();
        threads.forEach(t -> t.setUncaughtExceptionHandler((th, ex) -> errors.add(ex)));
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(errors).isEmpty();
        // and each of them is now a replay
        for (String p : posts) {
            assertReason(() -> validator.validate(p), Reason.REPLAYED);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    static SamlValidationException assertReason(org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
            Reason reason) {
        Throwable[] caught = new Throwable[1];
        assertThatThrownBy(call).isInstanceOfSatisfying(SamlValidationException.class, e -> {
            assertThat(e.reason()).as("reason; message: " + e.getMessage()).isEqualTo(reason);
            caught[0] = e;
        });
        return (SamlValidationException) caught[0];
    }

    static String flipSignatureValue(String xml) {
        int at = xml.indexOf("<ds:SignatureValue>") + "<ds:SignatureValue>".length() + 10;
        char c = xml.charAt(at);
        return xml.substring(0, at) + (c == 'A' ? 'B' : 'A') + xml.substring(at + 1);
    }

    static String b64(String xml) {
        return Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8));
    }

    static String deflated(String xml) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(xml.getBytes(StandardCharsets.UTF_8));
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
