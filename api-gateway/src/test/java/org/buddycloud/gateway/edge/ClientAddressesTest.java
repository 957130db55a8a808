package org.buddycloud.gateway.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressesTest {

    private final List<AddressRange> proxies = List.of(AddressRange.parse("10.0.0.0/8"), AddressRange.parse("fd00::/8"));
    private final ClientAddresses behindTwoProxies = new ClientAddresses(proxies, ClientAddresses.Header.X_FORWARDED_FOR);
    private final ClientAddresses behindRfc7239Proxies = new ClientAddresses(proxies, ClientAddresses.Header.FORWARDED);

    @Test
    void aPeerThatIsNoTrustedProxyIsTheClientWhateverItClaims() {
        assertEquals("203.0.113.5", behindTwoProxies.client("203.0.113.5", List.of("198.51.100.1")));
        assertEquals("203.0.113.5", new ClientAddresses(List.of(), ClientAddresses.Header.X_FORWARDED_FOR)
                .client("203.0.113.5", List.of("198.51.100.1")));
    }

    @Test
    void readsForwardedForFromTheRightSkippingTrustedProxies() {
        // the client put 1.1.1.1 in itself; the outer proxy appended the real client, the inner one the outer proxy
        assertEquals("198.51.100.7", behindTwoProxies.client("10.0.0.2", List.of("1.1.1.1, 198.51.100.7", "10.0.0.9")));
    }

    @Test
    void readsForwardedWhenTheProxiesWriteThatAndUnderstandsItsIpv6AndPortForms() {
        assertEquals("2001:db8::7", behindRfc7239Proxies.client("10.0.0.2",
                List.of("for=\"[2001:db8::7]:4711\";proto=https, for=10.1.2.3")));
        assertEquals("192.0.2.60", behindRfc7239Proxies.client("10.0.0.2", List.of("for=192.0.2.60:8080")));
    }

    @Test
    void stopsAtAHopItCannotRead() {
        assertEquals("10.0.0.9", behindTwoProxies.client("10.0.0.2", List.of("unknown, 10.0.0.9")));
        assertEquals("10.0.0.2", behindRfc7239Proxies.client("10.0.0.2", List.of("for=_hidden")));
    }

    @Test
    void allTrustedMeansTheLeftmostIsTheClient() {
        assertEquals("10.9.9.9", behindTwoProxies.client("10.0.0.2", List.of("10.9.9.9, 10.0.0.3")));
    }

    @Test
    void rangesMatchByPrefixAndIpv4MappedAddresses() {
        AddressRange range = AddressRange.parse("192.168.4.0/22");
        assertTrue(range.contains(AddressRange.literal("192.168.7.255").orElseThrow()));
        assertFalse(range.contains(AddressRange.literal("192.168.8.0").orElseThrow()));
        assertTrue(AddressRange.parse("127.0.0.1").contains(AddressRange.literal("::ffff:127.0.0.1").orElseThrow()));
        assertTrue(AddressRange.literal("example.com").isEmpty(), "host names are not looked up");
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("gateway.internal"));
    }
}
