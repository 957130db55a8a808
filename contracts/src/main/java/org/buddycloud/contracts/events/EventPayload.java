package org.buddycloud.contracts.events;

import org.buddycloud.contracts.jid.Jid;

/** Every event payload is about one JID: the channel it changed, or the account. It keys the event. */
public interface EventPayload {
    Jid subject();
}
