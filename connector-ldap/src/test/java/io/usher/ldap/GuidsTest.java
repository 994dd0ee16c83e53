package io.usher.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class GuidsTest {
    @Test
    void microsoftByteOrder() {
        byte[] bytes = {0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, (byte) 0x88, (byte) 0x99, (byte) 0xaa,
            (byte) 0xbb, (byte) 0xcc, (byte) 0xdd, (byte) 0xee, (byte) 0xff};
        assertThat(Guids.toCanonical(bytes)).isEqualTo("00112233-4455-6677-8899-aabbccddeeff");
        assertThat(Guids.toBytes("00112233-4455-6677-8899-AABBCCDDEEFF")).containsExactly(bytes);
    }

    @Test
    void wrongLengthsAreRejected() {
        assertThatThrownBy(() -> Guids.toCanonical(new byte[15])).hasMessageContaining("16 bytes");
        assertThatThrownBy(() -> Guids.toBytes("abc")).hasMessageContaining("not a GUID");
    }

    @Property
    void roundTrip(@ForAll long hi, @ForAll long lo) {
        String s = new UUID(hi, lo).toString();
        assertThat(Guids.toCanonical(Guids.toBytes(s))).isEqualTo(s);
    }
}
