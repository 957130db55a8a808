package org.buddycloud.channels.store;

import org.buddycloud.servicekit.jdbc.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.buddycloud.channels.domain.Channel;
import org.buddycloud.channels.domain.ChannelStore;
import org.buddycloud.channels.domain.Membership;
import org.buddycloud.channels.domain.NodeConfig;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.jid.Jid;

public final class JdbcChannelStore implements ChannelStore {

    private static final String CONFIG_COLUMNS = "title, description, access_model, default_affiliation, channel_type, creator, "
            + "created_at, updated_at, advertised, content_type, latitude, longitude, location_text, ephemeral";
    private static final String CONFIG_AND_MEMBERSHIP = "SELECT n." + CONFIG_COLUMNS.replace(", ", ", n.") + ", "
            + JdbcMembershipStore.columns("m", "m_")
            + " FROM nodes n LEFT JOIN memberships m ON m.node = n.node AND m.jid = ? WHERE n.node = ?";

    private final Sql sql;

    public JdbcChannelStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public boolean insertChannel(Channel channel) {
        return sql.insertUnique("INSERT INTO channels (jid, channel_type, owner, created_at) VALUES (?, ?, ?, ?)",
                channel.jid(), channel.type(), channel.owner(), channel.createdAt());
    }

    @Override
    public Optional<Channel> channel(Jid jid) {
        return sql.one("SELECT jid, channel_type, owner, created_at FROM channels WHERE jid = ?",
                rs -> new Channel(Jid.parse(rs.getString("jid")), ChannelType.valueOf(rs.getString("channel_type")),
                        Jid.parse(rs.getString("owner")), Sql.instant(rs, "created_at")), jid);
    }

    @Override
    public void deleteChannel(Jid jid) {
        sql.update("DELETE FROM channels WHERE jid = ?", jid);
    }

    @Override
    public boolean insertNode(NodeName node, NodeConfig c) {
        NodeConfig.Geo geo = c.location();
        return sql.insertUnique("INSERT INTO nodes (node, channel, node_type, " + CONFIG_COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                node.toString(), node.channel(), node.type(), c.title(), c.description(), c.accessModel(), c.defaultAffiliation(),
                c.channelType(), c.creator(), c.createdAt(), c.updatedAt(), c.advertised(), c.contentType(),
                geo == null ? null : geo.latitude(), geo == null ? null : geo.longitude(), geo == null ? null : geo.text(),
                c.ephemeral());
    }

    @Override
    public Optional<NodeConfig> config(NodeName node) {
        return sql.one("SELECT " + CONFIG_COLUMNS + " FROM nodes WHERE node = ?", JdbcChannelStore::config, node.toString());
    }

    @Override
    public Optional<NodeStanding> configAndMembership(NodeName node, Jid jid) {
        return sql.one(CONFIG_AND_MEMBERSHIP, rs -> new NodeStanding(config(rs),
                rs.getString("m_jid") == null ? Membership.none(jid) : JdbcMembershipStore.membership(rs, "m_")), jid, node.toString());
    }

    @Override
    public Map<NodeName, NodeConfig> configs(Collection<NodeName> nodes) {
        Map<NodeName, NodeConfig> configs = new HashMap<>();
        if (!nodes.isEmpty()) {
            sql.list("SELECT node, " + CONFIG_COLUMNS + " FROM nodes WHERE node = ANY (?)",
                    rs -> Map.entry(NodeName.parse(rs.getString("node")), config(rs)),
                    (Object) nodes.stream().map(NodeName::toString).toArray(String[]::new))
                    .forEach(e -> configs.put(e.getKey(), e.getValue()));
        }
        return configs;
    }

    @Override
    public void updateConfig(NodeName node, NodeConfig c) {
        NodeConfig.Geo geo = c.location();
        sql.update("""
                UPDATE nodes SET title = ?, description = ?, access_model = ?, default_affiliation = ?, updated_at = ?,
                       advertised = ?, latitude = ?, longitude = ?, location_text = ?
                 WHERE node = ?""",
                c.title(), c.description(), c.accessModel(), c.defaultAffiliation(), c.updatedAt(), c.advertised(),
                geo == null ? null : geo.latitude(), geo == null ? null : geo.longitude(), geo == null ? null : geo.text(),
                node.toString());
    }

    @Override
    public List<NodeName> nodes(Jid channel) {
        return sql.list("SELECT node FROM nodes WHERE channel = ? ORDER BY node", rs -> NodeName.parse(rs.getString("node")), channel);
    }

    @Override
    public List<NodeName> copiesOf(String domain) {
        return sql.list("SELECT node FROM nodes WHERE split_part(channel, '@', 2) IN (?, ?) ORDER BY node",
                rs -> NodeName.parse(rs.getString("node")), domain, "topics." + domain);
    }

    @Override
    public List<NodeName> advertisedNodes(String after, int limit) {
        return sql.list("SELECT node FROM nodes WHERE advertised AND node > ? ORDER BY node LIMIT ?",
                rs -> NodeName.parse(rs.getString("node")), after == null ? "" : after, limit);
    }

    @Override
    public long advertisedNodeCount() {
        return sql.one("SELECT count(*) FROM nodes WHERE advertised", rs -> rs.getLong(1)).orElse(0L);
    }

    @Override
    public void lock(NodeName node) {
        sql.list("SELECT 1 FROM nodes WHERE node = ? FOR UPDATE", rs -> 1, node.toString());
    }

    @Override
    public void deleteNode(NodeName node) {
        sql.update("DELETE FROM nodes WHERE node = ?", node.toString());
    }

    private static NodeConfig config(ResultSet rs) throws SQLException {
        Double latitude = rs.getObject("latitude", Double.class);
        Double longitude = rs.getObject("longitude", Double.class);
        String place = rs.getString("location_text");
        return new NodeConfig(rs.getString("title"), rs.getString("description"), AccessModel.valueOf(rs.getString("access_model")),
                Affiliation.valueOf(rs.getString("default_affiliation")), ChannelType.valueOf(rs.getString("channel_type")),
                Jid.parse(rs.getString("creator")), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"),
                rs.getBoolean("advertised"), rs.getString("content_type"),
                latitude == null && longitude == null && place == null ? null : new NodeConfig.Geo(latitude, longitude, place),
                rs.getBoolean("ephemeral"));
    }
}
