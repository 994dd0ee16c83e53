package io.usher.ldap;

import java.util.Locale;

/**
 * Active Directory's objectGUID is 16 bytes in Microsoft's GUID layout: the first three fields
 * little-endian, the last eight bytes in order. Usher renders it as the canonical lower-case string
 * {@code xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx} that AD tools (and Entra ID's onPremisesImmutableId, once
 * decoded) show, so ids match across tools. Thread-safe (stateless).
 */
public final class Guids {
    private static final int[] ORDER = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};

    private Guids() {}

    /** The canonical string of a 16-byte objectGUID. */
    public static String toCanonical(byte[] guid) {
        if (guid == null || guid.length != 16) {
            throw new IllegalArgumentException("an objectGUID has 16 bytes, not " + (guid == null ? 0 : guid.length));
        }
        StringBuilder sb = new StringBuilder(36);
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                sb.append('-');
            }
            int b = guid[ORDER[i]] & 0xff;
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    /** The 16 objectGUID bytes of a canonical GUID string (for searching by GUID). */
    public static byte[] toBytes(String canonical) {
        String hex = canonical.replace("-", "");
        if (hex.length() != 32) {
            throw new IllegalArgumentException("not a GUID string");
        }
        byte[] out = new byte[16];
        for (int i = 0; i < 16; i++) {
            out[ORDER[i]] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /** Lower-case hex of any bytes (for invocationId comparison in cursors). */
    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
