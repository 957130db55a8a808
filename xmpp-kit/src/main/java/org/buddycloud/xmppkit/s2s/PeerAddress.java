package org.buddycloud.xmppkit.s2s;

import java.util.Locale;
import java.util.Objects;

/** A host and TCP port to try for a remote XMPP server; the host is a DNS name or an IP address literal. */
public record PeerAddress(String host, int port) {

    public PeerAddress {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("a peer address needs a host");
        }
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not a TCP port");
        }
        host = host.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
