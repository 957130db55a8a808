package org.buddycloud.contracts.events;

import java.time.Instant;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.jid.Jid;

/**
 * A post (or reply) restored from an archive, with its original times. Not news: consumers that notify people
 * (XMPP, push, live streams) leave it alone; consumers that keep what a channel holds (search) take it like a
 * publication.
 *
 * @param importId   the import that restored it, so a consumer can tell one move from another
 * @param importedAt when it was restored (its {@code published} is when it was first written): what a consumer orders it by
 */
public record PostImported(Post post, AccessModel accessModel, String importId, Instant importedAt) implements EventPayload {
    @Override
    public Jid subject() {
        return post.channel();
    }
}
