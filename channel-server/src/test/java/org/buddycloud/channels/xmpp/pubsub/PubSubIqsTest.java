package org.buddycloud.channels.xmpp.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Collectors;
import org.buddycloud.channels.xmpp.IqAnswers;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.xml.Fragments;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.junit.jupiter.api.Test;

/**
 * How the table of pubsub handlers refuses what it does not handle. Every refusal here is decided before the channel
 * core would be asked, so there is none: a request that reached a handler would fail with internal-server-error.
 */
class PubSubIqsTest {

    private static final String NODE = "/user/juliet@example.com/posts";

    private final PubSubIqs iqs = new PubSubIqs(null, null, null, null);

    @Test
    void aRequestNotInTheTableIsABadRequestThatNamesIt() {
        assertEquals("modify bad-request: unsupported pubsub request <foo/>", refusal("get", Namespaces.PUBSUB, "<foo/>"));
        assertEquals("modify bad-request: unsupported pubsub request <foo/>",
                refusal("set", Namespaces.PUBSUB, "<foo xmlns='" + Namespaces.BUDDYCLOUD + "'/>"));
        assertEquals("modify bad-request: unsupported pubsub request <foo/>", refusal("set", Namespaces.PUBSUB_OWNER,
                "<foo node='" + NODE + "'/>"));
    }

    @Test
    void purgingAndDefaultsAreFeaturesNotImplemented() {
        for (String namespace : new String[] {Namespaces.PUBSUB, Namespaces.PUBSUB_OWNER}) {
            assertEquals("cancel feature-not-implemented unsupported(purge-nodes): unsupported pubsub request <purge/>",
                    refusal("set", namespace, "<purge node='" + NODE + "'/>"));
            assertEquals("cancel feature-not-implemented unsupported(retrieve-default): unsupported pubsub request <default/>",
                    refusal("get", namespace, "<default/>"));
        }
    }

    @Test
    void aChangeAskedForWithGetIsRefusedAsOne() {
        for (String change : new String[] {"create", "publish", "retract", "subscribe", "unsubscribe"}) {
            assertEquals("modify bad-request: this request is an IQ of type set", refusal("get", Namespaces.PUBSUB, "<" + change + "/>"));
        }
        assertEquals("modify bad-request: this request is an IQ of type set",
                refusal("get", Namespaces.PUBSUB_OWNER, "<delete node='" + NODE + "'/>"));
    }

    @Test
    void anOwnerRequestWithoutANodeIsRefusedForThatFirst() {
        assertEquals("modify bad-request nodeid-required: a node is required", refusal("get", Namespaces.PUBSUB_OWNER, "<foo/>"));
        assertEquals("modify bad-request nodeid-required: a node is required", refusal("get", Namespaces.PUBSUB_OWNER, "<delete/>"));
    }

    @Test
    void buddycloudExtensionsAreToldApartByTheirNamespace() {
        assertEquals("modify bad-request since-required: since is required",
                refusal("get", Namespaces.PUBSUB, "<user-items xmlns='" + Namespaces.BUDDYCLOUD + "'/>"));
        assertEquals("modify bad-request: unsupported pubsub request <user-items/>", refusal("get", Namespaces.PUBSUB, "<user-items/>"));
    }

    @Test
    void qualifiersAloneAreAnEmptyRequest() {
        assertEquals("modify bad-request: an empty pubsub request",
                refusal("get", Namespaces.PUBSUB, "<set xmlns='" + Namespaces.RSM + "'/><options/>"));
    }

    /** The error a request gets, as "type condition application-condition(feature): text". */
    private String refusal(String type, String namespace, String request) {
        XmlElement iq = parse("<iq xmlns='jabber:client' type='" + type + "' id='q1' from='romeo@example.com/phone'"
                + " to='channels.example.com'><pubsub xmlns='" + namespace + "'>" + request + "</pubsub></iq>");
        XmlElement pubsub = iq.firstElement().orElseThrow();
        Actor actor = Actor.of(Jid.parse("romeo@example.com"));
        XmlElement reply = IqAnswers.answer(iq, () -> namespace.equals(Namespaces.PUBSUB_OWNER)
                ? iqs.owner(iq, pubsub, actor) : iqs.user(iq, pubsub, actor));
        XmlElement error = reply.element("error", "jabber:client").orElseThrow(() -> new AssertionError("no error: " + reply.toXml()));
        String conditions = error.elements().stream().filter(e -> !e.name().equals("text"))
                .map(e -> e.name() + (e.attr("feature") == null ? "" : "(" + e.attr("feature") + ")")).collect(Collectors.joining(" "));
        return error.attr("type") + " " + conditions + ": " + error.childText("text", Namespaces.STANZA_ERRORS).orElse("");
    }

    private static XmlElement parse(String xml) {
        try {
            return Fragments.parse(xml, 65_536, 16);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
