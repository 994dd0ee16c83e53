package io.usher.jit.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.jit.VerifiedLogin;
import io.usher.jit.saml.SamlValidationException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every row of {@code shared/vectors/saml/java-saml/MANIFEST.tsv} (real Responses from the java-saml toolkit),
 * judged as the manifest says: {@code accept-legacy} files are accepted only with legacy algorithms allowed (and
 * yield the stated NameID and attributes) and refused by the default settings; {@code reject} files are refused
 * under both. Each file is validated at the manifest's clock, against only the manifest's certificate.
 *
 * <p>Besides the verdict, each row asserts the reason: a wrapping attack refused only because, say, its audience
 * happened to differ would hide a hole, so {@link #REASONS} pins why each file fails under legacy settings (the
 * settings under which only the file's own defect can refuse it).
 */
class JavaSamlVectorsTest {

    /** Why each {@code reject} file is refused under legacy settings (where SHA-1 and the 1024-bit key pass). */
    static final Map<String, Reason> REASONS = Map.ofEntries(
            Map.entry("expired_response.xml.base64", Reason.CONFIRMATION_EXPIRED),
            Map.entry("signature_wrapping_attack.xml.base64", Reason.DUPLICATE_ID),
            Map.entry("wrapped_response_2.xml.base64", Reason.UNEXPECTED_SIGNATURE),
            Map.entry("response_with_spoofed_response_signature.xml", Reason.UNEXPECTED_SIGNATURE),
            Map.entry("response_with_concealed_signed_assertion.xml", Reason.WRAPPED_CONTENT),
            Map.entry("response_with_doubled_signed_assertion.xml", Reason.ASSERTION_COUNT),
            Map.entry("bad_reference.xml.base64", Reason.SIGNATURE_PROFILE),
            // the Assertion signature references the Response ID; the Response signature (checked first) fails
            Map.entry("duplicate_reference_uri.xml.base64", Reason.SIGNATURE_INVALID),
            Map.entry("signed_assertion_response_with_2signatures.xml.base64", Reason.UNEXPECTED_SIGNATURE),
            Map.entry("signed_message_response_with_2signatures.xml.base64", Reason.UNEXPECTED_SIGNATURE),
            Map.entry("triple_signed_response.xml.base64", Reason.UNEXPECTED_SIGNATURE),
            Map.entry("wrong_signed_element.xml.base64", Reason.UNEXPECTED_SIGNATURE),
            Map.entry("wrong_signed_element2.xml.base64", Reason.DUPLICATE_ID),
            Map.entry("no_signature.xml.base64", Reason.UNSIGNED),
            Map.entry("signed_assertion_response_with_2_assertions.xml.base64", Reason.ASSERTION_COUNT),
            Map.entry("multiple_assertions.xml.base64", Reason.ASSERTION_COUNT),
            // two Issuers on the Response: the second one is not the IdP
            Map.entry("invalid_xml.xml.base64", Reason.ISSUER_MISMATCH),
            // both files lack the (required) Status element, which is refused first; the time checks have their
            // own table tests
            Map.entry("not_after_failed.xml.base64", Reason.STATUS_NOT_SUCCESS),
            Map.entry("not_before_failed.xml.base64", Reason.STATUS_NOT_SUCCESS),
            Map.entry("invalid_audience.xml.base64", Reason.UNSIGNED),
            Map.entry("invalid_subjectconfirmation_recipient.xml.base64", Reason.UNSIGNED),
            Map.entry("no_saml2.xml.base64", Reason.NOT_A_SAML2_RESPONSE),
            Map.entry("status_code_responder.xml.base64", Reason.STATUS_NOT_SUCCESS));

    record Row(String file, String verdict, Instant clock, String spEntityId, String acsUrl, String requestId,
               String idpEntityId, String cert, String expectedNameId, String what) {
    }

    static List<Row> manifest(Path dir) throws IOException {
        List<Row> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(dir.resolve("MANIFEST.tsv"), StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            rows.add(new Row(f[0], f[1], Instant.parse(f[2]), orElse(f[3], "urn:test:sp"), url(f[4]), f[5].isEmpty() ? null : f[5], orElse(f[6], "urn:test:idp"), f[7],
                    f[8], f[9]));
        }
        return rows;
    }

    /** The ACS URL; an empty cell or a template placeholder ({recipient}) becomes a URL no file names. */
    private static String url(String value) {
        return value.startsWith("http") ? value : "https://sp.test/acs";
    }

    private static String orElse(String value, String fallback) {
        return value.isEmpty() ? fallback : value;
    }

    static SamlResponseValidator validator(Path dir, Row row, boolean legacy) throws Exception {
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(dir.resolve(row.cert()))) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        return SamlResponseValidator.create(SamlConfig.builder()
                .spEntityId(row.spEntityId()).acsUrl(row.acsUrl()).idpEntityId(row.idpEntityId())
                .trustedCertificate(cert).clock(Clock.fixed(row.clock(), ZoneOffset.UTC))
                .allowLegacyAlgorithms(legacy).allowUnsolicited(row.requestId() == null).build());
    }

    static String postValue(Path dir, Row row) throws IOException {
        byte[] bytes = Files.readAllBytes(dir.resolve(row.file()));
        return row.file().endsWith(".base64") ? new String(bytes, StandardCharsets.US_ASCII)
                : Base64.getEncoder().encodeToString(bytes);
    }

    @TestFactory
    Stream<DynamicTest> everyManifestRowIsJudgedAsItSays() throws IOException {
        if (SharedVectors.find("saml/java-saml").isEmpty()) {
            // one test that skips (or fails under CI=true) with the message, so the report shows why
            return Stream.of(DynamicTest.dynamicTest("java-saml vectors", () -> SharedVectors.require(
                    "saml/java-saml")));
        }
        Path dir = SharedVectors.require("saml/java-saml");
        List<Row> rows = manifest(dir);
        assertThat(rows).hasSizeGreaterThanOrEqualTo(27);
        return rows.stream().map(row -> DynamicTest.dynamicTest(row.verdict() + " " + row.file() + " (" + row.what()
                + ")", () -> judge(dir, row)));
    }

    private static void judge(Path dir, Row row) throws Exception {
        String value = postValue(dir, row);
        switch (row.verdict()) {
            case "accept-legacy" -> {
                VerifiedLogin login = validator(dir, row, true).validate(value, row.requestId());
                assertThat(login.subject()).isEqualTo(row.expectedNameId());
                assertThat(login.issuer()).isEqualTo(row.idpEntityId());
                assertThat(login.inResponseTo()).isEqualTo(row.requestId());
                assertThat(login.protocol()).isEqualTo(VerifiedLogin.Protocol.SAML);
                assertThat(login.first("uid")).isEqualTo("smartin");
                assertThat(login.first("mail")).isEqualTo("smartin@yaco.es");
                assertThat(login.first("cn")).isEqualTo("Sixto3");
                assertThat(login.first("sn")).isEqualTo("Martin2");
                assertThat(login.attributes().get("eduPersonAffiliation")).containsExactly("user", "admin");
                // the same file under the default (strict) settings: SHA-1 is not allowed
                assertThatThrownBy(() -> validator(dir, row, false).validate(value, row.requestId()))
                        .isInstanceOfSatisfying(SamlValidationException.class,
                                e -> assertThat(e.reason()).isEqualTo(Reason.DISALLOWED_ALGORITHM));
            }
            case "reject" -> {
                Reason expected = REASONS.get(row.file());
                assertThat(expected).as("a pinned reason for " + row.file()).isNotNull();
                assertThatThrownBy(() -> validator(dir, row, true).validate(value, row.requestId()))
                        .isInstanceOfSatisfying(SamlValidationException.class,
                                e -> assertThat(e.reason()).as(row.file()).isEqualTo(expected));
                assertThatThrownBy(() -> validator(dir, row, false).validate(value, row.requestId()))
                        .isInstanceOf(SamlValidationException.class);
            }
            default -> throw new AssertionError("unknown verdict " + row.verdict() + " in the manifest");
        }
    }
}
