package org.buddycloud.gateway.live;

import java.util.Optional;
import java.util.Set;
import org.buddycloud.contracts.jid.Jid;

/** One open stream (SSE, WebSocket) or waiting long poll, as the {@link LiveHub} sees it. */
public interface LiveListener {

    /** The caller; empty for an anonymous one (who may only watch named open channels). */
    Optional<Jid> jid();

    /** The channels it watches; empty for a stream of everything the caller follows. */
    Set<Jid> channels();

    /** Whether it wants this event at all (a long poll only wants posts, of one node). */
    default boolean wants(LiveEvent event) {
        return true;
    }

    /** Where it starts, before anything is delivered: its resume position, or the hub's when it starts from now. */
    void startAt(Position position);

    /**
     * Hands over an event the caller may hear. Called by the hub in the order of each partition, from one thread
     * at a time; must not block.
     */
    void deliver(LiveEvent event);

    /** What it missed cannot be delivered any more (it was away longer than the resume window). */
    void missedTooMuch(Position heldFrom);
}
