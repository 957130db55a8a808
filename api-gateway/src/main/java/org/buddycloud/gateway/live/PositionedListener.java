package org.buddycloud.gateway.live;

import java.util.Optional;
import java.util.Set;
import org.buddycloud.contracts.jid.Jid;

/**
 * A listener that remembers how far it got and so takes nothing twice: an event below its position (it had it
 * before it reconnected, perhaps to another replica that is a little behind) is passed over, and the id it sends
 * with each event never moves back in any partition.
 */
public abstract class PositionedListener implements LiveListener {

    private final Optional<Jid> jid;
    private final Set<Jid> channels;
    private Position position = Position.START;

    /** @param channels the channels watched; empty for what {@code jid} follows */
    protected PositionedListener(Optional<Jid> jid, Set<Jid> channels) {
        this.jid = jid;
        this.channels = Set.copyOf(channels);
    }

    @Override
    public final Optional<Jid> jid() {
        return jid;
    }

    @Override
    public final Set<Jid> channels() {
        return channels;
    }

    @Override
    public final void startAt(Position start) {
        position = start;
    }

    @Override
    public final void deliver(LiveEvent event) {
        if (event.offset() < position.next(event.partition())) {
            return;
        }
        position = position.max(event.position());
        send(event, position.encode());
    }

    public final Position position() {
        return position;
    }

    /** Sends {@code event} with {@code id}, the position to resume from after it. */
    protected abstract void send(LiveEvent event, String id);
}
