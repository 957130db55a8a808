package org.buddycloud.cluster;

import static org.buddycloud.cluster.Federation.CAPULET;
import static org.buddycloud.cluster.Federation.MONTAGUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.delay.packet.DelayInformation;
import org.jivesoftware.smackx.ping.PingManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Server-to-server XMPP between montague.lit and capulet.lit, each its own channel server and database: users chat
 * across domains, IQs find their answers back, a server that lies about its domain is refused, and a domain nobody
 * serves is reported to the sender.
 */
@ExtendWith(FederationExtension.class)
class FederationTest {

    private static final long WAIT_MS = 20_000;
    private static final long SECOND_COPY_MS = 2_000;

    private final Federation federation;

    FederationTest(Federation federation) {
        this.federation = federation;
    }

    @Test
    void romeoAndJulietChatAcrossTheirDomains() throws Exception {
        Login romeo = federation.rest(MONTAGUE).newAccount("romeo");
        Login juliet = federation.rest(CAPULET).newAccount("juliet");
        XMPPTCPConnection romeoClient = online(MONTAGUE, romeo);
        XMPPTCPConnection julietClient = online(CAPULET, juliet);
        try {
            StanzaCollector atJuliet = julietClient.createStanzaCollector(chatsFrom(romeoClient.getUser()));
            StanzaCollector atRomeo = romeoClient.createStanzaCollector(chatsFrom(julietClient.getUser()));

            send(romeoClient, Xmpp.bare(juliet), "Lady, by yonder blessed moon I swear");
            Message toJuliet = atJuliet.nextResult(WAIT_MS);
            assertNotNull(toJuliet, "romeo's message did not cross from montague.lit to capulet.lit");
            assertEquals("Lady, by yonder blessed moon I swear", toJuliet.getBody());
            assertEquals(romeoClient.getUser().toString(), toJuliet.getFrom().toString(), "the sender is romeo's full JID");

            send(julietClient, romeoClient.getUser(), "O, swear not by the moon");
            Message toRomeo = atRomeo.nextResult(WAIT_MS);
            assertNotNull(toRomeo, "juliet's answer did not cross back to montague.lit");
            assertEquals("O, swear not by the moon", toRomeo.getBody());

            assertNull(atJuliet.nextResult(SECOND_COPY_MS), "romeo's message arrived twice");
        } finally {
            Xmpp.disconnect(romeoClient, julietClient);
        }
    }

    @Test
    void aMessageToARemoteUserWithoutASessionIsKeptByHerServer() throws Exception {
        Login romeo = federation.rest(MONTAGUE).newAccount("romeo");
        Login juliet = federation.rest(CAPULET).newAccount("juliet");
        XMPPTCPConnection romeoClient = online(MONTAGUE, romeo);
        try {
            send(romeoClient, Xmpp.bare(juliet), "I will come at nine");
            // answered by capulet.lit over its own stream back: the message before it was handled there
            assertTrue(PingManager.getInstanceFor(romeoClient).ping(JidCreate.domainBareFrom(CAPULET)), "capulet.lit did not answer a ping");
        } finally {
            Xmpp.disconnect(romeoClient);
        }
        XMPPTCPConnection julietClient = Xmpp.connect(CAPULET, federation.xmppPort(CAPULET), federation.trust(), juliet, "balcony");
        try {
            StanzaCollector chats = julietClient.createStanzaCollector(MessageTypeFilter.CHAT);
            julietClient.sendStanza(julietClient.getStanzaFactory().buildPresenceStanza().build());
            Message kept = chats.nextResult(WAIT_MS);
            assertNotNull(kept, "capulet.lit did not keep romeo's message for juliet");
            assertEquals("I will come at nine", kept.getBody());
            assertNotNull(kept.getExtension(DelayInformation.class), "a kept message carries its delay stamp");
        } finally {
            Xmpp.disconnect(julietClient);
        }
    }

