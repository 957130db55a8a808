package org.buddycloud.xmppkit.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.buddycloud.xmppkit.StanzaReplies;
import org.buddycloud.xmppkit.XmppNamespaces;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.junit.jupiter.api.Test;

class IqTableTest {

    private static final String SEARCH = "jabber:iq:search";

    private final IqTable table = IqTable.of("directory", "channel", "Channel directory")
            .get("query", SEARCH, iq -> StanzaReplies.result(iq).append(XmlElement.of("query", SEARCH)));

    @Test
    void aKnownRequestGoesToItsHandler() {
        XmlElement answer = table.answer(request("get", "query", SEARCH)).orElseThrow();
        assertEquals("result", answer.attr("type"));
        assertEquals("juliet@localhost/balcony", answer.attr("to"));
        assertEquals("directory.localhost", answer.attr("from"));
        assertEquals("q1", answer.attr("id"));
    }

    @Test
    void anUnknownNamespaceIsServiceUnavailable() {
        assertCondition("service-unavailable", table.answer(request("get", "query", "urn:example:unknown")).orElseThrow());
    }

    @Test
    void aKnownNamespaceWithoutAHandlerForTheTypeIsFeatureNotImplemented() {
        assertCondition("feature-not-implemented", table.answer(request("set", "query", SEARCH)).orElseThrow());
    }

    @Test
    void discoInfoNamesTheIdentityAndTheNamespaces() {
        XmlElement answer = table.answer(request("get", "query", XmppNamespaces.DISCO_INFO)).orElseThrow();
        XmlElement query = answer.element("query", XmppNamespaces.DISCO_INFO).orElseThrow();
        assertEquals("directory", query.element("identity", XmppNamespaces.DISCO_INFO).orElseThrow().attr("category"));
        assertEquals(List.of(XmppNamespaces.DISCO_INFO, SEARCH),
                query.elements("feature", XmppNamespaces.DISCO_INFO).stream().map(f -> f.attr("var")).toList());
    }

    private static XmlElement request(String type, String element, String namespace) {
        XmlElement iq = XmlElement.of("iq", XmppNamespaces.CLIENT).attr("type", type).attr("id", "q1")
                .attr("from", "juliet@localhost/balcony").attr("to", "directory.localhost");
        iq.add(element, namespace);
        return iq;
    }

    private static void assertCondition(String condition, XmlElement answer) {
        assertEquals("error", answer.attr("type"), answer.toXml());
        XmlElement error = answer.element("error", XmppNamespaces.CLIENT).orElseThrow();
        assertTrue(error.element(condition, XmppNamespaces.STANZA_ERRORS).isPresent(), answer.toXml());
        assertEquals("cancel", error.attr("type"));
    }
}
