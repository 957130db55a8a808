package org.buddycloud.channels.xmpp;

import static org.buddycloud.channels.xmpp.XmppTestSupport.CHANNELS;
import static org.buddycloud.channels.xmpp.XmppTestSupport.account;
import static org.buddycloud.channels.xmpp.XmppTestSupport.port;
import static org.buddycloud.channels.xmpp.XmppTestSupport.rest;
import static org.buddycloud.channels.xmpp.XmppTestSupport.smack;
import static org.buddycloud.channels.xmpp.XmppTestSupport.tls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.pubsub.EventElement;
import org.jivesoftware.smackx.pubsub.EventElementType;
import org.jivesoftware.smackx.pubsub.NodeExtension;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.Test;

/**
 * When a channel moves (its archive imported into another account), its followers hear it over XMPP as a node that
 * moved — XEP-0060's deletion with a redirect to the new node — and hear nothing of the old posts restored there.
 * Juliet listens with Smack, the nurse reads the stanza as it is on the wire.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class XmppChannelMovedTest {

    private static final String EVENT = "http://jabber.org/protocol/pubsub#event";

    @Test
    void followersHearThatTheChannelMovedAndNothingOfItsRestoredPosts() throws Exception {
        Login romeo = account("romeo");
        Login juliet = account("juliet");
        Login nurse = account("nurse");
        rest().follow(juliet, romeo.jid());
        rest().follow(nurse, romeo.jid());
        for (int i = 0; i < 5; i++) {
            rest().post(romeo, romeo.jid(), "Post " + i + " of a channel about to move");
        }
        byte[] archive = rest().exportArchive(romeo);
        Login romeo2 = account("romeo");

        XMPPTCPConnection julietClient = smack(juliet);
        try (RawClient nurseClient = RawClient.login(port(), tls(), "SCRAM-SHA-256", nurse.username(), nurse.password())) {
            nurseClient.send("<presence to='" + CHANNELS + "'/>");
            BlockingQueue<Message> events = new LinkedBlockingQueue<>();
            julietClient.addAsyncStanzaListener(stanza -> events.add((Message) stanza),
                    stanza -> stanza instanceof Message m && m.getExtension(EventElement.class) != null);
            julietClient.sendStanza(julietClient.getStanzaFactory().buildPresenceStanza().to(JidCreate.bareFrom(CHANNELS)).build());
            XmppTestSupport.ping(julietClient);
            nurseClient.iq("<iq type='get' to='" + CHANNELS + "' id='ready'><ping xmlns='urn:xmpp:ping'/></iq>");

            rest().importArchive(romeo2, archive);

            EventElement event = null;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (event == null && System.nanoTime() < until) {
                // what she hears of the channel before the move (the nurse following it) may still be on its way
                Message next = events.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS);
                EventElement candidate = next == null ? null : next.getExtension(EventElement.class);
                event = candidate != null && candidate.getEventType() == EventElementType.delete ? candidate : null;
            }
            assertNotNull(event, "juliet heard of the move");
            assertEquals("/user/" + romeo.jid() + "/posts", ((NodeExtension) event.getEvent()).getNode());

            XmlElement onTheWire = nurseClient.expect(stanza -> stanza.toXml().contains("redirect"), Duration.ofSeconds(15));
            XmlElement delete = onTheWire.element("event", EVENT).orElseThrow().element("delete", EVENT).orElseThrow();
            assertEquals("/user/" + romeo.jid() + "/posts", delete.attr("node"));
            assertEquals("xmpp:" + CHANNELS + "?;node=/user/" + romeo2.jid() + "/posts",
                    delete.element("redirect", EVENT).orElseThrow().attr("uri"));

            // the five restored posts are old news: nobody is notified of them (a notification would have come by now,
            // with the move that was announced after them; a few seconds more leave no doubt)
            List<Message> more = new java.util.ArrayList<>();
            long quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            for (Message next; (next = events.poll(quietUntil - System.nanoTime(), TimeUnit.NANOSECONDS)) != null; ) {
                more.add(next);
            }
            assertTrue(more.stream().noneMatch(m -> m.toXML().toString().contains("Post ")),
                    "no notification of a restored post: " + more);
        } finally {
            julietClient.disconnect();
        }
    }
}
