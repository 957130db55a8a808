package org.buddycloud.channels.xmpp.stream;

import org.buddycloud.channels.xmpp.StanzaSink;
import org.buddycloud.contracts.jid.Jid;

/** A bound client session, as the rest of the server sees it: an address that stanzas can be sent to. */
public interface ClientSession extends StanzaSink {

    Jid fullJid();

    /** True once the client sent its initial presence (it wants messages pushed). */
    boolean available();

    /** Records the client's presence: available after its initial presence, unavailable after it says so. */
    void available(boolean available);

    /** Ends the session with a stream error, e.g. {@code conflict} when another session took the resource. */
    void close(String streamErrorCondition, String text);
}
