package org.buddycloud.contracts.events;

import java.time.Instant;
import java.util.List;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.jid.Jid;

/**
 * A channel and its nodes were created (a personal channel on registration, or a topic channel).
 * {@code accessModel} is the channel's, i.e. its {@code /posts} node's; each node names its own,
 * because they differ: a new user's location nodes are not as open as their posts. {@code settings} are the
 * {@code /posts} node's first configuration (title, description…), or null in events from before they were carried.
 */
public record ChannelCreated(Jid channel, ChannelType channelType, Jid owner, AccessModel accessModel,
                             List<CreatedNode> nodes, Instant createdAt, NodeSettings settings) implements EventPayload {
    public ChannelCreated {
        nodes = List.copyOf(nodes);
    }

    /** A channel whose {@code /posts} settings are not told (events written before they were carried read as this). */
    public ChannelCreated(Jid channel, ChannelType channelType, Jid owner, AccessModel accessModel, List<CreatedNode> nodes,
                          Instant createdAt) {
        this(channel, channelType, owner, accessModel, nodes, createdAt, null);
    }

    /** One node of the new channel and who may read it. */
    public record CreatedNode(String node, AccessModel accessModel) {
    }

    @Override
    public Jid subject() {
        return channel;
    }
}
