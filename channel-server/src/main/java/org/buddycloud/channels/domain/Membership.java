package org.buddycloud.channels.domain;

import java.time.Instant;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.Jid;

/**
 * A JID's standing in one node: its affiliation and its subscription.
 *
 * @param invitedBy who invited the JID, when {@code subscription} is {@link Subscription#INVITED}
 */
public record Membership(Jid jid, Affiliation affiliation, Subscription subscription, Jid invitedBy, Instant updated) {

    public static Membership none(Jid jid) {
        return new Membership(jid, Affiliation.NONE, Subscription.NONE, null, null);
    }

    public boolean subscribed() {
        return subscription == Subscription.SUBSCRIBED;
    }

    /** Nothing left to store: no affiliation, no subscription. */
    public boolean empty() {
        return affiliation == Affiliation.NONE && subscription == Subscription.NONE;
    }

    public Membership with(Affiliation newAffiliation, Subscription newSubscription, Jid newInvitedBy, Instant at) {
        return new Membership(jid, newAffiliation, newSubscription, newInvitedBy, at);
    }

    /** Ranks affiliations for "keep the higher one": owner above moderator above publisher above member above none. */
    static int rank(Affiliation affiliation) {
        return switch (affiliation) {
            case OWNER -> 5;
            case MODERATOR -> 4;
            case PUBLISHER -> 3;
            case MEMBER -> 2;
            case NONE -> 1;
            case OUTCAST -> 0;
        };
    }

    static Affiliation higher(Affiliation a, Affiliation b) {
        return rank(a) >= rank(b) ? a : b;
    }
}
