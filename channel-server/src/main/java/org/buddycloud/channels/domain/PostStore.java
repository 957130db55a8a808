package org.buddycloud.channels.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.buddycloud.contracts.jid.Jid;

/**
 * Persistence and queries of posts. Lists are newest first ({@code updated}, then id); cursors are
 * item ids within a node and {@code node,id} across nodes.
 */
public interface PostStore {

    /**
     * Which nodes a query across channels may draw from, as a coarse database filter: open nodes,
     * {@code local} ones for users of the local domain, and nodes where the reader is a member.
     * Results are checked again against {@link Permissions}.
     */
    record ReadScope(Jid reader, String localDomain) {
    }

    Optional<Post> find(NodeName node, String id);

    /** Stores a new post; false when the node already holds an item with its id (a concurrent publish won). */
    boolean insert(Post post);

    void update(Post post);

    /** Moves the post's {@code updated} (a reply to it arrived). */
    void touch(NodeName node, String id, Instant updated);

    void delete(NodeName node, String id);

    /** Records that the retraction of this item at this moment notifies nobody (clearing records a day old). */
    void retractedQuietly(NodeName node, String id, Instant at);

    /** Whether the retraction of this item at this moment asked for no notification. */
    boolean wasRetractedQuietly(NodeName node, String id, Instant at);

    List<Post> allReplies(NodeName node, String parentId);

    /** Whether the author has rated the target already, with a rating other than {@code exceptId}. */
    boolean rated(NodeName node, String targetId, Jid author, String exceptId);

    Optional<Post> newestTopLevel(NodeName node);

    /**
     * The author's posts in channels other than {@code excluded}, a page of at most {@code limit} in (node, id) order
     * after {@code after} (null: from the start): what a deleted account wrote in others' channels, what an archive
     * keeps of it. A page at a time, as an account may have written hundreds of thousands.
     */
    List<Post> authoredOutside(Jid author, Collection<Jid> excluded, Post after, int limit);

    Slice<Post> items(NodeName node, Page page, boolean parentOnly);

    Slice<Post> replies(NodeName node, String parentId, Page page);

    /** The replies of each parent, oldest first. */
    Map<String, List<Post>> repliesOf(NodeName node, Collection<String> parentIds);

    /** Per node of type {@code nodeType} the subscriber follows, its newest posts since {@code since}, at most {@code maxPerNode} each. */
    List<Post> recent(Jid subscriber, String nodeType, Instant since, int maxPerNode, boolean parentOnly);

    /** The same posts, one page of them across nodes (cursors {@code node,id}). */
    Slice<Post> recent(Jid subscriber, String nodeType, Instant since, int maxPerNode, boolean parentOnly, Page page);

    /** Posts of every node the subscriber follows, updated since {@code since}. */
    Slice<Post> followed(Jid subscriber, Instant since, Page page);

    Slice<Post> readable(ReadScope scope, Page page);

    /** Posts whose text has every word (and, if given, by {@code author}). */
    Slice<Post> search(ReadScope scope, List<String> words, Jid author, Page page);
}
