package org.buddycloud.channels.roster;

import java.util.List;
import java.util.Optional;
import org.buddycloud.contracts.jid.Jid;

/** Where rosters live. Calls join the caller's transaction. */
public interface RosterStore {

    /**
     * Serialises every subscription change between the two users, whichever side starts it and on
     * whichever replica, until the transaction ends. One lock for the pair, so two changes never wait
     * for each other in opposite orders. Returns the change's place in line: larger than what any
     * earlier holder of the pair's lock drew, so that what is said about the change (a roster push)
     * can be put back in the order the changes were made.
     */
    long lockPair(Jid one, Jid other);

    Optional<RosterItem> item(Jid owner, Jid contact);

    /** The user's roster: the listed items. */
    List<RosterItem> listed(Jid owner);

    int listedCount(Jid owner);

    /** Saves the item; one that is neither listed nor in any subscription state is forgotten. */
    void save(Jid owner, RosterItem item);

    void delete(Jid owner, Jid contact);

    /** Contacts whose subscription requests wait for the user's answer. */
    List<Jid> pendingRequests(Jid owner);

    /** Contacts that receive the user's presence (subscription from or both). */
    List<Jid> subscribers(Jid owner);

    /** Contacts whose presence the user receives (subscription to or both). */
    List<Jid> subscriptions(Jid owner);
}
