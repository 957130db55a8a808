package org.buddycloud.contracts.events;

import java.time.Instant;
import org.buddycloud.contracts.jid.Jid;

/** One node of a channel was deleted with its items and memberships; the channel remains. */
public record NodeDeleted(Jid channel, String node, Jid actor, Instant deletedAt) implements EventPayload {
    @Override
    public Jid subject() {
        return channel;
    }
}
