package org.buddycloud.channels.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.buddycloud.contracts.access.Action;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.AppCondition;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * The reads of PROTOCOL.md §1.10. Every one answers only what the actor may read: one node's
 * queries check {@link Permissions} first, queries across channels check each node they return.
 */
public final class ChannelQueries extends ChannelCore {

    /** A top-level post with its replies, oldest reply first. */
    public record Thread(Post parent, List<Post> replies) {
    }

    /** A followed node with its configuration: subscriptions-with-configuration. */
    public record FollowedNode(NodeName node, Membership membership, NodeConfig config) {
    }

    /** One entry of the virtual {@code /subscriptions} node: a followed channel and the nodes of it followed. */
    public record Followee(Jid channel, List<MembershipStore.NodeMembership> nodes) {
    }

    /** Reads record no events; the outbox and clock of the core are unused. */
    public ChannelQueries(ChannelStores stores, ChannelPolicy policy) {
        super(stores, null, policy, Clock.systemUTC());
    }

    public Slice<Post> items(Actor actor, NodeName node, Page page, boolean parentOnly) {
        readable(actor, node);
        return posts.items(node, page, parentOnly);
    }

    public Post item(Actor actor, NodeName node, String id) {
        readable(actor, node);
        return post(node, id);
    }

    /** The replies of one post, newest first. */
    public Slice<Post> replies(Actor actor, NodeName node, String id, Page page) {
        readable(actor, node);
        Post parent = post(node, id);
        return posts.replies(node, parent.id(), page);
    }

    /** A post and its replies; asking with a reply's id gives its whole thread. */
    public Thread thread(Actor actor, NodeName node, String id) {
        readable(actor, node);
        Post post = post(node, id);
        Post parent = post.isReply() ? post(node, post.inReplyTo()) : post;
        return new Thread(parent, posts.repliesOf(node, List.of(parent.id())).getOrDefault(parent.id(), List.of()));
    }

    /** Threads ordered by their newest activity (a reply moves its thread up), each with its replies. */
    public Slice<Thread> threads(Actor actor, NodeName node, Page page) {
        readable(actor, node);
        Slice<Post> parents = posts.items(node, page, true);
        Map<String, List<Post>> replies = posts.repliesOf(node, parents.items().stream().map(Post::id).toList());
        return parents.map(parent -> new Thread(parent, replies.getOrDefault(parent.id(), List.of())));
    }

    /**
     * The newest posts since {@code since} of every channel the actor follows, at most
     * {@code maxPerNode} per channel, grouped by node, the most recently active node first.
     */
    public Map<NodeName, List<Post>> recentItems(Actor actor, Instant since, int maxPerNode, boolean parentOnly) {
        Jid reader = recentItemsReader(actor, since, maxPerNode);
        List<Post> recent = posts.recent(reader, NodeName.POSTS, since, maxPerNode, parentOnly);
        Predicate<NodeName> mayRead = readableBy(actor, recent.stream().map(Post::node).toList());
        return recent.stream()
                .filter(post -> mayRead.test(post.node()))
                .collect(Collectors.groupingBy(Post::node, LinkedHashMap::new, Collectors.toList()));
    }

    /** The same posts newest first, one page of them (XEP-0059; cursors {@code node,id}). */
    public Slice<Post> recentItems(Actor actor, Instant since, int maxPerNode, boolean parentOnly, Page page) {
        Jid reader = recentItemsReader(actor, since, maxPerNode);
        return filtered(posts.recent(reader, NodeName.POSTS, since, maxPerNode, parentOnly, page), actor);
    }

