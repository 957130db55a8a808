package org.buddycloud.channels.store;

import org.buddycloud.servicekit.jdbc.Sql;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.buddycloud.channels.atom.AtomEntries;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.domain.Page;
import org.buddycloud.channels.domain.Post;
import org.buddycloud.channels.domain.PostStore;
import org.buddycloud.channels.domain.Slice;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * Posts in PostgreSQL: one row per post with the columns queries filter and sort on, and the Atom
 * entry written once. Pages are keyset pages on (updated, id) — and node across nodes — so a deep
 * page costs what the first one does; counts come from counters kept on the node.
 */
public final class JdbcPostStore implements PostStore {

    private static final int CROSS_COUNT_CAP = 10_000;

    private static final String COLUMNS = "i.node, i.id, i.author, i.in_reply_to, i.published, i.updated, i.title, i.content, "
            + "i.content_type, i.rating, i.target_id, i.geo_lat, i.geo_lon, i.geo_text, i.media, i.extensions";
    private static final TypeReference<List<Map<String, String>>> MEDIA = new TypeReference<>() { };

    /** The coarse read filter of queries across nodes; {@code Permissions} checks each result again. */
    private static final String READABLE = """
            n.node_type <> 'subscriptions'
            AND (m.affiliation IS NULL OR m.affiliation <> 'OUTCAST')
            AND (m.affiliation IN ('OWNER', 'MODERATOR')
                 OR (n.access_model = 'OPEN' AND (n.advertised OR m.subscription = 'SUBSCRIBED'))
                 OR (n.access_model = 'LOCAL' AND ? AND n.advertised)
                 OR (m.affiliation IN ('PUBLISHER', 'MEMBER')
                     AND (m.subscription = 'SUBSCRIBED' OR n.access_model = 'WHITELIST')))""";

    private final Sql sql;
    private final AtomEntries atom;
    private final ObjectMapper json = new ObjectMapper();

    public JdbcPostStore(Sql sql, AtomEntries atom) {
        this.sql = sql;
        this.atom = atom;
    }

    @Override
    public Optional<Post> find(NodeName node, String id) {
        return sql.one("SELECT " + COLUMNS + " FROM items i WHERE i.node = ? AND i.id = ?", posts(), node.toString(), id);
    }

    /** The row and the node's counters in one statement: the counters move only when the row was new. */
    @Override
    public boolean insert(Post p) {
        Object[] values = values(p);
        Object[] params = java.util.Arrays.copyOf(values, values.length + 2);
        params[values.length] = p.isReply() ? 0 : 1;
        params[values.length + 1] = p.node().toString();
        return sql.update("""
                WITH inserted AS (
                    INSERT INTO items (node, id, author, in_reply_to, published, updated, title, content, content_type, rating,
                                       target_id, geo_lat, geo_lon, geo_text, media, extensions, entry)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (node, id) DO NOTHING
                    RETURNING 1)
                UPDATE nodes SET item_count = item_count + 1, thread_count = thread_count + ?
                 WHERE node = ? AND EXISTS (SELECT 1 FROM inserted)""", params) == 1;
    }

    @Override
    public void update(Post p) {
        Object[] values = values(p);
        Object[] params = new Object[values.length - 2 + 2];
        System.arraycopy(values, 2, params, 0, values.length - 2);
        params[params.length - 2] = p.node().toString();
        params[params.length - 1] = p.id();
        sql.update("""
                UPDATE items SET author = ?, in_reply_to = ?, published = ?, updated = ?, title = ?, content = ?, content_type = ?,
                       rating = ?, target_id = ?, geo_lat = ?, geo_lon = ?, geo_text = ?, media = ?, extensions = ?, entry = ?
                 WHERE node = ? AND id = ?""", params);
    }

    @Override
    public void touch(NodeName node, String id, Instant updated) {
        sql.update("UPDATE items SET updated = ? WHERE node = ? AND id = ?", updated, node.toString(), id);
    }

    @Override
    public void delete(NodeName node, String id) {
        sql.one("DELETE FROM items WHERE node = ? AND id = ? RETURNING in_reply_to IS NULL AS top", rs -> rs.getBoolean("top"),
                node.toString(), id).ifPresent(top ->
                sql.update("UPDATE nodes SET item_count = item_count - 1, thread_count = thread_count - ? WHERE node = ?",
                        top ? 1 : 0, node.toString()));
    }

