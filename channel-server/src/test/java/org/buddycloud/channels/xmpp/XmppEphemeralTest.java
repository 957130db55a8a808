package org.buddycloud.channels.xmpp;

import static org.buddycloud.channels.xmpp.XmppTestSupport.CHANNELS;
import static org.buddycloud.channels.xmpp.XmppTestSupport.account;
import static org.buddycloud.channels.xmpp.XmppTestSupport.port;
import static org.buddycloud.channels.xmpp.XmppTestSupport.tls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/**
 * An ephemeral topic channel over XMPP: chosen in the create-and-configure form, shown in the node's
 * configuration, fixed afterwards, a follower becomes moderator, and the last one to leave ends it.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class XmppEphemeralTest {

    private static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    private static final String OWNER = "http://jabber.org/protocol/pubsub#owner";

    private static String form(String type, String field, String value) {
        return "<x xmlns='jabber:x:data' type='" + type + "'><field var='FORM_TYPE' type='hidden'>"
                + "<value>http://jabber.org/protocol/pubsub#node_config</value></field>"
                + "<field var='" + field + "'><value>" + value + "</value></field></x>";
    }

    private static String configured(XmlElement reply, String field) {
        return reply.element("pubsub", OWNER).flatMap(p -> p.element("configure", OWNER))
                .flatMap(c -> c.element("x", "jabber:x:data")).orElseThrow()
                .elements("field", "jabber:x:data").stream().filter(f -> field.equals(f.attr("var")))
                .findFirst().flatMap(f -> f.element("value", "jabber:x:data")).map(XmlElement::text).orElse(null);
    }

    @Test
    void anEphemeralTopicIsChosenAtCreationAndEndsWithItsLastFollower() throws Exception {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        String node = "/user/tryst-" + UUID.randomUUID().toString().substring(0, 8) + "@topics.localhost/posts";
        try (RawClient julietClient = RawClient.login(port(), tls(), "SCRAM-SHA-256", juliet.username(), juliet.password());
             RawClient romeoClient = RawClient.login(port(), tls(), "SCRAM-SHA-256", romeo.username(), romeo.password())) {
            XmlElement created = julietClient.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='" + PUBSUB + "'>"
                    + "<create node='" + node + "'/><configure>" + form("submit", "buddycloud#ephemeral", "true")
                    + "</configure></pubsub></iq>");
            assertEquals("result", created.attr("type"), created.toString());
            String configure = "<iq type='get' to='" + CHANNELS + "'><pubsub xmlns='" + OWNER + "'><configure node='" + node
                    + "'/></pubsub></iq>";
            assertEquals("true", configured(julietClient.iq(configure), "buddycloud#ephemeral"));

            XmlElement changed = julietClient.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='" + OWNER + "'>"
                    + "<configure node='" + node + "'>" + form("submit", "buddycloud#ephemeral", "false") + "</configure></pubsub></iq>");
            assertEquals("error", changed.attr("type"), "ephemeral is fixed at creation");

            XmlElement followed = romeoClient.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='" + PUBSUB + "'>"
                    + "<subscribe node='" + node + "' jid='" + romeo.jid() + "'/></pubsub></iq>");
            assertEquals("result", followed.attr("type"), followed.toString());
            XmlElement deleted = julietClient.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='" + OWNER + "'>"
                    + "<delete node='" + node + "'/></pubsub></iq>");
            assertEquals("error", deleted.attr("type"));
            assertTrue(deleted.toString().contains("can-not-delete-ephemeral-node"), deleted.toString());

            for (RawClient leaving : new RawClient[] {julietClient, romeoClient}) {
                String jid = leaving == julietClient ? juliet.jid() : romeo.jid();
                XmlElement left = leaving.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='" + PUBSUB + "'>"
                        + "<unsubscribe node='" + node + "' jid='" + jid + "'/></pubsub></iq>");
                assertEquals("result", left.attr("type"), left.toString());
            }
            XmlElement gone = julietClient.iq(configure);
            assertEquals("error", gone.attr("type"), "the last follower's leaving ended the channel");
            assertTrue(gone.toString().contains("item-not-found"), gone.toString());
        }
    }
}
