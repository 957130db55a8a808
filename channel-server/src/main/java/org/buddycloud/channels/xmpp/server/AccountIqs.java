package org.buddycloud.channels.xmpp.server;

import jakarta.enterprise.context.ApplicationScoped;
import org.buddycloud.channels.xmpp.IqAnswers;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.channels.xmpp.stream.ClientSession;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * IQs a user sends to her own bare JID, which the server answers on the account's behalf (RFC 6121 §10.3.3):
 * discovery of the account (XEP-0030: a registered account with a message archive, XEP-0313, that stamps
 * stanza ids, XEP-0359), its archive, and anything else as if sent to the server.
 */
@ApplicationScoped
public class AccountIqs {

    private final MamIqs mam;
    private final ServerIqs server;

    AccountIqs(MamIqs mam, ServerIqs server) {
        this.mam = mam;
        this.server = server;
    }

    public XmlElement handle(ClientSession from, XmlElement iq) {
        String type = iq.attr("type");
        if (!"get".equals(type) && !"set".equals(type)) {
            return null;
        }
        XmlElement query = iq.firstElement().orElse(null);
        if (query == null) {
            return Stanzas.error(iq, "modify", "bad-request", "an IQ request has one child element", null);
        }
        return IqAnswers.answer(iq, () -> switch (query.namespace()) {
            case Namespaces.MAM -> mam.handle(from, iq);
            case Namespaces.DISCO_INFO -> info(iq, query);
            case Namespaces.DISCO_ITEMS -> items(iq, query);
            default -> server.handle(from, iq);
        });
    }

    private static XmlElement info(XmlElement iq, XmlElement request) {
        if (request.attr("node") != null) {
            return Stanzas.error(iq, "cancel", "item-not-found", "the account has no node " + request.attr("node"), null);
        }
        XmlElement reply = Stanzas.result(iq);
        XmlElement query = reply.add("query", Namespaces.DISCO_INFO);
        query.add("identity").attr("category", "account").attr("type", "registered");
        for (String feature : new String[] {Namespaces.DISCO_INFO, Namespaces.DISCO_ITEMS, Namespaces.MAM, Namespaces.MAM_EXTENDED,
                Namespaces.STANZA_ID}) {
            query.add("feature").attr("var", feature);
        }
        return reply;
    }

    private static XmlElement items(XmlElement iq, XmlElement request) {
        XmlElement reply = Stanzas.result(iq);
        reply.add("query", Namespaces.DISCO_ITEMS).attr("node", request.attr("node"));
        return reply;
    }
}
