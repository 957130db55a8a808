package org.buddycloud.gateway.live;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The recent events, for streams that come back: everything of the resume window, at most {@code capacity}.
 * {@code floor} is, per partition, the first offset from which every event is still held; a position below it has
 * missed something that is gone. Not thread-safe: the {@link LiveHub} guards it.
 */
final class EventRing {

    private final ArrayDeque<LiveEvent> events = new ArrayDeque<>();
    private final Map<String, Long> floor = new HashMap<>();
    private final int capacity;

    EventRing(int capacity) {
        this.capacity = capacity;
    }

    /** From the start of a partition's reading: events from {@code offset} on are held. */
    void holdFrom(String partition, long offset) {
        floor.putIfAbsent(partition, offset);
    }

    boolean holds(String partition, long offset) {
        Long from = floor.get(partition);
        return from != null && offset >= from;
    }

    void add(LiveEvent event) {
        events.addLast(event);
        while (events.size() > capacity) {
            evict(events.removeFirst());
        }
    }

    /**
     * Drops held events that must not be replayed any more (a retracted post, a deleted node's items). Not an
     * eviction: the floor stays, a stream resuming from before them misses nothing it may still have.
     */
    void drop(java.util.function.Predicate<LiveEvent> gone) {
        events.removeIf(gone);
    }

    void forgetBefore(Instant cutoff) {
        while (!events.isEmpty() && events.peekFirst().at().isBefore(cutoff)) {
            evict(events.removeFirst());
        }
    }

    /** True when nothing after {@code since} was let go. */
    boolean covers(Position since) {
        for (Map.Entry<String, Long> partition : floor.entrySet()) {
            if (since.next(partition.getKey()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** The held events at or after {@code since}, oldest first. */
    List<LiveEvent> after(Position since) {
        List<LiveEvent> found = new ArrayList<>();
        Iterator<LiveEvent> newestFirst = events.descendingIterator();
        while (newestFirst.hasNext()) {
            LiveEvent event = newestFirst.next();
            if (event.offset() >= since.next(event.partition())) {
                found.add(event);
            }
        }
        java.util.Collections.reverse(found);
        return found;
    }

    /** The held events newer than {@code time}, oldest first (the old API's {@code since} in milliseconds). */
    List<LiveEvent> after(Instant time) {
        List<LiveEvent> found = new ArrayList<>();
        for (LiveEvent event : events) {
            if (event.at().isAfter(time)) {
                found.add(event);
            }
        }
        return found;
    }

    Position floor() {
        Position position = Position.START;
        for (Map.Entry<String, Long> partition : floor.entrySet()) {
            position = position.with(partition.getKey(), partition.getValue());
        }
        return position;
    }

    int size() {
        return events.size();
    }

    private void evict(LiveEvent event) {
        floor.merge(event.partition(), event.offset() + 1, Math::max);
    }
}