    private static Jid recentItemsReader(Actor actor, Instant since, int maxPerNode) {
        Jid reader = authenticated(actor, "see your recent items");
        if (since == null) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.SINCE_REQUIRED, "since is required");
        }
        if (maxPerNode < 1 || maxPerNode > Page.LIMIT) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.INVALID_MAX_VALUE_PROVIDED, "max must be between 1 and " + Page.LIMIT);
        }
        return reader;
    }

    /** Posts of every node the actor follows, updated since {@code since}, newest first. */
    public Slice<Post> followedItems(Actor actor, Instant since, Page page) {
        Jid reader = authenticated(actor, "see the posts you follow");
        return filtered(posts.followed(reader, since == null ? Instant.EPOCH : since, page), actor);
    }

    /**
     * The nodes this server advertises (disco#items of the channel service), in name order and paged
     * forward, so that a directory crawler walks them page by page instead of in one answer. Node names
     * and metadata are public (PROTOCOL.md §1.4); a node's owner hides it with {@code advertise_node}.
     */
    public Slice<NodeName> advertisedNodes(Page page) {
        if (page.before() != null) {
            throw new DomainException(Condition.BAD_REQUEST, "the node list pages forward only (after)");
        }
        return Slice.of(channels.advertisedNodes(page.after(), page.max()), channels.advertisedNodeCount(), NodeName::toString);
    }

    /** Everything the actor may read on this server, newest first. */
    public Slice<Post> firehose(Actor actor, Page page) {
        return filtered(posts.readable(new PostStore.ReadScope(actor.jid(), policy.domain()), page), actor);
    }

    /** Posts the actor may read whose text has every word of {@code text}, optionally by one author. */
    public Slice<Post> search(Actor actor, String text, Jid author, Page page) {
        List<String> words = text == null ? List.of() : List.of(text.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .stream().filter(w -> !w.isBlank()).limit(16).toList();
        if (words.isEmpty() && author == null) {
            throw new DomainException(Condition.BAD_REQUEST, "search for some words or an author");
        }
        return filtered(posts.search(new PostStore.ReadScope(actor.jid(), policy.domain()), words, author, page), actor);
    }

    /** A node's configuration: readable by everybody but outcasts (PROTOCOL.md §1.4). */
    public NodeConfig configuration(Actor actor, NodeName node) {
        NodeConfig config = config(node);
        if (memberships.membership(node, actor.jid()).affiliation() == Affiliation.OUTCAST) {
            throw new DomainException(Condition.FORBIDDEN, "you are banned from this channel");
        }
        return config;
    }

    /**
     * The node's members and their affiliations. Owners and moderators see everybody, pending and
     * banned included; others, who must be able to read the node, see its followers.
     */
    public List<Membership> members(Actor actor, NodeName node) {
        NodeConfig config = readable(actor, node);
        Membership viewer = memberships.membership(node, actor.jid());
        List<Membership> all = memberships.members(node);
        if (permissions.allows(Action.MANAGE_SUBSCRIPTIONS, config.accessModel(), viewer, actor)) {
            return all;
        }
        return all.stream().filter(m -> m.subscribed() || actor.is(m.jid())).toList();
    }

    /** Who waits for approval; only for owners and moderators. */
    public List<Membership> pending(Actor actor, NodeName node) {
        NodeConfig config = config(node);
        permissions.check(Action.MANAGE_SUBSCRIPTIONS, config.accessModel(), memberships.membership(node, actor.jid()), actor);
        return memberships.members(node).stream().filter(m -> m.subscription() == Subscription.PENDING).toList();
    }

    /**
     * What changed in the memberships of the nodes the actor follows within {@code [since, until]}, oldest
     * first (the catch-up after being offline), as notifications would have shown it ({@link Audience}).
     */
    public List<MembershipStore.NodeMembership> membershipChanges(Actor actor, Instant since, Instant until, int limit) {
        Jid reader = authenticated(actor, "catch up");
        Map<NodeName, Membership> mine = new HashMap<>();
        memberships.membershipsOf(reader).forEach(m -> mine.put(m.node(), m.membership()));
        List<MembershipStore.NodeMembership> changes = memberships.changedOnFollowedNodes(reader, since, until, limit);
        Map<NodeName, NodeConfig> configs = channels.configs(changes.stream().map(MembershipStore.NodeMembership::node)
                .collect(Collectors.toSet()));
        return changes.stream().filter(change -> configs.containsKey(change.node()) && audience.hearsOfMembership(
                configs.get(change.node()).accessModel(), actor, mine.getOrDefault(change.node(), Membership.none(reader)),
                change.membership().jid(), change.membership())).toList();
    }

    /** A user's memberships: all of them for the user, only followed nodes the actor may read for others. */
    public List<MembershipStore.NodeMembership> subscriptionsOf(Actor actor, Jid user) {
        List<MembershipStore.NodeMembership> all = memberships.membershipsOf(user.toBare());
        if (actor.is(user.toBare())) {
            return all;
        }
        Predicate<NodeName> mayRead = readableBy(actor, all.stream().map(MembershipStore.NodeMembership::node).toList());
        return all.stream().filter(m -> m.membership().subscribed() && mayRead.test(m.node())).toList();
    }

    /** The actor's own subscriptions, each with the node's configuration. */
    public List<FollowedNode> subscriptionsWithConfiguration(Actor actor) {
        Jid reader = authenticated(actor, "list your subscriptions");
        return memberships.membershipsOf(reader).stream()
                .map(m -> channels.config(m.node()).map(config -> new FollowedNode(m.node(), m.membership(), config)))
                .flatMap(Optional::stream).toList();
    }

    /**
     * The virtual {@code /subscriptions} node of a channel: the channels its owner follows, pending ones left out,
     * and for anyone but the owner only nodes they may read themselves (following a private channel is private too).
     */
    public List<Followee> followees(Actor actor, Jid channel) {
        readable(actor, NodeName.of(channel, NodeName.SUBSCRIPTIONS));
        Jid owner = channels.channel(channel).map(Channel::owner).orElse(channel);
        List<MembershipStore.NodeMembership> followed = memberships.membershipsOf(owner).stream()
                .filter(m -> m.membership().subscribed() && !m.node().channel().equals(channel)).toList();
        Predicate<NodeName> mayRead = actor.is(owner) ? node -> true
                : readableBy(actor, followed.stream().map(MembershipStore.NodeMembership::node).toList());
        Map<Jid, List<MembershipStore.NodeMembership>> byChannel = followed.stream()
                .filter(m -> mayRead.test(m.node()))
                .collect(Collectors.groupingBy(m -> m.node().channel(), LinkedHashMap::new, Collectors.toList()));
        return byChannel.entrySet().stream().map(e -> new Followee(e.getKey(), e.getValue())).toList();
    }

    private NodeConfig readable(Actor actor, NodeName node) {
        NodeConfig config = config(node);
        permissions.check(Action.READ, config.accessModel(), memberships.membership(node, actor.jid()), actor);
        return config;
    }

    /**
     * The read check of {@link Permissions} for the nodes of a list across channels, with their
     * configurations and the actor's memberships loaded in two queries rather than two per node.
     */
    private Predicate<NodeName> readableBy(Actor actor, Collection<NodeName> nodes) {
        Set<NodeName> distinct = new HashSet<>(nodes);
        Map<NodeName, NodeConfig> configs = channels.configs(distinct);
        Map<NodeName, Membership> held = memberships.memberships(actor.jid(), distinct);
        Set<NodeName> readable = new HashSet<>();
        configs.forEach((node, config) -> {
            if (permissions.allows(Action.READ, config.accessModel(), held.getOrDefault(node, Membership.none(actor.jid())), actor)) {
                readable.add(node);
            }
        });
        return readable::contains;
    }

    private Slice<Post> filtered(Slice<Post> slice, Actor actor) {
        Predicate<NodeName> mayRead = readableBy(actor, slice.items().stream().map(Post::node).toList());
        List<Post> kept = slice.items().stream().filter(post -> mayRead.test(post.node())).toList();
        return kept.size() == slice.items().size() ? slice : new Slice<>(kept, slice.first(), slice.last(), slice.count());
    }

    private Post post(NodeName node, String id) {
        return posts.find(node, PostService.localId(id, node))
                .orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND, "no item " + id + " in " + node));
    }

    private static Jid authenticated(Actor actor, String what) {
        if (actor.anonymous()) {
            throw new DomainException(Condition.NOT_AUTHORIZED, "log in to " + what);
        }
        return Objects.requireNonNull(actor.jid());
    }
}
