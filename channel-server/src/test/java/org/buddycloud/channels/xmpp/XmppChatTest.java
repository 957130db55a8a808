package org.buddycloud.channels.xmpp;

import static org.buddycloud.channels.xmpp.XmppTestSupport.account;
import static org.buddycloud.channels.xmpp.XmppTestSupport.smack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.quarkus.arc.Arc;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.buddycloud.channels.xmpp.server.UserDelivery;
import org.buddycloud.channels.xmpp.stream.ClientSession;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.chat2.ChatManager;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
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

    @Test
    void keptMessagesStayKeptForASessionThatIsGoneBeforeTheyReachIt() throws Exception {
        Login romeo = account("romeo");
        Login juliet = account("juliet");
        XMPPTCPConnection romeoClient = smack(romeo);
        try {
            var chat = ChatManager.getInstanceFor(romeoClient).chatWith(JidCreate.entityBareFrom(juliet.jid()));
            chat.send("first");
            chat.send("second");
            chat.send("third");
            XmppTestSupport.ping(romeoClient);
        } finally {
            romeoClient.disconnect();
        }
        UserDelivery delivery = Arc.container().instance(UserDelivery.class).get();
        ShortLivedSession gone = new ShortLivedSession(Jid.parse(juliet.jid() + "/gone"), 0);
        delivery.becameAvailable(gone);
        ShortLivedSession brief = new ShortLivedSession(Jid.parse(juliet.jid() + "/brief"), 1);
        delivery.becameAvailable(brief);
        assertEquals(List.of("first"), brief.bodies, "the next session gets the oldest kept message first");

        XMPPTCPConnection julietClient = new XMPPTCPConnection(XmppTestSupport.smackConfig(juliet, juliet.password())
                .addEnabledSaslMechanism("SCRAM-SHA-1").setSendPresence(false).build());
        try {
            julietClient.connect().login();
            StanzaCollector chats = julietClient.createStanzaCollector(MessageTypeFilter.CHAT);
            julietClient.sendStanza(julietClient.getStanzaFactory().buildPresenceStanza().build());
            Message second = chats.nextResult(10_000);
            Message third = chats.nextResult(10_000);
            assertNotNull(third, "what no session could take was not kept for the next login");
            assertEquals(List.of("second", "third"), List.of(second.getBody(), third.getBody()), "in order");
            assertEquals(null, chats.nextResult(500), "delivered once");
        } finally {
            julietClient.disconnect();
        }
    }

    /** A session that takes {@code capacity} stanzas and is then gone (its connection dropped). */
    private static final class ShortLivedSession implements ClientSession {
        final List<String> bodies = new ArrayList<>();
        private final Jid full;
        private final int capacity;
        private boolean available;

        ShortLivedSession(Jid full, int capacity) {
            this.full = full;
            this.capacity = capacity;
        }

        @Override
        public boolean trySend(XmlElement stanza) {
            if (bodies.size() >= capacity) {
                return false;
            }
            bodies.add(stanza.childText("body", "jabber:client").orElse(""));
            return true;
        }

        @Override
        public void send(XmlElement stanza) {
            trySend(stanza);
        }

        @Override
        public Jid fullJid() {
            return full;
        }

        @Override
        public boolean available() {
            return available;
        }

        @Override
        public void available(boolean available) {
            this.available = available;
        }

        @Override
        public boolean encrypted() {
            return true;
        }

        @Override
        public void close(String streamErrorCondition, String text) {
        }
    }
}
