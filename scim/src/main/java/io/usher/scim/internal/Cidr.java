package io.usher.scim.internal;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * A CIDR block ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, or one address: {@code 192.0.2.7} is
 * {@code 192.0.2.7/32}). An IPv4-mapped IPv6 block with a prefix of at least 96 ({@code ::ffff:10.0.0.0/104}) is
 * the IPv4 block it maps ({@code 10.0.0.0/8}), since clients' mapped addresses are normalised to IPv4 too; so
 * {@code ::/0} covers every IPv6 client and no IPv4 client (add {@code 0.0.0.0/0} for those). A block with bits
 * set after its prefix ({@code 10.1.0.0/8}) is refused with the block that was probably meant, so a typo cannot
 * widen or narrow an allow-list silently.
 *
 * <p>Immutable and thread-safe.
 */
public final class Cidr {
    private final byte[] network;
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /**
     * Parses {@code address/prefix} or a single address.
     *
     * @throws IllegalArgumentException naming the block, the column and what is wrong
     */
    public static Cidr parse(String text) {
        Objects.requireNonNull(text, "CIDR block");
        try {
            return parseStrict(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid CIDR block '" + text + "': " + e.getMessage(), e);
        }
    }

    private static Cidr parseStrict(String text) {
        int slash = text.indexOf('/');
        if (slash >= 0 && text.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("at column " + (text.indexOf('/', slash + 1) + 1)
                    + ": only one '/' is allowed");
        }
        byte[] raw = IpAddresses.parseRaw(slash < 0 ? text : text.substring(0, slash));
        int max = raw.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = text.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("at column " + (slash + 2) + ": expected a prefix length (0 to "
                        + max + ") after '/'");
            }
            if (p.length() > 1 && p.charAt(0) == '0') {
                throw new IllegalArgumentException("at column " + (slash + 2) + ": a prefix length has no leading zero");
            }
            prefix = Integer.parseInt(p);
            if (prefix > max) {
                throw new IllegalArgumentException("at column " + (slash + 2) + ": the prefix length of an "
                        + (max == 32 ? "IPv4" : "IPv6") + " block is at most " + max);
            }
        }
        byte[] bytes = raw;
        if (IpAddresses.isMapped(raw)) {
            if (prefix < 96) {
                throw new IllegalArgumentException("an IPv4-mapped block needs a prefix length of at least 96; "
                        + "write the IPv4 block instead");
            }
            bytes = IpAddresses.normalise(raw);
            prefix -= 96;
        }
        byte[] masked = mask(bytes, prefix);
        if (!Arrays.equals(masked, bytes)) {
            throw new IllegalArgumentException("bits are set after the prefix; did you mean "
                    + IpAddresses.format(masked) + "/" + prefix + "?");
        }
        return new Cidr(masked, prefix);
    }

    /** The block of {@code prefix} leading bits of {@code address} (bits after it are cleared). */
    public static Cidr of(byte[] address, int prefix) {
        byte[] b = IpAddresses.normalise(address.clone());
        int max = b.length * 8;
        int p = address.length == 16 && b.length == 4 ? prefix - 96 : prefix;
        if (b.length != 4 && b.length != 16 || p < 0 || p > max) {
            throw new IllegalArgumentException("a block needs 4 or 16 bytes and a prefix length within them");
        }
        return new Cidr(mask(b, p), p);
    }

    /** Whether the address (4 or 16 bytes; IPv4-mapped IPv6 counts as IPv4) lies in this block. */
    public boolean contains(byte[] address) {
        byte[] a = IpAddresses.normalise(address);
        if (a.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int m = (0xff << (8 - rest)) & 0xff;
        return (a[full] & m) == (network[full] & m);
    }

    /** Whether the address lies in this block. */
    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    /** The prefix length. */
    public int prefix() {
        return prefix;
    }

    /** The network address's bytes (a copy). */
    public byte[] network() {
        return network.clone();
    }

    private static byte[] mask(byte[] b, int prefix) {
        byte[] out = b.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - 8 * i));
            out[i] = (byte) (out[i] & ((0xff << (8 - bits)) & 0xff));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefix;
    }

    /** Canonical text, e.g. {@code 10.0.0.0/8}, {@code 2001:db8::/32}. */
    @Override
    public String toString() {
        return IpAddresses.format(network) + "/" + prefix;
    }
}
