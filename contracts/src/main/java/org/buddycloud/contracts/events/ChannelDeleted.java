package org.buddycloud.contracts.events;

import java.time.Instant;
import org.buddycloud.contracts.jid.Jid;

/** A channel with all its nodes, posts and memberships was deleted. */
public record ChannelDeleted(Jid channel, Jid actor, Instant deletedAt) implements EventPayload {
    @Override
    public Jid subject() {
        return channel;
    }
}
