package org.buddycloud.channels.xmpp.stream;

import java.util.Set;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * A session another replica holds, as its directory entry describes it: stanzas sent to it travel to that replica,
 * which hands them to the client. Its state is changed only where it lives.
 */
public interface RemoteSession extends ClientSession {

    /** Its last available presence, null when it is not available. */
    XmlElement presence();

    /** Whether it asked for roster pushes (RFC 6121 §2.1.6). */
    boolean rosterPushes();

    /** Whether it asked for blocklist pushes (XEP-0191 §3.2). */
    boolean blocklistPushes();

    /** The PEP nodes it wants notifications of (its XEP-0115 {@code +notify} features). */
    Set<String> pepNotify();

    @Override
    default void available(boolean available) {
        throw new UnsupportedOperationException("a session's presence changes on the replica that holds it");
    }
}
