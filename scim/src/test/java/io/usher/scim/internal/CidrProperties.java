package io.usher.scim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.StringJoiner;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Properties of the IP literal and CIDR parsers, against the JDK and a BigInteger reference. */
class CidrProperties {

    @Property
    void ipv4FormatsAndParsesBack(@ForAll @Size(4) byte[] b) {
        assertThat(IpAddresses.parse(IpAddresses.format(b))).isEqualTo(b);
    }

    @Property
    void ipv6ParsesAsTheJdkDoesInEveryForm(@ForAll("ipv6") byte[] b) throws Exception {
        byte[] expected = IpAddresses.bytes(InetAddress.getByAddress(b));
        assertThat(IpAddresses.parse(IpAddresses.format(b))).isEqualTo(IpAddresses.normalise(b));
        assertThat(IpAddresses.parse(full(b, false))).isEqualTo(expected);
        assertThat(IpAddresses.parse(full(b, true))).isEqualTo(expected);
        // the JDK reads our canonical text to the same address
        assertThat(IpAddresses.bytes(InetAddress.getByName(IpAddresses.format(b)))).isEqualTo(expected);
    }

    @Property
    void aMappedAddressIsItsIpv4Address(@ForAll @Size(4) byte[] v4) {
        String dotted = IpAddresses.format(v4);
        assertThat(IpAddresses.parse("::ffff:" + dotted)).isEqualTo(v4);
        assertThat(IpAddresses.parse("::FFFF:" + hexGroups(v4))).isEqualTo(v4);
    }

    @Property
    void containmentIsEqualityOfTheFirstPrefixBits(@ForAll("anyAddress") byte[] network, @ForAll("anyAddress") byte[] other,
                                                   @ForAll @IntRange(min = 0, max = 128) int p) {
        int prefix = Math.min(p, network.length * 8);
        Cidr block = Cidr.of(network, prefix);
        boolean expected = other.length == network.length
                && top(other, prefix).equals(top(network, prefix));
        assertThat(block.contains(other)).isEqualTo(expected);
        assertThat(block.contains(network)).isTrue();
        // the canonical text parses back to the same block
        assertThat(Cidr.parse(block.toString())).isEqualTo(block);
    }

    @Property
    void aMappedBlockMatchesAsItsIpv4Block(@ForAll @Size(4) byte[] v4, @ForAll @Size(4) byte[] client,
                                           @ForAll @IntRange(min = 0, max = 32) int prefix) {
        Cidr v4Block = Cidr.of(v4, prefix);
        Cidr mapped = Cidr.parse("::ffff:" + IpAddresses.format(v4Block.network()) + "/" + (prefix + 96));
        assertThat(mapped).isEqualTo(v4Block);
        byte[] mappedClient = new byte[16];
        mappedClient[10] = (byte) 0xff;
        mappedClient[11] = (byte) 0xff;
        System.arraycopy(client, 0, mappedClient, 12, 4);
        assertThat(v4Block.contains(mappedClient)).isEqualTo(v4Block.contains(client));
    }

    @Property
    void arbitraryTextIsParsedOrRefusedWithAColumnNeverAnythingElse(@ForAll("junk") String text) {
        try {
            Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith("invalid CIDR block");
        }
        try {
            byte[] b = IpAddresses.parse(text);
            assertThat(b.length).isIn(4, 16);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith("invalid IP address");
        }
    }

    @Provide
    Arbitrary<byte[]> ipv6() {
        // runs of zero groups are common in real addresses; make them common here too
        Arbitrary<Integer> group = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(0)), Tuple.of(6, Arbitraries.integers().between(0, 0xffff)));
        return group.list().ofSize(8)
                .map(groups -> {
                    byte[] b = new byte[16];
                    for (int i = 0; i < 8; i++) {
                        b[2 * i] = (byte) (groups.get(i) >> 8);
                        b[2 * i + 1] = (byte) (int) groups.get(i);
                    }
                    return b;
                })
                .filter(b -> !IpAddresses.isMapped(b));
    }

    @Provide
    Arbitrary<byte[]> anyAddress() {
        return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofSize(4), ipv6());
    }

    @Provide
    Arbitrary<String> junk() {
        return Arbitraries.strings().withChars("0123456789abcdefABCDEFg:./%[] ").ofMaxLength(45);
    }

    private static BigInteger top(byte[] b, int bits) {
        return new BigInteger(1, b).shiftRight(b.length * 8 - bits);
    }

    private static String full(byte[] b, boolean upper) {
        StringJoiner j = new StringJoiner(":");
        for (int i = 0; i < 8; i++) {
            String g = HexFormat.of().formatHex(Arrays.copyOfRange(b, 2 * i, 2 * i + 2));
            j.add(upper ? g.toUpperCase(java.util.Locale.ROOT) : g);
        }
        return j.toString();
    }

    private static String hexGroups(byte[] v4) {
        return Integer.toHexString((v4[0] & 0xff) << 8 | (v4[1] & 0xff)) + ":"
                + Integer.toHexString((v4[2] & 0xff) << 8 | (v4[3] & 0xff));
    }
}
