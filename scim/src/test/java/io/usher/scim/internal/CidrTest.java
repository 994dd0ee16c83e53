package io.usher.scim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Tables of good and bad IP literals and CIDR blocks. */
class CidrTest {

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "0.0.0.0                                 | 00000000",
            "192.0.2.1                               | c0000201",
            "255.255.255.255                         | ffffffff",
            "::                                      | 00000000000000000000000000000000",
            "::1                                     | 00000000000000000000000000000001",
            "1::                                     | 00010000000000000000000000000000",
            "2001:db8::1                             | 20010db8000000000000000000000001",
            "2001:DB8:0:0:0:0:0:1                    | 20010db8000000000000000000000001",
            "2001:0db8:0000:0000:0000:ff00:0042:8329 | 20010db8000000000000ff0000428329",
            "1:2:3:4:5:6:7::                         | 00010002000300040005000600070000",
            "::2:3:4:5:6:7:8                         | 00000002000300040005000600070008",
            "1:2:3:4:5:6:1.2.3.4                     | 00010002000300040005000601020304",
            "::1.2.3.4                               | 00000000000000000000000001020304",
            "fe80::1:2                               | fe800000000000000000000000010002",
            // IPv4-mapped IPv6 is normalised to the IPv4 address, in either spelling
            "::ffff:192.0.2.1                        | c0000201",
            "::FFFF:c000:0201                        | c0000201",
            "0:0:0:0:0:ffff:192.0.2.1                | c0000201",
    })
    void goodAddresses(String text, String bytes) {
        assertThat(hex(IpAddresses.parse(text))).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "\"\"                  | it is empty",
            "1.2.3                 | column 6: an IPv4 address has 4 parts, found 3",
            "1.2.3.4.5             | column 8: unexpected '.' after the fourth IPv4 part",
            "256.1.1.1             | column 1: an IPv4 part is at most 255",
            "01.1.1.1              | column 1: an IPv4 part has no leading zero",
            "1..1.1                | column 3: expected a decimal number but found '.'",
            "1.2.3.                | column 7: expected a decimal number but found the end",
            "1.2.3.1234            | column 7: an IPv4 part has at most 3 digits",
            "localhost             | column 1: expected a decimal number but found 'l'",
            "1.2.3.4 x             | column 8: unexpected ' ' after the fourth IPv4 part",
            ":1::                  | column 1: an IPv6 address cannot start with a single ':'",
            "1::2::3               | column 5: '::' may appear only once",
            "1:2:3:4:5:6:7         | column 14: an IPv6 address without '::' has 8 groups, found 7",
            "1:2:3:4:5:6:7:8:9     | column 17: an IPv6 address has at most 8 groups",
            "1:2:3:4::5:6:7:8      | column 8: '::' stands for at least one group, but 8 are given",
            "12345::               | column 1: an IPv6 group has at most 4 hex digits",
            "1:                    | column 2: an IPv6 address cannot end with a single ':'",
            ":::                   | column 3: expected a hex group but found ':'",
            "g::                   | column 1: expected a hex group but found 'g'",
            "fe80::1%eth0          | column 8: zone ids (%...) are not accepted",
            "1:2:3:4:5:6:7:1.2.3.4 | column 15: an embedded IPv4 address needs two of the 8 groups",
            "::1.2.3               | column 8: an IPv4 address has 4 parts, found 3",
            "::1.2.3.4:5           | column 10: unexpected ':' after the fourth IPv4 part",
            "::٣                   | column 3: expected a hex group but found '٣'",
    })
    void badAddresses(String text, String message) {
        assertThatThrownBy(() -> IpAddresses.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "10.0.0.0/8              | 10.0.0.0/8",
            "192.0.2.7               | 192.0.2.7/32",
            "0.0.0.0/0               | 0.0.0.0/0",
            "2001:db8::/32           | 2001:db8::/32",
            "2001:DB8:0::/48         | 2001:db8::/48",
            "::/0                    | ::/0",
            "::1                     | ::1/128",
            "::ffff:10.0.0.0/104     | 10.0.0.0/8",
            "::ffff:192.0.2.7        | 192.0.2.7/32",
            "::ffff:0:0/96           | 0.0.0.0/0",
            " 10.1.0.0/16            | 10.1.0.0/16",
    })
    void goodBlocks(String text, String canonical) {
        assertThat(Cidr.parse(text)).hasToString(canonical);
        assertThat(Cidr.parse(canonical)).isEqualTo(Cidr.parse(text));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "10.1.0.0/8          | bits are set after the prefix; did you mean 10.0.0.0/8?",
            "2001:db8::1/32      | did you mean 2001:db8::/32?",
            "10.0.0.0/33         | the prefix length of an IPv4 block is at most 32",
            "::/129              | the prefix length of an IPv6 block is at most 128",
            "10.0.0.0/           | column 10: expected a prefix length (0 to 32) after '/'",
            "10.0.0.0/x          | column 10: expected a prefix length",
            "10.0.0.0/08         | a prefix length has no leading zero",
            "10.0.0.0/8/8        | column 11: only one '/' is allowed",
            "::ffff:10.0.0.0/80  | an IPv4-mapped block needs a prefix length of at least 96",
            "10.0.0/8            | an IPv4 address has 4 parts",
            "/8                  | it is empty",
    })
    void badBlocks(String text, String message) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid CIDR block '" + text + "'").hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0} in {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "10.255.1.2          | 10.0.0.0/8          | true",
            "11.0.0.0            | 10.0.0.0/8          | false",
            "192.0.2.7           | 192.0.2.7           | true",
            "192.0.2.8           | 192.0.2.7           | false",
            "192.0.2.130         | 192.0.2.128/25      | true",
            "192.0.2.127         | 192.0.2.128/25      | false",
            "1.2.3.4             | 0.0.0.0/0           | true",
            "::ffff:10.1.2.3     | 10.0.0.0/8          | true",
            "10.1.2.3            | ::ffff:10.0.0.0/104 | true",
            "2001:db8:ffff::1    | 2001:db8::/32       | true",
            "2001:db9::1         | 2001:db8::/32       | false",
            "2001:db8::1         | 0.0.0.0/0           | false",
            "1.2.3.4             | ::/0                | false",
            "::1                 | ::/0                | true",
            "fe80::1             | fe80::/10           | true",
            "febf::1             | fe80::/10           | true",
            "fec0::1             | fe80::/10           | false",
    })
    void containment(String address, String block, boolean expected) throws Exception {
        assertThat(Cidr.parse(block).contains(IpAddresses.parse(address))).isEqualTo(expected);
        // the same through InetAddress (getByName does no DNS lookup for a literal)
        assertThat(Cidr.parse(block).contains(InetAddress.getByName(address))).isEqualTo(expected);
    }

    @Test
    void formatFollowsRfc5952() {
        assertThat(IpAddresses.format(IpAddresses.parse("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(IpAddresses.format(IpAddresses.parse("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(IpAddresses.format(IpAddresses.parse("2001:0DB8::0001"))).isEqualTo("2001:db8::1");
        assertThat(IpAddresses.format(IpAddresses.parse("0:0:0:0:0:0:0:0"))).isEqualTo("::");
    }
}