    @Override
    public void retractedQuietly(NodeName node, String id, Instant at) {
        sql.update("DELETE FROM quiet_retractions WHERE retracted_at < ?", at.minus(java.time.Duration.ofDays(1)));
        sql.update("INSERT INTO quiet_retractions (node, item_id, retracted_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                node.toString(), id, at);
    }

    @Override
    public boolean wasRetractedQuietly(NodeName node, String id, Instant at) {
        return sql.one("SELECT 1 FROM quiet_retractions WHERE node = ? AND item_id = ? AND retracted_at = ?", rs -> true,
                node.toString(), id, at).isPresent();
    }

    @Override
    public List<Post> allReplies(NodeName node, String parentId) {
        return sql.list("SELECT " + COLUMNS + " FROM items i WHERE i.node = ? AND i.in_reply_to = ? ORDER BY i.published, i.id",
                posts(), node.toString(), parentId);
    }

    @Override
    public boolean rated(NodeName node, String targetId, Jid author, String exceptId) {
        return sql.one("SELECT 1 FROM items WHERE node = ? AND target_id = ? AND author = ? AND rating IS NOT NULL AND id <> ?",
                rs -> true, node.toString(), targetId, author, exceptId).isPresent();
    }

    @Override
    public Optional<Post> newestTopLevel(NodeName node) {
        return sql.one("SELECT " + COLUMNS + " FROM items i WHERE i.node = ? AND i.in_reply_to IS NULL "
                + "ORDER BY i.updated DESC, i.id DESC LIMIT 1", posts(), node.toString());
    }

    @Override
    public List<Post> authoredOutside(Jid author, Collection<Jid> excluded, Post after, int limit) {
        String[] channels = excluded.stream().map(Jid::toString).toArray(String[]::new);
        // a node is /user/<channel>/<type>: its third part names the channel
        String where = "i.author = ? AND NOT (split_part(i.node, '/', 3) = ANY(?))";
        return after == null
                ? sql.list("SELECT " + COLUMNS + " FROM items i WHERE " + where + " ORDER BY i.node, i.id LIMIT ?", posts(), author, channels, limit)
                : sql.list("SELECT " + COLUMNS + " FROM items i WHERE " + where + " AND (i.node, i.id) > (?, ?) ORDER BY i.node, i.id LIMIT ?",
                        posts(), author, channels, after.node().toString(), after.id(), limit);
    }

    @Override
    public Slice<Post> items(NodeName node, Page page, boolean parentOnly) {
        long count = sql.one("SELECT " + (parentOnly ? "thread_count" : "item_count") + " FROM nodes WHERE node = ?",
                rs -> rs.getLong(1), node.toString()).orElse(0L);
        String where = "i.node = ?" + (parentOnly ? " AND i.in_reply_to IS NULL" : "");
        return nodePage(node, where, List.of(node.toString()), page, count);
    }

    @Override
    public Slice<Post> replies(NodeName node, String parentId, Page page) {
        long count = sql.one("SELECT count(*) FROM items WHERE node = ? AND in_reply_to = ?", rs -> rs.getLong(1),
                node.toString(), parentId).orElse(0L);
        return nodePage(node, "i.node = ? AND i.in_reply_to = ?", List.of(node.toString(), parentId), page, count);
    }

    @Override
    public Map<String, List<Post>> repliesOf(NodeName node, Collection<String> parentIds) {
        Map<String, List<Post>> replies = new LinkedHashMap<>();
        if (parentIds.isEmpty()) {
            return replies;
        }
        sql.list("SELECT " + COLUMNS + " FROM items i WHERE i.node = ? AND i.in_reply_to = ANY (?) ORDER BY i.published, i.id",
                posts(), node.toString(), parentIds.toArray(String[]::new))
                .forEach(reply -> replies.computeIfAbsent(reply.inReplyTo(), k -> new ArrayList<>()).add(reply));
        return replies;
    }

    /** One index probe per followed node (a lateral join), not one query per channel. */
    @Override
    public List<Post> recent(Jid subscriber, String nodeType, Instant since, int maxPerNode, boolean parentOnly) {
        return sql.list("SELECT " + COLUMNS + recentFrom(parentOnly) + " ORDER BY i.updated DESC, i.node, i.id DESC", posts(),
                nodeType, since, maxPerNode, subscriber);
    }

    @Override
    public Slice<Post> recent(Jid subscriber, String nodeType, Instant since, int maxPerNode, boolean parentOnly, Page page) {
        return crossPage(recentFrom(parentOnly), List.of(nodeType, since, maxPerNode, subscriber), page);
    }

    /** The newest posts of each followed node of a type: parameters node type, since, per-node cap, subscriber. */
    private static String recentFrom(boolean parentOnly) {
        String latest = "SELECT * FROM items x WHERE x.node = m.node AND x.updated > ?"
                + (parentOnly ? " AND x.in_reply_to IS NULL" : "") + " ORDER BY x.updated DESC, x.id DESC LIMIT ?";
        return " FROM memberships m JOIN nodes n ON n.node = m.node AND n.node_type = ?"
                + " CROSS JOIN LATERAL (" + latest + ") i WHERE m.jid = ? AND m.subscription = 'SUBSCRIBED'";
    }

    @Override
    public Slice<Post> followed(Jid subscriber, Instant since, Page page) {
        String from = " FROM items i JOIN memberships m ON m.node = i.node AND m.jid = ? AND m.subscription = 'SUBSCRIBED'"
                + " JOIN nodes n ON n.node = i.node AND n.node_type <> 'subscriptions' WHERE i.updated > ?";
        return crossPage(from, List.of(subscriber, since), page);
    }

    @Override
    public Slice<Post> readable(ReadScope scope, Page page) {
        String from = " FROM items i JOIN nodes n ON n.node = i.node LEFT JOIN memberships m ON m.node = i.node AND m.jid = ?"
                + " WHERE " + READABLE;
        return crossPage(from, List.of(jidOrNobody(scope), local(scope)), page);
    }

    @Override
    public Slice<Post> search(ReadScope scope, List<String> words, Jid author, Page page) {
        StringBuilder from = new StringBuilder(" FROM items i JOIN nodes n ON n.node = i.node LEFT JOIN memberships m ON m.node = i.node"
                + " AND m.jid = ? WHERE " + READABLE);
        List<Object> params = new ArrayList<>(List.of(jidOrNobody(scope), local(scope)));
        if (!words.isEmpty()) {
            from.append(" AND i.words @@ plainto_tsquery('simple', ?)");
            params.add(String.join(" ", words));
        }
        if (author != null) {
            from.append(" AND i.author = ?");
            params.add(author);
        }
        return crossPage(from.toString(), params, page);
    }

    private Slice<Post> nodePage(NodeName node, String where, List<Object> params, Page page, long count) {
        List<Object> all = new ArrayList<>(params);
        String cursor = "";
        boolean backwards = page.before() != null;
        String anchorId = backwards ? page.before() : page.after();
        if (anchorId != null) {
            Instant anchor = sql.one("SELECT updated FROM items WHERE node = ? AND id = ?", rs -> Sql.instant(rs, "updated"),
                    node.toString(), anchorId).orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND,
                    "no item " + anchorId + " to page from"));
            cursor = backwards ? " AND (i.updated, i.id) > (?, ?)" : " AND (i.updated, i.id) < (?, ?)";
            all.add(anchor);
            all.add(anchorId);
        }
        all.add(page.max());
        String order = backwards ? " ORDER BY i.updated ASC, i.id ASC" : " ORDER BY i.updated DESC, i.id DESC";
        List<Post> posts = sql.list("SELECT " + COLUMNS + " FROM items i WHERE " + where + cursor + order + " LIMIT ?",
                posts(), all.toArray());
        return Slice.of(backwards ? reversed(posts) : posts, count, Post::id);
    }

    /**
     * Keyset paging across nodes; cursors are {@code node,id}. The total stops counting at
     * {@value #CROSS_COUNT_CAP} (XEP-0059 lets a count be approximate): counting a whole server's
     * readable posts on every firehose or search page would cost more than the page itself.
     */
    private Slice<Post> crossPage(String from, List<Object> params, Page page) {
        long count = sql.one("SELECT count(*) FROM (SELECT 1" + from + " LIMIT " + CROSS_COUNT_CAP + ") capped",
                rs -> rs.getLong(1), params.toArray()).orElse(0L);
        List<Object> all = new ArrayList<>(params);
        String cursor = "";
        boolean backwards = page.before() != null;
        String anchor = backwards ? page.before() : page.after();
        if (anchor != null) {
            int comma = anchor.lastIndexOf(',');
            if (comma <= 0) {
                throw new DomainException(Condition.BAD_REQUEST, "a cursor across channels is node,id");
            }
            NodeName node = NodeName.parse(anchor.substring(0, comma));
            String id = anchor.substring(comma + 1);
            Instant updated = sql.one("SELECT updated FROM items WHERE node = ? AND id = ?", rs -> Sql.instant(rs, "updated"),
                    node.toString(), id).orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND, "no item " + anchor + " to page from"));
            cursor = backwards ? " AND (i.updated, i.node, i.id) > (?, ?, ?)" : " AND (i.updated, i.node, i.id) < (?, ?, ?)";
            all.addAll(List.of(updated, node.toString(), id));
        }
        all.add(page.max());
        String order = backwards ? " ORDER BY i.updated ASC, i.node ASC, i.id ASC" : " ORDER BY i.updated DESC, i.node DESC, i.id DESC";
        List<Post> posts = sql.list("SELECT " + COLUMNS + from + cursor + order + " LIMIT ?", posts(), all.toArray());
        return Slice.of(backwards ? reversed(posts) : posts, count, post -> post.node() + "," + post.id());
    }

    private Object[] values(Post p) {
        Post.Geoloc geo = p.geoloc();
        return new Object[] {p.node().toString(), p.id(), p.author(), p.inReplyTo(), p.published(), p.updated(), p.title(),
                p.content(), p.contentType(), p.rating() == null ? null : p.rating().shortValue(), p.targetId(),
                geo == null ? null : geo.lat(), geo == null ? null : geo.lon(), geo == null ? null : geo.text(),
                mediaJson(p.media()), p.extensions(), atom.render(p)};
    }

    /**
     * A row mapper for one query. Rows of one query mostly share nodes and authors, and parsing
     * JIDs costs microseconds each, so each distinct one is parsed once per query.
     */
    private Sql.Row<Post> posts() {
        Map<String, NodeName> nodes = new HashMap<>();
        Map<String, Jid> authors = new HashMap<>();
        return rs -> post(rs, nodes.computeIfAbsent(rs.getString("node"), NodeName::parse),
                authors.computeIfAbsent(rs.getString("author"), Jid::parse));
    }

    private Post post(ResultSet rs, NodeName node, Jid author) throws SQLException {
        Double lat = rs.getObject("geo_lat", Double.class);
        Double lon = rs.getObject("geo_lon", Double.class);
        String place = rs.getString("geo_text");
        Short rating = rs.getObject("rating", Short.class);
        return new Post(node, rs.getString("id"), author,
                Sql.instant(rs, "published"), Sql.instant(rs, "updated"), rs.getString("title"), rs.getString("content"),
                Post.ContentType.valueOf(rs.getString("content_type")), rs.getString("in_reply_to"),
                rating == null ? null : rating.intValue(), rs.getString("target_id"),
                lat == null && lon == null && place == null ? null : new Post.Geoloc(lat, lon, place),
                media(rs.getString("media")), rs.getString("extensions"));
    }

    private String mediaJson(List<Post.MediaRef> media) {
        if (media.isEmpty()) {
            return "[]";
        }
        try {
            return json.writeValueAsString(media.stream().map(m -> Map.of("channel", m.channel().toString(), "id", m.id())).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Post.MediaRef> media(String stored) {
        if (stored == null || stored.equals("[]")) {
            return List.of();
        }
        try {
            return json.readValue(stored, MEDIA).stream().map(m -> new Post.MediaRef(Jid.parse(m.get("channel")), m.get("id"))).toList();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable media column", e);
        }
    }

    private static String jidOrNobody(ReadScope scope) {
        return scope.reader() == null ? "" : scope.reader().toString();
    }

    private static boolean local(ReadScope scope) {
        return scope.reader() != null && scope.reader().domain().equals(scope.localDomain());
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        Collections.reverse(copy);
        return copy;
    }
}
