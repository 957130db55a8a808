package org.buddycloud.gateway.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;
import org.buddycloud.contracts.events.AffiliationChanged;
import org.buddycloud.contracts.events.ChannelDeleted;
import org.buddycloud.contracts.events.NodeDeleted;
import org.buddycloud.contracts.events.Post;
import org.buddycloud.contracts.events.PostPublished;
import org.buddycloud.contracts.events.PostRetracted;
import org.buddycloud.contracts.events.PostUpdated;
import org.buddycloud.contracts.events.SubscriptionChanged;
import org.buddycloud.contracts.jid.Jid;

/**
 * The events the live streams carry, in the shapes of the old HTTP API: a post is the REST API's post object with
 * its {@code source} ({@code channel/node}), as {@code /notifications/posts} gave it; memberships name the JID and
 * its new subscription and affiliation. Everything else (accounts, configuration, media) is not streamed.
 */
public final class LiveEvents {

    private final ObjectMapper json;

    public LiveEvents(ObjectMapper json) {
        this.json = json;
    }

    /** Whether streams carry this event. */
    public static boolean streamed(Object data) {
        return data instanceof PostPublished || data instanceof PostUpdated || data instanceof PostRetracted
                || data instanceof SubscriptionChanged || data instanceof AffiliationChanged
                || data instanceof NodeDeleted || data instanceof ChannelDeleted;
    }

    public LiveEvent of(Object data, String partition, long offset, Position position, Instant at) {
        ObjectNode body = json.createObjectNode();
        String name;
        Jid channel;
        String node;
        String itemId = null;
        if (data instanceof PostPublished p) {
            name = "post";
            channel = p.post().channel();
            node = p.post().node();
            itemId = p.post().itemId();
            body.set("post", post(p.post()));
        } else if (data instanceof PostUpdated p) {
            name = "post-updated";
            channel = p.post().channel();
            node = p.post().node();
            itemId = p.post().itemId();
            body.set("post", post(p.post()));
        } else if (data instanceof PostRetracted r) {
            name = "retract";
            channel = r.channel();
            node = r.node();
            body.put("id", r.itemId());
            Optional.ofNullable(r.inReplyTo()).ifPresent(parent -> body.put("replyTo", parent));
            body.put("retractedBy", r.retractedBy() == null ? null : r.retractedBy().toString());
        } else if (data instanceof SubscriptionChanged s) {
            name = "subscription";
            channel = s.channel();
            node = s.node();
            body.put("jid", s.subscriber().toString());
            body.put("subscription", s.subscription().name().toLowerCase(java.util.Locale.ROOT));
            body.put("affiliation", s.affiliation().name().toLowerCase(java.util.Locale.ROOT));
        } else if (data instanceof AffiliationChanged a) {
            name = "affiliation";
            channel = a.channel();
            node = a.node();
            body.put("jid", a.jid().toString());
            body.put("affiliation", a.affiliation().name().toLowerCase(java.util.Locale.ROOT));
            body.put("subscription", a.subscription().name().toLowerCase(java.util.Locale.ROOT));
        } else if (data instanceof NodeDeleted d) {
            name = "node-deleted";
            channel = d.channel();
            node = d.node();
        } else if (data instanceof ChannelDeleted d) {
            name = "channel-deleted";
            channel = d.channel();
            node = "/user/" + d.channel() + "/posts";
        } else {
            throw new IllegalArgumentException("not streamed: " + data.getClass().getSimpleName());
        }
        ObjectNode envelope = json.createObjectNode();
        envelope.put("type", name);
        envelope.put("channel", channel.toString());
        envelope.put("node", shortNode(channel, node));
        envelope.put("source", channel + "/" + shortNode(channel, node));
        envelope.setAll(body);
        return new LiveEvent(partition, offset, position, at, data, name, channel, node, itemId, envelope.toString());
    }

    /** The REST API's post object (PROTOCOL.md §2.1), with its source as the old live items had it. */
    private ObjectNode post(Post post) {
        ObjectNode node = json.createObjectNode();
        node.put("id", post.itemId());
        node.put("source", post.channel() + "/" + shortNode(post.channel(), post.node()));
        node.put("author", post.author().toString());
        node.put("published", String.valueOf(post.published()));
        node.put("updated", String.valueOf(post.updated() == null ? post.published() : post.updated()));
        if (post.title() != null) {
            node.put("title", post.title());
        }
        node.put("content", post.content());
        node.put("contentType", post.contentType());
        if (post.inReplyTo() != null) {
            node.put("replyTo", post.inReplyTo());
        }
        if (!post.media().isEmpty()) {
            var media = node.putArray("media");
            post.media().forEach(m -> media.addObject().put("id", m.id()).put("channel", m.channel().toString()));
        }
        if (post.rating() != null) {
            node.put("rating", post.rating());
        }
        if (!post.mentions().isEmpty()) {
            var mentions = node.putArray("mentions");
            post.mentions().forEach(m -> mentions.add(m.toString()));
        }
        if (post.geoloc() != null) {
            node.set("geoloc", json.valueToTree(post.geoloc()));
        }
        return node;
    }

    /** {@code /user/juliet@localhost/posts} is {@code posts} of channel {@code juliet@localhost}. */
    public static String shortNode(Jid channel, String node) {
        String prefix = "/user/" + channel + "/";
        return node != null && node.startsWith(prefix) ? node.substring(prefix.length()) : node;
    }
}
