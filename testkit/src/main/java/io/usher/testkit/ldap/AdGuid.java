package io.usher.testkit.ldap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.UUID;

/**
 * Converts between a GUID's canonical string ({@code 00112233-4455-6677-8899-aabbccddeeff}) and the 16
 * bytes Active Directory stores in {@code objectGUID}: Microsoft's GUID layout, whose first three fields
 * are little-endian and whose last eight bytes are as written ({@code 33 22 11 00 55 44 77 66 88 99 aa bb cc
 * dd ee ff} for the string above).
 *
 * <p>Stateless and thread-safe.
 */
public final class AdGuid {
    private AdGuid() {}

    /**
     * The 16 objectGUID bytes of a canonical GUID string (either case).
     *
     * @throws IllegalArgumentException if the text is not a canonical 36-character GUID
     */
    public static byte[] toBytes(String guid) {
        Objects.requireNonNull(guid, "guid");
        if (guid.length() != 36 || !guid.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
            throw new IllegalArgumentException("guid must be 36 characters of the form 8-4-4-4-12 hex digits");
        }
        UUID uuid = UUID.fromString(guid);
        ByteBuffer big = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits());
        byte[] b = big.array();
        ByteBuffer out = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer in = ByteBuffer.wrap(b);
        out.putInt(in.getInt()).putShort(in.getShort()).putShort(in.getShort());
        out.put(b, 8, 8);
        return out.array();
    }

    /**
     * The canonical lower-case string of 16 objectGUID bytes.
     *
     * @throws IllegalArgumentException if there are not exactly 16 bytes
     */
    public static String toString(byte[] objectGuid) {
        Objects.requireNonNull(objectGuid, "objectGuid");
        if (objectGuid.length != 16) {
            throw new IllegalArgumentException("objectGUID must be 16 bytes, was " + objectGuid.length);
        }
        ByteBuffer in = ByteBuffer.wrap(objectGuid).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer big = ByteBuffer.allocate(16).putInt(in.getInt()).putShort(in.getShort()).putShort(in.getShort());
        big.put(objectGuid, 8, 8);
        big.flip();
        return new UUID(big.getLong(), big.getLong()).toString();
    }
}
