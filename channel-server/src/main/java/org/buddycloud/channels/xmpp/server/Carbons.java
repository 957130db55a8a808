package org.buddycloud.channels.xmpp.server;

import jakarta.enterprise.context.ApplicationScoped;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.channels.xmpp.cluster.SessionDirectory;
import org.buddycloud.channels.xmpp.stream.ClientSession;
import org.buddycloud.channels.xmpp.stream.SessionRegistry;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * XEP-0280 message carbons: a session turns them on and off, and then gets a copy of what the account's
 * other clients send and of what reaches only one of them. Copies come from the account's bare JID and are
 * sent to sessions straight away, never routed again, so a copy is never copied.
 */
@ApplicationScoped
public class Carbons {

    private final SessionRegistry registry;
    private final SessionDirectory directory;

    Carbons(SessionRegistry registry, SessionDirectory directory) {
        this.registry = registry;
        this.directory = directory;
    }

    /** {@code <enable/>} or {@code <disable/>}, for this session only. */
    public XmlElement handle(ClientSession from, XmlElement iq) {
        XmlElement request = iq.firstElement().orElseThrow();
        if (!"set".equals(iq.attr("type"))) {
            return Stanzas.error(iq, "modify", "bad-request", "carbons are enabled or disabled with an IQ set", null);
        }
        if (request.is("enable", Namespaces.CARBONS)) {
            from.carbons(true);
            directory.carbons(from.fullJid(), true);
        } else if (request.is("disable", Namespaces.CARBONS)) {
            from.carbons(false);
            directory.carbons(from.fullJid(), false);
        } else {
            return Stanzas.error(iq, "modify", "bad-request", "expected <enable/> or <disable/>", null);
        }
        return Stanzas.result(iq);
    }

    /** What {@code sender} sent, to the account's other clients that asked for carbons. */
    void sent(ClientSession sender, XmlElement message) {
        copy(sender.fullJid(), "sent", message);
    }

    /** What reached only the session {@code recipient} (a full JID), to the account's other clients that asked for carbons. */
    void received(Jid recipient, XmlElement message) {
        copy(recipient, "received", message);
    }

    private void copy(Jid except, String direction, XmlElement message) {
        Jid account = except.toBare();
        for (ClientSession session : registry.sessionsOf(account)) {
            if (session.carbons() && session.available() && !session.fullJid().equals(except)) {
                XmlElement carbon = XmlElement.of("message", Namespaces.CLIENT).attr("from", account.toString())
                        .attr("to", session.fullJid().toString()).attr("type", message.attr("type"));
                carbon.add(direction, Namespaces.CARBONS).add("forwarded", Namespaces.FORWARD).append(message);
                session.send(carbon);
            }
        }
    }
}
