package org.buddycloud.channels.xmpp;

import org.buddycloud.xmppkit.xml.XmlElement;

/** Where stanzas for one address go: a client session, or the component connection to another server. */
public interface StanzaSink {
    void send(XmlElement stanza);
}
