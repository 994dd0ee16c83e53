package io.usher.testkit.saml;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Key pairs with self-signed certificates, for tests: an IdP's signing key, an SP's encryption key, "someone
 * else's" key for wrong-certificate cases, a 1024-bit key for weak-key cases. Thread-safe.
 */
public final class TestKeys {
    private TestKeys() {
    }

    /** A private key and the self-signed certificate of its public key. */
    public record KeyAndCertificate(PrivateKey privateKey, X509Certificate certificate) {
        public KeyAndCertificate {
            Objects.requireNonNull(privateKey, "privateKey");
            Objects.requireNonNull(certificate, "certificate");
        }
    }

    /** An RSA key of {@code bits} bits, certificate CN={@code commonName}, valid ten years from now. */
    public static KeyAndCertificate rsa(String commonName, int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits, new SecureRandom());
            return selfSigned(commonName, generator.generateKeyPair(), "SHA256withRSA");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA key generation failed", e);
        }
    }

    /** An EC P-256 key, certificate CN={@code commonName}. */
    public static KeyAndCertificate ec(String commonName) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return selfSigned(commonName, generator.generateKeyPair(), "SHA256withECDSA");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC key generation failed", e);
        }
    }

    private static KeyAndCertificate selfSigned(String commonName, KeyPair pair, String algorithm)
            throws GeneralSecurityException {
        X500Name name = new X500Name("CN=" + commonName.replace(",", "\\,"));
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), name,
                pair.getPublic());
        try {
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(pair.getPrivate())));
            return new KeyAndCertificate(pair.getPrivate(), certificate);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("certificate signing failed", e);
        }
    }
}
