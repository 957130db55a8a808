package org.buddycloud.channels.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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
 * The inbox (PROTOCOL.md §1.13): the copies this server keeps of other domains' nodes its users follow, so that their
 * reads, {@code recent-items} and notifications are answered here. A copy lives in the same tables as our own nodes
 * and changes only through this class, with what the node's own server said; each change emits the event a local
 * change would, so that local followers, push and search hear of it as of anything else. Applying is idempotent:
 * a post older than or as old as the copy's, a membership as it is, change nothing and emit nothing, so that a
 * notification sent twice or a reconciliation overlapping live notifications doubles nothing.
 */
public final class InboxService extends ChannelCore {

    public InboxService(ChannelStores stores, EventOutbox outbox, ChannelPolicy policy, Clock clock) {
        super(stores, outbox, policy, clock);
    }

    /** Whether the node is another domain's, so that our users reach it through its own server. */
    public boolean isRemote(NodeName node) {
        return !policy.hosts(node.channel());
    }

    /** Whether we keep a copy of the node. */
    public boolean hasCopy(NodeName node) {
        return isRemote(node) && channels.config(node).isPresent();
    }

    /**
     * A membership of a remote node, as its server answered or announced it: the copy is made when the first local
     * user follows (or asks to), and dropped when the last leaves. Returns whether a local user may read the node now
     * and could not before, for the caller to fill the copy from the origin.
     */
    public boolean membership(NodeName node, Jid member, Affiliation affiliation, Subscription subscription) {
        return membership(node, member, affiliation, subscription, false);
    }

    /**
     * The same; {@code requested}: the member asked for it through us (his subscribe answered). Only then may a copy
     * be made, or a local user start to follow: a remote server cannot make our users follow its channels.
     */
    private boolean membership(NodeName node, Jid member, Affiliation affiliation, Subscription subscription, boolean requested) {
        requireRemote(node);
        if (channels.config(node).isEmpty()) {
            if (!requested || !isLocalUser(member) || !follows(subscription)) {
                return false;
            }
            createCopy(node);
        }
        channels.lock(node);
        NodeConfig config = config(node);
        Membership before = memberships.membership(node, member);
        if (!requested && isLocalUser(member) && !follows(before.subscription()) && follows(subscription)) {
            return false;
        }
        if (before.affiliation() != affiliation || before.subscription() != subscription) {
            Membership after = before.with(affiliation, subscription, null, now());
            memberships.save(node, after);
            events.membershipChanged(node, before, after, node.channel(), config.accessModel());
        }
        if (localFollowers(node).isEmpty()) {
            drop(node);
            return false;
        }
        return isLocalUser(member) && subscription == Subscription.SUBSCRIBED && before.subscription() != Subscription.SUBSCRIBED;
    }

    /** A subscription the node's server announced; the affiliation stays (a new follower is a member until told more). */
    public boolean subscription(NodeName node, Jid member, Subscription subscription) {
        return subscription(node, member, subscription, false);
    }

    /** A subscription the node's server answered to the member's own request, sent on by us. */
    public boolean requestedSubscription(NodeName node, Jid member, Subscription subscription) {
        return subscription(node, member, subscription, true);
    }

    private boolean subscription(NodeName node, Jid member, Subscription subscription, boolean requested) {
        Affiliation now = channels.config(node).isPresent() ? memberships.membership(node, member).affiliation() : Affiliation.NONE;
        Affiliation kept = subscription == Subscription.SUBSCRIBED && now == Affiliation.NONE ? Affiliation.MEMBER : now;
        return membership(node, member, kept, subscription, requested);
    }

    /** An affiliation the node's server announced; an outcast follows no more. */
    public boolean affiliation(NodeName node, Jid member, Affiliation affiliation) {
        if (channels.config(node).isEmpty()) {
            return false;
        }
        Subscription now = memberships.membership(node, member).subscription();
        return membership(node, member, affiliation, affiliation == Affiliation.OUTCAST ? Subscription.NONE : now);
    }

