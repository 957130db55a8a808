package org.buddycloud.xmppkit.s2s;

/** The namespaces of server-to-server streams (RFC 6120, XEP-0220). */
public final class S2sNamespaces {

    /** Stanzas between servers. */
    public static final String SERVER = "jabber:server";
    /** {@code <db:result/>} and {@code <db:verify/>} of Server Dialback. */
    public static final String DIALBACK = "jabber:server:dialback";
    /** The stream feature that says a server does dialback (XEP-0220 §2.4). */
    public static final String DIALBACK_FEATURE = "urn:xmpp:features:dialback";

    private S2sNamespaces() {
    }
}
