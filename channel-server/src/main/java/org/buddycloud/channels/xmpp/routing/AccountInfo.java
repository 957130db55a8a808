package org.buddycloud.channels.xmpp.routing;

import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.channels.xmpp.server.PushIq;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * disco#info of a user's own account (XEP-0030 §3.1 at the bare JID, which the server answers for the account): an
 * {@code account/registered} identity and what the server does on the account's behalf — XEP-0357 push.
 */
final class AccountInfo {

    private AccountInfo() {
    }

    static boolean askedOfAnAccount(XmlElement iq) {
        // the router sends the server nothing but IQs to itself and to the sender's own bare JID
        return Stanzas.jid(iq.attr("to")).filter(to -> to.isBare() && to.localpart().isPresent()).isPresent();
    }

    static XmlElement info(XmlElement iq) {
        XmlElement reply = Stanzas.result(iq);
        XmlElement query = reply.add("query", Namespaces.DISCO_INFO);
        query.add("identity").attr("category", "account").attr("type", "registered");
        for (String feature : new String[] {Namespaces.DISCO_INFO, PushIq.NAMESPACE}) {
            query.add("feature").attr("var", feature);
        }
        return reply;
    }
}
