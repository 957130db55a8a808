package org.buddycloud.contracts.events;

import java.time.Instant;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.Jid;

/**
 * A JID's affiliation with a node changed (made publisher, moderator, banned as outcast, …). It carries
 * the whole membership after the change (the subscription too) and the node's access model, so a
 * consumer needs no call back to know what the JID may now read.
 */
public record AffiliationChanged(Jid channel, String node, Jid jid, Affiliation affiliation,
                                 Affiliation previous, Subscription subscription, Jid actor,
                                 AccessModel accessModel, Instant changedAt) implements EventPayload {
    @Override
    public Jid subject() {
        return channel;
    }
}
