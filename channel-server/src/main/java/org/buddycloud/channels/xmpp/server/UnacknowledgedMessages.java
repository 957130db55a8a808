package org.buddycloud.channels.xmpp.server;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Supplier;
import org.buddycloud.channels.account.AccountStore;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.XmppAddresses;
import org.buddycloud.channels.xmpp.XmppConfig;
import org.buddycloud.channels.xmpp.stream.ClientSession;
import org.buddycloud.channels.xmpp.stream.SessionRegistry;
import org.buddycloud.channels.xmpp.stream.UnacknowledgedStanzas;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.xml.Fragments;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.xmppkit.xml.XmppStreamException;
import org.jboss.logging.Logger;

/**
 * The chat and normal messages a session sent and its client never acknowledged (XEP-0198 §4), after the session
 * ended (closed, or not resumed in time): nothing lost, nothing doubled. A message addressed to that session alone
 * goes to the user's other available sessions; a message to the bare JID reached every session available when it
 * arrived, so it goes only to those that became available since (a client that reconnected without resuming, say).
 * With no other session available it is kept in offline storage and delivered once at the next initial presence.
 * Either way it is stamped with the time it first arrived. Other stanzas (presence, IQs, headlines such as
 * notifications) are not sent again.
 */
@ApplicationScoped
public class UnacknowledgedMessages implements UnacknowledgedStanzas {

    private static final Logger LOG = Logger.getLogger(UnacknowledgedMessages.class);

    private final SessionRegistry registry;
    private final OfflineMessages offline;
    private final UserDelivery delivery;
    private final AccountStore accounts;
    private final XmppConfig config;
    private final XmppAddresses addresses;

    UnacknowledgedMessages(SessionRegistry registry, OfflineMessages offline, UserDelivery delivery, AccountStore accounts,
                           XmppConfig config, XmppAddresses addresses) {
        this.registry = registry;
        this.offline = offline;
        this.delivery = delivery;
        this.accounts = accounts;
        this.config = config;
        this.addresses = addresses;
    }

    @Override
    public void sessionEnded(Jid fullJid, Supplier<List<Stanza>> end) {
        // under the user's delivery lock: a message is either kept by the session (and handed on below) or never reaches it
        synchronized (delivery.lockOf(fullJid)) {
            List<Stanza> unacknowledged = end.get();
            if (unacknowledged.isEmpty()) {
                return;
            }
            int kept = 0;
            for (Stanza stanza : unacknowledged) {
                XmlElement message = messageWithBody(stanza.xml());
                if (message != null) {
                    redeliver(fullJid, message, stanza.sentAt());
                    kept++;
                }
            }
            LOG.debugf("%s ended with %d stanzas not acknowledged, %d of them messages delivered again", fullJid,
                    unacknowledged.size(), kept);
        }
    }

    private void redeliver(Jid ended, XmlElement message, Instant sentAt) {
        // an offline message delivered at login and lost again keeps the time it first arrived
        XmlElement ours = message.elements("delay", Namespaces.DELAY).stream()
                .filter(delay -> addresses.domain().equals(delay.attr("from"))).findFirst().orElse(null);
        Instant receivedAt = ours == null ? sentAt : stamp(ours, sentAt);
        XmlElement undelayed = without(message, ours);
        Jid user = ended.toBare();
        boolean toThatSession = ended.toString().equals(message.attr("to"));
        synchronized (delivery.lockOf(user)) {
            List<ClientSession> others = registry.sessionsOf(user).stream().filter(ClientSession::available)
                    .filter(session -> !session.fullJid().equals(ended)).toList();
            if (!others.isEmpty()) {
                List<ClientSession> without = toThatSession ? others
                        : others.stream().filter(session -> missed(session, receivedAt)).toList();
                undelayed.add("delay", Namespaces.DELAY).attr("from", addresses.domain()).attr("stamp", receivedAt.toString());
                without.forEach(session -> session.send(undelayed));
                return;
            }
            if (accounts.find(user).isEmpty()) {
                return;
            }
            if (!offline.store(user, undelayed.toXml(), config.maxOfflineMessages(), receivedAt)) {
                LOG.warnf("an unacknowledged message for %s was dropped: the offline store is full", user);
            }
        }
    }

    /** Whether a session did not get a message to the bare JID: it became available after the message arrived. */
    private static boolean missed(ClientSession session, Instant receivedAt) {
        Instant since = session.availableSince();
        return since != null && !since.isBefore(receivedAt);
    }

    /** The stanza if it is a chat or normal message with a body (what offline storage keeps), else null. */
    private XmlElement messageWithBody(String xml) {
        XmlElement stanza;
        try {
            stanza = Fragments.parse(xml, config.maxStanzaBytes() * 2, config.maxDepth() + 2);
        } catch (XmppStreamException e) {
            return null;
        }
        String type = stanza.attr("type");
        boolean chatOrNormal = type == null || type.equals("chat") || type.equals("normal");
        return stanza.name().equals("message") && chatOrNormal && stanza.element("body", stanza.namespace()).isPresent() ? stanza : null;
    }

    private static Instant stamp(XmlElement delay, Instant otherwise) {
        try {
            return Instant.parse(delay.attr("stamp"));
        } catch (DateTimeParseException | NullPointerException e) {
            return otherwise;
        }
    }

    /** A copy without one child element (the stanza's top-level text is only whitespace). */
    private static XmlElement without(XmlElement stanza, XmlElement child) {
        if (child == null) {
            return stanza;
        }
        XmlElement copy = XmlElement.of(stanza.name(), stanza.namespace());
        stanza.attributes().forEach(copy::attr);
        stanza.elements().stream().filter(element -> element != child).forEach(copy::append);
        return copy;
    }
}
