package io.usher.testkit.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque, tamper-evident tokens (page, skip and delta tokens of the fakes): a payload of {@code |}-separated
 * fields, base64url encoded and followed by a truncated HMAC under a random key of this instance's own. Clients
 * must treat them as opaque; a changed token is refused. Thread-safe.
 */
public final class OpaqueTokens {
    private final byte[] key = new byte[32];

    public OpaqueTokens() {
        new SecureRandom().nextBytes(key);
    }

    /** The fields joined and sealed into one token. */
    public String seal(String... fields) {
        byte[] p = String.join("|", fields).getBytes(StandardCharsets.UTF_8);
        return b64(p) + "." + b64(mac(p));
    }

    /** The fields, or null if the token was not made here or was changed. */
    public String[] open(String token) {
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot < 0) {
            return null;
        }
        try {
            byte[] p = Base64.getUrlDecoder().decode(token.substring(0, dot));
            byte[] m = Base64.getUrlDecoder().decode(token.substring(dot + 1));
            return MessageDigest.isEqual(m, mac(p)) ? new String(p, StandardCharsets.UTF_8).split("\\|", -1) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** 24 random bytes, base64url. */
    public String random() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return b64(b);
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] out = new byte[12];
            System.arraycopy(mac.doFinal(payload), 0, out, 0, out.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
