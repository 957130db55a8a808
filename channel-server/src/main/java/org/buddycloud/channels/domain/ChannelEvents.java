package org.buddycloud.channels.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.buddycloud.contracts.events.EventOutbox;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.events.AffiliationChanged;
import org.buddycloud.contracts.events.ChannelConfigured;
import org.buddycloud.contracts.events.ChannelCreated;
import org.buddycloud.contracts.events.ChannelDeleted;
import org.buddycloud.contracts.events.ChannelMoved;
import org.buddycloud.contracts.events.EventTypes;
import org.buddycloud.contracts.events.NodeCreated;
import org.buddycloud.contracts.events.NodeDeleted;
import org.buddycloud.contracts.events.PostImported;
import org.buddycloud.contracts.events.PostPublished;
import org.buddycloud.contracts.events.PostRetracted;
import org.buddycloud.contracts.events.PostUpdated;
import org.buddycloud.contracts.events.SubscriptionChanged;
import org.buddycloud.contracts.jid.Jid;

/**
 * Turns the core's changes into the event payloads of {@code contracts}, with what consumers need
 * to act without calling back: the access model of the node with every post and membership event,
 * the parent's author with every reply, the mentioned JIDs, the whole membership change.
 */
final class ChannelEvents {

    private final EventOutbox outbox;
    private final String domain;

    ChannelEvents(EventOutbox outbox, String domain) {
        this.outbox = outbox;
        this.domain = domain;
    }

    /** {@code posts} is the configuration of the channel's {@code /posts} node, which stands for the channel. */
    void channelCreated(Channel channel, NodeConfig posts, Map<NodeName, AccessModel> nodes) {
        outbox.add(EventTypes.CHANNEL_CREATED, new ChannelCreated(channel.jid(), channel.type(), channel.owner(), posts.accessModel(),
                nodes.entrySet().stream().map(n -> new ChannelCreated.CreatedNode(n.getKey().toString(), n.getValue())).toList(),
                channel.createdAt(), posts.settings()));
    }

    void channelDeleted(Jid channel, Jid actor, Instant at, List<Jid> followers) {
        outbox.add(EventTypes.CHANNEL_DELETED, new ChannelDeleted(channel, actor, at, followers));
    }

    void nodeCreated(NodeName node, NodeConfig config, Jid actor) {
        outbox.add(EventTypes.NODE_CREATED, new NodeCreated(node.channel(), node.toString(), config.settings(), actor, config.createdAt()));
    }

    void nodeDeleted(NodeName node, Jid actor, Instant at, List<Jid> followers) {
        outbox.add(EventTypes.NODE_DELETED, new NodeDeleted(node.channel(), node.toString(), actor, at, followers));
    }

    void configured(NodeName node, NodeConfig config, Jid actor) {
        outbox.add(EventTypes.CHANNEL_CONFIGURED, new ChannelConfigured(node.channel(), node.toString(), config.settings(), actor,
                config.updatedAt()));
    }

    void published(Post post, boolean edit, Jid parentAuthor, AccessModel accessModel) {
        org.buddycloud.contracts.events.Post payload = payload(post, parentAuthor);
        if (edit) {
            outbox.add(EventTypes.POST_UPDATED, new PostUpdated(payload, accessModel));
        } else {
            outbox.add(EventTypes.POST_PUBLISHED, new PostPublished(payload, accessModel));
        }
    }

    /** A post restored from an archive: an event of its own, so that nobody is notified of old news. */
    void imported(Post post, Jid parentAuthor, AccessModel accessModel, String importId, Instant at) {
        outbox.add(EventTypes.POST_IMPORTED, new PostImported(payload(post, parentAuthor), accessModel, importId, at));
    }

    void moved(Jid from, Jid to, Jid owner, Instant at, List<Jid> followers) {
        outbox.add(EventTypes.CHANNEL_MOVED, new ChannelMoved(from, to, owner, at, followers));
    }

    void retracted(Post post, Jid actor, AccessModel accessModel, Instant at) {
        outbox.add(EventTypes.POST_RETRACTED, new PostRetracted(post.node().channel(), post.node().toString(), post.id(),
                post.author(), post.inReplyTo(), actor, accessModel, at));
    }

    void subscriptionChanged(NodeName node, Membership before, Membership after, Jid actor, AccessModel accessModel) {
        outbox.add(EventTypes.SUBSCRIPTION_CHANGED, new SubscriptionChanged(node.channel(), node.toString(), after.jid(),
                after.subscription(), before.subscription(), after.affiliation(), actor, accessModel, after.updated()));
    }

    void affiliationChanged(NodeName node, Membership before, Membership after, Jid actor, AccessModel accessModel) {
        outbox.add(EventTypes.AFFILIATION_CHANGED, new AffiliationChanged(node.channel(), node.toString(), after.jid(),
                after.affiliation(), before.affiliation(), after.subscription(), actor, accessModel, after.updated()));
    }

    /** Both kinds of event, for whichever part of the membership changed. */
    void membershipChanged(NodeName node, Membership before, Membership after, Jid actor, AccessModel accessModel) {
        if (before.affiliation() != after.affiliation()) {
            affiliationChanged(node, before, after, actor, accessModel);
        }
        if (before.subscription() != after.subscription()) {
            subscriptionChanged(node, before, after, actor, accessModel);
        }
    }

    private org.buddycloud.contracts.events.Post payload(Post post, Jid parentAuthor) {
        return new org.buddycloud.contracts.events.Post(post.node().channel(), post.node().toString(), post.id(),
                post.globalId(domain), post.author(), post.inReplyTo(), parentAuthor, post.published(), post.updated(),
                post.title(), post.content(), post.contentType().wireName(), post.rating(), post.targetId(), post.mentions(),
                post.media().stream().map(m -> new org.buddycloud.contracts.events.Post.MediaRef(m.channel(), m.id())).toList(),
                post.geoloc() == null ? null
                        : new org.buddycloud.contracts.events.Post.Geoloc(post.geoloc().lat(), post.geoloc().lon(), post.geoloc().text()),
                post.extensions() == null ? "" : post.extensions());
    }
}
