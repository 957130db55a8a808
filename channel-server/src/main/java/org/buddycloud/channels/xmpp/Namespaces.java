package org.buddycloud.channels.xmpp;

import org.buddycloud.xmppkit.XmppNamespaces;

/** The XML namespaces this server speaks. */
public final class Namespaces {

    public static final String CLIENT = XmppNamespaces.CLIENT;
    public static final String COMPONENT = XmppNamespaces.COMPONENT;
    public static final String STREAMS = XmppNamespaces.STREAMS;
    public static final String STREAM_ERRORS = XmppNamespaces.STREAM_ERRORS;
    public static final String STANZA_ERRORS = XmppNamespaces.STANZA_ERRORS;
    public static final String TLS = "urn:ietf:params:xml:ns:xmpp-tls";
    public static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
    public static final String BIND = "urn:ietf:params:xml:ns:xmpp-bind";
    public static final String SESSION = "urn:ietf:params:xml:ns:xmpp-session";
    public static final String FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";
    public static final String REGISTER_FEATURE = "http://jabber.org/features/iq-register";
    public static final String REGISTER = "jabber:iq:register";
    public static final String ROSTER = "jabber:iq:roster";
    public static final String BLOCKING = "urn:xmpp:blocking";
    public static final String BLOCKING_ERRORS = "urn:xmpp:blocking:errors";
    public static final String PRE_APPROVAL = "urn:xmpp:features:pre-approval";
    public static final String CAPS = "http://jabber.org/protocol/caps";
    public static final String VCARD = "vcard-temp";
    public static final String VCARD_UPDATE = "vcard-temp:x:update";
    public static final String PUBSUB_PUBLISH_OPTIONS = "http://jabber.org/protocol/pubsub#publish-options";
    public static final String PING = "urn:xmpp:ping";
    public static final String VERSION = "jabber:iq:version";
    public static final String DISCO_INFO = XmppNamespaces.DISCO_INFO;
    public static final String DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
    public static final String DATA = "jabber:x:data";
    public static final String RSM = "http://jabber.org/protocol/rsm";
    public static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    public static final String PUBSUB_OWNER = "http://jabber.org/protocol/pubsub#owner";
    public static final String PUBSUB_EVENT = "http://jabber.org/protocol/pubsub#event";
    public static final String PUBSUB_ERRORS = "http://jabber.org/protocol/pubsub#errors";
    public static final String BUDDYCLOUD = "http://buddycloud.org/v1";
    public static final String BUDDYCLOUD_ERRORS = "http://buddycloud.org/v1/errors";
    public static final String SEARCH = "jabber:iq:search";
    public static final String MAM_TMP = "urn:xmpp:mam:tmp";
    public static final String FORWARD = "urn:xmpp:forward:0";
    public static final String DELAY = "urn:xmpp:delay";
    public static final String HTTP_AUTH = "http://jabber.org/protocol/http-auth";
    public static final String MAM = "urn:xmpp:mam:2";
    /** XEP-0313 §7: the before-id, after-id and ids fields. */
    public static final String MAM_EXTENDED = "urn:xmpp:mam:2#extended";
    public static final String STANZA_ID = "urn:xmpp:sid:0";
    public static final String CARBONS = "urn:xmpp:carbons:2";
    public static final String HINTS = "urn:xmpp:hints";
    public static final String CHAT_STATES = "http://jabber.org/protocol/chatstates";

    private Namespaces() {
    }
}
