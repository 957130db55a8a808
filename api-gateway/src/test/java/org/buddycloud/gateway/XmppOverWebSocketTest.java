package org.buddycloud.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.buddycloud.testsupport.LocalInfrastructureOnly;
import org.junit.jupiter.api.Test;

/** XMPP over WebSocket (RFC 7395) through the gateway's origin, relayed to the real channel server. */
@QuarkusTest
@WithTestResource(GatewayTestStack.class)
@LocalInfrastructureOnly("starts the media and push servers against the local PostgreSQL and S3 endpoint")
class XmppOverWebSocketTest {

    private record Account(String username, String password, String jid) {
        String domain() {
            return jid.substring(jid.indexOf('@') + 1);
        }
    }

    @Test
    void twoBrowsersLogInWithScramThroughTheGatewayAndChat() throws Exception {
        Account juliet = account("juliet");
        Account romeo = account("romeo");
        try (XmppWebSocketClient julietsTab = new XmppWebSocketClient(endpoint(), juliet.domain());
             XmppWebSocketClient romeosTab = new XmppWebSocketClient(endpoint(), romeo.domain())) {
            assertEquals("xmpp", julietsTab.socket.getSubprotocol(), "RFC 7395: the server confirms the subprotocol");
            String julietAt = julietsTab.login(juliet.username(), juliet.password(), "balcony");
            String romeoAt = romeosTab.login(romeo.username(), romeo.password(), "orchard");
            assertEquals(juliet.jid() + "/balcony", julietAt);

            julietsTab.send("<message xmlns='jabber:client' type='chat' id='m1' to='" + romeoAt + "'>"
                    + "<body>Wherefore art thou Romeo?</body></message>");
            String received = romeosTab.next(frame -> frame.startsWith("<message") && frame.contains("Wherefore art thou"));
            assertTrue(received.contains(julietAt), "from juliet's session: " + received);

            romeosTab.send("<message xmlns='jabber:client' type='chat' id='m2' to='" + juliet.jid() + "'>"
                    + "<body>Call me but love</body></message>");
            String answer = julietsTab.next(frame -> frame.startsWith("<message") && frame.contains("Call me but love"));
            assertTrue(answer.contains(romeoAt), answer);
        }
    }

    @Test
    void aTabThatClosesEndsItsSessionAtTheChannelServer() throws Exception {
        Account juliet = account("juliet");
        Account romeo = account("romeo");
        try (XmppWebSocketClient julietsTab = new XmppWebSocketClient(endpoint(), juliet.domain());
             XmppWebSocketClient romeosTab = new XmppWebSocketClient(endpoint(), romeo.domain())) {
            String julietAt = julietsTab.login(juliet.username(), juliet.password(), "balcony");
            romeosTab.login(romeo.username(), romeo.password(), "orchard");
            romeosTab.send(ping("before", julietAt));
            assertTrue(julietsTab.next(frame -> XmppWebSocketClient.hasId(frame, "before")).contains("urn:xmpp:ping"),
                    "while her tab is open, her session is there");

            julietsTab.socket.sendClose(1000, "good night").join();
            assertEquals(1000, julietsTab.closedWith.get(20, TimeUnit.SECONDS));
            // the relay closed her session behind it: an IQ to it is no longer delivered but refused
            await().atMost(Duration.ofSeconds(20)).until(() -> pingRefused(romeosTab, julietAt));
        }
    }

    @Test
    void aStreamTheServerClosesClosesTheBrowsersSocket() throws Exception {
        Account juliet = account("juliet");
        try (XmppWebSocketClient julietsTab = new XmppWebSocketClient(endpoint(), juliet.domain())) {
            julietsTab.login(juliet.username(), juliet.password(), "balcony");
            julietsTab.send("<close xmlns='" + XmppWebSocketClient.FRAMING + "'/>");
            julietsTab.next(frame -> frame.startsWith("<close")); // the server answers close with close
            assertEquals(1000, julietsTab.closedWith.get(20, TimeUnit.SECONDS), "and its WebSocket close reaches the browser");
        }
    }

