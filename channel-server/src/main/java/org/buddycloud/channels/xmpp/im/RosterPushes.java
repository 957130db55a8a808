package org.buddycloud.channels.xmpp.im;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.buddycloud.channels.roster.RosterItem;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.stream.ClientSession;
import org.buddycloud.channels.xmpp.stream.RosterPushOrder;
import org.buddycloud.channels.xmpp.stream.SessionRegistry;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.xml.XmlElement;

/** Roster items on the wire (RFC 6121 §2.1), and roster pushes to the resources that asked for the roster. */
@ApplicationScoped
public class RosterPushes {

    private final SessionRegistry sessions;
    private final LivePresence live;

    RosterPushes(SessionRegistry sessions, LivePresence live) {
        this.sessions = sessions;
        this.live = live;
    }

    /** The item as a change left it; {@code order} is the change's place in line among the pair's changes. */
    public void changed(Jid owner, RosterItem item, long order) {
        push(owner, item(item), order);
    }

    public void removed(Jid owner, Jid contact, long order) {
        push(owner, XmlElement.of("item", Namespaces.ROSTER).attr("jid", contact).attr("subscription", "remove"), order);
    }

    static XmlElement item(RosterItem item) {
        XmlElement element = XmlElement.of("item", Namespaces.ROSTER).attr("jid", item.contact())
                .attr("subscription", item.state().subscription());
        if (item.name() != null) {
            element.attr("name", item.name());
        }
        if (item.state().pendingOut()) {
            element.attr("ask", "subscribe");
        }
        if (item.state().preApproved()) {
            element.attr("approved", "true");
        }
        item.groups().forEach(group -> element.addText("group", group));
        return element;
    }

    private void push(Jid owner, XmlElement item, long order) {
        for (ClientSession session : sessions.sessionsOf(owner)) {
            if (live.getsRosterPushes(session)) {
                XmlElement iq = XmlElement.of("iq", Namespaces.CLIENT).attr("type", "set").attr("id", "push-" + UUID.randomUUID())
                        .attr("to", session.fullJid());
                iq.add("query", Namespaces.ROSTER).append(item);
                // sent after the commit from this thread: the session puts pushes back in the changes' order
                session.send(RosterPushOrder.mark(iq, order));
            }
        }
    }
}
