package org.buddycloud.channels.domain;

import java.time.Instant;
import org.buddycloud.contracts.access.Standing;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.Jid;

/**
 * A JID's standing in one node: its affiliation and its subscription.
 *
 * @param invitedBy who invited the JID, when {@code subscription} is {@link Subscription#INVITED}
 */
public record Membership(Jid jid, Affiliation affiliation, Subscription subscription, Jid invitedBy, Instant updated)
        implements Standing {

    public static Membership none(Jid jid) {
        return new Membership(jid, Affiliation.NONE, Subscription.NONE, null, null);
    }

    /** Nothing left to store: no affiliation, no subscription. */
    public boolean empty() {
        return affiliation == Affiliation.NONE && subscription == Subscription.NONE;
    }

    public Membership with(Affiliation newAffiliation, Subscription newSubscription, Jid newInvitedBy, Instant at) {
        return new Membership(jid, newAffiliation, newSubscription, newInvitedBy, at);
    }
}
