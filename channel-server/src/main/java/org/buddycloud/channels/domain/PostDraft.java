package org.buddycloud.channels.domain;

import java.util.List;

/**
 * A post as a client sent it, before validation. Fields are as received: the content type and the
 * rating are text so that a wrong value can be refused with the condition the protocol names.
 *
 * @param id          the item id the client chose (or a {@code tag:} global id), null for a new id
 * @param contentType {@code text} (default) or {@code xhtml}
 */
public record PostDraft(String id, String title, String content, String contentType, String inReplyTo, String rating,
                        String targetId, Post.Geoloc geoloc, List<Post.MediaRef> media, String extensions) {

    public static PostDraft text(String content) {
        return new PostDraft(null, null, content, null, null, null, null, null, List.of(), null);
    }

    public PostDraft replyingTo(String parentId) {
        return new PostDraft(id, title, content, contentType, parentId, rating, targetId, geoloc, media, extensions);
    }

    public PostDraft withId(String newId) {
        return new PostDraft(newId, title, content, contentType, inReplyTo, rating, targetId, geoloc, media, extensions);
    }
}
