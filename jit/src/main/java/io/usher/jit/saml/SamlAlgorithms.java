package io.usher.jit.saml;

import java.util.Set;

/**
 * The XML Signature and XML Encryption algorithm URIs {@link SamlConfig} allow-lists, with the defaults.
 * Plain strings so that hosts need no OpenSAML types.
 */
public final class SamlAlgorithms {
    public static final String RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    public static final String RSA_SHA384 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384";
    public static final String RSA_SHA512 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512";
    public static final String ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
    public static final String ECDSA_SHA384 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384";
    public static final String ECDSA_SHA512 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512";
    /** Legacy: accepted only when {@link SamlConfig.Builder#allowLegacyAlgorithms(boolean)} is on. */
    public static final String RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";

    public static final String DIGEST_SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";
    public static final String DIGEST_SHA384 = "http://www.w3.org/2001/04/xmldsig-more#sha384";
    public static final String DIGEST_SHA512 = "http://www.w3.org/2001/04/xmlenc#sha512";
    /** Legacy: accepted only when {@link SamlConfig.Builder#allowLegacyAlgorithms(boolean)} is on. */
    public static final String DIGEST_SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1";

    public static final String RSA_OAEP_MGF1P = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p";
    public static final String RSA_OAEP = "http://www.w3.org/2009/xmlenc11#rsa-oaep";
    /** Never allowed (Bleichenbacher-style padding oracles); listed so tests and messages can name it. */
    public static final String RSA_1_5 = "http://www.w3.org/2001/04/xmlenc#rsa-1_5";
    public static final String AES128_GCM = "http://www.w3.org/2009/xmlenc11#aes128-gcm";
    public static final String AES192_GCM = "http://www.w3.org/2009/xmlenc11#aes192-gcm";
    public static final String AES256_GCM = "http://www.w3.org/2009/xmlenc11#aes256-gcm";
    public static final String AES128_CBC = "http://www.w3.org/2001/04/xmlenc#aes128-cbc";
    public static final String AES192_CBC = "http://www.w3.org/2001/04/xmlenc#aes192-cbc";
    public static final String AES256_CBC = "http://www.w3.org/2001/04/xmlenc#aes256-cbc";

    /** Exclusive canonicalization, the only one the SAML signature profile allows. */
    public static final String EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
    /** The enveloped-signature transform. */
    public static final String ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

    /** Default signature algorithms: RSA with SHA-256 or stronger, and ECDSA. */
    public static final Set<String> DEFAULT_SIGNATURE = Set.of(RSA_SHA256, RSA_SHA384, RSA_SHA512,
            ECDSA_SHA256, ECDSA_SHA384, ECDSA_SHA512);
    /** Default digest algorithms: SHA-256 or stronger. */
    public static final Set<String> DEFAULT_DIGEST = Set.of(DIGEST_SHA256, DIGEST_SHA384, DIGEST_SHA512);
    /** Default key transport algorithms for EncryptedAssertion: RSA-OAEP only. */
    public static final Set<String> DEFAULT_KEY_TRANSPORT = Set.of(RSA_OAEP_MGF1P, RSA_OAEP);
    /** Default content encryption algorithms for EncryptedAssertion: AES-GCM and AES-CBC. */
    public static final Set<String> DEFAULT_CONTENT_ENCRYPTION = Set.of(AES128_GCM, AES192_GCM, AES256_GCM,
            AES128_CBC, AES192_CBC, AES256_CBC);

    /** The smallest RSA key accepted unless legacy algorithms are allowed. */
    public static final int MIN_RSA_BITS = 2048;

    private SamlAlgorithms() {
    }
}
