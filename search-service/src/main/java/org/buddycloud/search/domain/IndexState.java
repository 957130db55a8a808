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

    /** A channel's directory entry, including changes applied a moment ago. */
    Optional<ChannelEntry> channel(Jid channel);

    /** When the channel or author was last removed; empty if never. */
    Optional<Instant> removedAt(Removed kind, Jid jid);
}
