package org.buddycloud.search.domain;

import java.time.Instant;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.jid.Jid;

/**
 * A post of a channel's {@code /posts} node as the index keeps it: enough to show a hit without asking the channel
 * server, and the channel's access model now, by which the index decides who may find it.
 *
 * @param inReplyTo the parent's item id, or null for a top-level post
 * @param lat       where it was written, or null
 */
public record PostEntry(Jid channel, String node, String itemId, Jid author, String inReplyTo, Instant published,
                        Instant updated, String title, String content, AccessModel accessModel, Double lat, Double lon) {

    /** The entry's key in every engine: item ids are unique within a node, and only {@code /posts} nodes are indexed. */
    public String key() {
        return key(channel, itemId);
    }

    public static String key(Jid channel, String itemId) {
        return channel + "/" + itemId;
    }

    public PostEntry withAccessModel(AccessModel model) {
        return new PostEntry(channel, node, itemId, author, inReplyTo, published, updated, title, content, model, lat, lon);
    }
}
