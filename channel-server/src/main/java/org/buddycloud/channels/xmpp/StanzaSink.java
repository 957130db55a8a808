package org.buddycloud.channels.xmpp;

import org.buddycloud.xmppkit.xml.XmlElement;

/** Where stanzas for one address go: a client session, or the component connection to another server. */
public interface StanzaSink {

    /** For stanzas the server itself sends: errors about them have nobody to go back to. */
    StanzaSink NOWHERE = stanza -> { };

    void send(XmlElement stanza);
}
