package org.buddycloud.gateway.edge;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 range in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}; a bare address is one host). */
public final class AddressRange {

    /** Only literals are parsed: a host name here would be a DNS lookup per request. */
    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]{2,45}");

    private final byte[] network;
    private final int prefix;

    private AddressRange(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    public static AddressRange parse(String cidr) {
        String text = cidr.trim();
        int slash = text.indexOf('/');
        byte[] address = literal(slash < 0 ? text : text.substring(0, slash))
                .orElseThrow(() -> new IllegalArgumentException("not an IP address or CIDR range: " + cidr));
        int prefix = address.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a CIDR prefix length: " + cidr);
            }
            if (prefix < 0 || prefix > address.length * 8) {
                throw new IllegalArgumentException("prefix length out of range: " + cidr);
            }
        }
        return new AddressRange(address, prefix);
    }

    /** The address's bytes when {@code text} is an IP literal (IPv6 possibly in brackets); empty otherwise. */
    public static Optional<byte[]> literal(String text) {
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (!LITERAL.matcher(bare).matches() || (bare.indexOf(':') < 0 && bare.indexOf('.') < 0)) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(bare).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    public boolean contains(byte[] address) {
        byte[] candidate = address;
        if (candidate.length != network.length) {
            candidate = ipv4MappedAsIpv4(candidate).orElse(null);
            if (candidate == null || candidate.length != network.length) {
                return false;
            }
        }
        int full = prefix / 8;
        if (!Arrays.equals(candidate, 0, full, network, 0, full)) {
            return false;
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (candidate[full] & mask) == (network[full] & mask);
    }

    /** {@code ::ffff:a.b.c.d} as {@code a.b.c.d} (the JDK already does this for literals; sockets may not). */
    private static Optional<byte[]> ipv4MappedAsIpv4(byte[] address) {
        if (address.length != 16) {
            return Optional.empty();
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return Optional.empty();
            }
        }
        return address[10] == (byte) 0xff && address[11] == (byte) 0xff
                ? Optional.of(Arrays.copyOfRange(address, 12, 16)) : Optional.empty();
    }
}
