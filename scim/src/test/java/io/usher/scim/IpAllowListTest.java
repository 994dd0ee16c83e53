package io.usher.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.scim.internal.IpAddresses;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The allow-list's matcher, directly: which address is the client's, and whether it may call. */
class IpAllowListTest {
    private static final IpAllowList.PeerAddress NONE = () -> null;

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByAddress(IpAddresses.parse(literal)); // never DNS
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<String> header(String value) {
        return value == null ? null : Arrays.asList(value.split("\\|", -1));
    }

    private final IpAllowList behindProxies = IpAllowList.builder()
            .allow("198.51.100.0/24", "2001:db8:1::/48")
            .trustedProxies("10.0.0.0/29", "fd00::1")
            .forwardedHeader("X-Forwarded-For")
            .peerAddress(NONE)
            .build();

    /** peer, header values ('|' separates header fields), the client the list sees ('-': unknown), allowed. */
    @ParameterizedTest(name = "from {0} with [{1}]: {2}")
    @CsvSource(delimiter = ';', nullValues = "null", value = {
            // not from a trusted proxy: the header is ignored, whatever it says
            "198.51.100.7 ; 203.0.113.9                  ; 198.51.100.7  ; true",
            "203.0.113.9  ; 198.51.100.7                 ; 203.0.113.9   ; false",
            "10.0.0.8     ; 198.51.100.7                 ; 10.0.0.8      ; false",
            // from a trusted proxy: the right-most entry that is not a trusted proxy
            "10.0.0.1     ; 198.51.100.7                 ; 198.51.100.7  ; true",
            "10.0.0.1     ; 203.0.113.9                  ; 203.0.113.9   ; false",
            "10.0.0.1     ; 198.51.100.7, 203.0.113.9    ; 203.0.113.9   ; false",
            "10.0.0.1     ; 203.0.113.9, 198.51.100.7    ; 198.51.100.7  ; true",
            "10.0.0.1     ; 203.0.113.9, 198.51.100.7, 10.0.0.2 ; 198.51.100.7 ; true",
            "10.0.0.1     ; 198.51.100.7, 10.0.0.3, 10.0.0.2 ; 198.51.100.7 ; true",
            "10.0.0.1     ; 10.0.0.3, 10.0.0.2           ; 10.0.0.3      ; false",
            // several header fields are one list, in order
            "10.0.0.1     ; 203.0.113.9|198.51.100.7     ; 198.51.100.7  ; true",
            "10.0.0.1     ; 198.51.100.7|203.0.113.9     ; 203.0.113.9   ; false",
            // no header from the proxy: the proxy itself
            "10.0.0.1     ; null                         ; 10.0.0.1      ; false",
            "10.0.0.1     ; ' , '                        ; 10.0.0.1      ; false",
            // ports, brackets, IPv6, IPv4-mapped IPv6
            "10.0.0.1     ; 198.51.100.7:4711            ; 198.51.100.7  ; true",
            "10.0.0.1     ; [2001:db8:1::5]:443          ; 2001:db8:1::5 ; true",
            "10.0.0.1     ; [2001:db8:1::5]              ; 2001:db8:1::5 ; true",
            "10.0.0.1     ; 2001:db8:1::5                ; 2001:db8:1::5 ; true",
            "10.0.0.1     ; 2001:db8:2::5                ; 2001:db8:2::5 ; false",
            "10.0.0.1     ; ::ffff:198.51.100.7          ; 198.51.100.7  ; true",
            "fd00::1      ; 198.51.100.7                 ; 198.51.100.7  ; true",
            "::ffff:10.0.0.1 ; 198.51.100.7              ; 198.51.100.7  ; true",
            "::ffff:198.51.100.7 ; null                  ; 198.51.100.7  ; true",
            // the client entry is not an address: unknown, refused
            "10.0.0.1     ; unknown                      ; -             ; false",
            "10.0.0.1     ; 198.51.100.7, _hidden        ; -             ; false",
            "10.0.0.1     ; 198.51.100.7:http            ; -             ; false",
            "10.0.0.1     ; [2001:db8:1::5                ; -             ; false",
            "10.0.0.1     ; fe80::1%eth0                 ; -             ; false",
            // an unparseable entry left of the client does not matter
            "10.0.0.1     ; garbage, 198.51.100.7        ; 198.51.100.7  ; true",
    })
    void theClientIsTheRightMostUntrustedHop(String peer, String forwarded, String client, boolean allowed) {
        Optional<InetAddress> seen = behindProxies.clientAddress(ip(peer), header(forwarded));
        if (client.equals("-")) {
            assertThat(seen).isEmpty();
        } else {
            assertThat(seen).contains(ip(client));
        }
        assertThat(behindProxies.permits(ip(peer), header(forwarded))).isEqualTo(allowed);
    }

    @Test
    void withoutAConfiguredHeaderForwardedAddressesAreNeverBelieved() {
        IpAllowList direct = IpAllowList.builder().allow("198.51.100.0/24").peerAddress(NONE).build();
        assertThat(direct.clientAddress(ip("10.0.0.1"), List.of("198.51.100.7"))).contains(ip("10.0.0.1"));
        assertThat(direct.permits(ip("127.0.0.1"), List.of("198.51.100.7"))).isFalse();
        assertThat(direct.permits(ip("198.51.100.200"), List.of())).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "for=198.51.100.7                                    | 198.51.100.7",
            "for=203.0.113.9, for=198.51.100.7;proto=https       | 198.51.100.7",
            "for=\"[2001:db8:1::5]:4711\"                        | 2001:db8:1::5",
            "For=\"198.51.100.7:4711\";by=10.0.0.1               | 198.51.100.7",
            "for=198.51.100.7, for=10.0.0.2                      | 198.51.100.7",
            "for=unknown                                         | -",
            "proto=https                                         | -",
    })
    void rfc7239ForwardedIsReadByItsForParameters(String value, String client) {
        IpAllowList list = IpAllowList.builder().allow("198.51.100.0/24").trustedProxies("10.0.0.0/29")
                .forwardedHeader("Forwarded").peerAddress(NONE).build();
        Optional<InetAddress> seen = list.clientAddress(ip("10.0.0.1"), List.of(value));
        if (client.equals("-")) {
            assertThat(seen).isEmpty();
        } else {
            assertThat(seen).contains(ip(client));
        }
    }

    @Test
    void badConfigurationFailsAtOnceWithPreciseMessages() {
        assertThatThrownBy(() -> IpAllowList.builder().allow("10.0.0.1/8"))
                .hasMessageContaining("did you mean 10.0.0.0/8?");
        assertThatThrownBy(() -> IpAllowList.builder().allow("10.0.0.0/8").build())
                .hasMessageContaining("peerAddress(...) is required");
        assertThatThrownBy(() -> IpAllowList.builder().peerAddress(NONE).build())
                .hasMessageContaining("at least one CIDR block");
        assertThatThrownBy(() -> IpAllowList.builder().allow("10.0.0.0/8").peerAddress(NONE)
                .forwardedHeader("X-Forwarded-For").build()).hasMessageContaining("needs trustedProxies");
        assertThatThrownBy(() -> IpAllowList.builder().allow("10.0.0.0/8").peerAddress(NONE)
                .trustedProxies("10.0.0.1").build()).hasMessageContaining("needs forwardedHeader");
        assertThatThrownBy(() -> IpAllowList.builder().forwardedHeader("X Forwarded"))
                .hasMessageContaining("HTTP header name");
    }
}
