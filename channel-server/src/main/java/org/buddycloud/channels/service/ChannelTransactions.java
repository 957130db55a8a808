package org.buddycloud.channels.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import org.buddycloud.channels.domain.Channel;
import org.buddycloud.channels.domain.ChannelService;
import org.buddycloud.channels.domain.ConfigChange;
import org.buddycloud.channels.domain.Location;
import org.buddycloud.channels.domain.Membership;
import org.buddycloud.channels.domain.NodeConfig;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.domain.Post;
import org.buddycloud.channels.domain.PostDraft;
import org.buddycloud.channels.domain.PostService;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.Jid;

/** Runs each channel and post change in one database transaction, with its outbox events. */
@ApplicationScoped
public class ChannelTransactions {

    private final ChannelService channels;
    private final PostService posts;

    ChannelTransactions(ChannelService channels, PostService posts) {
        this.channels = channels;
        this.posts = posts;
    }

    @Transactional
    public Channel createTopicChannel(Actor actor, Jid channel, boolean ephemeral) {
        return channels.createTopicChannel(actor, channel, ephemeral);
    }

    @Transactional
    public NodeConfig createNode(Actor actor, NodeName node, boolean ephemeral) {
        return channels.createNode(actor, node, ephemeral);
    }

    @Transactional
    public Channel createTopicChannel(Actor actor, Jid channel) {
        return channels.createTopicChannel(actor, channel);
    }

    @Transactional
    public Channel ensurePersonalChannel(Actor actor) {
        return channels.ensurePersonalChannel(actor);
    }

    @Transactional
    public void deleteChannel(Actor actor, Jid channel) {
        channels.deleteChannel(actor, channel);
    }

    @Transactional
    public NodeConfig createNode(Actor actor, NodeName node) {
        return channels.createNode(actor, node);
    }

    @Transactional
    public void deleteNode(Actor actor, NodeName node) {
        channels.deleteNode(actor, node);
    }

    @Transactional
    public NodeConfig configure(Actor actor, NodeName node, ConfigChange change) {
        return channels.configure(actor, node, change);
    }

    @Transactional
    public Membership subscribe(Actor actor, NodeName node) {
        return channels.subscribe(actor, node);
    }

    @Transactional
    public Membership unsubscribe(Actor actor, NodeName node, Jid subscriber) {
        return channels.unsubscribe(actor, node, subscriber);
    }

    @Transactional
    public void followFirehose(Actor actor, boolean follow) {
        channels.followFirehose(actor, follow);
    }

    @Transactional
    public Membership setSubscription(Actor actor, NodeName node, Jid target, Subscription state) {
        return channels.setSubscription(actor, node, target, state);
    }

    @Transactional
    public Membership setAffiliation(Actor actor, NodeName node, Jid target, Affiliation affiliation) {
        return channels.setAffiliation(actor, node, target, affiliation);
    }

    /** Several subscription decisions at once: all are applied, or (one refused) none and no event. */
    @Transactional
    public List<Membership> setSubscriptions(Actor actor, NodeName node, Map<Jid, Subscription> decisions) {
        return decisions.entrySet().stream().map(d -> channels.setSubscription(actor, node, d.getKey(), d.getValue())).toList();
    }

    /** Several affiliation changes at once: all are applied, or (one refused) none and no event. */
    @Transactional
    public List<Membership> setAffiliations(Actor actor, NodeName node, Map<Jid, Affiliation> changes) {
        return changes.entrySet().stream().map(c -> channels.setAffiliation(actor, node, c.getKey(), c.getValue())).toList();
    }

    @Transactional
    public Post publish(Actor actor, NodeName node, PostDraft draft) {
        return posts.publish(actor, node, draft);
    }

    @Transactional
    public Post publishLocation(Actor actor, NodeName node, String itemId, Location location) {
        return posts.publishLocation(actor, node, itemId, location);
    }

    @Transactional
    public Post replaceLatest(Actor actor, NodeName node, PostDraft draft) {
        return posts.replaceLatest(actor, node, draft);
    }

    @Transactional
    public List<String> retract(Actor actor, NodeName node, String itemId) {
        return posts.retract(actor, node, itemId);
    }

    /** Several retractions at once (XEP-0060 allows many items in one retract): all or none. */
    @Transactional
    public List<String> retract(Actor actor, NodeName node, List<String> itemIds) {
        return retract(actor, node, itemIds, true);
    }

    /** The same; {@code notify} false: subscribers are not told (XEP-0060 {@code notify='0'}). */
    @Transactional
    public List<String> retract(Actor actor, NodeName node, List<String> itemIds, boolean notify) {
        return itemIds.stream().flatMap(id -> posts.retract(actor, node, id, notify).stream()).toList();
    }
}
