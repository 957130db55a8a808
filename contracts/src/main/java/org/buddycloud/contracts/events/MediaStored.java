package org.buddycloud.contracts.events;

import java.time.Instant;
import org.buddycloud.contracts.jid.Jid;

/** A file was stored for a channel (an avatar when {@code avatar} is true). */
public record MediaStored(Jid channel, String mediaId, Jid uploader, String fileName, String contentType,
                          long size, String sha256, boolean avatar, Instant storedAt) implements EventPayload {
    @Override
    public Jid subject() {
        return channel;
    }
}
