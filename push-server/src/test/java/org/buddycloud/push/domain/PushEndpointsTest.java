package org.buddycloud.push.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A client's push subscription cannot make the push server call into the private network. */
class PushEndpointsTest {

    private static final Map<String, List<String>> DNS = Map.of(
            "push.example", List.of("142.250.74.138"),
            "both.example", List.of("142.250.74.138", "10.0.0.7"),
            "localhost", List.of("127.0.0.1", "::1"),
            "2606:4700::1111", List.of("2606:4700::1111"));

    private final PushEndpoints endpoints = new PushEndpoints(PushEndpointsTest::resolve, false);

    @Test
    void aPublicHttpsEndpointPassesWithTheAddressesToConnectTo() throws Exception {
        PushEndpoints.Checked checked = endpoints.check("https://push.example/wpush/v2/gAAAAA");
        assertEquals(List.of(InetAddress.getByName("142.250.74.138")), checked.addresses());
        assertEquals("push.example", checked.uri().getHost());
        assertEquals(1, endpoints.check("https://[2606:4700::1111]/push").addresses().size());
    }

    @Test
    void everythingButThePublicInternetOverHttpsIsRefused() {
        List<String> refused = List.of("http://push.example/x", "ftp://push.example/x", "https:///x", "not a url",
                "https://user:pw@push.example/x", "https://nowhere.example/x",
                "https://push.example/" + "x".repeat(PushEndpoints.MAX_LENGTH), "");
        for (String endpoint : refused) {
            assertThrows(PushEndpoints.RefusedEndpoint.class, () -> endpoints.check(endpoint), endpoint);
        }
        List<String> internal = new ArrayList<>(List.of("both.example", "localhost"));
        internal.addAll(List.of("10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1",
                "[::1]", "[fe80::1]", "[fd00::1]", "[::ffff:10.0.0.1]", "[::]"));
        for (String host : internal) {
            PushEndpoints.RefusedEndpoint refusal = assertThrows(PushEndpoints.RefusedEndpoint.class,
                    () -> endpoints.check("https://" + host + "/push"), host);
            assertTrue(refusal.getMessage().contains("not on the public internet"), host + ": " + refusal.getMessage());
        }
    }

    @Test
    void loopbackIsAllowedOnlyWhenConfiguredForTests() {
        PushEndpoints forTests = new PushEndpoints(PushEndpointsTest::resolve, true);
        assertEquals(2, forTests.check("https://localhost:8443/push").addresses().size());
        assertThrows(PushEndpoints.RefusedEndpoint.class, () -> forTests.check("https://10.1.2.3/push"), "private stays refused");
        assertEquals(1, forTests.check("http://127.0.0.1:8080/push").addresses().size(), "plain http to a test's own endpoint");
        assertThrows(PushEndpoints.RefusedEndpoint.class, () -> forTests.check("http://push.example/push"), "plain http stays loopback only");
        assertThrows(PushEndpoints.RefusedEndpoint.class, () -> endpoints.check("http://127.0.0.1:8080/push"));
        PushEndpoints.RefusedEndpoint refused = assertThrows(PushEndpoints.RefusedEndpoint.class,
                () -> endpoints.check("https://localhost/push"));
        assertTrue(refused.getMessage().contains("not on the public internet"), refused.getMessage());
    }

    /** Names from the table; IP literals as themselves (as the JDK resolves them, without asking DNS). */
    private static List<InetAddress> resolve(String host) throws UnknownHostException {
        List<String> addresses = DNS.get(host);
        if (addresses == null) {
            if (!host.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
                throw new UnknownHostException(host);
            }
            addresses = List.of(host);
        }
        List<InetAddress> resolved = new ArrayList<>();
        for (String address : addresses) {
            resolved.add(InetAddress.getByName(address));
        }
        return resolved;
    }
}
