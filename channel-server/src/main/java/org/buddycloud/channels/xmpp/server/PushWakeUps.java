package org.buddycloud.channels.xmpp.server;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.buddycloud.channels.push.PushRegistrations;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.channels.xmpp.XmppConfig;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.xml.Fragments;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.xmppkit.xml.XmppStreamException;
import org.jboss.logging.Logger;

/**
 * A message kept for a user none of whose sessions can take it wakes the user's clients through their XEP-0357
 * registrations: the sender and text are read from the kept stanza. Only a message with a body does: chat states and
 * receipts alone are not worth waking a phone for. Runs in the caller's transaction, the one that keeps the message.
 */
@ApplicationScoped
public class PushWakeUps {

    private static final Logger LOG = Logger.getLogger(PushWakeUps.class);

    private final PushRegistrations registrations;
    private final XmppConfig config;

    PushWakeUps(PushRegistrations registrations, XmppConfig config) {
        this.registrations = registrations;
        this.config = config;
    }

    /** {@code stanza} was kept for {@code user}, {@code waiting} kept in all. */
    public void kept(Jid user, String stanza, int waiting) {
        XmlElement message;
        try {
            message = Fragments.parse(stanza, config.maxStanzaBytes() * 2, config.maxDepth() + 2);
        } catch (XmppStreamException e) {
            LOG.warnf("no push for an unreadable message kept for %s", user);
            return;
        }
        kept(user, message, waiting);
    }

    /** As {@link #kept(Jid, String, int)} with the message at hand (for a session that sleeps with messages queued, say). */
    public void kept(Jid user, XmlElement message, int waiting) {
        Optional<String> body = message.childText("body", message.namespace()).filter(text -> !text.isBlank());
        Optional<Jid> sender = Optional.ofNullable(message.attr("from")).flatMap(Stanzas::jid);
        if (body.isEmpty() || sender.isEmpty()) {
            return;
        }
        registrations.messageKept(user, sender.get(), body.get(), waiting);
    }
}
