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
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/** XEP-0060 requests that name several affiliations, subscriptions or items change all of them or none. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class XmppOwnerBatchTest {

    private static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    private static final String OWNER = "http://jabber.org/protocol/pubsub#owner";

    @Test
    void aRequestWithOneRefusedEntryChangesNothing() throws Exception {
        Login juliet = account("juliet");
        Login tybalt = account("tybalt");
        String node = "/user/" + juliet.jid() + "/posts";
        try (RawClient client = RawClient.login(port(), tls(), "SCRAM-SHA-256", juliet.username(), juliet.password())) {
            // tybalt's ban comes first, juliet's own demotion is refused: the ban must not stay
            XmlElement set = client.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='" + OWNER + "'><affiliations node='"
                    + node + "'><affiliation jid='" + tybalt.jid() + "' affiliation='outcast'/><affiliation jid='" + juliet.jid()
                    + "' affiliation='member'/></affiliations></pubsub></iq>");
            assertEquals("error", set.attr("type"));
            XmlElement affiliations = client.iq("<iq type='get' to='" + CHANNELS + "'><pubsub xmlns='" + OWNER + "'><affiliations node='"
                    + node + "'/></pubsub></iq>");
            assertFalse(affiliations.toString().contains(tybalt.jid()), affiliations.toString());

            String publish = "<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='" + PUBSUB + "'><publish node='" + node + "'>"
                    + "<item id='kept'><entry xmlns='http://www.w3.org/2005/Atom'><content>stays</content></entry></item>"
                    + "</publish></pubsub></iq>";
            assertEquals("result", client.iq(publish).attr("type"));
            XmlElement retract = client.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='" + PUBSUB + "'><retract node='"
                    + node + "'><item id='kept'/><item id='never-published'/></retract></pubsub></iq>");
            assertEquals("error", retract.attr("type"));
            XmlElement items = client.iq("<iq type='get' to='" + CHANNELS + "'><pubsub xmlns='" + PUBSUB + "'><items node='"
                    + node + "'><item id='kept'/></items></pubsub></iq>");
            assertTrue(items.toString().contains("stays"), "the first item of a refused retraction is still there: " + items);
        }
    }
}
