package org.buddycloud.contracts.events;

import java.time.Instant;
import java.util.List;
import org.buddycloud.contracts.jid.Jid;

/**
 * One node of a channel was deleted with its items and memberships; the channel remains.
 *
 * @param followers who followed the node: the memberships are gone, consumers that notify need them
 */
public record NodeDeleted(Jid channel, String node, Jid actor, Instant deletedAt, List<Jid> followers) implements EventPayload {
    public NodeDeleted {
        followers = followers == null ? List.of() : List.copyOf(followers);
    }

    @Override
    public Jid subject() {
        return channel;
    }
}
