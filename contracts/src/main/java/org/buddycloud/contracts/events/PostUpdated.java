package org.buddycloud.contracts.events;

import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.jid.Jid;

/** The author edited a post; {@code post} is its new state ({@code published} unchanged). */
public record PostUpdated(Post post, AccessModel accessModel) implements EventPayload {
    @Override
    public Jid subject() {
        return post.channel();
    }
}
