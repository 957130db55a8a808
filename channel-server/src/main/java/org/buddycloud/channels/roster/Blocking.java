package org.buddycloud.channels.roster;

import java.util.List;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/** Blocking (XEP-0191): what a user's list holds and whom it silences. */
public final class Blocking {

    private final BlocklistStore store;
    private final int maxEntries;

    public Blocking(BlocklistStore store, int maxEntries) {
        this.store = store;
        this.maxEntries = maxEntries;
    }

    public List<Jid> blocked(Jid owner) {
        return store.blocked(owner.toBare());
    }

    /** Blocks the addresses; returns the ones newly blocked (whose presence must now be withdrawn). */
    public List<Jid> block(Jid owner, List<Jid> addresses) {
        if (addresses.isEmpty()) {
            throw new DomainException(Condition.BAD_REQUEST, "name at least one address to block");
        }
        if (store.blocked(owner.toBare()).size() + addresses.size() > maxEntries) {
            throw new DomainException(Condition.NOT_ACCEPTABLE, "a blocklist holds at most " + maxEntries + " addresses");
        }
        return store.add(owner.toBare(), addresses);
    }

    /** Unblocks the addresses, or everyone when none is named (XEP-0191 §3.3); returns who was unblocked. */
    public List<Jid> unblock(Jid owner, List<Jid> addresses) {
        return addresses.isEmpty() ? store.clear(owner.toBare()) : store.remove(owner.toBare(), addresses);
    }

    /** Whether {@code owner} blocks stanzas from (and to) {@code address}. */
    public boolean blocks(Jid owner, Jid address) {
        return store.containsAny(owner.toBare(), Blocklist.entriesCovering(address));
    }

    /**
     * Those of the contacts that the user blocks or that block the user: they see none of each
     * other's presence. Two queries, however many contacts.
     */
    public java.util.Set<Jid> silencedAmong(Jid user, java.util.Collection<Jid> contacts) {
        java.util.Set<Jid> silenced = new java.util.HashSet<>();
        if (contacts.isEmpty()) {
            return silenced;
        }
        List<Jid> ownList = store.blocked(user.toBare());
        for (Jid contact : contacts) {
            if (Blocklist.covers(ownList, contact)) {
                silenced.add(contact);
            }
        }
        silenced.addAll(store.ownersListingAny(contacts, Blocklist.entriesCovering(user.toBare())));
        return silenced;
    }

    /** Whether either of two users blocks the other: then neither sees the other's presence. */
    public boolean eitherBlocks(Jid one, Jid other) {
        return blocks(one, other) || blocks(other, one);
    }
}
