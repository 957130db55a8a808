package org.buddycloud.channels.xmpp.s2s;

import org.buddycloud.channels.xmpp.StanzaSink;
import org.buddycloud.xmppkit.xml.XmlElement;

/** Where the stanzas of another domain's server go, once the stream checked that its {@code from} proved itself. */
public interface ServerRouter {

    /** {@code server} takes the answers and errors: they go back over our own stream to that domain. */
    void routeFromServer(StanzaSink server, XmlElement stanza);
}
