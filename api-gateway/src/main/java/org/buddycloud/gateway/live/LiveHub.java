package org.buddycloud.gateway.live;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.access.Standing;
import org.buddycloud.contracts.events.AffiliationChanged;
import org.buddycloud.contracts.events.ChannelDeleted;
import org.buddycloud.contracts.events.NodeDeleted;
import org.buddycloud.contracts.events.PostRetracted;
import org.buddycloud.contracts.events.SubscriptionChanged;
import org.buddycloud.contracts.jid.Jid;

/**
 * This replica's live streams and the events they hear. The feed hands every record of the event topics over in
 * partition order ({@link #record}); the hub updates the membership read model, holds the event for resuming
 * streams and delivers it to the listeners the access rule lets hear it — looking only at the node's members and
 * the channel's watchers, not at every stream. Opening a stream and delivering are serialised, so a stream that
 * resumes gets what it missed and then what comes, with nothing between lost and nothing twice.
 */
public final class LiveHub {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(LiveHub.class);

    private final Members members;
    private final LiveRule rule;
    private final EventRing ring;
    private final Duration window;
    private final Supplier<Instant> clock;
    private final Map<Jid, Set<LiveListener>> following = new ConcurrentHashMap<>();
    private final Map<Jid, Set<LiveListener>> watching = new ConcurrentHashMap<>();
    private final Object order = new Object();
    private volatile Position position = Position.START;

    public LiveHub(Members members, LiveRule rule, int capacity, Duration window, Supplier<Instant> clock) {
        this.members = members;
        this.rule = rule;
        this.ring = new EventRing(capacity);
        this.window = window;
        this.clock = clock;
    }

    /** Where the hub stands: every record before this position was handed over. */
    public Position position() {
        return position;
    }

    /**
     * A partition's reading begins at {@code readFrom}; events from {@code heldFrom} on are held for resuming streams.
     * The hub's position names the partition from then on, so ids handed out say where it stood even before its
     * first record comes.
     */
    public void partitionStarts(String partition, long readFrom, long heldFrom) {
        synchronized (order) {
            ring.holdFrom(partition, heldFrom);
            if (position.next(partition) < readFrom) {
                position = position.with(partition, readFrom);
            }
        }
    }

    /**
     * The next record of a partition: {@code event} is its change (null for one the hub only passes, or that the
     * feed had met already under another offset), {@code live} builds its form for the streams from the position
     * after it (null when streams do not carry it). A record the hub passed already (a seek back) changes nothing.
     */
    public void record(String partition, long offset, Object event, Function<Position, LiveEvent> live) {
        synchronized (order) {
            if (offset < position.next(partition)) {
                return;
            }
            if (event != null) {
                members.apply(event);
                ring.drop(gone(event));
            }
            Position after = position.with(partition, offset + 1);
            position = after;
            if (live == null) {
                return;
            }
            LiveEvent built = live.apply(after);
            if (ring.holds(partition, offset)) {
                ring.add(built);
            }
            deliver(built);
        }
    }

    /**
     * Opens {@code listener}: from now, or — with {@code since} — from that position, first handing over what it
     * missed (or telling it that part of that is gone). Returns where it stands after the catch-up.
     */
    public Position open(LiveListener listener, Optional<Position> since) {
        synchronized (order) {
            Position from = since.orElse(position);
            if (since.isPresent() && !ring.covers(since.get())) {
                listener.missedTooMuch(ring.floor());
                from = position;
                listener.startAt(from);
            } else {
                listener.startAt(from);
                if (since.isPresent()) {
                    for (LiveEvent missed : ring.after(since.get())) {
                        if (hears(listener, missed)) {
                            listener.deliver(missed);
                        }
                    }
                }
            }
            index(listener);
            return from;
        }
    }

    /**
     * Opens {@code listener} from a time rather than a position (the old API's long polls): the held events newer
     * than {@code time} first, then what comes.
     */
    public Position openSince(LiveListener listener, Instant time) {
        synchronized (order) {
            listener.startAt(ring.floor());
            for (LiveEvent held : ring.after(time)) {
                if (hears(listener, held)) {
                    listener.deliver(held);
                }
            }
            index(listener);
            return position;
        }
    }

