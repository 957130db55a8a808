package org.buddycloud.channels.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.buddycloud.contracts.access.Action;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.events.EventOutbox;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.AppCondition;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * Publishing, editing and deleting posts (PROTOCOL.md §1.8–1.9, decisions 3 and 4): validation
 * with the named conditions, the server's rewrite, one level of replies, ratings, edits by the
 * author, and deletion by the author, an owner or a moderator taking the replies along.
 */
public final class PostService extends ChannelCore {

    private static final Pattern ITEM_ID = Pattern.compile("[A-Za-z0-9._:~-]{1,128}");

    public PostService(ChannelStores stores, EventOutbox outbox, ChannelPolicy policy, Clock clock) {
        super(stores, outbox, policy, clock);
    }

    /** Publishes a new post or reply, or, when the id names the actor's own post, edits it. */
    public Post publish(Actor actor, NodeName node, PostDraft draft) {
        NodeConfig config = writableConfig(node, actor);
        // a new random id names no post yet (were it taken, the insert says so)
        String id = draft.id() == null ? UUID.randomUUID().toString() : localId(draft.id(), node);
        Optional<Post> existing = draft.id() == null ? Optional.empty() : posts.find(node, id);
        if (existing.isPresent()) {
            return edit(actor, existing.get(), draft, config);
        }
        Instant now = now();
        Optional<Post> parent = parent(node, draft.inReplyTo());
        Post post = rewrite(draft, node, id, actor.jid(), now, now, parent);
        if (!posts.insert(post)) {
            throw new DomainException(Condition.CONFLICT, "an item " + id + " was published at the same moment; send it again to edit it");
        }
        parent.ifPresent(p -> posts.touch(node, p.id(), now));
        events.published(post, false, parent.map(Post::author).orElse(null), config.accessModel());
        return post;
    }

    /**
     * Publishes an XEP-0080 location on a geo node, or replaces the actor's own item of that id. Its content is the
     * location as published; its place columns and events carry the coordinates.
     */
    public Post publishLocation(Actor actor, NodeName node, String itemId, Location location) {
        if (!node.isGeo()) {
            throw Location.invalid(node + " takes Atom entries; XEP-0080 locations go to the geo nodes");
        }
        NodeConfig config = writableConfig(node, actor);
        String id = itemId == null ? UUID.randomUUID().toString() : localId(itemId, node);
        Optional<Post> existing = posts.find(node, id);
        if (existing.isPresent() && !actor.is(existing.get().author())) {
            throw new DomainException(Condition.FORBIDDEN, "only the author can replace an item");
        }
        Post.Geoloc place = location.geoloc();
        Post.Geoloc.check(place);
        Instant now = now();
        Post post = new Post(node, id, actor.jid(), existing.map(Post::published).orElse(now), now, "Location", location.toXml(),
                Post.ContentType.GEOLOC, null, null, null, place, List.of(), null);
        if (existing.isPresent()) {
            posts.update(post);
        } else if (!posts.insert(post)) {
            throw new DomainException(Condition.CONFLICT, "an item " + id + " was published at the same moment; send it again to replace it");
        }
        events.published(post, existing.isPresent(), null, config.accessModel());
        return post;
    }

    /** PUT on a node: the newest post is replaced by this one (how {@code /status} is set). */
    public Post replaceLatest(Actor actor, NodeName node, PostDraft draft) {
        writableConfig(node, actor);
        if (draft.inReplyTo() != null) {
            throw new DomainException(Condition.BAD_REQUEST, "a replacement is a top-level post");
        }
        posts.newestTopLevel(node).ifPresent(latest -> retract(actor, node, latest.id()));
        return publish(actor, node, draft.withId(null));
    }

    /** Deletes a post and, for a top-level post, its replies; each gets its own retract event. */
    public List<String> retract(Actor actor, NodeName node, String itemId) {
        return retract(actor, node, itemId, true);
    }

