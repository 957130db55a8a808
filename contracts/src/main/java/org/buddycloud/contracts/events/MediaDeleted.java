package org.buddycloud.contracts.events;

import java.time.Instant;
import org.buddycloud.contracts.jid.Jid;

/** A channel's file was deleted. */
public record MediaDeleted(Jid channel, String mediaId, Jid actor, Instant deletedAt) implements EventPayload {
    @Override
    public Jid subject() {
        return channel;
    }
}
