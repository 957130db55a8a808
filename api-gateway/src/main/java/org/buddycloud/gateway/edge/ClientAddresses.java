package org.buddycloud.gateway.edge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who the client is. The peer of the connection, unless the peer is a configured trusted proxy: then the
 * forwarding headers are read from the right, skipping trusted proxies, and the first address that is not one is
 * the client. Reading from the right matters: everything left of the last trusted hop was written by whoever
 * connected to it, and a client can write any address it likes there. Only the one header the trusted proxies
 * write is read ({@link Header}): a proxy that appends to {@code X-Forwarded-For} passes a client's own
 * {@code Forwarded} through untouched, and believing that would let the client name itself.
 */
public final class ClientAddresses {

    /** The header the trusted proxies write. */
    public enum Header { X_FORWARDED_FOR, FORWARDED }

    private final List<AddressRange> trustedProxies;
    private final Header header;

    public ClientAddresses(List<AddressRange> trustedProxies, Header header) {
        this.trustedProxies = List.copyOf(trustedProxies);
        this.header = header;
    }

    public Header header() {
        return header;
    }

    /**
     * @param peer    the connection's remote address (an IP literal)
     * @param values  the values of {@link #header()}, in order, or an empty list
     */
    public String client(String peer, List<String> values) {
        if (trustedProxies.isEmpty() || !trusted(peer)) {
            return peer;
        }
        List<String> hops = header == Header.FORWARDED ? forwardedFor(values) : split(values);
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<byte[]> address = AddressRange.literal(withoutPort(hops.get(i)));
            if (address.isEmpty()) {
                // "unknown", an obfuscated name or garbage: the last hop we could read is all we know
                return client;
            }
            client = normalized(hops.get(i));
            if (!trustedProxies.stream().anyMatch(range -> range.contains(address.get()))) {
                return client;
            }
        }
        return client;
    }

    /**
     * What a per-address limit counts by: an IPv4 address, or an IPv6 address's /64 — one subscriber's network
     * holds countless addresses, and counting each alone would be no limit at all.
     */
    public static String limitKey(String client) {
        return AddressRange.literal(client).filter(bytes -> bytes.length == 16).map(bytes -> {
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        }).orElse(client);
    }

    public boolean trusted(String address) {
        return AddressRange.literal(address).map(bytes -> trustedProxies.stream().anyMatch(r -> r.contains(bytes)))
                .orElse(false);
    }

    private static List<String> split(List<String> values) {
        List<String> hops = new ArrayList<>();
        for (String value : values) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    hops.add(part.trim());
                }
            }
        }
        return hops;
    }

    /** The {@code for=} parameter of each element of {@code Forwarded: for=1.2.3.4;proto=https, for="[2001:db8::1]:80"}. */
    private static List<String> forwardedFor(List<String> values) {
        List<String> hops = new ArrayList<>();
        for (String element : split(values)) {
            String found = "unknown";
            for (String pair : element.split(";")) {
                int equals = pair.indexOf('=');
                if (equals > 0 && pair.substring(0, equals).trim().toLowerCase(Locale.ROOT).equals("for")) {
                    found = pair.substring(equals + 1).trim().replace("\"", "");
                }
            }
            hops.add(found);
        }
        return hops;
    }

    /** {@code 1.2.3.4:5678} and {@code [2001:db8::1]:80} without the port; a bare IPv6 address as it is. */
    private static String withoutPort(String hop) {
        if (hop.startsWith("[")) {
            int close = hop.indexOf(']');
            return close > 0 ? hop.substring(0, close + 1) : hop;
        }
        int colon = hop.indexOf(':');
        return colon > 0 && hop.indexOf(':', colon + 1) < 0 ? hop.substring(0, colon) : hop;
    }

    private static String normalized(String hop) {
        String address = withoutPort(hop);
        return address.startsWith("[") ? address.substring(1, address.length() - 1) : address;
    }
}
