package org.buddycloud.servicekit.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Test;

class PeerAddressTest {

    @Test
    void aResolvedAddressIsItsAddress() {
        assertEquals("10.1.2.3", PeerAddress.of(SocketAddress.inetSocketAddress(new java.net.InetSocketAddress("10.1.2.3", 80))));
    }

    @Test
    void aForwardedIpv6ClientIsItsHostWithoutBrackets() {
        // what Quarkus makes of Forwarded: for="[2001:db8::1]": an unresolved address with the bracketed host
        assertEquals("2001:db8::1", PeerAddress.of(SocketAddress.inetSocketAddress(0, "[2001:db8::1]")));
    }

    @Test
    void nothingIsUnknown() {
        assertEquals("unknown", PeerAddress.of(null));
    }
}
