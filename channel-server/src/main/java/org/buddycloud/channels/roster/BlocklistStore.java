package org.buddycloud.channels.roster;

import java.util.Collection;
import java.util.List;
import org.buddycloud.contracts.jid.Jid;

/** Where each user's blocklist (XEP-0191) lives. */
public interface BlocklistStore {

    List<Jid> blocked(Jid owner);

    /** Whether any of the entries is on the owner's list. */
    boolean containsAny(Jid owner, Collection<String> entries);

    /** Those of the owners whose lists hold any of the entries. */
    List<Jid> ownersListingAny(Collection<Jid> owners, Collection<String> entries);

    /** Adds the entries; returns those that were not there yet. */
    List<Jid> add(Jid owner, Collection<Jid> entries);

    /** Removes the entries; returns those that were there. */
    List<Jid> remove(Jid owner, Collection<Jid> entries);

    /** Empties the list; returns what was on it. */
    List<Jid> clear(Jid owner);
}
