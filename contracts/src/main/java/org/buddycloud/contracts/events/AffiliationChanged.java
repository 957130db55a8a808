package org.buddycloud.contracts.events;

import java.time.Instant;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.jid.Jid;

/** A JID's affiliation with a node changed (made publisher, moderator, banned as outcast, …). */
public record AffiliationChanged(Jid channel, String node, Jid jid, Affiliation affiliation,
                                 Affiliation previous, Jid actor, Instant changedAt) implements EventPayload {
    @Override
    public Jid subject() {
        return channel;
    }
}
