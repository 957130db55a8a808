package org.buddycloud.channels.xmpp.cluster;

import java.time.Instant;
import java.util.Set;
import org.buddycloud.channels.xmpp.stream.RemoteSession;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.xml.XmlElement;

/** A session on another replica as the directory read it; what is sent to it goes over the {@link ReplicaBus}. */
record RemoteEntry(ReplicaBus bus, Jid fullJid, String replica, boolean encrypted, Instant availableSince, XmlElement presence,
                   boolean carbons, boolean rosterPushes, boolean blocklistPushes, Set<String> pepNotify) implements RemoteSession {

    @Override
    public boolean available() {
        return availableSince != null;
    }

    @Override
    public void send(XmlElement stanza) {
        bus.send(replica, ReplicaBus.Kind.DELIVER, stanza.toXml(), fullJid.toString());
    }

    /** Handed to the other replica; whether its client takes it is that replica's concern (it keeps what must not be lost). */
    @Override
    public boolean trySend(XmlElement stanza) {
        send(stanza);
        return true;
    }

    @Override
    public void close(String streamErrorCondition, String text) {
        bus.send(replica, ReplicaBus.Kind.CLOSE, "", fullJid.toString(), streamErrorCondition, text == null ? "" : text.replace('\n', ' '));
    }
}
