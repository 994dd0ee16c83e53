package io.usher.scim.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * IP address literals, without DNS: dotted-quad IPv4 ({@code 192.0.2.1}, no leading zeros, which some parsers
 * read as octal) and IPv6 in every form of RFC 4291 §2.2 ({@code 2001:db8:0:0:0:0:0:1}, {@code 2001:db8::1},
 * {@code ::ffff:192.0.2.1}; hex digits in either case; no zone id). Addresses are byte arrays of 4 or 16; an
 * IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) is normalised to its 4 IPv4 bytes, so a client is matched
 * the same way whichever way its socket reports it. Errors are {@link IllegalArgumentException}s that name the
 * column and what was expected. Stateless.
 */
public final class IpAddresses {
    private IpAddresses() {}

    /** The address's bytes (4 or 16), an IPv4-mapped IPv6 address as its 4 IPv4 bytes. */
    public static byte[] parse(String text) {
        return normalise(parseRaw(text));
    }

    /** The bytes as written: 4 for IPv4, 16 for IPv6 (IPv4-mapped IPv6 addresses stay 16). */
    static byte[] parseRaw(String text) {
        Objects.requireNonNull(text, "address");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("invalid IP address: it is empty");
        }
        int zone = text.indexOf('%');
        if (zone >= 0) {
            throw new IllegalArgumentException("invalid IP address at column " + (zone + 1)
                    + ": zone ids (%...) are not accepted");
        }
        return text.indexOf(':') >= 0 ? parse6(text) : parse4(text, 0);
    }

    /** An {@link InetAddress}'s bytes, an IPv4-mapped IPv6 address as its 4 IPv4 bytes. */
    public static byte[] bytes(InetAddress address) {
        return normalise(address.getAddress());
    }

    /** Whether 16 bytes are an IPv4-mapped IPv6 address ({@code ::ffff:0:0/96}). */
    static boolean isMapped(byte[] b) {
        if (b.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    static byte[] normalise(byte[] b) {
        return isMapped(b) ? Arrays.copyOfRange(b, 12, 16) : b;
    }

    /** Canonical text: dotted quad, or RFC 5952 (lowercase, no leading zeros, the longest zero run as ::). */
    public static String format(byte[] b) {
        if (b.length == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        if (b.length != 16) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + b.length);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1; // RFC 5952 §4.2.2: a single zero group is not compressed
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** An {@link InetAddress} for bytes (no DNS). */
    static InetAddress toInetAddress(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + b.length, e);
        }
    }

    /** Whether the address is IPv6 (after normalising IPv4-mapped addresses). */
    static boolean isIpv6(InetAddress a) {
        return a instanceof Inet6Address && !isMapped(a.getAddress());
    }

    // ------------------------------------------------------------------ parsing

    private static byte[] parse4(String s, int offset) {
        byte[] out = new byte[4];
        int part = 0;
        int i = 0;
        int len = s.length();
        while (true) {
            int start = i;
            while (i < len && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i == start) {
                throw error(offset + i, i < len ? "expected a decimal number but found '" + s.charAt(i) + "'"
                        : "expected a decimal number but found the end");
            }
            if (i - start > 3) {
                throw error(offset + start, "an IPv4 part has at most 3 digits");
            }
            if (i - start > 1 && s.charAt(start) == '0') {
                throw error(offset + start, "an IPv4 part has no leading zero");
            }
            int v = Integer.parseInt(s, start, i, 10);
            if (v > 255) {
                throw error(offset + start, "an IPv4 part is at most 255");
            }
            out[part++] = (byte) v;
            if (part == 4) {
                if (i != len) {
                    throw error(offset + i, "unexpected '" + s.charAt(i) + "' after the fourth IPv4 part");
                }
                return out;
            }
            if (i == len) {
                throw error(offset + i, "an IPv4 address has 4 parts, found " + part);
            }
            if (s.charAt(i) != '.') {
                throw error(offset + i, "expected '.' but found '" + s.charAt(i) + "'");
            }
            i++;
        }
    }

    private static byte[] parse6(String s) {
        int[] groups = new int[8];
        int n = 0;
        int compressAt = -1;
        int i = 0;
        int len = s.length();
        byte[] v4 = null;
        if (s.startsWith("::")) {
            compressAt = 0;
            i = 2;
        } else if (s.charAt(0) == ':') {
            throw error(0, "an IPv6 address cannot start with a single ':'");
        }
        while (i < len) {
            int start = i;
            while (i < len && isHex(s.charAt(i))) {
                i++;
            }
            if (i < len && s.charAt(i) == '.') {
                if (n > 6) {
                    throw error(start, "an embedded IPv4 address needs two of the 8 groups");
                }
                v4 = parse4(s.substring(start), start);
                n += 2;
                i = len;
                break;
            }
            if (i == start) {
                throw error(i, "expected a hex group but found '" + s.charAt(i) + "'");
            }
            if (i - start > 4) {
                throw error(start, "an IPv6 group has at most 4 hex digits");
            }
            if (n == 8) {
                throw error(start, "an IPv6 address has at most 8 groups");
            }
            groups[n++] = Integer.parseInt(s, start, i, 16);
            if (i == len) {
                break;
            }
            if (s.charAt(i) != ':') {
                throw error(i, "expected ':' but found '" + s.charAt(i) + "'");
            }
            if (i + 1 < len && s.charAt(i + 1) == ':') {
                if (compressAt >= 0) {
                    throw error(i, "'::' may appear only once");
                }
                compressAt = n;
                i += 2;
                continue;
            }
            i++;
            if (i == len) {
                throw error(i - 1, "an IPv6 address cannot end with a single ':'");
            }
        }
        if (compressAt < 0 && n != 8) {
            throw error(len, "an IPv6 address without '::' has 8 groups, found " + n);
        }
        if (compressAt >= 0 && n > 7) {
            throw error(s.indexOf("::"), "'::' stands for at least one group, but 8 are given");
        }
        byte[] out = new byte[16];
        int explicitGroups = v4 == null ? n : n - 2;
        int tailGroups = compressAt < 0 ? 0 : explicitGroups - compressAt;
        int headGroups = explicitGroups - tailGroups;
        for (int k = 0; k < headGroups; k++) {
            out[2 * k] = (byte) (groups[k] >> 8);
            out[2 * k + 1] = (byte) groups[k];
        }
        int tailStart = (v4 == null ? 8 : 6) - tailGroups;
        for (int k = 0; k < tailGroups; k++) {
            int g = groups[headGroups + k];
            out[2 * (tailStart + k)] = (byte) (g >> 8);
            out[2 * (tailStart + k) + 1] = (byte) g;
        }
        if (v4 != null) {
            System.arraycopy(v4, 0, out, 12, 4);
        }
        return out;
    }

    private static boolean isHex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static IllegalArgumentException error(int index, String what) {
        return new IllegalArgumentException("invalid IP address at column " + (index + 1) + ": " + what);
    }
}
