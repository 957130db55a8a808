package org.buddycloud.search.domain;

import java.time.Instant;
import java.util.Optional;
import org.buddycloud.contracts.jid.Jid;

/** What the index already holds that decides what an event does to it (see {@link IndexPlanner}). */
public interface IndexState {

    /** What was removed and is remembered, so that an older event arriving late cannot bring it back. */
    enum Removed {
        /** A channel (or its {@code /posts} node) was deleted: its older posts and configurations stay out. */
        CHANNEL,
        /** An account was deleted: what it wrote before, in any channel, stays out. */
        AUTHOR
    }

    /** A removal's key: what kind, of whom. */
    record Removal(Removed kind, Jid jid) {
    }

    /** A channel's directory entry, including changes applied a moment ago. */
    Optional<ChannelEntry> channel(Jid channel);

    /** When the channel or author was last removed; empty if never. */
    Optional<Instant> removedAt(Removed kind, Jid jid);

    /** The entries of many channels at once (those the index holds); an engine answers it in one request. */
    default java.util.Map<Jid, ChannelEntry> channels(java.util.Collection<Jid> channels) {
        java.util.Map<Jid, ChannelEntry> found = new java.util.HashMap<>();
        channels.forEach(c -> channel(c).ifPresent(e -> found.put(c, e)));
        return found;
    }

    /** Many removals at once (those remembered); an engine answers it in one request. */
    default java.util.Map<Removal, Instant> removedAt(java.util.Collection<Removal> removals) {
        java.util.Map<Removal, Instant> found = new java.util.HashMap<>();
        removals.forEach(r -> removedAt(r.kind(), r.jid()).ifPresent(at -> found.put(r, at)));
        return found;
    }
}
