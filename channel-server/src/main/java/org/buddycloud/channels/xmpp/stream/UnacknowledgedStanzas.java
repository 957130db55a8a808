package org.buddycloud.channels.xmpp.stream;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.buddycloud.contracts.jid.Jid;

/**
 * Where the stanzas go that a session sent and its client never acknowledged (XEP-0198 §4), once that session has
 * ended for good: closed, failed, or not resumed in time. The session is unbound already.
 */
public interface UnacknowledgedStanzas {

    /** A stanza as it was written to the client, and when it was first sent (or queued for the hibernating session). */
    record Stanza(String xml, Instant sentAt) {
    }

    /**
     * {@code end} unbinds the session and returns what its client did not acknowledge. The implementation runs it under
     * the lock that delivery to the user holds, so that no message can reach the session between its end and the
     * handing on of what it kept.
     */
    void sessionEnded(Jid fullJid, Supplier<List<Stanza>> end);
}
