package org.buddycloud.channels.xmpp;

import static org.buddycloud.channels.xmpp.XmppTestSupport.account;
import static org.buddycloud.channels.xmpp.XmppTestSupport.smack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.buddycloud.localstack.testing.ChannelServerClient.Login;
import org.buddycloud.localstack.testing.KafkaTestResource;
import org.buddycloud.localstack.testing.PostgresTestResource;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.chat2.ChatManager;
import org.jivesoftware.smackx.delay.packet.DelayInformation;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/** One-to-one chat between local users (the seed's romeo → juliet), online and offline. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class XmppChatTest {

    @Test
    void romeoWritesToJulietWhoIsOnline() throws Exception {
        Login romeo = account("romeo");
        Login juliet = account("juliet");
        XMPPTCPConnection romeoClient = smack(romeo);
        XMPPTCPConnection julietClient = smack(juliet);
        try {
            BlockingQueue<Message> julietReads = new LinkedBlockingQueue<>();
            ChatManager.getInstanceFor(julietClient).addIncomingListener((from, message, chat) -> julietReads.add(message));
            // her initial presence (sent at login) has been handled once this round trip is answered
            XmppTestSupport.ping(julietClient);
            ChatManager.getInstanceFor(romeoClient).chatWith(JidCreate.entityBareFrom(juliet.jid())).send("Art thou not Romeo?");
            Message received = julietReads.poll(10, TimeUnit.SECONDS);
            assertNotNull(received, "juliet got nothing");
            assertEquals("Art thou not Romeo?", received.getBody());
            assertEquals(romeoClient.getUser().toString(), received.getFrom().toString(), "the sender is the session's full JID");
        } finally {
            romeoClient.disconnect();
            julietClient.disconnect();
        }
    }

    @Test
    void aMessageToAnOfflineUserWaitsForHerNextLogin() throws Exception {
        Login romeo = account("romeo");
        Login juliet = account("juliet");
        XMPPTCPConnection romeoClient = smack(romeo);
        try {
            ChatManager.getInstanceFor(romeoClient).chatWith(JidCreate.entityBareFrom(juliet.jid())).send("I will come at nine");
            XmppTestSupport.ping(romeoClient);
        } finally {
            romeoClient.disconnect();
        }
        XMPPTCPConnection julietClient = new XMPPTCPConnection(XmppTestSupport.smackConfig(juliet, juliet.password())
                .addEnabledSaslMechanism("SCRAM-SHA-1").setSendPresence(false).build());
        try {
            julietClient.connect().login();
            StanzaCollector chats = julietClient.createStanzaCollector(MessageTypeFilter.CHAT);
            julietClient.sendStanza(julietClient.getStanzaFactory().buildPresenceStanza().build());
            Message kept = chats.nextResult(10_000);
            assertNotNull(kept, "the kept message was not delivered at login");
            assertEquals("I will come at nine", kept.getBody());
            assertNotNull(kept.getExtension(DelayInformation.class), "a kept message carries its delay stamp");
            assertEquals(null, chats.nextResult(500), "delivered once");
        } finally {
            julietClient.disconnect();
        }
    }
}
