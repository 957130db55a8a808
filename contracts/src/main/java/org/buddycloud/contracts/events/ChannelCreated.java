package org.buddycloud.contracts.events;

import java.time.Instant;
import java.util.List;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.jid.Jid;

/**
 * A channel and its nodes were created (a personal channel on registration, or a topic channel).
 * {@code accessModel} is the channel's, i.e. its {@code /posts} node's; each node names its own,
 * because they differ: a new user's location nodes are not as open as their posts.
 */
public record ChannelCreated(Jid channel, ChannelType channelType, Jid owner, AccessModel accessModel,
                             List<CreatedNode> nodes, Instant createdAt) implements EventPayload {
    public ChannelCreated {
        nodes = List.copyOf(nodes);
    }

    /** One node of the new channel and who may read it. */
    public record CreatedNode(String node, AccessModel accessModel) {
    }

    @Override
    public Jid subject() {
        return channel;
    }
}