    @Test
    void aStanzaForADomainWithoutAServerComesBackAsRemoteServerNotFound() throws Exception {
        Login romeo = federation.rest(MONTAGUE).newAccount("romeo");
        XMPPTCPConnection romeoClient = online(MONTAGUE, romeo);
        try {
            Jid nobody = JidCreate.entityBareFrom("rosaline@verona.invalid");
            StanzaCollector errors = romeoClient.createStanzaCollector(new AndFilter(StanzaTypeFilter.MESSAGE, FromMatchesFilter.create(nobody)));
            send(romeoClient, nobody, "is anybody there?");
            Message bounced = errors.nextResult(WAIT_MS);
            assertNotNull(bounced, "no error came back for a domain without a server");
            assertEquals(Message.Type.error, bounced.getType());
            assertEquals(StanzaError.Condition.remote_server_not_found, bounced.getError().getCondition(), bounced.toXML().toString());
        } finally {
            Xmpp.disconnect(romeoClient);
        }
    }

    @Test
    void aServerThatLiesAboutItsDomainIsRefused() throws Exception {
        try (RawS2sPeer liar = new RawS2sPeer(federation.s2sPort(CAPULET), federation.trust())) {
            liar.openStream(MONTAGUE, CAPULET);
            liar.startTls(MONTAGUE, CAPULET);
            // a key montague.lit never made: capulet.lit asks montague.lit, which says it is not its own
            liar.send("<db:result from='" + MONTAGUE + "' to='" + CAPULET + "'>0123456789abcdef0123456789abcdef</db:result>");
            liar.await("<db:result[^>]*type=['\"]invalid['\"]");
            liar.await("not-authorized");
            assertTrue(liar.closedByServer(), "the liar's stream stayed open: " + liar.received());
        }
    }

    @Test
    void aStanzaBeforeTheDomainProvedItselfEndsTheStream() throws Exception {
        try (RawS2sPeer peer = new RawS2sPeer(federation.s2sPort(CAPULET), federation.trust())) {
            peer.openStream(MONTAGUE, CAPULET);
            peer.startTls(MONTAGUE, CAPULET);
            peer.send("<message from='romeo@" + MONTAGUE + "' to='juliet@" + CAPULET + "'><body>unproved</body></message>");
            peer.await("not-authorized");
            assertTrue(peer.closedByServer(), "the stream stayed open: " + peer.received());
        }
    }

    @Test
    void aServerClaimingTheReceiversOwnDomainIsRefused() throws Exception {
        try (RawS2sPeer peer = new RawS2sPeer(federation.s2sPort(CAPULET), federation.trust())) {
            peer.openStream(CAPULET, CAPULET);
            peer.await("undefined-condition");
            assertTrue(peer.closedByServer(), "the stream stayed open: " + peer.received());
        }
    }

    @Test
    void streamsMustBeEncryptedBeforeDialback() throws Exception {
        try (RawS2sPeer peer = new RawS2sPeer(federation.s2sPort(CAPULET), federation.trust())) {
            peer.openStream(MONTAGUE, CAPULET);
            peer.await("<required");
            peer.send("<db:result from='" + MONTAGUE + "' to='" + CAPULET + "'>0123456789abcdef</db:result>");
            peer.await("policy-violation");
            assertTrue(peer.closedByServer(), "the stream stayed open: " + peer.received());
        }
    }

    private XMPPTCPConnection online(String domain, Login login) throws Exception {
        XMPPTCPConnection connection = Xmpp.connect(domain, federation.xmppPort(domain), federation.trust(), login, "smack");
        connection.sendStanza(connection.getStanzaFactory().buildPresenceStanza().build());
        // a round trip to the user's own server: her initial presence was handled
        PingManager.getInstanceFor(connection).ping(JidCreate.domainBareFrom(domain));
        return connection;
    }

    private static AndFilter chatsFrom(Jid sender) {
        return new AndFilter(MessageTypeFilter.CHAT, FromMatchesFilter.createFull(sender));
    }

    private static void send(XMPPTCPConnection from, Jid to, String body) throws Exception {
        from.sendStanza(from.getStanzaFactory().buildMessageStanza().to(to).ofType(Message.Type.chat).setBody(body).build());
    }
}
