package org.buddycloud.xmppkit;

/** The namespaces of XMPP streams themselves, which every end of a stream speaks. */
public final class XmppNamespaces {

    public static final String CLIENT = "jabber:client";
    public static final String COMPONENT = "jabber:component:accept";
    public static final String STREAMS = "http://etherx.jabber.org/streams";
    public static final String STREAM_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams";
    public static final String STANZA_ERRORS = "urn:ietf:params:xml:ns:xmpp-stanzas";
    public static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";

    private XmppNamespaces() {
    }
}
