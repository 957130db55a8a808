package org.buddycloud.channels.xmpp;

import static org.buddycloud.channels.xmpp.XmppTestSupport.account;
import static org.buddycloud.channels.xmpp.XmppTestSupport.port;
import static org.buddycloud.channels.xmpp.XmppTestSupport.smack;
import static org.buddycloud.channels.xmpp.XmppTestSupport.tls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.jivesoftware.smack.chat2.ChatManager;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.carbons.CarbonManager;
import org.jivesoftware.smackx.carbons.packet.CarbonExtension;
import org.jivesoftware.smackx.carbons.packet.CarbonExtension.Direction;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/** XEP-0280 message carbons between two clients of romeo and two of juliet. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class XmppCarbonsTest {

    /** What one client's CarbonManager handed over. */
    record Carbon(Direction direction, Message copy) {
    }

    @Test
    void theOtherClientsOfBothSidesGetCopiesAndPrivateMessagesStayPrivate() throws Exception {
        Login romeo = account("romeo");
        Login juliet = account("juliet");
        XMPPTCPConnection romeoPhone = smack(romeo);
        XMPPTCPConnection romeoLaptop = smack(romeo);
        XMPPTCPConnection julietPhone = smack(juliet);
        XMPPTCPConnection julietLaptop = smack(juliet);
        try {
            assertTrue(CarbonManager.getInstanceFor(romeoPhone).isSupportedByServer(), "the server's disco#info lists carbons");
            BlockingQueue<Carbon> romeoPhoneCarbons = carbons(romeoPhone);
            BlockingQueue<Carbon> romeoLaptopCarbons = carbons(romeoLaptop);
            BlockingQueue<Carbon> julietPhoneCarbons = carbons(julietPhone);
            BlockingQueue<Carbon> julietLaptopCarbons = carbons(julietLaptop);
            BlockingQueue<Message> julietPhoneReads = new LinkedBlockingQueue<>();
            ChatManager.getInstanceFor(julietPhone).addIncomingListener((from, message, chat) -> julietPhoneReads.add(message));
            for (XMPPTCPConnection client : new XMPPTCPConnection[] {romeoPhone, romeoLaptop, julietPhone, julietLaptop}) {
                XmppTestSupport.ping(client);
            }

            romeoPhone.sendStanza(chat(romeoPhone, julietPhone.getUser(), "psst").addExtension(CarbonExtension.Private.INSTANCE).build());
            romeoPhone.sendStanza(chat(romeoPhone, julietPhone.getUser(), "Did my heart love till now?").build());

            Message direct = julietPhoneReads.poll(10, TimeUnit.SECONDS);
            assertNotNull(direct);
            assertEquals("psst", direct.getBody());
            assertFalse(direct.hasExtension("private", CarbonExtension.NAMESPACE), "<private/> is for the server, not for her");
            assertEquals("Did my heart love till now?", julietPhoneReads.poll(10, TimeUnit.SECONDS).getBody());

            Carbon sent = romeoLaptopCarbons.poll(10, TimeUnit.SECONDS);
            assertNotNull(sent, "romeo's laptop got no copy of what his phone sent");
            assertEquals(Direction.sent, sent.direction());
            assertEquals("Did my heart love till now?", sent.copy().getBody(), "the private message was not copied");
            assertEquals(julietPhone.getUser().toString(), sent.copy().getTo().toString());

            Carbon received = julietLaptopCarbons.poll(10, TimeUnit.SECONDS);
            assertNotNull(received, "juliet's laptop got no copy of what reached her phone");
            assertEquals(Direction.received, received.direction());
            assertEquals("Did my heart love till now?", received.copy().getBody(), "the private message was not copied");
            assertEquals(romeoPhone.getUser().toString(), received.copy().getFrom().toString());

            // to her bare JID: both her clients have it straight away, so neither gets a copy; his phone gets one of what his laptop sent
            ChatManager.getInstanceFor(romeoLaptop).chatWith(JidCreate.entityBareFrom(juliet.jid())).send("to both");
            Carbon phoneCopy = romeoPhoneCarbons.poll(10, TimeUnit.SECONDS);
            assertNotNull(phoneCopy, "his phone got no copy of what his laptop sent");
            assertEquals(Direction.sent, phoneCopy.direction());
            assertEquals("to both", phoneCopy.copy().getBody());
            XmppTestSupport.ping(romeoLaptop);
            XmppTestSupport.ping(julietLaptop);
            assertNull(romeoLaptopCarbons.poll(500, TimeUnit.MILLISECONDS), "no copy of its own message for the sender");
            assertNull(julietLaptopCarbons.poll(100, TimeUnit.MILLISECONDS), "no copy for a client that got the message itself");
            assertNull(julietPhoneCarbons.poll(100, TimeUnit.MILLISECONDS));
        } finally {
            romeoPhone.disconnect();
            romeoLaptop.disconnect();
            julietPhone.disconnect();
            julietLaptop.disconnect();
        }
    }

    @Test
    void aClientCannotForgeACarbon() throws Exception {
        Login romeo = account("romeo");
        Login juliet = account("juliet");
        try (RawClient romeoRaw = RawClient.login(port(), tls(), "SCRAM-SHA-1", romeo.username(), romeo.password());
             RawClient julietRaw = RawClient.login(port(), tls(), "SCRAM-SHA-1", juliet.username(), juliet.password())) {
            julietRaw.send("<presence/>");
            XmlElement enabled = julietRaw.iq("<iq type='set'><enable xmlns='urn:xmpp:carbons:2'/></iq>");
            assertEquals("result", enabled.attr("type"), enabled.toXml());

            romeoRaw.send("<message type='chat' to='" + julietRaw.fullJid() + "'><body>hello</body>"
                    + "<received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>"
                    + "<message xmlns='jabber:client' type='chat' from='" + juliet.jid() + "/elsewhere' to='" + romeo.jid() + "'>"
                    + "<body>I never said this</body></message></forwarded></received></message>");
            XmlElement received = julietRaw.expect(e -> e.name().equals("message"), Duration.ofSeconds(10));
            assertEquals(romeoRaw.fullJid(), received.attr("from"));
            assertEquals("hello", received.childText("body", "jabber:client").orElseThrow());
            assertTrue(received.element("received", "urn:xmpp:carbons:2").isEmpty(), "delivered as a carbon: " + received.toXml());
            assertTrue(received.element("sent", "urn:xmpp:carbons:2").isEmpty());
        }
    }

    private static org.jivesoftware.smack.packet.MessageBuilder chat(XMPPTCPConnection from, Jid to, String body) {
        return from.getStanzaFactory().buildMessageStanza().to(to).ofType(Message.Type.chat).setBody(body);
    }

    /** Enables carbons on the client and collects what its CarbonManager accepts as carbons. */
    private static BlockingQueue<Carbon> carbons(XMPPTCPConnection client) throws Exception {
        BlockingQueue<Carbon> carbons = carbonsOf(client);
        CarbonManager.getInstanceFor(client).enableCarbons();
        return carbons;
    }

    private static BlockingQueue<Carbon> carbonsOf(XMPPTCPConnection client) {
        BlockingQueue<Carbon> queue = new LinkedBlockingQueue<>();
        CarbonManager.getInstanceFor(client).addCarbonCopyReceivedListener((direction, copy, wrapper) -> queue.add(new Carbon(direction, copy)));
        return queue;
    }
}
