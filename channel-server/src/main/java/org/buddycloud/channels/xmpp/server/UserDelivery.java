package org.buddycloud.channels.xmpp.server;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.buddycloud.channels.account.AccountStore;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.StanzaSink;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.channels.xmpp.XmppAddresses;
import org.buddycloud.channels.xmpp.XmppConfig;
import org.buddycloud.channels.xmpp.stream.ClientSession;
import org.buddycloud.channels.xmpp.stream.SessionRegistry;
import org.buddycloud.xmppkit.xml.Fragments;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.xmppkit.xml.XmppStreamException;
import org.buddycloud.contracts.jid.Jid;
import org.jboss.logging.Logger;

/**
 * Stanzas between local users (RFC 6121 §8.5): to a full JID if that session is online, else to
 * the user's available sessions — on whichever replica they are; chat and normal messages for a user with none are
 * kept and delivered, with a delay stamp, at the user's next initial presence.
 */
@ApplicationScoped
public class UserDelivery {

    private static final Logger LOG = Logger.getLogger(UserDelivery.class);

    private final SessionRegistry registry;
    private final OfflineMessages offline;
    private final AccountStore accounts;
    private final XmppConfig config;
    private final XmppAddresses addresses;
    private final Object[] locks = new Object[64];

    UserDelivery(SessionRegistry registry, OfflineMessages offline, AccountStore accounts, XmppConfig config, XmppAddresses addresses) {
        this.registry = registry;
        this.offline = offline;
        this.accounts = accounts;
        this.config = config;
        this.addresses = addresses;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    /** {@code from} is where errors go back to: the sender's session, or a component's stream. */
    public void deliver(StanzaSink from, Jid to, XmlElement stanza) {
        String type = stanza.attr("type");
        if (!to.isBare()) {
            var session = registry.session(to);
            if (session.isPresent() && (session.get().available() || stanza.name().equals("iq"))) {
                session.get().send(stanza);
                return;
            }
        }
        if (stanza.name().equals("iq")) {
            reply(from, stanza, "cancel", "service-unavailable");
            return;
        }
        // under the recipient's lock: she cannot become available between "nobody online" and "kept for later"
        synchronized (lockOf(to)) {
            List<ClientSession> online = registry.sessionsOf(to).stream().filter(ClientSession::available).toList();
            if (!online.isEmpty()) {
                online.forEach(session -> session.send(stanza));
                return;
            }
            if (!stanza.name().equals("message") || "error".equals(type) || "headline".equals(type) || "groupchat".equals(type)) {
                return;
            }
            if (accounts.find(to.toBare()).isEmpty()) {
                reply(from, stanza, "cancel", "service-unavailable");
                return;
            }
            switch (offline.keepUnlessAvailable(to.toBare(), stanza.toXml(), config.maxOfflineMessages())) {
                case FULL -> reply(from, stanza, "wait", "resource-constraint");
                // she became available on another replica meanwhile: there it goes
                case AVAILABLE -> registry.sessionsOf(to).stream().filter(ClientSession::available).forEach(session -> session.send(stanza));
                case KEPT -> { }
            }
        }
    }

    /**
     * A stanza another replica sent to a session it believed to be here. If the session is gone, its directory entry
     * was stale: a message is delivered again as if to the bare JID (other sessions, or kept offline).
     */
    public void fromOtherReplica(Jid to, XmlElement stanza) {
        var session = registry.localSession(to);
        if (session.isPresent()) {
            session.get().send(stanza);
            return;
        }
        registry.forgetStale(to);
        String type = stanza.attr("type");
        if (stanza.name().equals("message") && !"error".equals(type) && !"headline".equals(type) && !"groupchat".equals(type)) {
            deliver(StanzaSink.NOWHERE, to.toBare(), stanza);
        }
    }

    /** Initial presence: the session is available from now on and gets what was kept for the user. */
    public void becameAvailable(ClientSession session) {
        synchronized (lockOf(session.fullJid())) {
            boolean wasAvailable = session.available();
            session.available(true);
            if (!wasAvailable) {
                deliverOffline(session);
            }
        }
    }

    /** Held while deciding between a user's sessions and offline storage, so that she cannot become available in between. */
    Object lockOf(Jid user) {
        return locks[Math.floorMod(user.toBare().hashCode(), locks.length)];
    }

    /** Sends a user's kept messages to the session that just became available; what it cannot take stays kept. */
    private void deliverOffline(ClientSession session) {
        offline.deliver(session.fullJid().toBare(), kept -> {
            XmlElement message;
            try {
                message = Fragments.parse(kept.stanza(), config.maxStanzaBytes() * 2, config.maxDepth() + 2);
            } catch (XmppStreamException e) {
                LOG.warnf("dropped an unreadable offline message %d for %s", kept.id(), session.fullJid());
                return true;
            }
            message.add("delay", Namespaces.DELAY).attr("from", addresses.domain()).attr("stamp", stamp(kept.storedAt()));
            return session.trySend(message);
        });
    }

    private static String stamp(Instant at) {
        return at.toString();
    }

    private static void reply(StanzaSink from, XmlElement stanza, String type, String condition) {
        if (!"error".equals(stanza.attr("type"))) {
            from.send(Stanzas.error(stanza, type, condition, null, null));
        }
    }
}
