package io.usher.scim;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.scim.internal.IpAddresses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The right-most-untrusted-hop rule as properties: whatever a client writes to the left of its own entry, and
 * however many trusted proxies append theirs, the allow-list sees the client's own address; and from an address
 * that is not a trusted proxy, the header changes nothing.
 */
class IpAllowListProperties {
    private final IpAllowList list = IpAllowList.builder()
            .allow("198.51.100.0/24")
            .trustedProxies("10.0.0.0/24", "fd00::/64")
            .forwardedHeader("X-Forwarded-For")
            .peerAddress(() -> null)
            .build();

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByAddress(IpAddresses.parse(literal));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Property
    void spoofedEntriesLeftOfTheClientAndTrustedHopsRightOfItNeverChangeTheClient(
            @ForAll("spoofed") List<String> spoofed, @ForAll("untrusted") String client,
            @ForAll("trustedList") List<String> proxies, @ForAll("trusted") String peer, @ForAll boolean oneField) {
        List<String> chain = new ArrayList<>(spoofed);
        chain.add(client);
        chain.addAll(proxies);
        List<String> header = oneField ? List.of(String.join(", ", chain)) : chain;
        assertThat(list.clientAddress(ip(peer), header)).contains(ip(client));
        assertThat(list.permits(ip(peer), header)).isEqualTo(client.startsWith("198.51.100."));
    }

    @Property
    void fromAnAddressThatIsNoTrustedProxyTheHeaderIsIgnored(@ForAll("untrusted") String peer,
                                                            @ForAll("spoofed") List<String> header) {
        assertThat(list.clientAddress(ip(peer), header)).contains(ip(peer));
    }

    @Provide
    Arbitrary<String> untrusted() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(0, 255).map(i -> "198.51.100." + i),
                Arbitraries.integers().between(0, 255).map(i -> "203.0.113." + i),
                Arbitraries.integers().between(1, 0xffff).map(i -> "2001:db8::" + Integer.toHexString(i)));
    }

    @Provide
    Arbitrary<String> trusted() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(0, 255).map(i -> "10.0.0." + i),
                Arbitraries.integers().between(1, 0xffff).map(i -> "fd00::" + Integer.toHexString(i)));
    }

    @Provide
    Arbitrary<List<String>> trustedList() {
        return trusted().list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<String>> spoofed() {
        Arbitrary<String> junk = Arbitraries.strings().withChars("0123456789abcdef.:[]_unknow").ofMaxLength(20)
                .filter(s -> !s.contains(","));
        return Arbitraries.oneOf(untrusted(), trusted(), junk).list().ofMaxSize(5);
    }
}
