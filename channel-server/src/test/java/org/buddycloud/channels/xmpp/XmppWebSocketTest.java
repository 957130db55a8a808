package org.buddycloud.channels.xmpp;

import static org.buddycloud.channels.xmpp.XmppTestSupport.account;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.buddycloud.xmppkit.xml.Fragments;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;
import org.buddycloud.testsupport.ScramClient;

/** XMPP over WebSocket (RFC 7395) on the HTTP port, with the JDK's WebSocket client. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class XmppWebSocketTest {

    private static final String FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";
    private static final String OPEN = "<open xmlns='" + FRAMING + "' to='localhost' version='1.0'/>";

    /** Collects whole text messages (a message may arrive in parts). */
    private static final class Frames implements WebSocket.Listener {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        XmlElement next() throws Exception {
            String frame = received.poll(10, TimeUnit.SECONDS);
            assertNotNull(frame, "no frame arrived");
            return Fragments.parse(frame, 1 << 20, 64);
        }
    }

    private static URI endpoint() {
        return URI.create("ws://localhost:" + RestAssured.port + "/xmpp-websocket");
    }

    @Test
    void aWebSocketClientLogsInBindsAndTalksToTheChannelService() throws Exception {
        Login juliet = account("juliet");
        Frames frames = new Frames();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("xmpp")
                .buildAsync(endpoint(), frames).get(10, TimeUnit.SECONDS);
        assertEquals("xmpp", socket.getSubprotocol());
        socket.sendText(OPEN, true).join();
        assertTrue(frames.next().is("open", FRAMING));
        XmlElement features = frames.next();
        assertTrue(features.toXml().contains("SCRAM-SHA-256"), features.toXml());

        ScramClient scram = new ScramClient("SCRAM-SHA-256", juliet.username(), juliet.password());
        socket.sendText("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256'>"
                + ScramClient.base64(scram.clientFirst()) + "</auth>", true).join();
        XmlElement challenge = frames.next();
        socket.sendText("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                + ScramClient.base64(scram.clientFinal(ScramClient.unbase64(challenge.text()))) + "</response>", true).join();
        XmlElement success = frames.next();
        assertEquals("success", success.name(), success.toXml());
        assertTrue(scram.serverVerified(ScramClient.unbase64(success.text())));

        socket.sendText(OPEN, true).join();
        frames.next();
        assertTrue(frames.next().toXml().contains("urn:ietf:params:xml:ns:xmpp-bind"));
        socket.sendText("<iq xmlns='jabber:client' type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                + "<resource>browser</resource></bind></iq>", true).join();
        assertTrue(frames.next().toXml().contains(juliet.jid() + "/browser"));

        socket.sendText("<iq xmlns='jabber:client' type='set' id='p1' to='" + XmppTestSupport.CHANNELS + "'>"
                + "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='/user/" + juliet.jid() + "/posts'><item>"
                + "<entry xmlns='http://www.w3.org/2005/Atom'><content>from the browser</content></entry></item></publish>"
                + "</pubsub></iq>", true).join();
        XmlElement published = frames.next();
        assertEquals("result", published.attr("type"), published.toXml());
        RestAssured.given().get("/" + juliet.jid() + "/content/posts").then().statusCode(200)
                .body("[0].content", org.hamcrest.Matchers.equalTo("from the browser"));

        socket.sendText("<close xmlns='" + FRAMING + "'/>", true).join();
        assertTrue(frames.next().is("close", FRAMING), "the server answers close with close");
    }

    @Test
    void aWebSocketWithoutTheXmppSubprotocolIsRefused() {
        ExecutionException refused = assertThrows(ExecutionException.class, () -> HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(endpoint(), new Frames()).get(10, TimeUnit.SECONDS));
        assertNotNull(refused.getCause());
    }
}
