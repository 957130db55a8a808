package org.buddycloud.contracts.access;

import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;

/**
 * Where a JID stands with one node: its affiliation and its subscription. The channel server's memberships
 * and every service's read model of them are standings; the access rules ask nothing else of them.
 */
public interface Standing {

    /** A JID the node has no record of. */
    Standing STRANGER = of(Affiliation.NONE, Subscription.NONE);

    Affiliation affiliation();

    Subscription subscription();

    static Standing of(Affiliation affiliation, Subscription subscription) {
        return new Plain(affiliation == null ? Affiliation.NONE : affiliation, subscription == null ? Subscription.NONE : subscription);
    }

    default boolean subscribed() {
        return subscription() == Subscription.SUBSCRIBED;
    }

    /** Has at least the standing of {@code wanted} (an outcast has less than anybody). */
    default boolean atLeast(Affiliation wanted) {
        return rank(affiliation()) >= rank(wanted);
    }

    /** An owner or a moderator: those who manage the node's followers. */
    default boolean privileged() {
        return affiliation() == Affiliation.OWNER || affiliation() == Affiliation.MODERATOR;
    }

    /** Orders affiliations: owner above moderator above publisher above member above none above outcast. */
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

    /** The higher of two affiliations ("keep the higher one" when a JID is given a default). */
    static Affiliation higher(Affiliation a, Affiliation b) {
        return rank(a) >= rank(b) ? a : b;
    }

    /** A standing and nothing else. */
    record Plain(Affiliation affiliation, Subscription subscription) implements Standing {
    }
}
