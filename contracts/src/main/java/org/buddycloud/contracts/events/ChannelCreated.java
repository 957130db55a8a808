package org.buddycloud.contracts.events;

import java.time.Instant;
import java.util.List;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.jid.Jid;

/** A channel and its nodes were created (a personal channel on registration, or a topic channel). */
public record ChannelCreated(Jid channel, ChannelType channelType, Jid owner, AccessModel accessModel,
                             List<String> nodes, Instant createdAt) implements EventPayload {
    public ChannelCreated {
        nodes = List.copyOf(nodes);
    }

    @Override
    public Jid subject() {
        return channel;
    }
}