    /** The held event of a post, if the hub still holds it (a long poll's cursor). */
    public Optional<LiveEvent> heldPost(Jid channel, String node, String itemId) {
        synchronized (order) {
            return ring.after(Instant.EPOCH).stream()
                    .filter(e -> e.isPost() && e.channel().equals(channel) && e.node().equals(node) && itemId.equals(e.itemId()))
                    .reduce((first, second) -> second);
        }
    }

    public void close(LiveListener listener) {
        listener.jid().ifPresent(jid -> remove(following, jid, listener));
        listener.channels().forEach(channel -> remove(watching, channel, listener));
    }

    /** Lets go of events older than the resume window. */
    public void forgetOld() {
        synchronized (order) {
            ring.forgetBefore(clock.get().minus(window));
        }
    }

    public int heldEvents() {
        synchronized (order) {
            return ring.size();
        }
    }

    private void index(LiveListener listener) {
        if (listener.channels().isEmpty()) {
            listener.jid().ifPresent(jid -> following.computeIfAbsent(jid, j -> ConcurrentHashMap.newKeySet()).add(listener));
        } else {
            listener.channels().forEach(channel -> watching.computeIfAbsent(channel, c -> ConcurrentHashMap.newKeySet()).add(listener));
        }
    }

    private void deliver(LiveEvent event) {
        Set<LiveListener> told = new LinkedHashSet<>();
        for (Jid candidate : candidates(event)) {
            Set<LiveListener> streams = following.get(candidate);
            if (streams != null) {
                for (LiveListener listener : streams) {
                    if (hears(listener, event)) {
                        told.add(listener);
                    }
                }
            }
        }
        Set<LiveListener> watchers = watching.get(event.channel());
        if (watchers != null) {
            for (LiveListener listener : watchers) {
                if (hears(listener, event)) {
                    told.add(listener);
                }
            }
        }
        for (LiveListener listener : told) {
            try {
                listener.deliver(event);
            } catch (RuntimeException e) {
                // one broken connection must not keep the event from the others, nor stop the feed
                LOG.debugf("delivering to a live listener failed: %s", e.toString());
            }
        }
    }

    /** What a retraction or deletion takes out of the held events: they are not replayed to anyone any more. */
    private static java.util.function.Predicate<LiveEvent> gone(Object event) {
        if (event instanceof PostRetracted r) {
            return held -> held.isPost() && held.channel().equals(r.channel()) && held.node().equals(r.node())
                    && r.itemId().equals(held.itemId());
        }
        if (event instanceof NodeDeleted d) {
            return held -> held.node().equals(d.node());
        }
        if (event instanceof ChannelDeleted d) {
            return held -> held.channel().equals(d.channel());
        }
        return held -> false;
    }

    /** Who could hear of it at all: the node's members, and the JID whose membership changed or who followed. */
    private Set<Jid> candidates(LiveEvent event) {
        Object data = event.data();
        if (data instanceof NodeDeleted d) {
            return Set.copyOf(d.followers());
        }
        if (data instanceof ChannelDeleted d) {
            return Set.copyOf(d.followers());
        }
        Set<Jid> nodeMembers = members.of(event.node());
        if (data instanceof SubscriptionChanged s) {
            return with(nodeMembers, s.subscriber());
        }
        if (data instanceof AffiliationChanged a) {
            return with(nodeMembers, a.jid());
        }
        return nodeMembers;
    }

    private boolean hears(LiveListener listener, LiveEvent event) {
        if (!listener.wants(event)) {
            return false;
        }
        boolean followed = listener.channels().isEmpty();
        if (!followed && !listener.channels().contains(event.channel())) {
            return false;
        }
        Actor actor = listener.jid().map(Actor::of).orElse(Actor.ANONYMOUS);
        Standing standing = listener.jid().map(jid -> members.standing(event.node(), jid)).orElse(Standing.STRANGER);
        return rule.hears(event.data(), actor, standing, members.accessModel(event.node()), followed);
    }

    private static Set<Jid> with(Set<Jid> jids, Jid more) {
        Set<Jid> all = new LinkedHashSet<>(jids);
        all.add(more.toBare());
        return all;
    }

    private static void remove(Map<Jid, Set<LiveListener>> index, Jid key, LiveListener listener) {
        index.computeIfPresent(key, (k, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }
}
