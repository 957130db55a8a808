package org.buddycloud.cluster;

import static org.buddycloud.cluster.Federation.CAPULET;
import static org.buddycloud.cluster.Federation.MONTAGUE;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smackx.pubsub.Item;
import org.jivesoftware.smackx.pubsub.LeafNode;
import org.jivesoftware.smackx.pubsub.PayloadItem;
import org.jivesoftware.smackx.pubsub.PubSubManager;
import org.jivesoftware.smackx.pubsub.SimplePayload;
import org.jivesoftware.smackx.pubsub.Subscription;
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
 * across domains; romeo follows juliet's channel through his own server, which sends his requests on with him as
 * actor and keeps a copy (the inbox) that tells him of her posts and answers his reads (private channels after the
 * owner's approval); what either side did while the other was down arrives once it is back, once; IQs find their
 * answers back, a server that lies about its domain is refused, and a domain nobody serves is reported to the sender.
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
    void romeoFollowsJulietsChannelThroughHisServerHearsEachOfHerPostsOnceAndReadsItThere() throws Exception {
        Login juliet = federation.rest(CAPULET).newAccount("juliet");
        Login romeo = federation.rest(MONTAGUE).newAccount("romeo");
        String earlier = post(juliet, "before he came");
        XMPPTCPConnection romeoClient = online(MONTAGUE, romeo);
        try {
            LeafNode julietsPosts = julietsChannel(romeoClient, juliet);
            Subscription followed = julietsPosts.subscribe(Xmpp.bare(romeo));
            assertEquals(Subscription.State.subscribed, followed.getState(), "an open channel takes a follower of another domain");
            ItemNotifications romeoSees = new ItemNotifications(romeoClient, Xmpp.postsNode(juliet));

            List<String> posted = new ArrayList<>();
            for (String content : List.of("O Romeo, Romeo", "wherefore art thou", "Romeo?")) {
                posted.add(post(juliet, content));
            }
            romeoSees.assertEachOnce(posted, Duration.ofMillis(WAIT_MS), "romeo on montague.lit");

            // he reads her channel through his server: over XMPP (sent on to hers) and its REST API (from its copy)
            List<PayloadItem<SimplePayload>> items = julietsPosts.getItems();
            assertTrue(items.stream().map(Item::getId).toList().containsAll(posted), "romeo reads juliet's posts: " + items);
            List<String> all = new ArrayList<>(posted);
            all.add(earlier);
            await().atMost(Duration.ofMillis(WAIT_MS)).untilAsserted(() -> assertTrue(
                    copiedIds(romeo, juliet).containsAll(all), "montague.lit's REST API lacks posts of juliet: " + copiedIds(romeo, juliet)));
        } finally {
            Xmpp.disconnect(romeoClient);
        }
    }

    @Test
    void romeoUsesJulietsChannelThroughHisServersRestApi() throws Exception {
        Login juliet = federation.rest(CAPULET).newAccount("juliet");
        Login romeo = federation.rest(MONTAGUE).newAccount("romeo");
        Login tybalt = federation.rest(MONTAGUE).newAccount("tybalt");
        configure(juliet, "default_affiliation", "publisher");
        String question = post(juliet, "Dost thou love me?");
        String node = juliet.jid() + "/posts";

        // nobody on montague.lit follows her: a read is sent on to her server, as the caller
        List<String> read = montague(tybalt).get("/" + juliet.jid() + "/content/posts").then().statusCode(200)
                .extract().jsonPath().getList("id", String.class);
        assertTrue(read.contains(question), "tybalt reads juliet's open channel through montague.lit: " + read);

        Map<String, String> followed = montague(romeo).contentType(ContentType.JSON).body(Map.of(node, "subscribed"))
                .post("/subscribed").then().statusCode(200).extract().jsonPath().getMap("", String.class, String.class);
        assertTrue(Set.of("publisher", "member", "subscribed").contains(followed.get(node)), "romeo follows her channel: " + followed);
        assertTrue(montague(romeo).get("/subscribed").then().statusCode(200).extract().asString().contains(node),
                "montague.lit lists what romeo follows at capulet.lit");

        String reply = montague(romeo).contentType(ContentType.JSON).body(Map.of("content", "I do, I do", "replyTo", question))
                .post("/" + juliet.jid() + "/content/posts").then().statusCode(201).extract().path("id");
        String thread = given().baseUri(federation.baseUrl(CAPULET)).auth().oauth2(juliet.accessToken())
                .get("/" + juliet.jid() + "/content/posts/" + question + "/replyto").then().statusCode(200).extract().asString();
        assertTrue(thread.contains(reply) && thread.contains(romeo.jid()), "romeo's REST reply is in her thread, by him: " + thread);
        await().atMost(Duration.ofMillis(WAIT_MS)).untilAsserted(() -> assertTrue(copiedIds(romeo, juliet).containsAll(List.of(question, reply)),
                "montague.lit's copy: " + copiedIds(romeo, juliet)));

        Map<String, String> left = montague(romeo).contentType(ContentType.JSON).body(Map.of(node, "none"))
                .post("/subscribed").then().statusCode(200).extract().jsonPath().getMap("", String.class, String.class);
        assertEquals("none", left.get(node), left.toString());
        assertFalse(montague(romeo).get("/subscribed").then().statusCode(200).extract().asString().contains(node),
                "the copy went with its last local follower");
        // a write the remote refuses comes back as its condition: tybalt may not delete her post
        montague(tybalt).delete("/" + juliet.jid() + "/content/posts/" + question).then().statusCode(403);
    }

    @Test
    void whatCapuletGaveUpOnWhileMontagueWasAwayMontagueReadsBackWhenToldItMissedSomething() throws Exception {
        // capulet.lit keeps what it owes another server only 3 s here: the rest is read back after you-missed-something
        federation.stop(CAPULET);
        federation.restart(CAPULET, Map.of("buddycloud.federation.queue.max-age", "3s"));
        try {
            Login juliet = federation.rest(CAPULET).newAccount("juliet");
            Login romeo = federation.rest(MONTAGUE).newAccount("romeo");
            Login benvolio = federation.rest(MONTAGUE).newAccount("benvolio");
            String node = juliet.jid() + "/posts";
            for (Login follower : List.of(romeo, benvolio)) {
                montague(follower).contentType(ContentType.JSON).body(Map.of(node, "subscribed")).post("/subscribed").then().statusCode(200);
            }
            String before = post(juliet, "before the night");
            await().atMost(Duration.ofMillis(WAIT_MS)).until(() -> copiedIds(romeo, juliet).contains(before));

            federation.stop(MONTAGUE);
            List<String> missed = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                missed.add(post(juliet, "what montague will not be sent " + i));
            }
            ban(juliet, benvolio);
            // until capulet.lit has given up on them (counted), then montague.lit comes back
            await().atMost(Duration.ofMillis(WAIT_MS)).until(() -> given().baseUri(federation.baseUrl(CAPULET)).get("/q/metrics")
                    .asString().lines().anyMatch(l -> l.startsWith("buddycloud_federation_queue_dropped_peers_total") && !l.endsWith(" 0.0")));
            federation.restart(MONTAGUE);

            assertCaughtUp(romeo, juliet, missed, benvolio);
        } finally {
            federation.ensureRunning();
            federation.stop(CAPULET);
            federation.restart(CAPULET);
        }
    }

    @Test
    void recentItemsOnRomeosServerGroupsThePostsOfBothDomainsByNode() throws Exception {
        Login juliet = federation.rest(CAPULET).newAccount("juliet");
        Login romeo = federation.rest(MONTAGUE).newAccount("romeo");
        XMPPTCPConnection romeoClient = online(MONTAGUE, romeo);
        try {
            String since = java.time.Instant.now().minusSeconds(60).toString();
            julietsChannel(romeoClient, juliet).subscribe(Xmpp.bare(romeo));
            ItemNotifications romeoSees = new ItemNotifications(romeoClient, Xmpp.postsNode(juliet));
            String hers = post(juliet, "Good night, good night!");
            romeoSees.assertEachOnce(List.of(hers), Duration.ofMillis(WAIT_MS), "romeo");
            String his = given().baseUri(federation.baseUrl(MONTAGUE)).auth().oauth2(romeo.accessToken()).contentType(ContentType.JSON)
                    .body(Map.of("content", "Sleep dwell upon thine eyes")).post("/" + romeo.jid() + "/content/posts")
                    .then().statusCode(201).extract().path("id");

            String answer = Xmpp.pubsubGet(romeoClient, "channels." + MONTAGUE,
                    "<recent-items xmlns='http://buddycloud.org/v1' since='" + since + "' max='10'/>");
            java.util.regex.Matcher groups = java.util.regex.Pattern.compile("<items[^>]*node=['\"]([^'\"]+)['\"]").matcher(answer);
            List<String> nodes = new ArrayList<>();
            while (groups.find()) {
                nodes.add(groups.group(1));
            }
            assertTrue(nodes.containsAll(List.of(Xmpp.postsNode(juliet), Xmpp.postsNode(romeo))),
                    "recent-items on montague.lit groups by node, both domains: " + answer);
            assertEquals(nodes.size(), Set.copyOf(nodes).size(), "one <items/> per node: " + answer);
            assertTrue(answer.contains(hers) && answer.contains(his), answer);
        } finally {
            Xmpp.disconnect(romeoClient);
        }
    }

    @Test
    void whatEitherSideDidWhileTheOtherWasDownArrivesOnceItIsBackOnce() throws Exception {
        Login juliet = federation.rest(CAPULET).newAccount("juliet");
        Login romeo = federation.rest(MONTAGUE).newAccount("romeo");
        configure(juliet, "default_affiliation", "publisher");
        String question = post(juliet, "Art thou not Romeo, and a Montague?");
        XMPPTCPConnection romeoClient = online(MONTAGUE, romeo);
        List<String> replies = new ArrayList<>();
        try {
            LeafNode julietsPosts = julietsChannel(romeoClient, juliet);
            julietsPosts.subscribe(Xmpp.bare(romeo));
            ItemNotifications romeoSees = new ItemNotifications(romeoClient, Xmpp.postsNode(juliet));

            // capulet.lit goes away: romeo's replies wait on montague.lit, in its database
            federation.stop(CAPULET);
            for (String text : List.of("Neither, fair maid", "if either thee dislike")) {
                String id = "reply-" + UUID.randomUUID();
                julietsPosts.publish(new PayloadItem<>(id, new SimplePayload("<entry xmlns='http://www.w3.org/2005/Atom'"
                        + " xmlns:thr='http://purl.org/syndication/thread/1.0'><content type='text'>" + text + "</content>"
                        + "<thr:in-reply-to ref='" + question + "'/></entry>")));
                replies.add(id);
            }
            Map<String, Object> queued = given().baseUri(federation.baseUrl(MONTAGUE)).auth().oauth2(romeo.accessToken())
                    .contentType(ContentType.JSON).body(Map.of("content", "Call me but love", "replyTo", question))
                    .post("/" + juliet.jid() + "/content/posts").then().statusCode(202).extract().jsonPath().getMap("");
            assertEquals(Boolean.TRUE, queued.get("queued"), "a REST post to a server that is away is queued: " + queued);
            replies.add((String) queued.get("id"));
            federation.restart(CAPULET);
            // juliet posts on the restarted capulet.lit; romeo hears those, and his own replies, once each
            List<String> posted = new ArrayList<>();
            for (String content : List.of("Thou knowest the mask of night is on my face", "Else would a maiden blush")) {
                posted.add(post(juliet, content));
            }
            List<String> expected = new ArrayList<>(posted);
            expected.addAll(replies);
            romeoSees.assertEachOnce(expected, Duration.ofMillis(WAIT_MS * 2), "romeo after capulet.lit came back");
            String thread = given().baseUri(federation.baseUrl(CAPULET)).auth().oauth2(juliet.accessToken())
                    .get("/" + juliet.jid() + "/content/posts/" + question + "/replyto").then().statusCode(200).extract().asString();
            for (String reply : replies) {
                assertEquals(1, occurrences(thread, "\"id\":\"" + reply + "\""), "romeo's queued reply is in juliet's thread once: " + thread);
            }

            // now montague.lit goes away; what juliet posts meanwhile is queued on capulet.lit and reaches his copy later,
            // and so does her ban of benvolio, another follower on montague.lit: permissions changed meanwhile apply there
            Login benvolio = federation.rest(MONTAGUE).newAccount("benvolio");
            montague(benvolio).contentType(ContentType.JSON).body(Map.of(juliet.jid() + "/posts", "subscribed"))
                    .post("/subscribed").then().statusCode(200);
            montague(benvolio).get("/" + juliet.jid() + "/content/posts").then().statusCode(200);
            Xmpp.disconnect(romeoClient);
            federation.stop(MONTAGUE);
            List<String> missed = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                missed.add(post(juliet, "while montague slept " + i));
            }
            ban(juliet, benvolio);
            federation.restart(MONTAGUE);
            assertCaughtUp(romeo, juliet, missed, benvolio);
        } finally {
            federation.ensureRunning();
            Xmpp.disconnect(romeoClient);
        }
    }

    @Test
    void romeoRepliesIntoJulietsThreadAndJulietSeesItOnHerServer() throws Exception {
        Login juliet = federation.rest(CAPULET).newAccount("juliet");
        Login romeo = federation.rest(MONTAGUE).newAccount("romeo");
        // her followers may post in her channel, wherever they come from
        configure(juliet, "default_affiliation", "publisher");
        XMPPTCPConnection julietClient = online(CAPULET, juliet);
        XMPPTCPConnection romeoClient = online(MONTAGUE, romeo);
        try {
            julietClient.sendStanza(julietClient.getStanzaFactory().buildPresenceStanza().to(JidCreate.bareFrom("channels." + CAPULET)).build());
            PingManager.getInstanceFor(julietClient).ping(JidCreate.domainBareFrom("channels." + CAPULET));
            LeafNode julietsPosts = julietsChannel(romeoClient, juliet);
            julietsPosts.subscribe(Xmpp.bare(romeo));
            String question = post(juliet, "What man art thou?");
            ItemNotifications julietSees = new ItemNotifications(julietClient, Xmpp.postsNode(juliet));

            String reply = "reply-" + UUID.randomUUID();
            julietsPosts.publish(new PayloadItem<>(reply, new SimplePayload("<entry xmlns='http://www.w3.org/2005/Atom'"
                    + " xmlns:thr='http://purl.org/syndication/thread/1.0'><content type='text'>By a name I know not how to tell thee</content>"
                    + "<thr:in-reply-to ref='" + question + "'/></entry>")));

            julietSees.assertEachOnce(List.of(reply), Duration.ofMillis(WAIT_MS), "juliet on capulet.lit");
            String thread = given().baseUri(federation.baseUrl(CAPULET)).auth().oauth2(juliet.accessToken())
                    .get("/" + juliet.jid() + "/content/posts/" + question + "/replyto").then().statusCode(200).extract().asString();
            assertTrue(thread.contains("By a name I know not how to tell thee") && thread.contains(romeo.jid()),
                    "romeo's reply is in juliet's thread, by romeo: " + thread);
        } finally {
            Xmpp.disconnect(julietClient, romeoClient);
        }
    }

    @Test
    void julietsPrivateChannelAsksJulietToApproveRomeoAndOnlyThenTellsHim() throws Exception {
        Login juliet = federation.rest(CAPULET).newAccount("juliet");
        Login romeo = federation.rest(MONTAGUE).newAccount("romeo");
        Login tybalt = federation.rest(MONTAGUE).newAccount("tybalt");
        configure(juliet, "access_model", "authorize");
        XMPPTCPConnection julietClient = online(CAPULET, juliet);
        XMPPTCPConnection romeoClient = online(MONTAGUE, romeo);
        XMPPTCPConnection tybaltClient = online(MONTAGUE, tybalt);
        try {
            // her channel session: the channel service tells her of requests to decide
            julietClient.sendStanza(julietClient.getStanzaFactory().buildPresenceStanza().to(JidCreate.bareFrom("channels." + CAPULET)).build());
            PingManager.getInstanceFor(julietClient).ping(JidCreate.domainBareFrom("channels." + CAPULET));
            StanzaCollector forms = julietClient.createStanzaCollector(stanza -> stanza instanceof Message
                    && stanza.toXML().toString().contains("http://jabber.org/protocol/pubsub#subscribe_authorization"));
            StanzaCollector romeoHears = romeoClient.createStanzaCollector(stanza -> stanza instanceof Message
                    && stanza.toXML().toString().matches("(?s).*subscription=['\"]subscribed['\"].*"));

            Subscription asked = julietsChannel(romeoClient, juliet).subscribe(Xmpp.bare(romeo));
            assertEquals(Subscription.State.pending, asked.getState(), "a private channel makes a request of a remote follow");
            Message form = forms.nextResult(WAIT_MS);
            assertNotNull(form, "juliet was not asked on capulet.lit to approve romeo of montague.lit");
            assertTrue(form.toXML().toString().contains(romeo.jid()), form.toXML().toString());

            ItemNotifications tybaltSees = new ItemNotifications(tybaltClient, Xmpp.postsNode(juliet));
            julietClient.sendStanza(julietClient.getStanzaFactory().buildMessageStanza().to(JidCreate.bareFrom("channels." + CAPULET))
                    .addExtension(approval(Xmpp.postsNode(juliet), romeo.jid())).build());
            assertNotNull(romeoHears.nextResult(WAIT_MS), "romeo did not hear on montague.lit that juliet approved him");

            ItemNotifications romeoSees = new ItemNotifications(romeoClient, Xmpp.postsNode(juliet));
            String secret = post(juliet, "for your eyes only");
            romeoSees.assertEachOnce(List.of(secret), Duration.ofMillis(WAIT_MS), "romeo");
            assertEquals(0, tybaltSees.times(secret), "tybalt, who does not follow, heard of a private post");
            XMPPErrorException refused = assertThrows(XMPPErrorException.class, () -> julietsChannel(tybaltClient, juliet).getItems(),
                    "tybalt of montague.lit read juliet's private channel");
            assertTrue(Set.of(StanzaError.Condition.forbidden, StanzaError.Condition.not_authorized)
                    .contains(refused.getStanzaError().getCondition()), refused.getStanzaError().toString());
        } finally {
            Xmpp.disconnect(julietClient, romeoClient, tybaltClient);
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
    void serversThatTrustEachOthersCertificatesProveTheirDomainsWithSaslExternal() throws Exception {
        Login romeo = federation.rest(MONTAGUE).newAccount("romeo");
        XMPPTCPConnection romeoClient = online(MONTAGUE, romeo);
        try {
            // a round trip: montague's stream to capulet and capulet's back are both up
            assertTrue(PingManager.getInstanceFor(romeoClient).ping(JidCreate.domainBareFrom(CAPULET)), "capulet.lit did not answer a ping");
        } finally {
            Xmpp.disconnect(romeoClient);
        }
        for (String domain : List.of(MONTAGUE, CAPULET)) {
            String metrics = given().baseUri(federation.baseUrl(domain)).get("/q/metrics").then().statusCode(200).extract().asString();
            assertTrue(metrics.lines().anyMatch(line -> line.startsWith("buddycloud_s2s_authenticated_total")
                    && line.contains("direction=\"incoming\"") && line.contains("mechanism=\"EXTERNAL\"") && !line.endsWith(" 0.0")),
                    domain + " took no stream proved by its certificate: " + metrics.lines()
                            .filter(line -> line.startsWith("buddycloud_s2s_")).toList());
        }
    }

    @Test
    void aPeerWithoutATrustedCertificateIsRefusedSaslExternalAndMayStillUseDialback() throws Exception {
        try (RawS2sPeer peer = new RawS2sPeer(federation.s2sPort(CAPULET), federation.trust())) {
            peer.openStream(MONTAGUE, CAPULET);
            peer.startTls(MONTAGUE, CAPULET);
            assertFalse(peer.received().contains("EXTERNAL"), "EXTERNAL offered to a peer without a certificate: " + peer.received());
            peer.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>bW9udGFndWUubGl0</auth>");
            peer.await("<failure[^>]*>\\s*<not-authorized");
            // the stream stays: dialback is still open to it (and refuses the forged key)
            peer.send("<db:result from='" + MONTAGUE + "' to='" + CAPULET + "'>00ff</db:result>");
            peer.await("<db:result[^>]*type=['\"]invalid['\"]");
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

    /** Juliet's posts node at her server's channel service, as a client of another domain addresses it. */
    /** Juliet's channel as a user of montague.lit reaches it: through his own channel service, which sends his requests on. */
    private static LeafNode julietsChannel(XMPPTCPConnection client, Login juliet) throws Exception {
        return PubSubManager.getInstanceFor(client, JidCreate.bareFrom("channels." + MONTAGUE)).getLeafNode(Xmpp.postsNode(juliet));
    }

    @Test
    void romeoTakesHisChannelToCapuletAndItsFollowersOnBothDomainsGoAlong() throws Exception {
        ChannelServerClient montague = federation.rest(MONTAGUE);
        ChannelServerClient capulet = federation.rest(CAPULET);
        Login romeo = montague.newAccount("romeo");
        Login benvolio = montague.newAccount("benvolio");
        Login juliet = capulet.newAccount("juliet");
        montague.follow(benvolio, romeo.jid());
        capulet.follow(juliet, romeo.jid()); // through capulet.lit, which keeps a copy of his channel for her
        String before = montague.post(romeo, romeo.jid(), "Did my heart love till now?");
        await().atMost(Duration.ofMillis(WAIT_MS)).until(() -> readIds(CAPULET, juliet, romeo.jid()).contains(before));

        XMPPTCPConnection benvolioClient = online(MONTAGUE, benvolio);
        try {
            java.util.Queue<String> heard = new java.util.concurrent.ConcurrentLinkedQueue<>();
            benvolioClient.addAsyncStanzaListener(stanza -> heard.add(stanza.toXML().toString()), stanza -> stanza instanceof Message);

            Login moved = capulet.newAccount("romeo");
            io.restassured.path.json.JsonPath report = capulet.importArchive(moved, montague.exportArchive(romeo));
            assertEquals("confirmed_by_source", report.getString("report.authenticity"), report.prettify());
            assertTrue(report.getBoolean("report.oldServerTold"), "montague.lit took note of the move: " + report.prettify());

            // montague.lit tells benvolio the channel went (XEP-0060 delete; its redirect's form is XmppChannelMovedTest's)
            await().atMost(Duration.ofMillis(WAIT_MS)).untilAsserted(() -> assertTrue(heard.stream().anyMatch(xml -> xml.contains("<delete")
                    && xml.contains("/user/" + romeo.jid() + "/posts")), heard.toString()));
            // each follows the channel at capulet.lit through his own server now, and no longer the old one
            await().atMost(Duration.ofMillis(WAIT_MS)).untilAsserted(() -> {
                Map<String, String> his = subscribed(MONTAGUE, benvolio);
                assertEquals("member", his.get(moved.jid() + "/posts"), "benvolio follows " + moved.jid() + ": " + his);
                assertFalse(his.containsKey(romeo.jid() + "/posts"), "benvolio left the old channel: " + his);
                Map<String, String> hers = subscribed(CAPULET, juliet);
                assertEquals("member", hers.get(moved.jid() + "/posts"), "juliet follows " + moved.jid() + ": " + hers);
                assertFalse(hers.containsKey(romeo.jid() + "/posts"), "capulet.lit dropped its copy of the old channel: " + hers);
                Map<String, String> oldFollowers = given().baseUri(federation.baseUrl(MONTAGUE)).auth().oauth2(romeo.accessToken())
                        .get("/" + romeo.jid() + "/subscribers/posts").then().statusCode(200).extract().jsonPath().getMap("", String.class, String.class);
                assertEquals(Set.of(romeo.jid()), oldFollowers.keySet(), "nobody follows the old channel any more: " + oldFollowers);
            });

            // montague.lit keeps a copy of the new channel for benvolio: what romeo wrote before, and what he writes now
            String after = capulet.post(moved, moved.jid(), "It is the east, and Juliet is the sun");
            await().atMost(Duration.ofMillis(WAIT_MS)).untilAsserted(() -> assertTrue(
                    readIds(MONTAGUE, benvolio, moved.jid()).containsAll(List.of(before, after)), readIds(MONTAGUE, benvolio, moved.jid()).toString()));

            // only an archive montague.lit made of an account says that account moved
            given().baseUri(federation.baseUrl(MONTAGUE)).contentType(ContentType.JSON).body(Map.of("archiveId", UUID.randomUUID().toString(),
                    "manifestSha256", "0".repeat(64), "signature", "forged", "to", "romeo@capulet.lit"))
                    .post("/archives/moved").then().statusCode(403);
            given().baseUri(federation.baseUrl(MONTAGUE)).contentType(ContentType.JSON).body(Map.of("to", "romeo@capulet.lit"))
                    .post("/archives/moved").then().statusCode(400);
        } finally {
            Xmpp.disconnect(benvolioClient);
        }
    }

    private Map<String, String> subscribed(String domain, Login user) {
        return given().baseUri(federation.baseUrl(domain)).auth().oauth2(user.accessToken()).get("/subscribed").then().statusCode(200)
                .extract().jsonPath().getMap("", String.class, String.class);
    }

    /** The ids of a channel's posts as {@code reader} reads them from the REST API of {@code domain}. */
    private List<String> readIds(String domain, Login reader, String channel) {
        return given().baseUri(federation.baseUrl(domain)).auth().oauth2(reader.accessToken()).queryParam("max", 200)
                .get("/" + channel + "/content/posts").then().statusCode(200).extract().jsonPath().getList("id", String.class);
    }

    /** Sets one field of the owner's posts node on capulet.lit (her followers may post, her channel is private, …). */
    private void configure(Login owner, String field, String value) {
        given().baseUri(federation.baseUrl(CAPULET)).auth().oauth2(owner.accessToken()).contentType(ContentType.JSON)
                .body(Map.of(field, value)).post("/" + owner.jid() + "/metadata/posts").then().statusCode(200);
    }

    private void ban(Login owner, Login banned) {
        given().baseUri(federation.baseUrl(CAPULET)).auth().oauth2(owner.accessToken()).contentType(ContentType.JSON)
                .body(Map.of(banned.jid(), "outcast")).post("/" + owner.jid() + "/subscribers/posts").then().statusCode(200);
    }

    /** After an outage: montague.lit's copy of juliet's channel holds what it missed, each once, and her ban applies. */
    private void assertCaughtUp(Login romeo, Login juliet, List<String> missed, Login banned) {
        await().atMost(Duration.ofMillis(WAIT_MS * 2)).untilAsserted(() -> assertTrue(copiedIds(romeo, juliet).containsAll(missed),
                "montague.lit's copy lacks what juliet posted while it was away: " + copiedIds(romeo, juliet)));
        List<String> copy = copiedIds(romeo, juliet);
        assertEquals(copy.size(), Set.copyOf(copy).size(), "a post is in montague.lit's copy twice: " + copy);
        await().atMost(Duration.ofMillis(WAIT_MS)).untilAsserted(() ->
                montague(banned).get("/" + juliet.jid() + "/content/posts").then().statusCode(403));
    }

    private io.restassured.specification.RequestSpecification montague(Login user) {
        return given().baseUri(federation.baseUrl(MONTAGUE)).auth().oauth2(user.accessToken());
    }

    /** The ids of juliet's posts as romeo reads them from his own server's REST API (its copy of her channel). */
    private List<String> copiedIds(Login romeo, Login juliet) {
        return given().baseUri(federation.baseUrl(MONTAGUE)).auth().oauth2(romeo.accessToken()).queryParam("max", 200)
                .get("/" + juliet.jid() + "/content/posts").then().statusCode(200).extract().jsonPath().getList("id", String.class);
    }

    private static int occurrences(String text, String regex) {
        java.util.regex.Matcher found = java.util.regex.Pattern.compile(regex).matcher(text);
        int n = 0;
        while (found.find()) {
            n++;
        }
        return n;
    }

    private String post(Login author, String content) {
        return given().baseUri(federation.baseUrl(CAPULET)).auth().oauth2(author.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("content", content)).post("/" + author.jid() + "/content/posts").then().statusCode(201).extract().path("id");
    }

    private static StandardExtensionElement approval(String node, String subscriber) {
        return StandardExtensionElement.builder("x", "jabber:x:data").addAttribute("type", "submit")
                .addElement(field("FORM_TYPE", "http://jabber.org/protocol/pubsub#subscribe_authorization"))
                .addElement(field("pubsub#node", node))
                .addElement(field("pubsub#subscriber_jid", subscriber))
                .addElement(field("pubsub#allow", "true")).build();
    }

    private static StandardExtensionElement field(String var, String value) {
        return StandardExtensionElement.builder("field", "jabber:x:data").addAttribute("var", var).addElement("value", value).build();
    }

    private XMPPTCPConnection online(String domain, Login login) throws Exception {
        XMPPTCPConnection connection = Xmpp.connect(domain, federation.xmppPort(domain), federation.trust(), login, "smack");
        connection.sendStanza(connection.getStanzaFactory().buildPresenceStanza().build());
        // online for the user's own channel service too: it tells this session of the channels the user follows
        connection.sendStanza(connection.getStanzaFactory().buildPresenceStanza().to(JidCreate.bareFrom("channels." + domain)).build());
        // a round trip to the user's own server: her presences were handled
        PingManager.getInstanceFor(connection).ping(JidCreate.domainBareFrom("channels." + domain));
        return connection;
    }

    private static AndFilter chatsFrom(Jid sender) {
        return new AndFilter(MessageTypeFilter.CHAT, FromMatchesFilter.createFull(sender));
    }

    private static void send(XMPPTCPConnection from, Jid to, String body) throws Exception {
        from.sendStanza(from.getStanzaFactory().buildMessageStanza().to(to).ofType(Message.Type.chat).setBody(body).build());
    }
}