    /** The node's configuration as its server published it. */
    public void configure(NodeName node, NodeConfig remote) {
        requireRemote(node);
        channels.config(node).ifPresent(current -> {
            // "local" means the origin's own users, who are not ours: here it reads as members only
            AccessModel access = remote.accessModel() == AccessModel.LOCAL ? AccessModel.AUTHORIZE : remote.accessModel();
            NodeConfig kept = new NodeConfig(remote.title(), remote.description(), access, remote.defaultAffiliation(),
                    remote.channelType(), remote.creator(), remote.createdAt(), remote.updatedAt(), remote.advertised(),
                    remote.contentType(), remote.location(), remote.ephemeral());
            if (!kept.equals(current)) {
                channels.updateConfig(node, kept);
                events.configured(node, kept, node.channel());
            }
        });
    }

    /**
     * A post of the node as its server sent it, validated as ours are (content, type, rating, place); kept with the
     * origin's id, author and times. True when the copy changed (new, or newer than the copy's version).
     */
    public boolean post(NodeName node, String itemId, PostDraft entry, Jid author, Instant published, Instant updated) {
        requireRemote(node);
        Optional<NodeConfig> config = channels.config(node);
        if (config.isEmpty()) {
            return false;
        }
        // one change of a copy at a time: "newer wins" is read, then written
        channels.lock(node);
        String id = PostService.localId(itemId, node);
        Optional<Post> existing = posts.find(node, id);
        if (existing.isPresent() && !updated.isAfter(existing.get().updated())) {
            return false;
        }
        Post post = remotePost(node, id, entry, author, published, updated);
        // a reply may come before its parent (a page of a walk, a notification overtaking another): it is kept anyway
        Optional<Post> parent = post.inReplyTo() == null ? Optional.empty() : posts.find(node, post.inReplyTo());
        if (parent.isPresent() && parent.get().isReply()) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.MAX_THREAD_DEPTH_EXCEEDED, "replies are one level deep");
        }
        if (existing.isPresent()) {
            posts.update(post);
        } else if (!posts.insert(post)) {
            return false;
        }
        parent.filter(p -> p.updated().isBefore(updated)).ifPresent(p -> posts.touch(node, p.id(), updated));
        events.published(post, existing.isPresent(), parent.map(Post::author).orElse(null), config.get().accessModel());
        return true;
    }

    /**
     * A post of another domain's node as its server gave it, validated as ours are (content, type, rating, place), not
     * kept: what a copy stores, and what a read of a node nobody here follows shows.
     */
    public Post remotePost(NodeName node, String itemId, PostDraft entry, Jid author, Instant published, Instant updated) {
        Post.ContentType type = PostService.contentType(entry.contentType());
        Post.Geoloc.check(entry.geoloc());
        Integer rating = PostService.ratingValue(entry.rating());
        String content = rating != null ? "rating:" + rating + ".0" : content(entry.content());
        String title = rating != null ? "Rating" : entry.title() == null || entry.title().isBlank() ? "Post" : entry.title();
        String parentId = entry.inReplyTo() == null ? null : PostService.localId(entry.inReplyTo(), node);
        String target = entry.targetId() == null ? null : PostService.localId(entry.targetId(), node);
        // a time ahead of ours (a wrong clock, or a server that wants its posts on top) counts as now
        Instant latest = now().plusSeconds(60);
        return new Post(node, PostService.localId(itemId, node), author, min(published, latest), min(updated, latest), title, content,
                rating != null ? Post.ContentType.TEXT : type, parentId, rating, target, entry.geoloc(), entry.media(), entry.extensions());
    }

    /** The node's server retracted the item (with its replies, when it is a top-level post); nothing when we lack it. */
    public boolean retract(NodeName node, String itemId) {
        requireRemote(node);
        Optional<NodeConfig> config = channels.config(node);
        if (config.isEmpty()) {
            return false;
        }
        channels.lock(node);
        Optional<Post> post = posts.find(node, PostService.localId(itemId, node));
        post.ifPresent(p -> PostService.retractWithReplies(posts, events, p, node.channel(), config.get().accessModel(), now()));
        return post.isPresent();
    }

    /** The node's server deleted the node: the copy goes, its local followers hear of it. */
    public void deleted(NodeName node) {
        requireRemote(node);
        if (channels.config(node).isEmpty()) {
            return;
        }
        List<Jid> followers = memberships.members(node).stream().filter(Membership::subscribed).map(Membership::jid).toList();
        drop(node);
        events.nodeDeleted(node, node.channel(), now(), followers);
    }

    /**
     * The node's server says the node moved to {@code to} (XEP-0060 {@code <delete><redirect/></delete>}): the copy
     * goes, and the local users who followed it hear where it went, unless they follow {@code to} here already (an
     * import into this server restored them and told them). Returns who followed the copy, to take them along.
     */
    public List<Jid> moved(NodeName node, NodeName to) {
        requireRemote(node);
        if (channels.config(node).isEmpty()) {
            return List.of();
        }
        channels.lock(node);
        List<Jid> followers = localSubscribers(node);
        List<Jid> told = followers.stream().filter(f -> isRemote(to)
                || memberships.membership(to, f).subscription() != Subscription.SUBSCRIBED).toList();
        drop(node);
        if (!told.isEmpty()) {
            events.moved(node.channel(), to.channel(), node.channel(), now(), told);
        }
        return followers;
    }

    /** The copies of nodes of {@code domain}'s channels (and its topics'), to reconcile when its server asks. */
    public List<NodeName> copiesOf(String domain) {
        return channels.copiesOf(domain);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isAfter(b) ? b : a;
    }

    /** The local users who follow the copy, or asked to: while there are some, it is kept. */
    public List<Jid> localFollowers(NodeName node) {
        return memberships.members(node).stream().filter(m -> isLocalUser(m.jid()) && follows(m.subscription()))
                .map(Membership::jid).toList();
    }

    /** The local users subscribed to the copy: who may read the node at its origin, to fill the copy as. */
    public List<Jid> localSubscribers(NodeName node) {
        return memberships.members(node).stream().filter(m -> isLocalUser(m.jid()) && m.subscription() == Subscription.SUBSCRIBED)
                .map(Membership::jid).toList();
    }

    /** The newest update the copy has, where a walk of the origin's items may stop. */
    public Optional<Instant> newest(NodeName node) {
        return posts.items(node, new Page(1, null, null), false).items().stream().map(Post::updated).findFirst();
    }

    private void createCopy(NodeName node) {
        Jid channel = node.channel();
        Instant now = now();
        ChannelType type = channel.domain().startsWith("topics.") ? ChannelType.TOPIC : ChannelType.PERSONAL;
        channels.insertChannel(new Channel(channel, type, channel, now));
        // until the origin's configuration arrives: authorize, so nothing reads more than it should meanwhile
        NodeConfig initial = NodeConfig.initial(node, type, channel, AccessModel.AUTHORIZE, Affiliation.MEMBER, now);
        channels.insertNode(node, initial);
    }

    private void drop(NodeName node) {
        Jid channel = node.channel();
        channels.deleteNode(node);
        if (channels.nodes(channel).isEmpty()) {
            channels.deleteChannel(channel);
        }
    }

    private boolean isLocalUser(Jid jid) {
        return jid.domain().equals(policy.domain());
    }

    private static boolean follows(Subscription subscription) {
        return subscription == Subscription.SUBSCRIBED || subscription == Subscription.PENDING;
    }

    /** Refuses (forbidden) a change to one of our own nodes: another server changes only its own nodes' copies here. */
    public void requireRemote(NodeName node) {
        if (!isRemote(node)) {
            throw new DomainException(Condition.FORBIDDEN, node + " is ours: another server cannot change it");
        }
    }
}
