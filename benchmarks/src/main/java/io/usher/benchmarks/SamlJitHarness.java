package io.usher.benchmarks;

import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.model.MemberKind;
import io.usher.core.store.InMemoryUserStore;
import io.usher.jit.JitPolicy;
import io.usher.jit.JitProvisioner;
import io.usher.jit.JitResult;
import io.usher.jit.saml.SamlConfig;
import io.usher.jit.saml.SamlResponseValidator;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.saml.SamlIdp;
import io.usher.testkit.saml.TestKeys;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.xml.security.signature.XMLSignature;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The issue's SAML floor: a JIT login of an existing user — {@code SamlResponseValidator.validate} (every check)
 * plus {@code JitProvisioner.provision} with nothing to change — beside a bare signature verification of the
 * same Response (base64 decode, hardened JAXP parse, Santuario's check of the Assertion signature; the baseline
 * of {@code SamlValidationBenchmark}), in the same run. One Response (RSA-2048 / RSA-SHA256, five attributes,
 * two groups) is used over and over, with a replay cache that never reports a replay. Times are this thread's CPU
 * time, because the build machine is shared and wall time there mostly measures the neighbours.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -Xmx512m -cp benchmarks/target/usher-benchmarks.jar io.usher.benchmarks.SamlJitHarness   # [logins rounds]
 * </pre>
 */
public final class SamlJitHarness {
    private static final String REQUEST = "_benchmark-request";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private SamlJitHarness() {}

    public static void main(String[] args) throws Exception {
        int logins = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Clock clock = Clock.fixed(Instant.parse("2026-11-29T07:00:00Z"), ZoneOffset.UTC);
        InMemoryDirectory directory = InMemoryDirectory.create(1);
        DirectoryUser user = directory.addUser(DirectoryUser.builder("jdoe").displayName("Jane Doe")
                .givenName("Jane").familyName("Doe").emails(List.of("jane.doe@example.test")).build());
        directory.addMember(directory.addGroup("engineers").id(), MemberKind.USER, user.id());
        directory.addMember(directory.addGroup("wiki-admins").id(), MemberKind.USER, user.id());
        TestKeys.KeyAndCertificate key = TestKeys.rsa("idp", 2048);
        SamlIdp idp = SamlIdp.builder(directory).sp("https://sp.test", "https://sp.test/acs").clock(clock)
                .signingKey(key).build();
        String post = idp.response("jdoe").inResponseTo(REQUEST).build().base64();
        X509Certificate certificate = key.certificate();
        SamlResponseValidator validator = SamlResponseValidator.create(SamlConfig.builder()
                .spEntityId("https://sp.test").acsUrl("https://sp.test/acs").idpEntityId(idp.entityId())
                .trustedCertificate(certificate).clock(clock).replayCache((k, expiresAt) -> true).build());

        InMemoryUserStore store = new InMemoryUserStore();
        ProvisioningEngine engine = ProvisioningEngine.builder().store(store).clock(clock)
                .source(Source.builder("saml-sso").build()).build();
        JitProvisioner jit = JitProvisioner.builder().engine(engine).clock(clock)
                .policy(JitPolicy.builder("saml-sso", idp.entityId()).usernameFrom("username").groupsFrom("groups")
                        .groupMode(JitPolicy.GroupMode.AUTO_CREATE).removeUnlisted(true).build())
                .build();
        JitResult first = jit.provision(validator.validate(post, REQUEST));
        System.out.println("first login: " + first.action() + ", groups " + first.groupsAdded());

        org.apache.xml.security.Init.init();
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);

        double[] bare = new double[rounds];
        double[] login = new double[rounds];
        double[] provision = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = cpu();
            int ok = 0;
            for (int i = 0; i < logins; i++) {
                Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(
                        Base64.getDecoder().decode(post)));
                ok += new XMLSignature(assertionSignature(doc), "").checkSignatureValue(certificate) ? 1 : 0;
            }
            long t1 = cpu();
            int unchanged = 0;
            long provisionNs = 0;
            for (int i = 0; i < logins; i++) {
                var verified = validator.validate(post, REQUEST);
                long p0 = cpu();
                JitResult res = jit.provision(verified);
                provisionNs += cpu() - p0;
                unchanged += res.action() == JitResult.Action.UNCHANGED && res.changes().isEmpty() ? 1 : 0;
            }
            long t2 = cpu();
            if (ok != logins || unchanged != logins) {
                throw new IllegalStateException("round " + r + ": " + ok + " verified, " + unchanged + " unchanged");
            }
            bare[r] = (t1 - t0) / 1000.0 / logins;
            login[r] = (t2 - t1) / 1000.0 / logins;
            provision[r] = provisionNs / 1000.0 / logins;
            System.out.printf(Locale.ROOT, "round %d: bare verify %.0f us, validate+provision %.0f us (%.2fx; "
                    + "provision alone %.1f us)%n", r + 1, bare[r], login[r], login[r] / bare[r], provision[r]);
        }
        double b = median(Arrays.copyOfRange(bare, 1, rounds));
        double l = median(Arrays.copyOfRange(login, 1, rounds));
        double p = median(Arrays.copyOfRange(provision, 1, rounds));
        System.out.printf(Locale.ROOT, "median of rounds 2..%d: bare verify %.0f us, validate+provision %.0f us "
                + "(provision alone %.1f us), ratio %.2f; %d logins per round%n", rounds, b, l, p, l / b, logins);
    }

    private static Element assertionSignature(Document doc) {
        Element assertion = (Element) doc.getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:assertion",
                "Assertion").item(0);
        assertion.setIdAttributeNS(null, "ID", true);
        return (Element) assertion.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature").item(0);
    }

    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
