package org.buddycloud.channels.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.buddycloud.contracts.access.Action;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.access.Standing;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.events.EventOutbox;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.AppCondition;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * The channel use cases that change something: channels and nodes, configuration, membership.
 * Posts are {@link PostService}'s, reads {@link ChannelQueries}'. Each method checks
 * {@link Permissions}, then changes the stores and records its events; callers run it in one
 * transaction, so a refused or failed call leaves neither data nor events.
 */
public final class ChannelService extends ChannelCore {

    /** App nodes may not take the names the REST paths use for something else. */
    private static final List<String> RESERVED = List.of("content", "metadata", "subscribers", "media", "approve", "threads");

    public ChannelService(ChannelStores stores, EventOutbox outbox, ChannelPolicy policy, Clock clock) {
        super(stores, outbox, policy, clock);
    }

    /** The personal channel of a new account: its six nodes, owned and followed by the user. */
    public Channel createPersonalChannel(Jid user) {
        Channel channel = new Channel(user, ChannelType.PERSONAL, user, now());
        if (!channels.insertChannel(channel)) {
            throw new DomainException(Condition.CONFLICT, "the channel " + user + " exists");
        }
        Map<NodeName, AccessModel> nodes = new LinkedHashMap<>();
        NodeConfig postsConfig = null;
        for (String type : NodeName.PERSONAL) {
            NodeName node = NodeName.of(user, type);
            AccessModel access = type.startsWith("geo/") ? policy.geoAccessModel() : policy.accessModel();
            NodeConfig config = addNode(node, channel, access, Affiliation.MEMBER, false);
            nodes.put(node, config.accessModel());
            postsConfig = node.is(NodeName.POSTS) ? config : postsConfig;
        }
        events.channelCreated(channel, postsConfig, nodes);
        return channel;
    }

    /** A topic channel {@code name@topics.<domain>}, owned by its creator, with a {@code /posts} node followers may post to. */
    public Channel createTopicChannel(Actor actor, Jid jid) {
        return createTopicChannel(actor, jid, false);
    }

