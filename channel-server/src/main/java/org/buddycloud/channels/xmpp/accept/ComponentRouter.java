package org.buddycloud.channels.xmpp.accept;

import org.buddycloud.channels.xmpp.StanzaSink;
import org.buddycloud.xmppkit.xml.XmlElement;

/** Delivers what a connected component sends (in {@code jabber:client}, its {@code from} checked): to users, the channel service, the server. */
public interface ComponentRouter {
    void routeFromComponent(StanzaSink component, XmlElement stanza);
}
