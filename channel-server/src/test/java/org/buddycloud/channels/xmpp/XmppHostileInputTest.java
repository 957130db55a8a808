package org.buddycloud.channels.xmpp;

import static org.buddycloud.channels.xmpp.XmppTestSupport.CHANNELS;
import static org.buddycloud.channels.xmpp.XmppTestSupport.account;
import static org.buddycloud.channels.xmpp.XmppTestSupport.port;
import static org.buddycloud.channels.xmpp.XmppTestSupport.tls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/**
 * One test per hostile input an internet-facing XMPP server meets; each ends the offending stream
 * (or answers with a stanza error) and then proves that another client is still served.
 */
@QuarkusTest
@TestProfile(XmppHostileInputTest.TightLimits.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class XmppHostileInputTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String STREAM_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams";

    /** Small limits, so that breaking them is cheap and quick. */
    public static class TightLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("buddycloud.xmpp.max-stanza-bytes", "16384", "buddycloud.xmpp.max-depth", "16",
                    "buddycloud.xmpp.idle-timeout", "3s", "buddycloud.xmpp.max-outbound-bytes", "65536",
                    // few workers, so that a few flooding clients could take them all
                    "buddycloud.xmpp.worker-threads", "2");
        }
    }

    /** A fresh client logs in over TLS and gets an answer: the server is still serving. */
    private static void anotherClientIsServed() throws Exception {
        Login bystander = account("bystander");
        try (RawClient client = RawClient.login(port(), tls(), "SCRAM-SHA-256", bystander.username(), bystander.password())) {
            assertEquals("result", client.iq("<iq type='get' to='" + CHANNELS + "'><ping xmlns='urn:xmpp:ping'/></iq>").attr("type"));
        }
    }

    private static void assertStreamEndsWith(RawClient client, List<String> conditions) throws IOException {
        XmlElement error = client.streamError(WAIT);
        assertNotNull(error, "no stream error");
        assertTrue(error.elements().stream().anyMatch(c -> STREAM_ERRORS.equals(c.namespace()) && conditions.contains(c.name())),
                error.toXml());
        assertTrue(client.closedByServer(WAIT), "the connection stays open after a stream error");
    }

    private static RawClient loggedIn() throws Exception {
        Login login = account("mallory");
        return RawClient.login(port(), tls(), "SCRAM-SHA-256", login.username(), login.password());
    }

    @Test
    void anExternalEntityIsRefused() throws Exception {
        try (RawClient client = RawClient.connect(port())) {
            client.send("<?xml version='1.0'?><!DOCTYPE stream:stream [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>"
                    + RawClient.HEADER.substring("<?xml version='1.0'?>".length()) + "<message><body>&xxe;</body></message>");
            assertStreamEndsWith(client, List.of("restricted-xml", "not-well-formed"));
        }
        try (RawClient client = loggedIn()) {
            client.send("<message to='someone@localhost' type='chat'><body>&xxe;</body></message>");
            assertStreamEndsWith(client, List.of("restricted-xml", "not-well-formed"));
        }
        anotherClientIsServed();
    }

    @Test
    void theBillionLaughsAreRefused() throws Exception {
        try (RawClient client = RawClient.connect(port())) {
            StringBuilder entities = new StringBuilder("<!ENTITY l0 'lol'>");
            for (int i = 1; i < 10; i++) {
                entities.append("<!ENTITY l").append(i).append(" '").append(("&l" + (i - 1) + ";").repeat(10)).append("'>");
            }
            client.send("<?xml version='1.0'?><!DOCTYPE lolz [" + entities + "]>"
                    + RawClient.HEADER.substring("<?xml version='1.0'?>".length()) + "<message><body>&l9;</body></message>");
            assertStreamEndsWith(client, List.of("restricted-xml", "not-well-formed"));
        }
        anotherClientIsServed();
    }

    @Test
    void anOversizedStanzaEndsTheStream() throws Exception {
        try (RawClient client = loggedIn()) {
            client.send("<message to='someone@localhost'><body>" + "x".repeat(40_000) + "</body></message>");
            assertStreamEndsWith(client, List.of("policy-violation"));
        }
        try (RawClient client = RawClient.connect(port())) {
            client.openStream();
            client.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + "A".repeat(40_000));
            assertStreamEndsWith(client, List.of("policy-violation"));
        }
        anotherClientIsServed();
    }

    @Test
    void anUnfinishedStartTagCannotGrowWithoutLimit() throws Exception {
        try (RawClient client = loggedIn()) {
            sendAsMuchAsTheServerTakes(client, "<message to='" + "x".repeat(300 * 1024));
            assertStreamEndsWith(client, List.of("policy-violation"));
        }
        try (RawClient client = RawClient.connect(port())) {
            sendAsMuchAsTheServerTakes(client, "<?xml version='1.0'?><stream:stream xmlns='jabber:client' to='localhost' x='"
                    + "x".repeat(300 * 1024));
            assertStreamEndsWith(client, List.of("policy-violation"));
        }
        anotherClientIsServed();
    }

    /** The server may hang up before all of it is written; what it answered is read afterwards. */
    private static void sendAsMuchAsTheServerTakes(RawClient client, String xml) {
        try {
            client.send(xml);
        } catch (IOException e) {
            // the connection was closed while we were still writing
        }
    }

    @Test
    void aMalformedValueInARequestGetsBadRequestAndTheSessionGoesOn() throws Exception {
        Login login = account("mallory");
        try (RawClient client = RawClient.login(port(), tls(), "SCRAM-SHA-256", login.username(), login.password())) {
            assertBadRequest(client.iq("<iq type='set' to='" + CHANNELS + "'><query xmlns='jabber:iq:search'><x xmlns='jabber:x:data'"
                    + " type='submit'><field var='author'><value>juliet@@localhost</value></field></x></query></iq>"));
            assertBadRequest(client.iq("<iq type='get' to='" + CHANNELS + "'><query xmlns='urn:xmpp:mam:tmp' queryid='q1'>"
                    + "<start>last tuesday</start></query></iq>"));
            assertBadRequest(client.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='http://jabber.org/protocol/pubsub#owner'>"
                    + "<configure node='/user/" + login.jid() + "/posts'><x xmlns='jabber:x:data' type='submit'>"
                    + "<field var='pubsub#creator'><value>a@@b</value></field></x></configure></pubsub></iq>"));
            assertEquals("result", client.iq("<iq type='get' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>").attr("type"),
                    "the same session is still served");
        }
        anotherClientIsServed();
    }

    private static void assertBadRequest(XmlElement reply) {
        assertEquals("error", reply.attr("type"), reply.toXml());
        XmlElement error = reply.element("error", "jabber:client").orElseThrow();
        assertTrue(error.element("bad-request", "urn:ietf:params:xml:ns:xmpp-stanzas").isPresent(), reply.toXml());
        assertTrue(error.element("text", "urn:ietf:params:xml:ns:xmpp-stanzas").isPresent(), "the error explains itself: " + reply.toXml());
    }

    @Test
    void floodingClientsAreSlowedDownAndOthersAreStillServed() throws Exception {
        List<RawClient> flooders = new ArrayList<>();
        List<RawClient.Watch> watches = new ArrayList<>();
        List<Thread> floods = new ArrayList<>();
        AtomicBoolean flooding = new AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicLong floodsSent = new java.util.concurrent.atomic.AtomicLong();
        // stanzas that need no answer: a flooder is then not one that does not read, and only its input counts
        String noise = "<message to='localhost'><body>flood</body></message>".repeat(200);
        try {
            // more flooders than workers: without turns and back-pressure they would hold every worker
            for (int i = 0; i < 3; i++) {
                RawClient flooder = loggedIn();
                flooders.add(flooder);
                watches.add(flooder.readInBackground("flood-end-" + i));
                Thread flood = new Thread(() -> {
                    try {
                        while (flooding.get()) {
                            flooder.send(noise);
                            floodsSent.incrementAndGet();
                        }
                    } catch (IOException e) {
                        // disconnected; the assertions below tell
                    }
                }, "flood-" + i);
                flood.setDaemon(true);
                flood.start();
                floods.add(flood);
            }
            // the bystanders come once the flood is well under way
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> floodsSent.get() >= 30);
            anotherClientIsServed();
            anotherClientIsServed();
        } finally {
            flooding.set(false);
            for (Thread flood : floods) {
                flood.join(Duration.ofSeconds(60).toMillis());
            }
        }
        for (int i = 0; i < flooders.size(); i++) {
            assertFalse(floods.get(i).isAlive(), "a flooder is still stuck writing");
            flooders.get(i).send("<iq type='get' to='localhost' id='flood-end-" + i + "'><ping xmlns='urn:xmpp:ping'/></iq>");
        }
        for (int i = 0; i < flooders.size(); i++) {
            assertTrue(watches.get(i).markerSeen.await(60, TimeUnit.SECONDS), "flooder " + i + " was cut off instead of slowed down");
            flooders.get(i).close();
        }
        anotherClientIsServed();
    }

    @Test
    void deepNestingEndsTheStream() throws Exception {
        try (RawClient client = loggedIn()) {
            client.send("<message to='someone@localhost'>" + "<x>".repeat(40));
            assertStreamEndsWith(client, List.of("policy-violation"));
        }
        anotherClientIsServed();
    }

    @Test
    void invalidUtf8EndsTheStream() throws Exception {
        try (RawClient client = loggedIn()) {
            client.send("<message to='someone@localhost' type='chat'><body>");
            client.sendBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE});
            client.send("</body></message>");
            assertStreamEndsWith(client, List.of("not-well-formed", "bad-format", "unsupported-encoding"));
        }
        anotherClientIsServed();
    }

    @Test
    void aMalformedJidGetsAStanzaErrorAndTheStreamGoesOn() throws Exception {
        try (RawClient client = loggedIn()) {
            client.send("<message id='m1' to='juliet@@localhost' type='chat'><body>hi</body></message>");
            XmlElement bounced = client.expect(m -> "m1".equals(m.attr("id")), WAIT);
            assertEquals("error", bounced.attr("type"));
            assertTrue(bounced.toXml().contains("jid-malformed"), bounced.toXml());
            XmlElement iq = client.iq("<iq type='get' to='" + CHANNELS + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                    + "<items node='/user/a@b@c/posts'/></pubsub></iq>");
            assertEquals("error", iq.attr("type"), iq.toXml());
            assertTrue(iq.toXml().contains("text"), "the error explains itself: " + iq.toXml());
            assertEquals("result", client.iq("<iq type='get' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>").attr("type"),
                    "the stream survives a malformed address");
        }
        anotherClientIsServed();
    }

    @Test
    void aClientThatStopsReadingIsDisconnectedAndNobodyElseWaits() throws Exception {
        Login login = account("author");
        String node = "/user/" + login.jid() + "/posts";
        try (RawClient author = RawClient.login(port(), tls(), "SCRAM-SHA-256", login.username(), login.password())) {
            String big = "y".repeat(4000);
            for (int i = 0; i < 30; i++) {
                author.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='" + node
                        + "'><item><entry xmlns='http://www.w3.org/2005/Atom'><content>" + big + "</content></entry></item></publish>"
                        + "</pubsub></iq>");
            }
        }
        Login stalled = account("stalled");
        try (RawClient reader = RawClient.login(port(), tls(), "SCRAM-SHA-256", stalled.username(), stalled.password(), 4096)) {
            int requests = 0;
            boolean closed = false;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            String items = "<iq type='get' to='" + CHANNELS + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='" + node
                    + "'/></pubsub></iq>";
            // the client keeps asking and never reads: its replies pile up until the server gives up on it
            while (!closed && System.nanoTime() < deadline) {
                try {
                    reader.send(items);
                    requests++;
                } catch (IOException e) {
                    closed = true;
                }
                if (requests % 50 == 0) {
                    anotherClientIsServed();
                }
            }
            assertTrue(closed || reader.closedByServer(WAIT), "a client that never reads was not disconnected after " + requests);
        }
        anotherClientIsServed();
    }

    @Test
    void repeatedWrongPasswordsAreThrottledPerAccount() throws Exception {
        Login victim = account("victim");
        try (RawClient client = RawClient.connect(port())) {
            client.openStream();
            for (int i = 0; i < 3; i++) {
                assertFalse(client.authenticate("SCRAM-SHA-256", victim.username(), "guess-" + i));
            }
            assertStreamEndsWith(client, List.of("policy-violation"));
        }
        try (RawClient client = RawClient.connect(port())) {
            client.openStream();
            assertFalse(client.authenticate("SCRAM-SHA-1", victim.username(), "guess-3"));
            assertFalse(client.authenticate("SCRAM-SHA-1", victim.username(), "guess-4"));
        }
        try (RawClient client = RawClient.connect(port())) {
            client.openStream();
            assertFalse(client.authenticate("SCRAM-SHA-256", victim.username(), victim.password()),
                    "after five failures even the right password waits");
            assertTrue(client.lastFailure().element("temporary-auth-failure", "urn:ietf:params:xml:ns:xmpp-sasl").isPresent(),
                    client.lastFailure().toXml());
        }
        anotherClientIsServed();
    }

    @Test
    void anIdleConnectionIsClosed() throws Exception {
        try (RawClient idle = RawClient.connect(port())) {
            idle.openStream();
            assertTrue(idle.closedByServer(Duration.ofSeconds(15)), "an idle connection stayed open");
        }
        anotherClientIsServed();
    }

    @Test
    void anIdleWebSocketIsClosedWithConnectionTimeout() throws Exception {
        java.util.concurrent.BlockingQueue<String> frames = new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();
        java.net.http.WebSocket socket = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("xmpp")
                .buildAsync(java.net.URI.create("ws://localhost:" + io.restassured.RestAssured.port + "/xmpp-websocket"),
                        new java.net.http.WebSocket.Listener() {
                            private final StringBuilder partial = new StringBuilder();

                            @Override
                            public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
                                partial.append(data);
                                if (last) {
                                    frames.add(partial.toString());
                                    partial.setLength(0);
                                }
                                ws.request(1);
                                return null;
                            }

                            @Override
                            public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket ws, int status, String reason) {
                                closed.complete(status);
                                return null;
                            }
                        }).get(10, TimeUnit.SECONDS);
        socket.sendText("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='localhost' version='1.0'/>", true).join();
        // then nothing: the 3 s idle timeout of this profile ends it with connection-timeout, not the HTTP server's 30 min
        closed.get(15, TimeUnit.SECONDS);
        assertTrue(frames.stream().anyMatch(f -> f.contains("connection-timeout")), frames.toString());
        anotherClientIsServed();
    }
}
