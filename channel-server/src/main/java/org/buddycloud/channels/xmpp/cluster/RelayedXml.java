package org.buddycloud.channels.xmpp.cluster;

import java.util.Optional;
import org.buddycloud.channels.xmpp.XmppConfig;
import org.buddycloud.xmppkit.xml.Fragments;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.xmppkit.xml.XmppStreamException;
import org.jboss.logging.Logger;

/**
 * A stanza another replica wrote (to the bus or the session directory): written by a replica of ours, but read as
 * carefully as anything from a socket — the stream's limits, no DTDs.
 */
public final class RelayedXml {

    private static final Logger LOG = Logger.getLogger(RelayedXml.class);

    private RelayedXml() {
    }

    /** The stanza, or empty (logged) when it cannot be read. */
    public static Optional<XmlElement> parse(String xml, XmppConfig limits) {
        try {
            return Optional.of(Fragments.parse(xml, limits.maxStanzaBytes() * 2, limits.maxDepth() + 2));
        } catch (XmppStreamException e) {
            LOG.warnf("a stanza from another replica could not be read: %s", e.getMessage());
            return Optional.empty();
        }
    }
}
