package org.buddycloud.channels.xmpp.stream;

import java.time.Instant;
import org.buddycloud.channels.xmpp.StanzaSink;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.contracts.jid.Jid;

/** A bound client session, as the rest of the server sees it: an address that stanzas can be sent to. */
public interface ClientSession extends StanzaSink {

    Jid fullJid();

    /** True once the client sent its initial presence (it wants messages pushed). */
    boolean available();

    /** Records the client's presence: available after its initial presence, unavailable after it says so. */
    void available(boolean available);

    /** Whether the client asked for copies of its account's other conversations (XEP-0280 message carbons). */
    default boolean carbons() {
        return false;
    }

    /** Records the client's XEP-0280 {@code <enable/>} or {@code <disable/>}; a session that cannot keep it says so. */
    default void carbons(boolean enabled) {
        throw new UnsupportedOperationException("this session does not take message carbons");
    }

    /**
     * Since when the session is available (null when it is not): a message that arrived before then reached it if it
     * was sent to the user's bare JID. {@link Instant#MIN} for sessions that do not keep the time.
     */
    default Instant availableSince() {
        return available() ? Instant.MIN : null;
    }

    /** Whether the connection is encrypted (TLS), so that secrets may be sent over it. */
    boolean encrypted();

    /**
     * Sends a stanza if the session can still take it: false when it is closed or will be closed for
     * not reading, so that the caller can keep what must not be lost.
     */
    boolean trySend(XmlElement stanza);

    /** Ends the session with a stream error, e.g. {@code conflict} when another session took the resource. */
    void close(String streamErrorCondition, String text);
}
