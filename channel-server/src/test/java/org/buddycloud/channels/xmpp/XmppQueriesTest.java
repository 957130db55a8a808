package org.buddycloud.channels.xmpp;

import static org.buddycloud.channels.xmpp.XmppTestSupport.CHANNELS;
import static org.buddycloud.channels.xmpp.XmppTestSupport.account;
import static org.buddycloud.channels.xmpp.XmppTestSupport.port;
import static org.buddycloud.channels.xmpp.XmppTestSupport.tls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/**
 * The buddycloud queries over XMPP (PROTOCOL.md §1.10) on one small conversation: replies, thread,
 * threads, user-items, subscriptions-with-configuration, search, firehose, the mam:tmp catch-up,
 * and the retract and delete notifications.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class XmppQueriesTest {

    private static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    private static final String BC = "http://buddycloud.org/v1";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static String publish(RawClient client, String node, String content, String inReplyTo) throws Exception {
        String thread = inReplyTo == null ? "" : "<in-reply-to xmlns='http://purl.org/syndication/thread/1.0' ref='" + inReplyTo + "'/>";
        XmlElement reply = client.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='" + PUBSUB + "'><publish node='" + node
                + "'><item><entry xmlns='http://www.w3.org/2005/Atom'><content>" + content + "</content>" + thread
                + "</entry></item></publish></pubsub></iq>");
        assertEquals("result", reply.attr("type"), reply.toXml());
        return reply.element("pubsub", PUBSUB).orElseThrow().element("publish", PUBSUB).orElseThrow()
                .element("item", PUBSUB).orElseThrow().attr("id");
    }

    private static XmlElement get(RawClient client, String payload) throws Exception {
        XmlElement reply = client.iq("<iq type='get' to='" + CHANNELS + "'>" + payload + "</iq>");
        assertEquals("result", reply.attr("type"), reply.toXml());
        return reply;
    }

    private static List<XmlElement> items(XmlElement reply) {
        return reply.element("pubsub", PUBSUB).orElseThrow().elements("items", PUBSUB).stream()
                .flatMap(i -> i.elements("item", PUBSUB).stream()).toList();
    }

    @Test
    void aConversationReadsBackThroughEveryQuery() throws Exception {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        String node = "/user/" + juliet.jid() + "/posts";
        Instant start = Instant.now().minusSeconds(5);
        try (RawClient julietClient = RawClient.login(port(), tls(), "SCRAM-SHA-256", juliet.username(), juliet.password());
             RawClient romeoClient = RawClient.login(port(), tls(), "SCRAM-SHA-256", romeo.username(), romeo.password())) {
            romeoClient.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='" + PUBSUB + "'><subscribe node='" + node + "' jid='"
                    + romeo.jid() + "'/></pubsub></iq>");
            julietClient.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><affiliations node='"
                    + node + "'><affiliation jid='" + romeo.jid() + "' affiliation='publisher'/></affiliations></pubsub></iq>");
            String parent = publish(julietClient, node, "Deny thy father and refuse thy name", null);
            publish(romeoClient, node, "Shall I hear more, or shall I speak at this?", parent);
            publish(julietClient, node, "Tis but thy name that is my enemy", parent);

            List<XmlElement> replies = items(get(romeoClient, "<pubsub xmlns='" + PUBSUB + "'><replies xmlns='" + BC + "' node='" + node
                    + "' item_id='" + parent + "'/></pubsub>"));
            assertEquals(2, replies.size());
            List<XmlElement> thread = items(get(romeoClient, "<pubsub xmlns='" + PUBSUB + "'><thread xmlns='" + BC + "' node='" + node
                    + "' item_id='" + parent + "'/></pubsub>"));
            assertEquals(3, thread.size());
            assertEquals(parent, thread.get(0).attr("id"), "the thread starts with its parent");
            XmlElement threads = get(romeoClient, "<pubsub xmlns='" + PUBSUB + "'><threads node='" + node + "'/></pubsub>");
            XmlElement first = threads.element("pubsub", PUBSUB).orElseThrow().element("thread", PUBSUB).orElseThrow();
            assertEquals(parent, first.attr("id"));
            assertEquals(3, first.elements("item", PUBSUB).size());

            List<XmlElement> feed = items(get(romeoClient, "<pubsub xmlns='" + PUBSUB + "'><user-items xmlns='" + BC + "' since='" + start
                    + "'/></pubsub>"));
            assertEquals(3, feed.size(), "everything in followed nodes since the start");
            XmlElement withConfig = get(romeoClient, "<pubsub xmlns='" + PUBSUB + "'><subscriptions-with-configuration xmlns='" + BC
                    + "'/></pubsub>");
            assertTrue(withConfig.toXml().contains(node) && withConfig.toXml().contains("pubsub#access_model"), withConfig.toXml());

            XmlElement form = get(romeoClient, "<query xmlns='jabber:iq:search'/>");
            assertTrue(form.toXml().contains("jabber:x:data"), form.toXml());
            XmlElement hits = romeoClient.iq("<iq type='set' to='" + CHANNELS + "'><query xmlns='jabber:iq:search'><x xmlns='jabber:x:data'"
                    + " type='submit'><field var='content'><value>enemy</value></field></x></query></iq>");
            assertEquals("result", hits.attr("type"), hits.toXml());
            assertTrue(hits.toXml().contains("my enemy") && !hits.toXml().contains("refuse thy name"), hits.toXml());

            XmlElement firehose = get(romeoClient, "<pubsub xmlns='" + PUBSUB + "'><items node='/firehose'/></pubsub>");
            assertTrue(firehose.toXml().contains("refuse thy name"), "an open channel's posts are in the firehose");

            romeoClient.send("<iq type='get' id='mam1' to='" + CHANNELS + "'><query xmlns='urn:xmpp:mam:tmp' queryid='q1'><start>" + start
                    + "</start></query></iq>");
            List<String> forwarded = new java.util.ArrayList<>();
            while (true) {
                XmlElement next = romeoClient.expect(e -> e.name().equals("message") || "mam1".equals(e.attr("id")), WAIT);
                if (next.name().equals("iq")) {
                    assertEquals("result", next.attr("type"));
                    break;
                }
                assertTrue(next.toXml().contains("urn:xmpp:forward:0") && next.toXml().contains("urn:xmpp:delay"), next.toXml());
                forwarded.add(next.toXml());
            }
            assertEquals(3, forwarded.stream().filter(m -> m.contains("<item ")).count(), "the catch-up replays each post of the window");
            // and the membership changes of the followed nodes: romeo's follow and his promotion
            assertTrue(forwarded.stream().anyMatch(m -> m.contains("<subscription ") && m.contains(node)
                    && m.contains("jid=\"" + romeo.jid() + "\"") && m.contains("subscription=\"subscribed\"")), forwarded.toString());
            assertTrue(forwarded.stream().anyMatch(m -> m.contains("<affiliations ") && m.contains(node)
                    && m.contains("jid=\"" + romeo.jid() + "\"") && m.contains("affiliation=\"publisher\"")), forwarded.toString());

            romeoClient.send("<presence to='" + CHANNELS + "'/>");
            romeoClient.iq("<iq type='get' to='" + CHANNELS + "'><ping xmlns='urn:xmpp:ping'/></iq>");
            XmlElement retracted = julietClient.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='" + PUBSUB + "'><retract node='"
                    + node + "'><item id='" + parent + "'/></retract></pubsub></iq>");
            assertEquals("result", retracted.attr("type"), retracted.toXml());
            XmlElement notice = romeoClient.expect(m -> m.toXml().contains("<retract") && m.toXml().contains(parent), WAIT);
            assertEquals("headline", notice.attr("type"));
            assertFalse(get(romeoClient, "<pubsub xmlns='" + PUBSUB + "'><items node='" + node + "'/></pubsub>").toXml()
                    .contains("Tis but thy name"), "retracting a post retracts its replies");

            String diary = "/user/" + juliet.jid() + "/diary";
            julietClient.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='" + PUBSUB + "'><create node='" + diary + "'/></pubsub></iq>");
            romeoClient.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='" + PUBSUB + "'><subscribe node='" + diary + "' jid='"
                    + romeo.jid() + "'/></pubsub></iq>");
            julietClient.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><delete node='"
                    + diary + "'/></pubsub></iq>");
            romeoClient.expect(m -> m.toXml().contains("<delete") && m.toXml().contains(diary), WAIT);
        }
    }
}
