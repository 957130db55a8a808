package org.buddycloud.channels.xmpp.im;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.buddycloud.channels.roster.RosterItem;
import org.buddycloud.channels.roster.Rosters;
import org.buddycloud.channels.roster.SubscriptionType;
import org.buddycloud.channels.service.RosterTransactions;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.channels.xmpp.stream.ClientSession;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.xmppkit.xml.XmlElement;

/** {@code jabber:iq:roster} (RFC 6121 §2): the roster get, and sets that add, change or remove one item. */
@ApplicationScoped
public class RosterIq {

    private final RosterTransactions rosters;
    private final RosterPushes pushes;
    private final LivePresence live;
    private final Presences presences;

    RosterIq(RosterTransactions rosters, RosterPushes pushes, LivePresence live, Presences presences) {
        this.rosters = rosters;
        this.pushes = pushes;
        this.live = live;
        this.presences = presences;
    }

    public XmlElement handle(ClientSession from, XmlElement iq, XmlElement query) {
        Jid user = from.fullJid().toBare();
        if ("get".equals(iq.attr("type"))) {
            live.askedForRoster(from.fullJid());
            XmlElement reply = Stanzas.result(iq);
            XmlElement roster = reply.add("query", Namespaces.ROSTER);
            rosters.roster(user).forEach(item -> roster.append(RosterPushes.item(item)));
            return reply;
        }
        List<XmlElement> items = query.elements("item", Namespaces.ROSTER);
        if (items.size() != 1) {
            throw new DomainException(Condition.BAD_REQUEST, "a roster set holds exactly one item");
        }
        XmlElement item = items.get(0);
        String jid = item.attr("jid");
        if (jid == null) {
            throw new DomainException(Condition.BAD_REQUEST, "the item has no 'jid'");
        }
        Jid contact = Stanzas.jidValue("jid", jid);
        if ("remove".equals(item.attr("subscription"))) {
            remove(user, contact);
        } else {
            // 'subscription' and 'ask' from a client mean nothing (RFC 6121 §2.1.2.5): only the name and groups are the client's
            List<String> groups = item.elements("group", Namespaces.ROSTER).stream().map(XmlElement::text).toList();
            Rosters.Changed saved = rosters.update(user, contact, item.attr("name"), groups);
            pushes.changed(user, saved.item(), saved.order());
        }
        return Stanzas.result(iq);
    }

    /** Removing a contact cancels the subscriptions both ways first (RFC 6121 §2.5.2). */
    private void remove(Jid user, Jid contact) {
        RosterItem existing = rosters.roster(user).stream().filter(i -> i.contact().equals(contact)).findFirst()
                .orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND, contact + " is not in your roster"));
        if (existing.state().to() || existing.state().pendingOut()) {
            presences.subscriptionFromUser(user, contact, SubscriptionType.UNSUBSCRIBE);
        }
        if (existing.state().from() || existing.state().pendingIn()) {
            presences.subscriptionFromUser(user, contact, SubscriptionType.UNSUBSCRIBED);
        }
        rosters.remove(user, contact).ifPresent(removed -> pushes.removed(user, contact, removed.order()));
    }
}
