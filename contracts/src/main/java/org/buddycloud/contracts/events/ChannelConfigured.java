package org.buddycloud.contracts.events;

import java.time.Instant;
import org.buddycloud.contracts.jid.Jid;

/** A node's configuration changed; {@code settings} is the complete new configuration, not a diff. */
public record ChannelConfigured(Jid channel, String node, NodeSettings settings, Jid actor, Instant configuredAt)
        implements EventPayload {
    @Override
    public Jid subject() {
        return channel;
    }
}
