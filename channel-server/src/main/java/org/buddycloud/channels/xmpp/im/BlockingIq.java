package org.buddycloud.channels.xmpp.im;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import org.buddycloud.channels.service.RosterTransactions;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.channels.xmpp.stream.ClientSession;
import org.buddycloud.channels.xmpp.stream.SessionRegistry;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * XEP-0191 blocking command: the blocklist, block and unblock, pushed to the resources that asked
 * for the list. A newly blocked contact stops seeing the user online at once; an unblocked one that
 * is subscribed sees the user's presence again.
 */
@ApplicationScoped
public class BlockingIq {

    private final RosterTransactions rosters;
    private final LivePresence live;
    private final SessionRegistry sessions;
    private final Presences presences;

    BlockingIq(RosterTransactions rosters, LivePresence live, SessionRegistry sessions, Presences presences) {
        this.rosters = rosters;
        this.live = live;
        this.sessions = sessions;
        this.presences = presences;
    }

    public XmlElement handle(ClientSession from, XmlElement iq, XmlElement command) {
        Jid user = from.fullJid().toBare();
        String type = iq.attr("type");
        if ("get".equals(type) && command.name().equals("blocklist")) {
            live.askedForBlocklist(from.fullJid());
            XmlElement reply = Stanzas.result(iq);
            XmlElement list = reply.add("blocklist", Namespaces.BLOCKING);
            rosters.blocked(user).forEach(jid -> list.add("item").attr("jid", jid));
            return reply;
        }
        if ("set".equals(type) && command.name().equals("block")) {
            List<Jid> blocked = rosters.block(user, addresses(command));
            push(user, "block", blocked);
            for (Jid contact : blocked) {
                if (contact.localpart().isPresent()) {
                    presences.unavailableTo(user, contact.toBare());
                    presences.unavailableFrom(contact.toBare(), user);
                }
            }
            return Stanzas.result(iq);
        }
        if ("set".equals(type) && command.name().equals("unblock")) {
            List<Jid> named = addresses(command);
            List<Jid> unblocked = rosters.unblock(user, named);
            push(user, "unblock", named.isEmpty() ? List.of() : unblocked);
            for (Jid contact : unblocked) {
                if (contact.localpart().isPresent() && rosters.state(user, contact).from()) {
                    presences.presenceOf(user, contact.toBare());
                }
            }
            return Stanzas.result(iq);
        }
        throw new DomainException(Condition.BAD_REQUEST, "expected <blocklist/> (get), <block/> or <unblock/> (set)");
    }

    private static List<Jid> addresses(XmlElement command) {
        return command.elements("item", Namespaces.BLOCKING).stream().map(item -> {
            String jid = item.attr("jid");
            if (jid == null) {
                throw new DomainException(Condition.BAD_REQUEST, "an item has no 'jid'");
            }
            return Stanzas.jidValue("jid", jid);
        }).distinct().toList();
    }

    private void push(Jid user, String what, List<Jid> addresses) {
        for (ClientSession session : sessions.sessionsOf(user)) {
            if (live.getsBlocklistPushes(session)) {
                XmlElement iq = XmlElement.of("iq", Namespaces.CLIENT).attr("type", "set").attr("id", "push-" + UUID.randomUUID())
                        .attr("to", session.fullJid());
                XmlElement command = iq.add(what, Namespaces.BLOCKING);
                addresses.forEach(jid -> command.add("item").attr("jid", jid));
                session.send(iq);
            }
        }
    }
}
