package org.buddycloud.contracts.events;

import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.jid.Jid;

/** A new post (or reply). {@code accessModel} tells consumers who may see it without asking. */
public record PostPublished(Post post, AccessModel accessModel) implements EventPayload {
    @Override
    public Jid subject() {
        return post.channel();
    }
}
