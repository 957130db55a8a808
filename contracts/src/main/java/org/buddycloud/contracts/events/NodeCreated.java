package org.buddycloud.contracts.events;

import java.time.Instant;
import org.buddycloud.contracts.jid.Jid;

/** A node was added to an existing channel (an app-defined node such as {@code /user/x@d/x-chess-moves}). */
public record NodeCreated(Jid channel, String node, NodeSettings settings, Jid actor, Instant createdAt)
        implements EventPayload {
    @Override
    public Jid subject() {
        return channel;
    }
}
