package org.buddycloud.contracts.events;

import java.time.Instant;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.jid.Jid;

/** A post was deleted by its author, an owner or a moderator. Each deleted reply has its own event. */
public record PostRetracted(Jid channel, String node, String itemId, Jid author, String inReplyTo,
                            Jid retractedBy, AccessModel accessModel, Instant retractedAt) implements EventPayload {
    @Override
    public Jid subject() {
        return channel;
    }
}
