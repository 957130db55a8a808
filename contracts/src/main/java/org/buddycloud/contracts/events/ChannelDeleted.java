package org.buddycloud.contracts.events;

import java.time.Instant;
import java.util.List;
import org.buddycloud.contracts.jid.Jid;

/**
 * A channel with all its nodes, posts and memberships was deleted.
 *
 * @param followers who followed any of its nodes: the memberships are gone, consumers that notify need them
 */
public record ChannelDeleted(Jid channel, Jid actor, Instant deletedAt, List<Jid> followers) implements EventPayload {
    public ChannelDeleted {
        followers = followers == null ? List.of() : List.copyOf(followers);
    }

    @Override
    public Jid subject() {
        return channel;
    }
}
