package org.buddycloud.xmppkit.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class XmlElementTest {

    private static final String CLIENT = "jabber:client";
    private static final String SERVER = "jabber:server";

    @Test
    void aStanzaMovesToTheServerNamespaceWithItsOwnChildrenButNotAStanzaItCarries() {
        XmlElement message = XmlElement.of("message", CLIENT).attr("to", "juliet@capulet.lit");
        message.addText("body", "hello");
        XmlElement forwarded = message.add("forwarded", "urn:xmpp:forward:0");
        forwarded.add("message", CLIENT).attr("from", "tybalt@capulet.lit").addText("body", "carried");

        assertEquals("<message xmlns=\"jabber:server\" to=\"juliet@capulet.lit\"><body>hello</body>"
                + "<forwarded xmlns=\"urn:xmpp:forward:0\"><message xmlns=\"jabber:client\" from=\"tybalt@capulet.lit\">"
                + "<body>carried</body></message></forwarded></message>",
                message.stanzaInNamespace(CLIENT, SERVER).toXml());
        assertEquals(message.toXml(), message.stanzaInNamespace(CLIENT, SERVER).stanzaInNamespace(SERVER, CLIENT).toXml(),
                "and back, as it was");
    }
}
