package io.usher.jit.internal;

import io.usher.core.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Files named by flat configuration (certificates, keys, key sets, metadata): read with a size limit, errors as
 * {@link ConfigException}s naming the key and saying what is wrong, never echoing the path's content (a key file's
 * text is a secret) or the path itself (it is a configuration value).
 */
public final class ConfigFiles {
    /** The largest file read (1 MiB): certificates, keys and metadata are far smaller. */
    public static final int MAX_BYTES = 1 << 20;

    private ConfigFiles() {
    }

    /** The file's text (UTF-8). */
    public static String text(String key, String path) {
        return new String(bytes(key, path), StandardCharsets.UTF_8);
    }

    /** The file's bytes. */
    public static byte[] bytes(String key, String path) {
        Path p;
        try {
            p = Paths.get(path.trim());
        } catch (RuntimeException e) {
            throw new ConfigException(key, "is not a valid file path");
        }
        try {
            if (Files.size(p) > MAX_BYTES) {
                throw new ConfigException(key, "names a file larger than " + MAX_BYTES + " bytes");
            }
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw new ConfigException(key, "names a file that does not exist");
        } catch (IOException | SecurityException e) {
            throw new ConfigException(key, "names a file that cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Every X.509 certificate in the file (PEM, one or more, or DER). */
    public static List<X509Certificate> certificates(String key, String path) {
        byte[] bytes = bytes(key, path);
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new ConfigException(key, "names a file that holds no certificate");
            }
            return out;
        } catch (GeneralSecurityException | RuntimeException e) {
            if (e instanceof ConfigException) {
                throw (ConfigException) e;
            }
            throw new ConfigException(key, "names a file that is not an X.509 certificate (PEM or DER)");
        }
    }

    /** An RSA private key from a PKCS#8 PEM file ({@code -----BEGIN PRIVATE KEY-----}). */
    public static PrivateKey rsaPrivateKey(String key, String path) {
        String pem = text(key, path);
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new ConfigException(key, "names a file without a PKCS#8 private key (-----BEGIN PRIVATE KEY-----; "
                    + "convert others with openssl pkcs8 -topk8 -nocrypt)");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigException(key, "names a file whose private key is not a valid RSA PKCS#8 key");
        }
    }
}
