package org.buddycloud.channels.domain;

import java.time.Instant;
import java.util.List;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * A post or reply as the server keeps it (PROTOCOL.md §1.8): what the author sent, rewritten with
 * the server's author, times and object type. Replies are one level deep.
 *
 * @param inReplyTo  the parent's id, null for a top-level post
 * @param rating     1–5 when this reply rates {@code targetId}
 * @param extensions foreign Atom extension elements, kept as the author sent them (opaque to the core)
 */
public record Post(NodeName node, String id, Jid author, Instant published, Instant updated, String title,
                   String content, ContentType contentType, String inReplyTo, Integer rating, String targetId,
                   Geoloc geoloc, List<MediaRef> media, String extensions) {

    public Post {
        media = media == null ? List.of() : List.copyOf(media);
    }

    /**
     * The post as kept, from the event that told of it (the inverse of what {@code ChannelEvents} writes); empty for an
     * event of an earlier version, which does not carry the entry's extensions: then only the stored post is whole.
     */
    public static java.util.Optional<Post> fromEvent(org.buddycloud.contracts.events.Post event) {
        if (event.extensions() == null) {
            return java.util.Optional.empty();
        }
        org.buddycloud.contracts.events.Post.Geoloc place = event.geoloc();
        return java.util.Optional.of(new Post(NodeName.parse(event.node()), event.itemId(), event.author(), event.published(),
                event.updated(), event.title(), event.content(), ContentType.fromWire(event.contentType()), event.inReplyTo(),
                event.rating(), event.targetId(), place == null ? null : new Geoloc(place.lat(), place.lon(), place.text()),
                event.media().stream().map(m -> new MediaRef(m.channel(), m.id())).toList(),
                event.extensions().isEmpty() ? null : event.extensions()));
    }

    /**
     * Plain text or XHTML, the two content types buddycloud accepts for entries; {@code GEOLOC} for an XEP-0080
     * location on a geo node, whose content is the {@code <geoloc/>} element {@link Location#toXml()} wrote.
     */
    public enum ContentType {
        TEXT, XHTML, GEOLOC;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The content type of a {@link #wireName()}. */
        public static ContentType fromWire(String wireName) {
            return valueOf(wireName.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** XEP-0080 location attached to a post. */
    public record Geoloc(Double lat, Double lon, String text) {

        /** Refuses coordinates off the globe (NaN and infinities too: other services index them as a point). */
        static void check(Geoloc geoloc) {
            if (geoloc != null && (geoloc.lat != null && !(geoloc.lat >= -90 && geoloc.lat <= 90)
                    || geoloc.lon != null && !(geoloc.lon >= -180 && geoloc.lon <= 180))) {
                throw new DomainException(Condition.BAD_REQUEST, "geoloc lat must lie in [-90, 90] and lon in [-180, 180]");
            }
        }
    }

    /** A media object of a channel, referenced by a post. */
    public record MediaRef(Jid channel, String id) {
    }

    public boolean isReply() {
        return inReplyTo != null;
    }

    /** The JIDs the text names, as the events announce them and the sync summary counts them. */
    public List<Jid> mentions() {
        return contentType == ContentType.GEOLOC ? List.of() : Mentions.in(content);
    }

    /** ActivityStreams verb: {@code rated} for ratings, {@code post} otherwise. */
    public String verb() {
        return rating != null ? "rated" : "post";
    }

    /** ActivityStreams object type: {@code comment} for replies, {@code note} for top-level posts. */
    public String objectType() {
        return isReply() ? "comment" : "note";
    }

    /** {@code tag:<domain>,<node>,<id>} ({@code domain}: ours, the channel's for copies): the id clients and remote servers use for this post everywhere. */
    public String globalId(String domain) {
        String channelDomain = node.channel().domain();
        // a copy of another domain's post (the inbox) keeps the id its own server gave it
        String issuer = channelDomain.equals(domain) || channelDomain.endsWith("." + domain) ? domain : channelDomain;
        return "tag:" + issuer + "," + node + "," + id;
    }

    Post withUpdated(Instant instant) {
        return new Post(node, id, author, published, instant, title, content, contentType, inReplyTo, rating, targetId,
                geoloc, media, extensions);
    }
}
