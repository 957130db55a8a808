package org.buddycloud.channels.xmpp.im;

import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.xml.XmlElement;

/** Presence stanzas the server writes or re-addresses. */
final class PresenceCopies {

    private PresenceCopies() {
    }

    /** The same presence addressed to {@code to}; the children are shared, never changed. */
    static XmlElement addressed(XmlElement presence, Jid from, Jid to) {
        XmlElement copy = XmlElement.of("presence", Namespaces.CLIENT);
        presence.attributes().forEach(copy::attr);
        presence.elements().forEach(copy::append);
        return copy.attr("from", from).attr("to", to);
    }

    static XmlElement unavailable(Jid from, Jid to) {
        return XmlElement.of("presence", Namespaces.CLIENT).attr("type", "unavailable").attr("from", from).attr("to", to);
    }

    static XmlElement subscription(String type, Jid from, Jid to) {
        return XmlElement.of("presence", Namespaces.CLIENT).attr("type", type).attr("from", from).attr("to", to);
    }
}
