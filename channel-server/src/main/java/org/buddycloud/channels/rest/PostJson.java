package org.buddycloud.channels.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.buddycloud.channels.atom.AtomEntries;
import org.buddycloud.channels.domain.Post;
import org.buddycloud.channels.domain.PostDraft;
import org.buddycloud.contracts.jid.InvalidJidException;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.AppCondition;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * The post object of the buddycloud HTTP API (PROTOCOL.md §2.1): {@code id}, {@code author},
 * {@code published}, {@code updated}, {@code content}, {@code media}, {@code replyTo}, plus the
 * fields the API always carried in Atom only (title, content type, rating, location).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PostJson(String id, String author, Instant published, Instant updated, String title, String content,
                       String contentType, String replyTo, List<MediaJson> media, Integer rating, String target, Post.Geoloc geoloc) {

    /** A media reference, {@code {"id": ..., "channel": ...}}. */
    public record MediaJson(String id, String channel) {
    }

    /** What a client sends; the server decides author and times. */
    public record Input(String id, String title, String content, String contentType, String replyTo, List<MediaJson> media,
                        String rating, String target, Post.Geoloc geoloc) {

        PostDraft toDraft() {
            if ("xhtml".equals(contentType) && content != null) {
                AtomEntries.checkXhtml(content);
            }
            List<Post.MediaRef> refs = media == null ? List.of() : media.stream().map(Input::ref).toList();
            return new PostDraft(id, title, content, contentType, replyTo, rating, target, geoloc, refs, null);
        }

        private static Post.MediaRef ref(MediaJson media) {
            if (media == null || media.id() == null || media.channel() == null) {
                throw new DomainException(Condition.BAD_REQUEST, "a media reference needs an id and a channel");
            }
            try {
                return new Post.MediaRef(Jid.parse(media.channel()), media.id());
            } catch (InvalidJidException e) {
                throw new DomainException(Condition.BAD_REQUEST, AppCondition.INVALID_JID, "media channel: " + e.getMessage());
            }
        }
    }

    static PostJson of(Post post) {
        return new PostJson(post.id(), post.author().toString(), post.published(), post.updated(), post.title(), post.content(),
                post.contentType().wireName(), post.inReplyTo(),
                post.media().isEmpty() ? null : post.media().stream().map(m -> new MediaJson(m.id(), m.channel().toString())).toList(),
                post.rating(), post.targetId(), post.geoloc());
    }
}