    /**
     * A topic channel; an ephemeral one (a conversation rather than a publication) makes every follower a
     * moderator and is deleted when its last follower leaves.
     */
    public Channel createTopicChannel(Actor actor, Jid jid, boolean ephemeral) {
        requireLocalUser(actor, "create topic channels");
        if (!jid.isEntityBare() || !jid.domain().equals(policy.topicsDomain())) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.INVALID_JID,
                    "topic channels are named name@" + policy.topicsDomain());
        }
        Channel channel = new Channel(jid, ChannelType.TOPIC, actor.jid(), now());
        if (!channels.insertChannel(channel)) {
            throw new DomainException(Condition.CONFLICT, "the channel " + jid + " exists");
        }
        NodeName posts = NodeName.of(jid, NodeName.POSTS);
        NodeConfig config = addNode(posts, channel, policy.accessModel(), Affiliation.PUBLISHER, ephemeral);
        events.channelCreated(channel, config, Map.of(posts, config.accessModel()));
        return channel;
    }

    /** Deletes a channel with everything in it; only an owner of its {@code /posts} node may. */
    public void deleteChannel(Actor actor, Jid jid) {
        Channel channel = channel(jid);
        NodeName posts = NodeName.of(jid, NodeName.POSTS);
        NodeConfig config = config(posts);
        permissions.check(Action.ADMINISTER, config.accessModel(), memberships.membership(posts, jidOf(actor)), actor);
        refuseIfEphemeral(config);
        deleteChannel(channel.jid(), actor.jid());
    }

    /** An app-defined node in a channel, configured like the channel's {@code /posts}. */
    public NodeConfig createNode(Actor actor, NodeName node) {
        return createNode(actor, node, false);
    }

    /** An app-defined node; an ephemeral one makes every follower a moderator and ends with its last follower. */
    public NodeConfig createNode(Actor actor, NodeName node, boolean ephemeral) {
        requireOurs(node);
        Channel channel = channel(node.channel());
        NodeConfig posts = config(NodeName.of(channel.jid(), NodeName.POSTS));
        permissions.check(Action.ADMINISTER, posts.accessModel(), memberships.membership(node.sibling(NodeName.POSTS), jidOf(actor)), actor);
        if (RESERVED.contains(node.type()) || node.type().startsWith("geo/")) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.INVALID_NODE_FORMAT, "the node name " + node.type() + " is reserved");
        }
        NodeConfig config = addNode(node, channel, posts.accessModel(), posts.defaultAffiliation(), ephemeral);
        events.nodeCreated(node, config, actor.jid());
        return config;
    }

    /** Deletes an app-defined node; the nodes a personal channel is made of go only with the channel. */
    public void deleteNode(Actor actor, NodeName node) {
        requireOurs(node);
        NodeConfig config = config(node);
        permissions.check(Action.ADMINISTER, config.accessModel(), memberships.membership(node, jidOf(actor)), actor);
        if (NodeName.PERSONAL.contains(node.type())) {
            throw new DomainException(Condition.NOT_ALLOWED, "the " + node.type() + " node belongs to the channel; delete the channel instead");
        }
        refuseIfEphemeral(config);
        List<Jid> followers = followers(List.of(node));
        channels.deleteNode(node);
        events.nodeDeleted(node, actor.jid(), now(), followers);
    }

    public NodeConfig configure(Actor actor, NodeName node, ConfigChange change) {
        requireOurs(node);
        NodeConfig current = config(node);
        permissions.check(Action.CONFIGURE, current.accessModel(), memberships.membership(node, jidOf(actor)), actor);
        NodeConfig changed = current.apply(change, now());
        channels.updateConfig(node, changed);
        events.configured(node, changed, actor.jid());
        return changed;
    }

    /**
     * Follows a node. Open nodes (and local ones for local users) subscribe at once; authorize nodes
     * make a pending request an owner or moderator approves (at once when an owner or moderator
     * invited the actor); whitelist nodes only take JIDs an owner or moderator added or invited.
     */
    public Membership subscribe(Actor actor, NodeName node) {
        requireOurs(node);
        NodeConfig config = config(node);
        Membership before = memberships.membership(node, jidOf(actor));
        permissions.check(Action.SUBSCRIBE, config.accessModel(), before, actor);
        if (before.subscribed() || before.subscription() == Subscription.PENDING) {
            return before;
        }
        Subscription state = switch (permissions.effective(config.accessModel(), actor)) {
            case OPEN -> Subscription.SUBSCRIBED;
            case AUTHORIZE, LOCAL -> invitedByManager(node, before) ? Subscription.SUBSCRIBED : Subscription.PENDING;
            case WHITELIST -> {
                // an owner's or moderator's invitation puts the invitee on the list
                if (!before.atLeast(Affiliation.MEMBER) && !invitedByManager(node, before)) {
                    throw new DomainException(Condition.FORBIDDEN, AppCondition.CLOSED_NODE,
                            "only people the owner added may follow this channel");
                }
                yield Subscription.SUBSCRIBED;
            }
        };
        Affiliation joining = config.ephemeral() ? Affiliation.MODERATOR : config.defaultAffiliation();
        Affiliation affiliation = state == Subscription.SUBSCRIBED
                ? Standing.higher(before.affiliation(), joining) : before.affiliation();
        Membership after = before.with(affiliation, state, null, now());
        memberships.save(node, after);
        events.membershipChanged(node, before, after, actor.jid(), config.accessModel());
        return after;
    }

    /** Stops following; only for oneself, and the last owner cannot leave. */
    public Membership unsubscribe(Actor actor, NodeName node, Jid subscriber) {
        requireOurs(node);
        NodeConfig config = config(node);
        if (actor.anonymous()) {
            throw new DomainException(Condition.NOT_AUTHORIZED, "log in to unfollow");
        }
        if (!actor.is(subscriber.toBare())) {
            throw new DomainException(Condition.FORBIDDEN, AppCondition.CAN_ONLY_UNSUBSCRIBE_SELF, "you can only unfollow for yourself");
        }
        Membership before = memberships.membership(node, actor.jid());
        if (before.subscription() == Subscription.NONE && before.affiliation() != Affiliation.OWNER) {
            return before;
        }
        if (config.ephemeral() && lastFollower(node, actor.jid())) {
            endEphemeral(node, actor.jid());
            return before.with(Affiliation.NONE, Subscription.NONE, null, now());
        }
        if (!config.ephemeral()) { // a conversation needs no owner: its followers moderate it
            requireAnotherOwner(node, before);
        }
        Affiliation affiliation = before.affiliation() == Affiliation.OUTCAST ? Affiliation.OUTCAST : Affiliation.NONE;
        Membership after = before.with(affiliation, Subscription.NONE, null, now());
        memberships.save(node, after);
        events.membershipChanged(node, before, after, actor.jid(), config.accessModel());
        return after;
    }

    /**
     * Follows {@code /firehose} live, or stops: the notifications of every new post the public may read. Nothing
     * else changes, so no event is recorded.
     */
    public void followFirehose(Actor actor, boolean follow) {
        if (actor.anonymous()) {
            throw new DomainException(Condition.NOT_AUTHORIZED, "log in to follow the firehose");
        }
        memberships.followFirehose(actor.jid(), follow, now());
    }

    /**
     * Sets another JID's subscription: an owner or moderator approves ({@code subscribed}) or refuses
     * or removes ({@code none}); any follower may invite ({@code invited}).
     */
    public Membership setSubscription(Actor actor, NodeName node, Jid target, Subscription state) {
        requireOurs(node);
        NodeConfig config = config(node);
        Membership mine = memberships.membership(node, jidOf(actor));
        Jid subject = target.toBare();
        if (actor.is(subject)) {
            throw new DomainException(Condition.FORBIDDEN, AppCondition.CAN_NOT_MODIFY_OWN_SUBSCRIPTION,
                    "follow or unfollow yourself instead of setting your own subscription");
        }
        Membership before = memberships.membership(node, subject);
        Instant now = now();
        Membership after = switch (state) {
            case SUBSCRIBED -> {
                permissions.check(Action.MANAGE_SUBSCRIPTIONS, config.accessModel(), mine, actor);
                if (before.subscribed()) {
                    yield before;
                }
                if (before.subscription() != Subscription.PENDING && before.subscription() != Subscription.INVITED) {
                    throw new DomainException(Condition.BAD_REQUEST, subject + " has not asked to follow this channel");
                }
                yield before.with(Standing.higher(before.affiliation(), config.defaultAffiliation()), Subscription.SUBSCRIBED, null, now);
            }
            case NONE -> {
                permissions.check(Action.MANAGE_SUBSCRIPTIONS, config.accessModel(), mine, actor);
                permissions.checkManages(mine, before, null);
                requireAnotherOwner(node, before);
                yield before.with(before.affiliation() == Affiliation.OUTCAST ? Affiliation.OUTCAST : Affiliation.NONE,
                        Subscription.NONE, null, now);
            }
            case INVITED -> {
                permissions.check(Action.INVITE, config.accessModel(), mine, actor);
                if (before.affiliation() == Affiliation.OUTCAST) {
                    throw new DomainException(Condition.FORBIDDEN, subject + " is banned from this channel");
                }
                if (before.subscription() != Subscription.NONE) {
                    yield before;
                }
                yield before.with(before.affiliation(), Subscription.INVITED, actor.jid(), now);
            }
            case PENDING -> throw new DomainException(Condition.BAD_REQUEST, "a subscription becomes pending only by asking to follow");
        };
        if (!after.equals(before)) {
            memberships.save(node, after);
            events.membershipChanged(node, before, after, actor.jid(), config.accessModel());
        }
        return after;
    }

    /**
     * Sets another JID's affiliation. Owners may set any; moderators may make people members,
     * publishers, outcasts or nobody, but not touch owners and moderators. Nobody changes their own,
     * and a node keeps at least one owner. Outcasts lose their subscription.
     */
    public Membership setAffiliation(Actor actor, NodeName node, Jid target, Affiliation affiliation) {
        requireOurs(node);
        NodeConfig config = config(node);
        Membership mine = memberships.membership(node, jidOf(actor));
        permissions.check(Action.MANAGE_AFFILIATIONS, config.accessModel(), mine, actor);
        Jid subject = target.toBare();
        if (actor.is(subject)) {
            throw new DomainException(Condition.FORBIDDEN, AppCondition.CAN_NOT_MODIFY_OWN_AFFILIATION, "you cannot change your own affiliation");
        }
        Membership before = memberships.membership(node, subject);
        if (config.ephemeral() && !Standing.of(affiliation, null).privileged()) {
            throw new DomainException(Condition.NOT_ACCEPTABLE, "on an ephemeral node everybody is an owner or a moderator");
        }
        permissions.checkManages(mine, before, affiliation);
        if (before.affiliation() == Affiliation.OWNER && affiliation != Affiliation.OWNER) {
            requireAnotherOwner(node, before);
        }
        Subscription subscription = affiliation == Affiliation.OUTCAST || affiliation == Affiliation.NONE
                ? Subscription.NONE : before.subscription();
        Membership after = before.with(affiliation, subscription, subscription == Subscription.INVITED ? before.invitedBy() : null,
                now());
        if (!after.equals(before)) {
            memberships.save(node, after);
            events.membershipChanged(node, before, after, actor.jid(), config.accessModel());
        }
        return after;
    }

    /**
     * What deleting an account takes with it: the personal channel, the account's memberships
     * everywhere and the posts it wrote in other channels, each with its events. Topic channels it
     * owns alone go too, so a later account of the same name inherits nothing.
     */
    public void forgetUser(Jid user) {
        Instant now = now();
        memberships.followFirehose(user, false, now);
        for (MembershipStore.NodeMembership held : memberships.membershipsOf(user)) {
            NodeName node = held.node();
            if (node.channel().equals(user)) {
                continue;
            }
            if (held.membership().affiliation() == Affiliation.OWNER && lockedOwners(node) <= 1) {
                if (channels.channel(node.channel()).isPresent()) {
                    deleteChannel(node.channel(), user);
                }
                continue;
            }
            Membership after = Membership.none(user).with(Affiliation.NONE, Subscription.NONE, null, now);
            memberships.save(node, after);
            channels.config(node).ifPresent(config ->
                    events.membershipChanged(node, held.membership(), after, user, config.accessModel()));
        }
        Post after = null;
        for (List<Post> written; !(written = posts.authoredOutside(user, List.of(user), after, Page.LIMIT)).isEmpty(); ) {
            for (Post post : written) {
                // a reply may have gone with its parent, retracted a moment ago
                if (posts.find(post.node(), post.id()).isPresent()) {
                    AccessModel model = channels.config(post.node()).map(NodeConfig::accessModel).orElse(AccessModel.AUTHORIZE);
                    PostService.retractWithReplies(posts, events, post, user, model, now);
                }
            }
            after = written.get(written.size() - 1);
        }
        if (channels.channel(user).isPresent()) {
            deleteChannel(user, user);
        }
    }

    /** Deletes the channel and announces it to whoever followed any of its nodes. */
    private void deleteChannel(Jid channel, Jid actor) {
        List<Jid> followers = followers(channels.nodes(channel));
        channels.deleteChannel(channel);
        events.channelDeleted(channel, actor, now(), followers);
    }

    /** Ensures a local user has a personal channel (XEP-0077 to the channel service, users of another server in component mode). */
    public Channel ensurePersonalChannel(Actor actor) {
        requireLocalUser(actor, "have a personal channel here");
        return channels.channel(actor.jid()).orElseGet(() -> createPersonalChannel(actor.jid()));
    }

    private List<Jid> followers(List<NodeName> nodes) {
        return nodes.stream().flatMap(node -> memberships.members(node).stream()).filter(Membership::subscribed)
                .map(Membership::jid).distinct().toList();
    }

    private NodeConfig addNode(NodeName node, Channel channel, AccessModel accessModel, Affiliation defaultAffiliation,
                               boolean ephemeral) {
        Instant now = now();
        NodeConfig initial = NodeConfig.initial(node, channel.type(), channel.owner(), accessModel, defaultAffiliation, now);
        NodeConfig config = ephemeral ? initial.asEphemeral() : initial;
        if (!channels.insertNode(node, config)) {
            throw new DomainException(Condition.CONFLICT, "the node " + node + " exists");
        }
        memberships.save(node, new Membership(channel.owner(), Affiliation.OWNER, Subscription.SUBSCRIBED, null, now));
        return config;
    }

    private static void refuseIfEphemeral(NodeConfig config) {
        if (config.ephemeral()) {
            throw new DomainException(Condition.NOT_ALLOWED, AppCondition.CAN_NOT_DELETE_EPHEMERAL_NODE,
                    "an ephemeral node ends when its last follower leaves");
        }
    }

    /** True when nobody but {@code leaving} follows the node (decided under the node's lock). */
    private boolean lastFollower(NodeName node, Jid leaving) {
        channels.lock(node);
        return memberships.members(node).stream().filter(Membership::subscribed).allMatch(m -> m.jid().equals(leaving));
    }

    /** The last follower left an ephemeral node: a topic channel's {@code /posts} takes the channel with it. */
    private void endEphemeral(NodeName node, Jid actor) {
        if (node.is(NodeName.POSTS)) {
            deleteChannel(node.channel(), actor);
            return;
        }
        List<Jid> followers = followers(List.of(node));
        channels.deleteNode(node);
        events.nodeDeleted(node, actor, now(), followers);
    }

    /** Under the node's lock: two owners leaving at the same moment cannot both see the other one stay. */
    private void requireAnotherOwner(NodeName node, Membership leaving) {
        if (leaving.affiliation() == Affiliation.OWNER && lockedOwners(node) <= 1) {
            throw new DomainException(Condition.CONFLICT, AppCondition.NODE_MUST_HAVE_OWNER, "a channel must keep an owner");
        }
    }

    private long lockedOwners(NodeName node) {
        channels.lock(node);
        return memberships.owners(node);
    }

    private boolean invitedByManager(NodeName node, Membership membership) {
        if (membership.subscription() != Subscription.INVITED || membership.invitedBy() == null) {
            return false;
        }
        return memberships.membership(node, membership.invitedBy()).privileged();
    }

    private void requireLocalUser(Actor actor, String what) {
        if (actor.anonymous()) {
            throw new DomainException(Condition.NOT_AUTHORIZED, "log in to " + what);
        }
        if (!actor.isLocalTo(policy.domain())) {
            throw new DomainException(Condition.FORBIDDEN, "only users of " + policy.domain() + " may " + what);
        }
    }

    private Channel channel(Jid jid) {
        return channels.channel(jid).orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND, "no channel " + jid));
    }

    private static Jid jidOf(Actor actor) {
        return actor.anonymous() ? null : actor.jid();
    }

}