    /**
     * The same; {@code notify} false (XEP-0060 §7.2 {@code notify='0'}) keeps subscribers from being told,
     * while the events still tell the other services.
     */
    public List<String> retract(Actor actor, NodeName node, String itemId, boolean notify) {
        requireOurs(node);
        NodeConfig config = channels.config(node)
                .orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND, "no node " + node));
        String id = localId(itemId, node);
        Post post = posts.find(node, id).orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND, "no item " + id + " in " + node));
        Membership membership = memberships.membership(node, actor.jid());
        boolean own = actor.is(post.author());
        permissions.check(own ? Action.RETRACT_OWN : Action.RETRACT_ANY, config.accessModel(), membership, actor);
        Instant now = now();
        List<String> removed = retractWithReplies(posts, events, post, actor.jid(), config.accessModel(), now);
        if (!notify) {
            removed.forEach(removedId -> posts.retractedQuietly(node, removedId, now));
        }
        return removed;
    }

    static List<String> retractWithReplies(PostStore posts, ChannelEvents events, Post post, Jid actor, AccessModel model, Instant now) {
        List<String> removed = new ArrayList<>();
        if (!post.isReply()) {
            for (Post reply : posts.allReplies(post.node(), post.id())) {
                posts.delete(reply.node(), reply.id());
                events.retracted(reply, actor, model, now);
                removed.add(reply.id());
            }
        }
        posts.delete(post.node(), post.id());
        events.retracted(post, actor, model, now);
        removed.add(post.id());
        return removed;
    }

    private Post edit(Actor actor, Post existing, PostDraft draft, NodeConfig config) {
        if (!actor.is(existing.author())) {
            throw new DomainException(Condition.FORBIDDEN, "only the author can edit a post");
        }
        String parentId = draft.inReplyTo() == null ? null : localId(draft.inReplyTo(), existing.node());
        if (!Objects.equals(parentId, existing.inReplyTo())) {
            throw new DomainException(Condition.BAD_REQUEST, "an edit cannot move a post to another thread");
        }
        Optional<Post> parent = parent(existing.node(), existing.inReplyTo());
        Post edited = rewrite(draft, existing.node(), existing.id(), existing.author(), existing.published(), now(), parent);
        if (edited.withUpdated(existing.updated()).equals(existing)) {
            // the same post sent again (a resend after an answer was lost): nothing changes, nobody is told
            return existing;
        }
        posts.update(edited);
        events.published(edited, true, parent.map(Post::author).orElse(null), config.accessModel());
        return edited;
    }

    /** The server's version of the post: validated, with its author, times, title and, for ratings, content. */
    private Post rewrite(PostDraft draft, NodeName node, String id, Jid author, Instant published, Instant updated,
                         Optional<Post> parent) {
        Post.ContentType type = contentType(draft.contentType());
        Post.Geoloc.check(draft.geoloc());
        Integer rating = ratingValue(draft.rating());
        Post target = rating != null || draft.targetId() != null ? target(draft, node, parent) : null;
        if (rating != null) {
            requireRatable(target, node, author, id);
        }
        String content = rating != null ? "rating:" + rating + ".0" : content(draft.content());
        String title = rating != null ? "Rating" : draft.title() == null || draft.title().isBlank() ? "Post" : draft.title();
        return new Post(node, id, author, published, updated, title, content, rating != null ? Post.ContentType.TEXT : type,
                parent.map(Post::id).orElse(null), rating, target == null ? null : target.id(), draft.geoloc(), draft.media(),
                draft.extensions());
    }

    private Optional<Post> parent(NodeName node, String inReplyTo) {
        if (inReplyTo == null) {
            return Optional.empty();
        }
        Post parent = posts.find(node, localId(inReplyTo, node)).orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND,
                AppCondition.PARENT_ITEM_NOT_FOUND, "the post replied to does not exist in " + node));
        if (parent.isReply()) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.MAX_THREAD_DEPTH_EXCEEDED,
                    "replies are one level deep: reply to the top-level post " + parent.inReplyTo());
        }
        return Optional.of(parent);
    }

    private Post target(PostDraft draft, NodeName node, Optional<Post> parent) {
        if (draft.targetId() == null || draft.targetId().isBlank()) {
            throw new DomainException(Condition.BAD_REQUEST, draft.targetId() == null ? AppCondition.MISSING_TARGET : AppCondition.MISSING_TARGET_ID,
                    "say which post this refers to (target)");
        }
        if (parent.isEmpty()) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.MISSING_IN_REPLY_TO, "a reference to a post is made in a reply");
        }
        Post target = posts.find(node, localId(draft.targetId(), node)).orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND,
                AppCondition.TARGETED_ITEM_NOT_FOUND, "the referenced post does not exist"));
        String thread = parent.get().id();
        if (!target.id().equals(thread) && !thread.equals(target.inReplyTo())) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.TARGET_OUTSIDE_THREAD, "the referenced post is in another thread");
        }
        return target;
    }

    static Integer ratingValue(String rating) {
        if (rating == null) {
            return null;
        }
        int value;
        try {
            value = Integer.parseInt(rating.trim().replaceFirst("\\.0+$", ""));
        } catch (NumberFormatException e) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.INVALID_RATING, "a rating is a whole number from 1 to 5");
        }
        if (value < 1 || value > 5) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.RATING_OUT_OF_RANGE, "a rating is from 1 to 5");
        }
        return value;
    }

    private void requireRatable(Post target, NodeName node, Jid author, String ratingId) {
        if (target.rating() != null) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.INVALID_RATING_REQUEST, "a rating cannot be rated");
        }
        if (posts.rated(node, target.id(), author, ratingId)) {
            throw new DomainException(Condition.CONFLICT, AppCondition.ITEM_ALREADY_RATED, "you have rated this post already");
        }
    }

    static Post.ContentType contentType(String type) {
        if (type == null || type.isBlank() || type.equals("text")) {
            return Post.ContentType.TEXT;
        }
        if (type.equals("xhtml")) {
            return Post.ContentType.XHTML;
        }
        throw new DomainException(Condition.BAD_REQUEST, AppCondition.UNSUPPORTED_CONTENT_TYPE, "content type must be text or xhtml, not " + type);
    }

    /** Item ids are local ids; a {@code tag:<domain>,<node>,<id>} global id of this node is accepted too. */
    public static String localId(String id, NodeName node) {
        String local = id.trim();
        if (local.startsWith("tag:")) {
            String prefix = "," + node + ",";
            int at = local.indexOf(prefix);
            if (at < 0) {
                throw new DomainException(Condition.BAD_REQUEST, "the item " + id + " is not one of " + node);
            }
            local = local.substring(at + prefix.length());
        }
        if (!ITEM_ID.matcher(local).matches()) {
            throw new DomainException(Condition.BAD_REQUEST, "item ids are 1 to 128 letters, digits, '.', '_', ':', '~' or '-'");
        }
        return local;
    }

    /** The configuration of a node the actor may publish to (read with the actor's membership in one query). */
    private NodeConfig writableConfig(NodeName node, Actor actor) {
        requireOurs(node);
        ChannelStore.NodeStanding standing = channels.configAndMembership(node, actor.jid())
                .orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND, "no node " + node));
        if (node.isVirtual()) {
            throw new DomainException(Condition.NOT_ALLOWED, node + " lists what its owner follows; nobody publishes to it");
        }
        permissions.check(Action.PUBLISH, standing.config().accessModel(), standing.membership(), actor);
        return standing.config();
    }

}
