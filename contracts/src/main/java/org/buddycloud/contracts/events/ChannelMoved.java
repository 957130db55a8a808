package org.buddycloud.contracts.events;

import java.time.Instant;
import java.util.List;
import org.buddycloud.contracts.jid.Jid;

/**
 * A channel moved: its posts and followers were restored from an archive of {@code from} into {@code to}, on this
 * domain or from another. Followers are told; a consumer keeping something under the old address may follow it.
 * Emitted where the move is known: by the server it moved to (for its own users), by the server it moved from once
 * the new one told it (for everyone who followed there), and by a server that kept a copy of {@code from} (for its
 * users who followed the copy). The subject is {@code from}: the channel followers knew, whose server speaks for it.
 *
 * @param followers who followed the channel at {@code from} and now follows it at {@code to}
 */
public record ChannelMoved(Jid from, Jid to, Jid owner, Instant movedAt, List<Jid> followers) implements EventPayload {
    public ChannelMoved {
        followers = followers == null ? List.of() : List.copyOf(followers);
    }

    @Override
    public Jid subject() {
        return from;
    }
}
