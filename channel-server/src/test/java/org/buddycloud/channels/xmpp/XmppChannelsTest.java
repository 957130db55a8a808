package org.buddycloud.channels.xmpp;

import static io.restassured.RestAssured.given;
import static org.buddycloud.channels.xmpp.XmppTestSupport.CHANNELS;
import static org.buddycloud.channels.xmpp.XmppTestSupport.account;
import static org.buddycloud.channels.xmpp.XmppTestSupport.port;
import static org.buddycloud.channels.xmpp.XmppTestSupport.smack;
import static org.buddycloud.channels.xmpp.XmppTestSupport.tls;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.StanzaFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.pubsub.Item;
import org.jivesoftware.smackx.pubsub.LeafNode;
import org.jivesoftware.smackx.pubsub.PayloadItem;
import org.jivesoftware.smackx.pubsub.PubSubManager;
import org.jivesoftware.smackx.pubsub.SimplePayload;
import org.jivesoftware.smackx.pubsub.Subscription;
import org.jivesoftware.smackx.pubsub.listener.ItemEventListener;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Channels over XMPP with Smack: publish, follow and notifications; a private channel's request,
 * authorization form and approval; paging and recent items; and both directions between REST and XMPP.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class XmppChannelsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String BC = "http://buddycloud.org/v1";

    /** A Smack client that told the channel service it is online, so it gets notifications. */
    private static XMPPTCPConnection online(Login login) throws Exception {
        XMPPTCPConnection connection = smack(login);
        connection.sendStanza(connection.getStanzaFactory().buildPresenceStanza().to(JidCreate.bareFrom(CHANNELS)).build());
        // stanzas of one session are handled in order: once the ping is answered, the presence counted
        XmppTestSupport.ping(connection);
        return connection;
    }

    private static LeafNode posts(XMPPTCPConnection connection, Login owner) throws Exception {
        return PubSubManager.getInstanceFor(connection, JidCreate.bareFrom(CHANNELS)).getLeafNode("/user/" + owner.jid() + "/posts");
    }

    private static PayloadItem<SimplePayload> entry(String content) {
        return new PayloadItem<>(null, new SimplePayload("<entry xmlns='http://www.w3.org/2005/Atom'><content type='text'>" + content
                + "</content></entry>"));
    }

    /** Collects the published items of a node's notifications. */
    private static BlockingQueue<String> published(LeafNode node) {
        BlockingQueue<String> payloads = new LinkedBlockingQueue<>();
        node.addItemEventListener((ItemEventListener<Item>) event -> event.getItems().forEach(item ->
                payloads.add(item instanceof PayloadItem<?> p ? p.getPayload().toXML().toString() : item.toXML().toString())));
        return payloads;
    }

    @Test
    void aFollowerIsNotifiedOfAPostMadeOverXmppAndRestShowsIt() throws Exception {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        XMPPTCPConnection julietClient = online(juliet);
        XMPPTCPConnection romeoClient = online(romeo);
        try {
            LeafNode julietPostsForRomeo = posts(romeoClient, juliet);
            Subscription subscription = julietPostsForRomeo.subscribe(JidCreate.entityBareFrom(romeo.jid()));
            assertEquals(Subscription.State.subscribed, subscription.getState());
            BlockingQueue<String> romeoSees = published(julietPostsForRomeo);

            posts(julietClient, juliet).publish(entry("O Romeo, Romeo"));

            String notified = romeoSees.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(notified, "romeo got no notification");
            assertTrue(notified.contains("O Romeo, Romeo") && notified.contains(juliet.jid()), notified);
            given().get("/" + juliet.jid() + "/content/posts").then().statusCode(200)
                    .body("[0].content", equalTo("O Romeo, Romeo")).body("[0].author", equalTo(juliet.jid()));
            List<Item> items = julietPostsForRomeo.getItems();
            assertEquals(1, items.size());
        } finally {
            julietClient.disconnect();
            romeoClient.disconnect();
        }
    }

    @Test
    void aPostMadeOverRestReachesXmppFollowers() throws Exception {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        XMPPTCPConnection romeoClient = online(romeo);
        try {
            LeafNode node = posts(romeoClient, juliet);
            node.subscribe(JidCreate.entityBareFrom(romeo.jid()));
            BlockingQueue<String> romeoSees = published(node);
            given().auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON).body(Map.of("content", "Parting is such sweet sorrow"))
                    .post("/" + juliet.jid() + "/content/posts").then().statusCode(201);
            String notified = romeoSees.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(notified, "the REST post never reached the XMPP follower");
            assertTrue(notified.contains("Parting is such sweet sorrow"), notified);
        } finally {
            romeoClient.disconnect();
        }
    }

    @Test
    void aPrivateChannelAsksItsOwnerWhoApprovesAndOnlyThenNotifies() throws Exception {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        Login tybalt = account("tybalt");
        given().auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON).body(Map.of("access_model", "authorize"))
                .post("/" + juliet.jid() + "/metadata/posts").then().statusCode(200);
        XMPPTCPConnection julietClient = online(juliet);
        XMPPTCPConnection tybaltClient = online(tybalt);
        String node = "/user/" + juliet.jid() + "/posts";
        try (RawClient romeoClient = RawClient.login(port(), tls(), "SCRAM-SHA-256", romeo.username(), romeo.password())) {
            romeoClient.send("<presence to='" + CHANNELS + "'/>");
            StanzaCollector forms = julietClient.createStanzaCollector(authorizationForm());
            XmlElement pending = romeoClient.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                    + "<subscribe node='" + node + "' jid='" + romeo.jid() + "'/></pubsub></iq>");
            assertTrue(pending.toXml().contains("subscription=\"pending\""), pending.toXml());

            Message form = forms.nextResult(WAIT.toMillis());
            assertNotNull(form, "juliet was not asked to authorize romeo");
            assertTrue(form.toXML().toString().contains(romeo.jid()), form.toXML().toString());
            julietClient.sendStanza(julietClient.getStanzaFactory().buildMessageStanza().to(JidCreate.bareFrom(CHANNELS))
                    .addExtension(approval(node, romeo.jid())).build());
            romeoClient.expect(m -> m.toXml().contains("pubsub#event") && m.toXml().contains("subscription=\"subscribed\""), WAIT);

            BlockingQueue<String> tybaltSees = published(posts(tybaltClient, juliet));
            posts(julietClient, juliet).publish(entry("for your eyes only"));
            XmlElement notified = romeoClient.expect(m -> m.toXml().contains("<items"), WAIT);
            assertTrue(notified.toXml().contains("for your eyes only"), notified.toXml());
            assertNull(tybaltSees.poll(1, TimeUnit.SECONDS), "someone who does not follow a private channel saw its post");
        } finally {
            julietClient.disconnect();
            tybaltClient.disconnect();
        }
        try (RawClient stranger = RawClient.login(port(), tls(), "SCRAM-SHA-256", tybalt.username(), tybalt.password())) {
            XmlElement refused = stranger.iq("<iq type='get' to='" + CHANNELS + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                    + "<items node='/user/" + juliet.jid() + "/posts'/></pubsub></iq>");
            XmlElement error = refused.element("error", "jabber:client").orElseThrow();
            assertEquals("error", refused.attr("type"));
            assertTrue(error.element("forbidden", "urn:ietf:params:xml:ns:xmpp-stanzas").isPresent()
                    || error.element("not-authorized", "urn:ietf:params:xml:ns:xmpp-stanzas").isPresent(), refused.toXml());
            assertTrue(error.element("text", "urn:ietf:params:xml:ns:xmpp-stanzas").isPresent(), "errors explain themselves: " + refused.toXml());
        }
    }

    @Test
    void anOwnerWhoWasOfflineIsAskedAboutAWaitingRequestWhenComingOnline() throws Exception {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        given().auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON).body(Map.of("access_model", "authorize"))
                .post("/" + juliet.jid() + "/metadata/posts").then().statusCode(200);
        String node = "/user/" + juliet.jid() + "/posts";
        try (RawClient romeoClient = RawClient.login(port(), tls(), "SCRAM-SHA-256", romeo.username(), romeo.password())) {
            XmlElement pending = romeoClient.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                    + "<subscribe node='" + node + "' jid='" + romeo.jid() + "'/></pubsub></iq>");
            assertTrue(pending.toXml().contains("subscription=\"pending\""), pending.toXml());
        }
        // juliet was offline when romeo asked; she logs in and tells the channel service she is online
        XMPPTCPConnection julietClient = smack(juliet);
        try {
            StanzaCollector forms = julietClient.createStanzaCollector(authorizationForm());
            julietClient.sendStanza(julietClient.getStanzaFactory().buildPresenceStanza().to(JidCreate.bareFrom(CHANNELS)).build());
            Message form = forms.nextResult(WAIT.toMillis());
            assertNotNull(form, "juliet was not asked about romeo's request when she came online");
            assertTrue(form.toXML().toString().contains(romeo.jid()) && form.toXML().toString().contains(node), form.toXML().toString());
            // a presence update is not a new arrival: no second copy
            julietClient.sendStanza(julietClient.getStanzaFactory().buildPresenceStanza().to(JidCreate.bareFrom(CHANNELS))
                    .setStatus("on the balcony").build());
            XmppTestSupport.ping(julietClient);
            assertNull(forms.nextResult(1_000), "the form was sent again on a presence update");
        } finally {
            julietClient.disconnect();
        }
    }

    @Test
    void refusalsCarryTheStandardConditionTheXep0060OneAndAText() throws Exception {
        Login juliet = account("juliet");
        Login capulet = account("capulet");
        Login romeo = account("romeo");
        given().auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON).body(Map.of("access_model", "whitelist"))
                .post("/" + juliet.jid() + "/metadata/posts").then().statusCode(200);
        given().auth().oauth2(capulet.accessToken()).contentType(ContentType.JSON).body(Map.of("access_model", "authorize"))
                .post("/" + capulet.jid() + "/metadata/posts").then().statusCode(200);
        try (RawClient romeoClient = RawClient.login(port(), tls(), "SCRAM-SHA-256", romeo.username(), romeo.password())) {
            XmlElement closed = romeoClient.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                    + "<subscribe node='/user/" + juliet.jid() + "/posts' jid='" + romeo.jid() + "'/></pubsub></iq>");
            assertRefused(closed, "auth", "forbidden", "closed-node");

            String capuletPosts = "/user/" + capulet.jid() + "/posts";
            romeoClient.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'><subscribe node='"
                    + capuletPosts + "' jid='" + romeo.jid() + "'/></pubsub></iq>");
            XmlElement pending = romeoClient.iq("<iq type='get' to='" + CHANNELS + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                    + "<items node='" + capuletPosts + "'/></pubsub></iq>");
            assertRefused(pending, "auth", "not-authorized", "pending-subscription");
        }
    }

    /** PROTOCOL.md decision 10: the standard condition, XEP-0060's own one in pubsub#errors, and a text. */
    private static void assertRefused(XmlElement reply, String type, String condition, String pubsubCondition) {
        assertEquals("error", reply.attr("type"), reply.toXml());
        XmlElement error = reply.element("error", "jabber:client").orElseThrow();
        assertEquals(type, error.attr("type"), reply.toXml());
        assertTrue(error.element(condition, "urn:ietf:params:xml:ns:xmpp-stanzas").isPresent(), reply.toXml());
        assertTrue(error.element(pubsubCondition, "http://jabber.org/protocol/pubsub#errors").isPresent(), reply.toXml());
        assertFalse(error.childText("text", "urn:ietf:params:xml:ns:xmpp-stanzas").orElse("").isBlank(), reply.toXml());
    }

    @Test
    void aSubscriberHearsOfItsOwnSubscriptionOnce() throws Exception {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        String node = "/user/" + juliet.jid() + "/posts";
        try (RawClient romeoClient = RawClient.login(port(), tls(), "SCRAM-SHA-256", romeo.username(), romeo.password())) {
            romeoClient.send("<presence to='" + CHANNELS + "'/>");
            XmlElement subscribed = romeoClient.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                    + "<subscribe node='" + node + "' jid='" + romeo.jid() + "'/></pubsub></iq>");
            assertEquals("result", subscribed.attr("type"), subscribed.toXml());
            java.util.function.Predicate<XmlElement> ownSubscription = m -> m.name().equals("message") && m.toXml().contains("pubsub#event")
                    && m.toXml().contains("jid=\"" + romeo.jid() + "\"") && m.toXml().contains("subscription=\"subscribed\"");
            romeoClient.expect(ownSubscription, WAIT);
            // a second copy would have been written right after the first
            assertNull(romeoClient.poll(ownSubscription, Duration.ofSeconds(2)), "the subscriber heard of its subscription twice");
        }
    }

    @Test
    void itemsArePagedWithRsmAndRecentItemsGroupsThemByNode() throws Exception {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        Instant before = Instant.now().minusSeconds(5);
        String node = "/user/" + juliet.jid() + "/posts";
        try (RawClient julietClient = RawClient.login(port(), tls(), "SCRAM-SHA-256", juliet.username(), juliet.password());
             RawClient romeoClient = RawClient.login(port(), tls(), "SCRAM-SHA-1", romeo.username(), romeo.password())) {
            for (int i = 1; i <= 5; i++) {
                XmlElement published = julietClient.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                        + "<publish node='" + node + "'><item><entry xmlns='http://www.w3.org/2005/Atom'><content>post " + i
                        + "</content></entry></item></publish></pubsub></iq>");
                assertEquals("result", published.attr("type"), published.toXml());
            }
            XmlElement first = romeoClient.iq(itemsPage(node, "<max>2</max>"));
            List<String> firstIds = itemIds(first);
            assertEquals(2, firstIds.size(), first.toXml());
            XmlElement set = rsm(first);
            assertEquals("5", set.childText("count", "http://jabber.org/protocol/rsm").orElseThrow());
            assertEquals(firstIds.get(1), set.childText("last", "http://jabber.org/protocol/rsm").orElseThrow());
            XmlElement second = romeoClient.iq(itemsPage(node, "<max>2</max><after>" + firstIds.get(1) + "</after>"));
            List<String> secondIds = itemIds(second);
            assertEquals(2, secondIds.size());
            assertTrue(secondIds.stream().noneMatch(firstIds::contains), "the next page holds older items");
            assertTrue(first.toXml().contains("post 5") && second.toXml().contains("post 3"), "newest first");

            XmlElement subscribed = romeoClient.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                    + "<subscribe node='" + node + "' jid='" + romeo.jid() + "'/></pubsub></iq>");
            assertEquals("result", subscribed.attr("type"), subscribed.toXml());
            XmlElement recent = romeoClient.iq("<iq type='get' to='" + CHANNELS + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                    + "<recent-items xmlns='" + BC + "' since='" + before + "' max='3'/></pubsub></iq>");
            assertEquals("result", recent.attr("type"), recent.toXml());
            List<XmlElement> groups = recent.element("pubsub", "http://jabber.org/protocol/pubsub").orElseThrow()
                    .elements("items", "http://jabber.org/protocol/pubsub");
            XmlElement julietGroup = groups.stream().filter(g -> node.equals(g.attr("node"))).findFirst().orElseThrow();
            assertEquals(3, julietGroup.elements("item", "http://jabber.org/protocol/pubsub").size(), "max is the cap per node");
            XmlElement missingMax = romeoClient.iq("<iq type='get' to='" + CHANNELS + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                    + "<recent-items xmlns='" + BC + "' since='" + before + "'/></pubsub></iq>");
            XmlElement error = missingMax.element("error", "jabber:client").orElseThrow();
            assertTrue(error.element("bad-request", "urn:ietf:params:xml:ns:xmpp-stanzas").isPresent(), missingMax.toXml());
            assertTrue(error.element("max-required", BC + "/errors").isPresent(), "the buddycloud condition rides along: " + missingMax.toXml());
        }
    }

    @Test
    void ownersConfigureTheirNodesAndManageAffiliations() throws Exception {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        String node = "/user/" + juliet.jid() + "/posts";
        String owner = "http://jabber.org/protocol/pubsub#owner";
        try (RawClient julietClient = RawClient.login(port(), tls(), "SCRAM-SHA-256", juliet.username(), juliet.password());
             RawClient romeoClient = RawClient.login(port(), tls(), "SCRAM-SHA-256", romeo.username(), romeo.password())) {
            XmlElement form = julietClient.iq("<iq type='get' to='" + CHANNELS + "'><pubsub xmlns='" + owner + "'><configure node='"
                    + node + "'/></pubsub></iq>");
            assertTrue(form.toXml().contains("pubsub#access_model"), form.toXml());
            XmlElement configured = julietClient.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='" + owner + "'><configure node='"
                    + node + "'><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'>"
                    + "<value>http://jabber.org/protocol/pubsub#node_config</value></field><field var='pubsub#title'><value>Balcony</value>"
                    + "</field></x></configure></pubsub></iq>");
            assertEquals("result", configured.attr("type"), configured.toXml());
            given().get("/" + juliet.jid() + "/metadata/posts").then().statusCode(200).body("title", equalTo("Balcony"));

            XmlElement notOwner = romeoClient.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='" + owner + "'><configure node='"
                    + node + "'><x xmlns='jabber:x:data' type='submit'><field var='pubsub#title'><value>Mine</value></field></x>"
                    + "</configure></pubsub></iq>");
            assertEquals("error", notOwner.attr("type"));

            romeoClient.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'><subscribe node='"
                    + node + "' jid='" + romeo.jid() + "'/></pubsub></iq>");
            XmlElement promoted = julietClient.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='" + owner + "'><affiliations node='"
                    + node + "'><affiliation jid='" + romeo.jid() + "' affiliation='moderator'/></affiliations></pubsub></iq>");
            assertEquals("result", promoted.attr("type"), promoted.toXml());
            XmlElement list = julietClient.iq("<iq type='get' to='" + CHANNELS + "'><pubsub xmlns='" + owner + "'><affiliations node='"
                    + node + "'/></pubsub></iq>");
            assertTrue(list.toXml().contains("jid=\"" + romeo.jid() + "\" affiliation=\"moderator\""), list.toXml());
            XmlElement ownOwn = julietClient.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='" + owner + "'><affiliations node='"
                    + node + "'><affiliation jid='" + juliet.jid() + "' affiliation='member'/></affiliations></pubsub></iq>");
            assertEquals("error", ownOwn.attr("type"), "cannot modify own affiliation");

            XmlElement created = julietClient.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                    + "<create node='/user/" + juliet.jid() + "/diary'/></pubsub></iq>");
            assertEquals("result", created.attr("type"), created.toXml());
            XmlElement deleted = julietClient.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='" + owner + "'><delete node='/user/"
                    + juliet.jid() + "/diary'/></pubsub></iq>");
            assertEquals("result", deleted.attr("type"), deleted.toXml());
        }
    }

    private static String itemsPage(String node, String set) {
        return "<iq type='get' to='" + CHANNELS + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='" + node + "'/>"
                + "<set xmlns='http://jabber.org/protocol/rsm'>" + set + "</set></pubsub></iq>";
    }

    private static List<String> itemIds(XmlElement reply) {
        return reply.element("pubsub", "http://jabber.org/protocol/pubsub").orElseThrow()
                .element("items", "http://jabber.org/protocol/pubsub").orElseThrow()
                .elements("item", "http://jabber.org/protocol/pubsub").stream().map(i -> i.attr("id")).toList();
    }

    private static XmlElement rsm(XmlElement reply) {
        return reply.element("pubsub", "http://jabber.org/protocol/pubsub").orElseThrow()
                .element("set", "http://jabber.org/protocol/rsm").orElseThrow();
    }

    private static StanzaFilter authorizationForm() {
        return stanza -> stanza instanceof Message && stanza.toXML().toString().contains(
                "http://jabber.org/protocol/pubsub#subscribe_authorization");
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
}
