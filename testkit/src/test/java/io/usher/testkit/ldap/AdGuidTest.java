package io.usher.testkit.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AdGuidTest {
    @ParameterizedTest
    @CsvSource({
        "00112233-4455-6677-8899-aabbccddeeff, 33221100554477668899aabbccddeeff",
        "00000000-0000-0000-0000-000000000000, 00000000000000000000000000000000",
        "ffffffff-ffff-ffff-ffff-ffffffffffff, ffffffffffffffffffffffffffffffff",
        // mixed digits: each of the first three fields reversed, the rest as written
        "bcc0f1d9-3f86-4f1f-8d2a-1cb4f3ab9e01, d9f1c0bc863f1f4f8d2a1cb4f3ab9e01",
    })
    void convertsBothWays(String text, String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        assertThat(AdGuid.toBytes(text)).containsExactly(bytes);
        assertThat(AdGuid.toString(bytes)).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"00112233-4455-6677-8899-AABBCCDDEEFF"})
    void upperCaseInputGivesTheSameBytesAndRendersLowerCase(String text) {
        assertThat(AdGuid.toString(AdGuid.toBytes(text))).isEqualTo(text.toLowerCase());
    }

    @org.junit.jupiter.api.Test
    void roundTripsRandomGuids() {
        for (int i = 0; i < 1000; i++) {
            String s = UUID.randomUUID().toString();
            assertThat(AdGuid.toString(AdGuid.toBytes(s))).isEqualTo(s);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not-a-guid", "00112233445566778899aabbccddeeff", "00112233-4455-6677-8899-aabbccddeefg",
        "0-0-0-0-0"})
    void rejectsWhatIsNotACanonicalGuid(String bad) {
        assertThatThrownBy(() -> AdGuid.toBytes(bad)).isInstanceOf(IllegalArgumentException.class);
    }

    @org.junit.jupiter.api.Test
    void rejectsAnythingButSixteenBytes() {
        assertThatThrownBy(() -> AdGuid.toString(new byte[15])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16 bytes");
    }
}
