package org.buddycloud.servicekit.web;

import io.vertx.core.net.SocketAddress;

/**
 * The address of whoever is on the other end, as throttles and logs key it. A proxy's {@code Forwarded} header gives
 * Vert.x an unresolved address whose {@code hostAddress()} is null (an IPv6 client comes as {@code [::1]}); its host
 * name is the address then.
 */
public final class PeerAddress {

    private PeerAddress() {
    }

    public static String of(SocketAddress address) {
        if (address == null) {
            return "unknown";
        }
        String resolved = address.hostAddress();
        if (resolved != null && !resolved.isEmpty()) {
            return resolved;
        }
        String host = address.host();
        if (host == null || host.isEmpty()) {
            return "unknown";
        }
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
