package io.usher.scim;

import io.usher.scim.internal.Cidr;
import io.usher.scim.internal.IpAddresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Which client addresses may call the SCIM endpoints: CIDR blocks, IPv4 and IPv6 ({@code 203.0.113.0/24},
 * {@code 2001:db8::/32}; an IPv4-mapped IPv6 address is matched as the IPv4 address it maps). A request from
 * elsewhere is 403 with a SCIM Error body, before its token is looked at.
 *
 * <p><b>The client's address</b> is the socket's remote address, which JAX-RS does not expose: the host hands
 * it over with a {@link PeerAddress}, called on the request thread (a servlet host returns the current
 * request's {@code getRemoteAddr()}; a JDK {@code HttpServer} host wraps its handler to remember
 * {@code exchange.getRemoteAddress()}, see the module README).
 *
 * <p><b>Behind a reverse proxy</b> every request comes from the proxy. With {@link Builder#trustedProxies} and
 * {@link Builder#forwardedHeader} (e.g. {@code X-Forwarded-For}), and only for a request whose socket address is
 * one of the trusted proxies, the client is the right-most address of the header that is not itself a trusted
 * proxy (each proxy appends the address it received the request from, so the entries to the left of the last
 * trusted hop are the client's to invent); when every entry is a trusted proxy, the left-most. A request from
 * any other address is judged by its socket address, whatever headers it sends. An entry that is not an IP
 * address ({@code unknown}, an obfuscated name) where the client should be makes the client unknown: refused.
 * Entries may carry a port ({@code 192.0.2.1:4711}, {@code [2001:db8::1]:4711}); several header fields are read
 * as one list, in order. With the header name {@code Forwarded}, the {@code for=} parameters of RFC 7239 are read.
 *
 * <pre>{@code
 * IpAllowList allow = IpAllowList.builder()
 *         .allow("52.0.0.0/8", "2603:1000::/24")                   // the identity provider's published ranges
 *         .trustedProxies("10.0.0.10", "10.0.0.11")                  // our load balancers
 *         .forwardedHeader("X-Forwarded-For")
 *         .peerAddress(() -> InetAddress.getByName(currentRequest().getRemoteAddr()))   // a literal: no DNS
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class IpAllowList {
    private final List<Cidr> allowed;
    private final List<Cidr> proxies;
    private final String header;
    private final PeerAddress peer;

    /** Where the socket's remote address of the request being handled comes from. */
    @FunctionalInterface
    public interface PeerAddress {
        /**
         * The remote address of the connection the current request arrived on, called on the request thread.
         * Null or an exception refuses the request (403) and logs a warning: without it no address is allowed.
         */
        InetAddress current() throws Exception;
    }

    private IpAllowList(Builder b) {
        this.allowed = List.copyOf(b.allowed);
        this.proxies = List.copyOf(b.proxies);
        this.header = b.header;
        this.peer = b.peer;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The client's address for a request that arrived from {@code peer} with these values of the forwarded
     * header (all fields of it, in order; ignored unless {@code peer} is a trusted proxy), or empty when the
     * forwarded entry that should name the client is not an IP address.
     */
    public Optional<InetAddress> clientAddress(InetAddress peer, List<String> forwardedValues) {
        Objects.requireNonNull(peer, "peer");
        if (header == null || !inAny(proxies, IpAddresses.bytes(peer))) {
            return Optional.of(peer);
        }
        List<String> entries = new ArrayList<>();
        if (forwardedValues != null) {
            for (String v : forwardedValues) {
                if (v == null) {
                    continue;
                }
                for (String e : v.split(",", -1)) {
                    if (!e.isBlank()) {
                        entries.add(e.trim());
                    }
                }
            }
        }
        if (entries.isEmpty()) {
            return Optional.of(peer); // the proxy's own request
        }
        boolean rfc7239 = header.equalsIgnoreCase("Forwarded");
        for (int i = entries.size() - 1; i >= 0; i--) {
            byte[] hop = hop(entries.get(i), rfc7239);
            if (hop == null) {
                return Optional.empty();
            }
            if (i == 0 || !inAny(proxies, hop)) {
                return Optional.of(toInet(hop));
            }
        }
        throw new AssertionError("unreachable");
    }

    /** Whether {@code client} lies in one of the allowed blocks. */
    public boolean allows(InetAddress client) {
        return inAny(allowed, IpAddresses.bytes(Objects.requireNonNull(client, "client")));
    }

    /** Whether a request from {@code peer} with these forwarded header values may proceed. */
    public boolean permits(InetAddress peer, List<String> forwardedValues) {
        return clientAddress(peer, forwardedValues).map(this::allows).orElse(false);
    }

    /** The header naming the client behind a trusted proxy, or null when none is configured. */
    public String forwardedHeader() {
        return header;
    }

    /** Where the socket's remote address comes from. */
    public PeerAddress peerAddress() {
        return peer;
    }

    @Override
    public String toString() {
        return "IpAllowList[allow=" + allowed + (header == null ? "" : ", trustedProxies=" + proxies + ", header="
                + header) + "]";
    }

    private static boolean inAny(List<Cidr> blocks, byte[] address) {
        for (Cidr c : blocks) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static InetAddress toInet(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One hop of the header as an address, or null when it is not one. */
    private static byte[] hop(String entry, boolean rfc7239) {
        String e = entry;
        if (rfc7239) {
            e = null;
            for (String pair : entry.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("for")) {
                    e = pair.substring(eq + 1).trim();
                    if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
                        e = e.substring(1, e.length() - 1);
                    }
                }
            }
            if (e == null) {
                return null;
            }
        }
        try {
            if (e.startsWith("[")) {
                int close = e.indexOf(']');
                if (close < 0 || close + 1 < e.length() && !isPort(e.substring(close + 1))) {
                    return null;
                }
                return IpAddresses.parse(e.substring(1, close));
            }
            int colon = e.indexOf(':');
            if (colon >= 0 && colon == e.lastIndexOf(':') && e.indexOf('.') >= 0) {
                if (!isPort(e.substring(colon))) {
                    return null;
                }
                e = e.substring(0, colon);
            }
            return IpAddresses.parse(e);
        } catch (IllegalArgumentException ex) {
            return null;
        }
    }

    private static boolean isPort(String s) {
        return s.length() >= 2 && s.length() <= 6 && s.charAt(0) == ':'
                && s.substring(1).chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Builds an {@link IpAllowList}; every block is checked when given. Not thread-safe. */
    public static final class Builder {
        private final List<Cidr> allowed = new ArrayList<>();
        private final List<Cidr> proxies = new ArrayList<>();
        private String header;
        private PeerAddress peer;

        private Builder() {}

        /**
         * Allows clients in these CIDR blocks (a single address is a /32 or /128 block).
         *
         * @throws IllegalArgumentException naming the block and the column where it is malformed, or the
         *     block probably meant when bits are set after the prefix
         */
        public Builder allow(String... cidrs) {
            for (String c : cidrs) {
                allowed.add(Cidr.parse(c));
            }
            return this;
        }

        /** The reverse proxies whose forwarded header is believed (CIDR blocks). Needs {@link #forwardedHeader}. */
        public Builder trustedProxies(String... cidrs) {
            for (String c : cidrs) {
                proxies.add(Cidr.parse(c));
            }
            return this;
        }

        /** The header a trusted proxy names the client in, e.g. {@code X-Forwarded-For} or {@code Forwarded}. */
        public Builder forwardedHeader(String name) {
            Objects.requireNonNull(name, "forwardedHeader");
            if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
                throw new IllegalArgumentException("forwardedHeader must be an HTTP header name such as X-Forwarded-For");
            }
            if (header != null) {
                throw new IllegalArgumentException("forwardedHeader is given twice");
            }
            header = name;
            return this;
        }

        /** Where the socket's remote address comes from (required: JAX-RS does not say). */
        public Builder peerAddress(PeerAddress value) {
            peer = Objects.requireNonNull(value, "peerAddress");
            return this;
        }

        public IpAllowList build() {
            if (allowed.isEmpty()) {
                throw new IllegalStateException("allow(...) needs at least one CIDR block: an empty allow-list "
                        + "would refuse every client");
            }
            if (peer == null) {
                throw new IllegalStateException("peerAddress(...) is required: the socket's remote address of the "
                        + "current request, which JAX-RS does not expose (see IpAllowList's javadoc)");
            }
            if (header != null && proxies.isEmpty()) {
                throw new IllegalStateException("forwardedHeader(" + header + ") needs trustedProxies(...): the header"
                        + " is believed only from them");
            }
            if (header == null && !proxies.isEmpty()) {
                throw new IllegalStateException("trustedProxies(...) needs forwardedHeader(...), e.g. X-Forwarded-For");
            }
            return new IpAllowList(this);
        }
    }
}
