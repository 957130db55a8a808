package org.buddycloud.channels.domain;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.events.EventOutbox;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * What restoring a channel from an archive needs beyond the ordinary use cases: followers set as they were (nobody
 * asks again for a standing they had), posts kept with their authors and original times, and the move announced.
 * Only an owner of the channel restores into it, and what is there already wins over the archive, so that an import
 * run twice changes nothing the second time.
 */
public final class ChannelImport extends ChannelCore {

    public ChannelImport(ChannelStores stores, EventOutbox outbox, ChannelPolicy policy, Clock clock) {
        super(stores, outbox, policy, clock);
    }

    /** Gives {@code archived.jid()} the standing it had; false when it has one here already (left as it is). */
    public boolean restoreMember(Jid owner, NodeName node, Membership archived) {
        NodeConfig config = ownedConfig(owner, node);
        Membership before = memberships.membership(node, archived.jid());
        if (!before.empty() || archived.empty()) {
            return false;
        }
        Membership after = new Membership(archived.jid(), archived.affiliation(), archived.subscription(),
                archived.invitedBy(), now());
        memberships.save(node, after);
        events.membershipChanged(node, before, after, owner, config.accessModel());
        return true;
    }

    /** What became of a post of the archive. */
    public enum Restored {
        RESTORED,
        /** The node holds an item of its id already (a second import): left as it is. */
        THERE_ALREADY,
        /** A reply whose post is not here (left out of the archive, or not restored): nothing to hang it on. */
        ORPHANED,
        /** Not a post this server takes (its content is longer than allowed here, or its place is off the globe). */
        REFUSED
    }

    /**
     * Stores each post of {@code node} as it was (author, times, thread), in order; a reply needs its parent restored
     * first (in an earlier batch, or earlier in this one). What became of each, in the same order.
     */
    public List<Restored> restorePosts(Jid owner, NodeName node, List<Post> batch, String importId) {
        NodeConfig config = ownedConfig(owner, node);
        List<Restored> outcomes = new java.util.ArrayList<>(batch.size());
        for (Post post : batch) {
            if (!post.node().equals(node)) {
                throw new IllegalArgumentException(post.node() + " is not " + node);
            }
            outcomes.add(restorePost(config, post, importId));
        }
        return outcomes;
    }

    private Restored restorePost(NodeConfig config, Post post, String importId) {
        try {
            Post.Geoloc.check(post.geoloc());
            if (post.contentType() != Post.ContentType.GEOLOC) {
                content(post.content());
            }
        } catch (DomainException e) {
            return Restored.REFUSED;
        }
        Optional<Post> parent = Optional.empty();
        if (post.isReply()) {
            parent = posts.find(post.node(), post.inReplyTo()).filter(p -> !p.isReply());
            if (parent.isEmpty()) {
                return Restored.ORPHANED;
            }
        }
        if (!posts.insert(post)) {
            return Restored.THERE_ALREADY;
        }
        events.imported(post, parent.map(Post::author).orElse(null), config.accessModel(), importId, now());
        return Restored.RESTORED;
    }

    /** Tells the other services that {@code from} lives on as {@code to}, with the followers who came along. */
    public void announceMove(Jid owner, Jid from, Jid to, List<Jid> followers) {
        ownedConfig(owner, NodeName.of(to, NodeName.POSTS));
        events.moved(from, to, owner, now(), followers);
    }

    /**
     * Our channel {@code from} moved to {@code to} on another domain (its new server showed an archive of ours to say
     * so): its followers, wherever they are, are told, and their servers take them along. Returns who followed.
     */
    public List<Jid> movedAway(Jid from, Jid to) {
        NodeName posts = NodeName.of(from, NodeName.POSTS);
        requireOurs(posts);
        config(posts);
        List<Jid> followers = memberships.members(posts).stream()
                .filter(m -> m.subscribed() && m.affiliation() != Affiliation.OWNER).map(Membership::jid).toList();
        events.moved(from, to, from, now(), followers);
        return followers;
    }

    private NodeConfig ownedConfig(Jid owner, NodeName node) {
        requireOurs(node);
        NodeConfig config = config(node);
        if (memberships.membership(NodeName.of(node.channel(), NodeName.POSTS), owner).affiliation() != Affiliation.OWNER) {
            throw new DomainException(Condition.FORBIDDEN, "only an owner of " + node.channel() + " restores into it");
        }
        return config;
    }
}
