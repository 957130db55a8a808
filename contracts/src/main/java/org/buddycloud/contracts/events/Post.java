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
 * @param extensions   the entry's foreign Atom extension elements as the server keeps them (well-formed markup it
 *                     wrote itself), {@code ""} when it has none; null in events written before they were carried, so
 *                     a reader that needs them (to write the item as stored) knows to look at the stored post then
 */
public record Post(Jid channel, String node, String itemId, String globalId, Jid author,
                   String inReplyTo, Jid parentAuthor, Instant published, Instant updated,
                   String title, String content, String contentType, Integer rating, String targetId,
                   List<Jid> mentions, List<MediaRef> media, Geoloc geoloc, String extensions) {

    public Post {
        mentions = mentions == null ? List.of() : List.copyOf(mentions);
        media = media == null ? List.of() : List.copyOf(media);
    }

    /** A post whose extensions are not known (as in events of earlier versions). */
    public Post(Jid channel, String node, String itemId, String globalId, Jid author, String inReplyTo, Jid parentAuthor,
                Instant published, Instant updated, String title, String content, String contentType, Integer rating,
                String targetId, List<Jid> mentions, List<MediaRef> media, Geoloc geoloc) {
        this(channel, node, itemId, globalId, author, inReplyTo, parentAuthor, published, updated, title, content, contentType,
                rating, targetId, mentions, media, geoloc, null);
    }

    /** A media object attached to a post, by the channel that holds it and its id. */
    public record MediaRef(Jid channel, String id) {
    }

    /** XEP-0080 location attached to a post. */
    public record Geoloc(Double lat, Double lon, String text) {
    }
}
