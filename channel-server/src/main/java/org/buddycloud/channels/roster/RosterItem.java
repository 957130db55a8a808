package org.buddycloud.channels.roster;

import java.util.List;
import org.buddycloud.contracts.jid.Jid;

/**
 * A contact as the user's roster keeps it. {@code listed} is false for a contact the user never
 * added, kept only because of a subscription request waiting for an answer (RFC 6121 §3.1.3: such a
 * request does not put the contact in the roster).
 */
public record RosterItem(Jid contact, String name, List<String> groups, SubscriptionState state, boolean listed) {

    public RosterItem {
        groups = List.copyOf(groups);
    }

    public static RosterItem unlisted(Jid contact) {
        return new RosterItem(contact, null, List.of(), SubscriptionState.NONE, false);
    }

    public RosterItem withState(SubscriptionState next) {
        return new RosterItem(contact, name, groups, next, listed);
    }

    public RosterItem listed(String newName, List<String> newGroups) {
        return new RosterItem(contact, newName, newGroups, state, true);
    }

    public RosterItem added() {
        return new RosterItem(contact, name, groups, state, true);
    }
}
