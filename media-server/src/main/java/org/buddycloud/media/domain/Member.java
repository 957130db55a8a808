package org.buddycloud.media.domain;

import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;

/** Where a JID stands with a channel's {@code /posts} node, as the read model last heard from the channel events. */
public record Member(Affiliation affiliation, Subscription subscription) {

    public static final Member STRANGER = new Member(Affiliation.NONE, Subscription.NONE);

    public Member {
        affiliation = affiliation == null ? Affiliation.NONE : affiliation;
        subscription = subscription == null ? Subscription.NONE : subscription;
    }

    boolean subscribed() {
        return subscription == Subscription.SUBSCRIBED;
    }

    boolean atLeast(Affiliation wanted) {
        return rank(affiliation) >= rank(wanted);
    }

    private static int rank(Affiliation affiliation) {
        return switch (affiliation) {
            case OWNER -> 5;
            case MODERATOR -> 4;
            case PUBLISHER -> 3;
            case MEMBER -> 2;
            case NONE -> 1;
            case OUTCAST -> 0;
        };
    }
}
