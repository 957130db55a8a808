package org.buddycloud.channels.xmpp.pep;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.buddycloud.channels.pep.PepItem;
import org.buddycloud.channels.pep.PepNode;
import org.buddycloud.channels.pep.PepService;
import org.buddycloud.channels.service.RosterTransactions;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.XmppAddresses;
import org.buddycloud.channels.xmpp.stream.ClientSession;
import org.buddycloud.channels.xmpp.stream.SessionRegistry;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * Who hears of a personal node's items (XEP-0163 §4.3): the owner's resources and those of the
 * contacts subscribed to the owner's presence, each only if its capabilities ask for the node and
 * the node's access model lets it read; a resource that comes online gets the last item of every
 * node it asks for.
 */
@ApplicationScoped
public class PepNotifier {

    private final SessionRegistry sessions;
    private final NotifyInterests interests;
    private final RosterTransactions rosters;
    private final PepService pep;
    private final XmppAddresses addresses;

    PepNotifier(SessionRegistry sessions, NotifyInterests interests, RosterTransactions rosters, PepService pep, XmppAddresses addresses) {
        this.sessions = sessions;
        this.interests = interests;
        this.rosters = rosters;
        this.pep = pep;
        this.addresses = addresses;
    }

    public void published(Jid owner, PepNode node, PepItem item) {
        XmlElement items = XmlElement.of("items", Namespaces.PUBSUB_EVENT).attr("node", node.name());
        items.add("item").attr("id", item.id()).appendTrusted(item.payload());
        tell(owner, node, items);
    }

    public void retracted(Jid owner, PepNode node, String itemId) {
        XmlElement items = XmlElement.of("items", Namespaces.PUBSUB_EVENT).attr("node", node.name());
        items.add("retract").attr("id", itemId);
        tell(owner, node, items);
    }

    /** A resource's interests became known: the last item of each node it wants, from the owner and her contacts. */
    public void lastItemsFor(ClientSession session, Set<String> nodes) {
        Jid user = session.fullJid().toBare();
        List<Jid> owners = new ArrayList<>(rosters.subscriptions(user).stream().filter(addresses::isLocalUser).toList());
        Set<Jid> silenced = rosters.silencedAmong(user, owners);
        owners.removeAll(silenced);
        owners.add(user);
        for (PepItem item : pep.lastItems(owners, List.copyOf(nodes))) {
            boolean own = item.owner().equals(user);
            boolean readable = pep.node(item.owner(), item.node())
                    .map(node -> node.access().allows(own, own || rosters.state(item.owner(), user).from())).orElse(false);
            if (readable) {
                XmlElement items = XmlElement.of("items", Namespaces.PUBSUB_EVENT).attr("node", item.node());
                items.add("item").attr("id", item.id()).appendTrusted(item.payload());
                session.send(event(item.owner(), session.fullJid(), items));
            }
        }
    }

    private void tell(Jid owner, PepNode node, XmlElement items) {
        List<ClientSession> audience = new ArrayList<>(sessions.sessionsOf(owner));
        if (node.access().allows(false, true)) {
            List<Jid> subscribers = rosters.subscribers(owner).stream().filter(addresses::isLocalUser).toList();
            Set<Jid> silenced = rosters.silencedAmong(owner, subscribers);
            subscribers.stream().filter(s -> !silenced.contains(s)).forEach(s -> audience.addAll(sessions.sessionsOf(s)));
        }
        for (ClientSession session : audience) {
            if (session.available() && interests.of(session).contains(node.name())) {
                session.send(event(owner, session.fullJid(), items));
            }
        }
    }

    private static XmlElement event(Jid owner, Jid to, XmlElement items) {
        XmlElement message = XmlElement.of("message", Namespaces.CLIENT).attr("type", "headline").attr("from", owner).attr("to", to)
                .attr("id", UUID.randomUUID().toString());
        message.add("event", Namespaces.PUBSUB_EVENT).append(items);
        return message;
    }
}
