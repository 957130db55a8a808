package org.buddycloud.channels.xmpp.stream;

import org.buddycloud.xmppkit.xml.XmlElement;

/** Delivers what a bound client sends: to the server, the channel service, another user. */
public interface StanzaRouter {
    void route(ClientSession from, XmlElement stanza);
}
