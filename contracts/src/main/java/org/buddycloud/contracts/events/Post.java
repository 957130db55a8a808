package org.buddycloud.contracts.events;

import java.time.Instant;
import java.util.List;
import org.buddycloud.contracts.jid.Jid;

/**
 * A post as consumers need it, without calling back: who wrote it, what it answers and whom
 * that parent belongs to, whom it mentions, and its media and place.
 *
 * @param globalId     {@code tag:<domain>,<node>,<id>}
 * @param inReplyTo    the parent's item id, or null for a top-level post
 * @param parentAuthor the parent's author, or null for a top-level post
 * @param contentType  {@code text} or {@code xhtml}
 * @param rating       1–5 when this reply rates the post {@code targetId}, else null
 */
public record Post(Jid channel, String node, String itemId, String globalId, Jid author,
                   String inReplyTo, Jid parentAuthor, Instant published, Instant updated,
                   String title, String content, String contentType, Integer rating, String targetId,
                   List<Jid> mentions, List<MediaRef> media, Geoloc geoloc) {

    public Post {
        mentions = mentions == null ? List.of() : List.copyOf(mentions);
        media = media == null ? List.of() : List.copyOf(media);
    }

    /** A media object attached to a post, by the channel that holds it and its id. */
    public record MediaRef(Jid channel, String id) {
    }

    /** XEP-0080 location attached to a post. */
    public record Geoloc(Double lat, Double lon, String text) {
    }
}
