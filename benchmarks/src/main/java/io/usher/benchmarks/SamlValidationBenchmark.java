package io.usher.benchmarks;

import io.usher.jit.VerifiedLogin;
import io.usher.jit.saml.SamlConfig;
import io.usher.jit.saml.SamlResponseValidator;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.saml.SamlIdp;
import io.usher.testkit.saml.TestKeys;
import java.io.ByteArrayInputStream;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.xml.security.signature.XMLSignature;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * What Usher's SAML validation costs beside the one thing no validator can skip: checking the signature. The
 * same Response (an Assertion signed with RSA-2048 / RSA-SHA256 by testkit's {@code SamlIdp}, five attributes,
 * two groups) is measured three ways in one run:
 * <ul>
 *   <li>{@code validate}: {@code SamlResponseValidator.validate} — every check, the replay cache included (a
 *       cache that never reports a replay, so the same Response can be validated again);</li>
 *   <li>{@code bareVerify}: base64 decode, a hardened JAXP parse, and Santuario's check of the Assertion's
 *       signature against the certificate, nothing else;</li>
 *   <li>{@code verifyOnly}: Santuario's check alone, on a DOM parsed once.</li>
 * </ul>
 *
 * <p>Run: {@code java -Xmx512m -cp benchmarks/target/usher-benchmarks.jar org.openjdk.jmh.Main SamlValidationBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SamlValidationBenchmark {
    private static final String REQUEST = "_benchmark-request";

    private SamlResponseValidator validator;
    private String post;
    private X509Certificate certificate;
    private DocumentBuilderFactory factory;
    private Element parsedSignature;

    @Setup
    public void setUp() throws Exception {
        Instant now = Instant.parse("2026-11-29T07:00:00Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        InMemoryDirectory directory = InMemoryDirectory.create(1);
        DirectoryUser user = directory.addUser(DirectoryUser.builder("jdoe").displayName("Jane Doe")
                .givenName("Jane").familyName("Doe").emails(List.of("jane.doe@example.test")).build());
        directory.addMember(directory.addGroup("engineers").id(), io.usher.core.model.MemberKind.USER, user.id());
        directory.addMember(directory.addGroup("wiki-admins").id(), io.usher.core.model.MemberKind.USER, user.id());
        TestKeys.KeyAndCertificate key = TestKeys.rsa("idp", 2048);
        SamlIdp idp = SamlIdp.builder(directory).sp("https://sp.test", "https://sp.test/acs").clock(clock)
                .signingKey(key).build();
        post = idp.response("jdoe").inResponseTo(REQUEST).build().base64();
        certificate = key.certificate();
        validator = SamlResponseValidator.create(SamlConfig.builder().spEntityId("https://sp.test")
                .acsUrl("https://sp.test/acs").idpEntityId(idp.entityId()).trustedCertificate(certificate)
                .clock(clock).replayCache((k, expiresAt) -> true).build());

        org.apache.xml.security.Init.init();
        factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        parsedSignature = assertionSignature(parse());
        if (!validate().subject().equals(user.id()) || !bareVerify() || !verifyOnly()) {
            throw new IllegalStateException("the benchmark's Response does not validate");
        }
    }

    private Document parse() throws Exception {
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(Base64.getDecoder().decode(post)));
    }

    private static Element assertionSignature(Document doc) {
        Element assertion = (Element) doc.getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:assertion",
                "Assertion").item(0);
        assertion.setIdAttributeNS(null, "ID", true);
        return (Element) assertion.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature").item(0);
    }

    @Benchmark
    public VerifiedLogin validate() {
        return validator.validate(post, REQUEST);
    }

    @Benchmark
    public boolean bareVerify() throws Exception {
        return new XMLSignature(assertionSignature(parse()), "").checkSignatureValue(certificate);
    }

    @Benchmark
    public boolean verifyOnly() throws Exception {
        return new XMLSignature(parsedSignature, "").checkSignatureValue(certificate);
    }
}
