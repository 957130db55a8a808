package org.buddycloud.cluster;

import static io.restassured.RestAssured.given;
import static org.buddycloud.cluster.ProsodyFederation.MANTUA;
import static org.buddycloud.cluster.ProsodyFederation.MONTAGUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.ProsodyProcess;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.ping.PingManager;
import org.jivesoftware.smackx.pubsub.LeafNode;
import org.jivesoftware.smackx.pubsub.PubSubManager;
import org.jivesoftware.smackx.pubsub.Subscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Interoperability of our server-to-server XMPP with a real Prosody (0.12): Mercutio on Prosody's verona.lit and Romeo
 * on our montague.lit chat and ping each other's servers, and Benvolio on Prosody follows Romeo's channel at our
 * channel service and hears of his posts, over streams each server opens to the other, encrypted by
 * STARTTLS and authenticated by Server Dialback, the one asking the other whether a key is its own. Prosody opens the
 * first stream for verona.lit, we open the first for mantua.lit.
 */
class ProsodyFederationTest {

    private static final long WAIT_MS = 30_000;

    private static ProsodyFederation federation;

    @BeforeAll
    static void start() {
        assumeTrue(ProsodyProcess.federationInstalled(), "Prosody with lua-unbound is not installed (apt-get install -y prosody"
                + " lua-unbound): federation with a real Prosody is not tested here");
        federation = ProsodyFederation.start();
    }

    @AfterAll
    static void stop() {
        if (federation != null) {
            federation.close();
        }
    }

    @Test
    void aProsodyUserAndOneOfOursChatAcrossTheirServers() throws Exception {
        Login romeo = federation.rest().newAccount("romeo");
        XMPPTCPConnection romeoClient = ours(romeo);
        XMPPTCPConnection mercutio = federation.prosodyUser("mercutio", "prosody");
        try {
            StanzaCollector atRomeo = romeoClient.createStanzaCollector(chatsFrom(mercutio.getUser()));
            StanzaCollector atMercutio = mercutio.createStanzaCollector(chatsFrom(romeoClient.getUser()));

            send(mercutio, Xmpp.bare(romeo), "A plague o' both your houses!");
            Message toRomeo = atRomeo.nextResult(WAIT_MS);
            assertNotNull(toRomeo, "mercutio's message did not cross from Prosody's verona.lit to montague.lit" + federation.logs());
            assertEquals("A plague o' both your houses!", toRomeo.getBody());

            send(romeoClient, mercutio.getUser(), "Courage, man; the hurt cannot be much");
            Message toMercutio = atMercutio.nextResult(WAIT_MS);
            assertNotNull(toMercutio, "romeo's answer did not cross back to Prosody" + federation.logs());
            assertEquals("Courage, man; the hurt cannot be much", toMercutio.getBody());
        } finally {
            Xmpp.disconnect(romeoClient, mercutio);
        }
    }

    @Test
    void aProsodyUserFollowsOurChannelAndHearsEachPostOnce() throws Exception {
        Login romeo = federation.rest().newAccount("romeo");
        XMPPTCPConnection benvolio = federation.prosodyUser("benvolio", "prosody");
        try {
            LeafNode romeosPosts = PubSubManager.getInstanceFor(benvolio, JidCreate.bareFrom("channels." + MONTAGUE))
                    .getLeafNode(Xmpp.postsNode(romeo));
            Subscription followed = romeosPosts.subscribe(benvolio.getUser().asBareJid());
            assertEquals(Subscription.State.subscribed, followed.getState(), "a Prosody user follows our open channel");
            ItemNotifications benvolioSees = new ItemNotifications(benvolio, Xmpp.postsNode(romeo));

            List<String> posted = new ArrayList<>();
            for (String content : List.of("Tut, I have lost myself", "I am not here", "This is not Romeo, he's some other where")) {
                posted.add(given().baseUri(federation.baseUrl()).auth().oauth2(romeo.accessToken()).contentType(ContentType.JSON)
                        .body(Map.of("content", content)).post("/" + romeo.jid() + "/content/posts").then().statusCode(201)
                        .extract().path("id"));
            }
            // over Prosody's s2s, to its user's bare JID and on to his session
            benvolioSees.assertEachOnce(posted, Duration.ofMillis(WAIT_MS), "benvolio on Prosody's verona.lit");
        } finally {
            Xmpp.disconnect(benvolio);
        }
    }

    @Test
    void aProsodyUserPingsOurServer() throws Exception {
        XMPPTCPConnection mercutio = federation.prosodyUser("mercutio", "ping");
        try {
            assertTrue(PingManager.getInstanceFor(mercutio).ping(JidCreate.domainBareFrom(MONTAGUE)),
                    "montague.lit did not answer a ping from Prosody" + federation.logs());
        } finally {
            Xmpp.disconnect(mercutio);
        }
    }

    @Test
    void oneOfOurUsersPingsADomainOfProsodyThatNeverCalledUs() throws Exception {
        XMPPTCPConnection romeoClient = ours(federation.rest().newAccount("romeo"));
        try {
            // no stream between montague.lit and mantua.lit yet: ours is opened first, Prosody's to verify our key
            assertTrue(PingManager.getInstanceFor(romeoClient).ping(JidCreate.domainBareFrom(MANTUA)),
                    "Prosody's mantua.lit did not answer a ping from montague.lit" + federation.logs());
        } finally {
            Xmpp.disconnect(romeoClient);
        }
    }

    /** Logged in to our server and available: initial presence sent and handled. */
    private static XMPPTCPConnection ours(Login login) throws Exception {
        XMPPTCPConnection connection = Xmpp.connect(MONTAGUE, federation.xmppPort(), federation.trust(), login, "smack");
        connection.sendStanza(connection.getStanzaFactory().buildPresenceStanza().build());
        PingManager.getInstanceFor(connection).ping(JidCreate.domainBareFrom(MONTAGUE));
        return connection;
    }

    private static AndFilter chatsFrom(Jid sender) {
        return new AndFilter(MessageTypeFilter.CHAT, FromMatchesFilter.createFull(sender));
    }

    private static void send(XMPPTCPConnection from, Jid to, String body) throws Exception {
        from.sendStanza(from.getStanzaFactory().buildMessageStanza().to(to).ofType(Message.Type.chat).setBody(body).build());
    }
}
