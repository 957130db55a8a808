package org.buddycloud.contracts.events;

import java.time.Instant;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.Jid;

/** A JID's subscription to a node changed: followed, requested, approved, invited or left. */
public record SubscriptionChanged(Jid channel, String node, Jid subscriber, Subscription subscription,
                                  Subscription previous, Affiliation affiliation, Jid actor,
                                  AccessModel accessModel, Instant changedAt) implements EventPayload {
    @Override
    public Jid subject() {
        return channel;
    }
}
