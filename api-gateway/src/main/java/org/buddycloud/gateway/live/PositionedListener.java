package org.buddycloud.gateway.live;

/**
 * A listener that remembers how far it got and so takes nothing twice: an event below its position (it had it
 * before it reconnected, perhaps to another replica that is a little behind) is passed over, and the id it sends
 * with each event never moves back in any partition.
 */
public abstract class PositionedListener implements LiveListener {

    private Position position = Position.START;

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
