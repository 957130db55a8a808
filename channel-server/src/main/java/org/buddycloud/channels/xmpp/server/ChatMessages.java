package org.buddycloud.channels.xmpp.server;

import org.buddycloud.channels.service.RosterTransactions;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.XmppAddresses;
import org.buddycloud.channels.xmpp.stream.ClientSession;
import org.buddycloud.channels.xmpp.stream.SessionRegistry;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * A message from one of our users to another (or to herself): cleaned of what only the server may write,
 * archived in both users' archives (XEP-0313) with the recipient's stanza id on it (XEP-0359), delivered,
 * and copied to the other clients of both accounts that asked for carbons (XEP-0280).
 */
@ApplicationScoped
public class ChatMessages {

    private final UserDelivery users;
    private final MessageArchive archive;
    private final MamIqs mam;
    private final Carbons carbons;
    private final SessionRegistry registry;
    private final XmppAddresses addresses;
    private final Clock clock;
    private final RosterTransactions rosters;

    ChatMessages(UserDelivery users, MessageArchive archive, MamIqs mam, Carbons carbons, SessionRegistry registry,
                 XmppAddresses addresses, Clock clock, RosterTransactions rosters) {
        this.rosters = rosters;
        this.users = users;
        this.archive = archive;
        this.mam = mam;
        this.carbons = carbons;
        this.registry = registry;
        this.addresses = addresses;
        this.clock = clock;
    }

    public void send(ClientSession from, Jid to, XmlElement stanza) {
        boolean copied = MessageRules.copiedToOtherClients(stanza);
        XmlElement message = MessageRules.cleaned(stanza, jid -> addresses.isServer(jid) || addresses.isLocalUser(jid));
        Jid sender = from.fullJid().toBare();
        Jid recipient = to.toBare();
        boolean toHerself = sender.equals(recipient);
        XmlElement delivered = message;
        XmlElement sentCopy = message;
        if (MessageRules.archivable(message)) {
            String senderId = UUID.randomUUID().toString();
            String recipientId = toHerself ? senderId : UUID.randomUUID().toString();
            Set<Jid> archived = archive(message, sender, senderId, recipient, recipientId, toHerself);
            if (archived.contains(recipient)) {
                delivered = stamped(message, recipient, recipientId);
            }
            if (archived.contains(sender)) {
                sentCopy = stamped(message, sender, senderId);
            }
        }
        // the same test UserDelivery makes: a message to a full JID that is available reaches that session only
        boolean toOneSession = !to.isBare() && registry.session(to).map(ClientSession::available).orElse(false);
        users.deliver(from, to, delivered);
        if (copied && !toHerself) {
            carbons.sent(from, sentCopy);
            if (toOneSession) {
                carbons.received(to, delivered);
            }
        }
    }

    /** Archives the message for the sender and the recipient, as their preferences say; returns whose archives took it. */
    private Set<Jid> archive(XmlElement message, Jid sender, String senderId, Jid recipient, String recipientId, boolean toHerself) {
        Map<Jid, ArchivePrefs> prefs = archive.prefs(toHerself ? List.of(sender) : List.of(sender, recipient));
        ArchivePrefs defaults = mam.defaultPrefs();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String xml = message.toXml();
        List<MessageArchive.Entry> entries = new ArrayList<>(2);
        ArchivePrefs senders = prefs.getOrDefault(sender, defaults);
        if (senders.archives(recipient, senders.defaultMode() == ArchivePrefs.Mode.ROSTER && rosters.inRoster(sender, recipient))) {
            entries.add(new MessageArchive.Entry(sender, senderId, recipient, now, true, xml));
        }
        ArchivePrefs recipients = prefs.getOrDefault(recipient, defaults);
        if (!toHerself && recipients.archives(sender,
                recipients.defaultMode() == ArchivePrefs.Mode.ROSTER && rosters.inRoster(recipient, sender))) {
            entries.add(new MessageArchive.Entry(recipient, recipientId, sender, now, false, xml));
        }
        return entries.isEmpty() ? Set.of() : archive.add(entries);
    }

    private static XmlElement stamped(XmlElement message, Jid by, String id) {
        XmlElement copy = MessageRules.without(message, child -> false);
        copy.add("stanza-id", Namespaces.STANZA_ID).attr("by", by.toString()).attr("id", id);
        return copy;
    }
}
