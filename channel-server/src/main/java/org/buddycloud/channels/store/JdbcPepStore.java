package org.buddycloud.channels.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.buddycloud.channels.pep.PepAccess;
import org.buddycloud.channels.pep.PepItem;
import org.buddycloud.channels.pep.PepNode;
import org.buddycloud.channels.pep.PepStore;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.servicekit.jdbc.Sql;

public final class JdbcPepStore implements PepStore {

    private final Sql sql;

    public JdbcPepStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public Optional<PepNode> node(Jid owner, String node, boolean forUpdate) {
        return sql.one("SELECT node, access_model, max_items FROM pep_nodes WHERE owner = ? AND node = ?" + (forUpdate ? " FOR UPDATE" : ""),
                JdbcPepStore::node, owner, node);
    }

    @Override
    public List<PepNode> nodes(Jid owner) {
        return sql.list("SELECT node, access_model, max_items FROM pep_nodes WHERE owner = ? ORDER BY node", JdbcPepStore::node, owner);
    }

    @Override
    public void saveNode(Jid owner, PepNode node) {
        sql.update("""
                INSERT INTO pep_nodes (owner, node, access_model, max_items) VALUES (?, ?, ?, ?)
                ON CONFLICT (owner, node) DO UPDATE SET access_model = excluded.access_model, max_items = excluded.max_items""",
                owner, node.name(), node.access().wireName(), node.maxItems());
    }

    @Override
    public boolean deleteNode(Jid owner, String node) {
        return sql.update("DELETE FROM pep_nodes WHERE owner = ? AND node = ?", owner, node) > 0;
    }

    @Override
    public void publish(PepItem item, int keep) {
        sql.update("""
                INSERT INTO pep_items (owner, node, item_id, payload, published_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (owner, node, item_id) DO UPDATE
                SET payload = excluded.payload, published_at = excluded.published_at, seq = nextval('pep_items_seq_seq')""",
                item.owner(), item.node(), item.id(), item.payload(), item.publishedAt());
        sql.update("""
                DELETE FROM pep_items WHERE owner = ? AND node = ? AND seq < (
                    SELECT min(seq) FROM (SELECT seq FROM pep_items WHERE owner = ? AND node = ? ORDER BY seq DESC LIMIT ?) newest)""",
                item.owner(), item.node(), item.owner(), item.node(), keep);
    }

    @Override
    public boolean retract(Jid owner, String node, String id) {
        return sql.update("DELETE FROM pep_items WHERE owner = ? AND node = ? AND item_id = ?", owner, node, id) > 0;
    }

    @Override
    public List<PepItem> items(Jid owner, String node, int max) {
        return sql.list("SELECT owner, node, item_id, payload, published_at FROM pep_items WHERE owner = ? AND node = ? ORDER BY seq DESC LIMIT ?",
                JdbcPepStore::item, owner, node, max);
    }

    @Override
    public Optional<PepItem> item(Jid owner, String node, String id) {
        return sql.one("SELECT owner, node, item_id, payload, published_at FROM pep_items WHERE owner = ? AND node = ? AND item_id = ?",
                JdbcPepStore::item, owner, node, id);
    }

    @Override
    public List<PepItem> lastItems(Collection<Jid> owners, Collection<String> nodes) {
        return sql.list("""
                SELECT DISTINCT ON (owner, node) owner, node, item_id, payload, published_at FROM pep_items
                WHERE owner = ANY (string_to_array(?, E'\\n')) AND node = ANY (string_to_array(?, E'\\n'))
                ORDER BY owner, node, seq DESC""",
                JdbcPepStore::item, String.join("\n", owners.stream().map(Jid::toString).toList()), String.join("\n", nodes));
    }

    private static PepNode node(ResultSet rs) throws SQLException {
        return new PepNode(rs.getString("node"), PepAccess.of(rs.getString("access_model")).orElse(PepAccess.PRESENCE), rs.getInt("max_items"));
    }

    private static PepItem item(ResultSet rs) throws SQLException {
        return new PepItem(Jid.parse(rs.getString("owner")), rs.getString("node"), rs.getString("item_id"), rs.getString("payload"),
                Sql.instant(rs, "published_at"));
    }
}
