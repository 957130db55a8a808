package org.buddycloud.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Set;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.filter.StanzaFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.delay.packet.DelayInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxmpp.jid.Jid;

/** One-to-one chat between romeo on replica 1 and juliet on replica 2: live, kept while she is away, never twice. */
@ExtendWith(ClusterExtension.class)
class ChatAcrossReplicasTest {

    private static final long WAIT_MS = 15_000;
    /** How long a second copy is given to show up once the first arrived. */
    private static final long SECOND_COPY_MS = 2_000;

    private final Cluster cluster;

    ChatAcrossReplicasTest(Cluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void aMessageToHerBareAndOneToHerFullJidArriveOnTheOtherReplicaOnceEach() throws Exception {
        Login romeo = cluster.replica(1).rest().newAccount("romeo");
        Login juliet = cluster.replica(1).rest().newAccount("juliet");
        XMPPTCPConnection romeoClient = Xmpp.online(cluster, cluster.replica(1), romeo, "r1");
        XMPPTCPConnection julietClient = Xmpp.online(cluster, cluster.replica(2), juliet, "r2");
        try {
            StanzaCollector chats = julietClient.createStanzaCollector(chatsFrom(romeoClient.getUser()));
            send(romeoClient, Xmpp.bare(juliet), "to her bare JID");
            send(romeoClient, julietClient.getUser(), "to her full JID");

            Message first = chats.nextResult(WAIT_MS);
            assertNotNull(first, "the message to juliet's bare JID did not reach her on the other replica");
            Message second = chats.nextResult(WAIT_MS);
            assertNotNull(second, "only one of the two messages reached juliet: " + first.getBody());
            assertEquals(Set.of("to her bare JID", "to her full JID"), Set.of(first.getBody(), second.getBody()), "one of each");
            assertEquals(romeoClient.getUser().toString(), first.getFrom().toString(), "the sender is romeo's full JID");
            assertNull(chats.nextResult(SECOND_COPY_MS), "a message arrived twice");
        } finally {
            Xmpp.disconnect(romeoClient, julietClient);
        }
    }

    @Test
    void aMessageWhileSheHasNoSessionAnywhereIsKeptAndArrivesOnceWhenSheLogsInOnTheOtherReplica() throws Exception {
        Login romeo = cluster.replica(1).rest().newAccount("romeo");
        Login juliet = cluster.replica(1).rest().newAccount("juliet");
        XMPPTCPConnection romeoClient = Xmpp.online(cluster, cluster.replica(1), romeo, "r1");
        try {
            send(romeoClient, Xmpp.bare(juliet), "I will come at nine");
            Xmpp.handled(romeoClient);
        } finally {
            Xmpp.disconnect(romeoClient);
        }
        XMPPTCPConnection julietClient = Xmpp.connect(cluster, cluster.replica(2), juliet, "r2");
        try {
            StanzaCollector chats = julietClient.createStanzaCollector(MessageTypeFilter.CHAT);
            // kept messages come with her initial presence
            julietClient.sendStanza(julietClient.getStanzaFactory().buildPresenceStanza().build());
            Message kept = chats.nextResult(WAIT_MS);
            assertNotNull(kept, "the kept message was not delivered when she logged in on the other replica");
            assertEquals("I will come at nine", kept.getBody());
            assertNotNull(kept.getExtension(DelayInformation.class), "a kept message carries its delay stamp");
            assertNull(chats.nextResult(SECOND_COPY_MS), "the kept message was delivered twice");
        } finally {
            Xmpp.disconnect(julietClient);
        }
    }

    @Test
    void whileSheIsOnlineOnTheOtherReplicaNothingIsKeptForHerNextLogin() throws Exception {
        Login romeo = cluster.replica(1).rest().newAccount("romeo");
        Login juliet = cluster.replica(1).rest().newAccount("juliet");
        XMPPTCPConnection romeoClient = Xmpp.online(cluster, cluster.replica(1), romeo, "r1");
        XMPPTCPConnection julietOnTwo = Xmpp.online(cluster, cluster.replica(2), juliet, "r2");
        try {
            StanzaCollector live = julietOnTwo.createStanzaCollector(chatsFrom(romeoClient.getUser()));
            send(romeoClient, Xmpp.bare(juliet), "the lark");
            Message delivered = live.nextResult(WAIT_MS);
            assertNotNull(delivered, "juliet, online on the other replica, did not get the message");
            assertEquals("the lark", delivered.getBody());
            assertNull(live.nextResult(SECOND_COPY_MS), "the message arrived twice");
        } finally {
            Xmpp.disconnect(romeoClient, julietOnTwo);
        }
        XMPPTCPConnection julietOnOne = Xmpp.connect(cluster, cluster.replica(1), juliet, "r1");
        try {
            StanzaCollector chats = julietOnOne.createStanzaCollector(MessageTypeFilter.CHAT);
            julietOnOne.sendStanza(julietOnOne.getStanzaFactory().buildPresenceStanza().build());
            Xmpp.handled(julietOnOne);
            Message copy = chats.nextResult(SECOND_COPY_MS);
            assertNull(copy, "a message delivered live was also kept, and came again: " + (copy == null ? "" : copy.getBody()));
        } finally {
            Xmpp.disconnect(julietOnOne);
        }
    }

    private static StanzaFilter chatsFrom(Jid sender) {
        return new AndFilter(MessageTypeFilter.CHAT, FromMatchesFilter.createFull(sender));
    }

    private static void send(XMPPTCPConnection from, Jid to, String body) throws Exception {
        from.sendStanza(from.getStanzaFactory().buildMessageStanza().to(to).ofType(Message.Type.chat).setBody(body).build());
    }
}