    @Test
    void theChannelServersLoginThrottleCountsTheClientTheGatewayNames() throws Exception {
        Account juliet = account("juliet");
        String outcome = "";
        for (int i = 0; i < 40 && !outcome.contains("temporary-auth-failure"); i++) {
            try (XmppWebSocketClient guesser = behind("198.51.100.50", juliet)) {
                outcome = guesser.authenticate("nobody-" + i + "-" + juliet.username(), "guess");
            }
        }
        assertTrue(outcome.contains("temporary-auth-failure"), "failed logins from one client address are throttled: " + outcome);
        try (XmppWebSocketClient julietsTab = behind("198.51.100.51", juliet)) {
            assertTrue(julietsTab.authenticate(juliet.username(), juliet.password()).startsWith("<success"),
                    "another client behind the same gateway is not");
        }
    }

    /** A client whose connection comes through a trusted proxy in front of the gateway (the loopback, in tests). */
    private static XmppWebSocketClient behind(String clientAddress, Account account) throws Exception {
        return new XmppWebSocketClient(endpoint(), account.domain(), Map.of("X-Forwarded-For", clientAddress));
    }

    @Test
    void theHandshakeConfirmsXmppAndCarriesTheRequestId() throws Exception {
        String head = handshake("Sec-WebSocket-Protocol: xmpp\r\nX-Request-Id: xmpp-ws-42\r\nAccept-Encoding: gzip\r\n");
        String lower = head.toLowerCase(Locale.ROOT);
        assertTrue(head.startsWith("HTTP/1.1 101"), head);
        assertTrue(lower.contains("sec-websocket-protocol: xmpp\r\n"), head);
        assertTrue(lower.contains("x-request-id: xmpp-ws-42\r\n"), head);
        assertFalse(lower.contains("content-encoding"), head);
    }

    @Test
    void anythingButAnXmppUpgradeIsRefused() throws Exception {
        String withoutSubprotocol = handshake("");
        assertTrue(withoutSubprotocol.startsWith("HTTP/1.1 400"), withoutSubprotocol);
        assertTrue(withoutSubprotocol.toLowerCase(Locale.ROOT).contains("application/problem+json"), withoutSubprotocol);
        given().get("/xmpp-websocket").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("RFC 7395"));
        // other paths are still not passed on as WebSockets
        String elsewhere = handshake("/juliet@localhost/content/posts", "Sec-WebSocket-Protocol: xmpp\r\n");
        assertTrue(elsewhere.startsWith("HTTP/1.1 501"), elsewhere);
    }

    private static String ping(String id, String to) {
        return "<iq xmlns='jabber:client' type='get' id='" + id + "' to='" + to + "'><ping xmlns='urn:xmpp:ping'/></iq>";
    }

    /** Whether an IQ to {@code to} now comes back as an error (a gone session), within a second. */
    private static boolean pingRefused(XmppWebSocketClient from, String to) throws InterruptedException {
        String id = "after-" + UUID.randomUUID().toString().substring(0, 8);
        from.send(ping(id, to));
        Optional<String> reply = from.next(frame -> XmppWebSocketClient.hasId(frame, id), Duration.ofSeconds(1));
        return reply.isPresent() && reply.get().contains("service-unavailable");
    }

    private static String handshake(String extraHeaders) throws IOException {
        return handshake("/xmpp-websocket", extraHeaders);
    }

    /** The head of the answer to a WebSocket upgrade of {@code path}, sent by hand to see every header. */
    private static String handshake(String path, String extraHeaders) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + RestAssured.port + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
            }
            return head.toString(StandardCharsets.US_ASCII);
        }
    }

    private static Account account(String prefix) {
        String username = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "pw-" + UUID.randomUUID();
        return new Account(username, password, GatewayApiTest.register(username, password));
    }

    private static URI endpoint() {
        return URI.create("ws://127.0.0.1:" + RestAssured.port + "/xmpp-websocket");
    }
}
