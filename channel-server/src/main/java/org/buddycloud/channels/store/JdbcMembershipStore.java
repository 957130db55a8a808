package org.buddycloud.channels.store;

import org.buddycloud.servicekit.jdbc.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.buddycloud.channels.domain.Membership;
import org.buddycloud.channels.domain.MembershipStore;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.Jid;

public final class JdbcMembershipStore implements MembershipStore {

    private static final String COLUMNS = "node, jid, affiliation, subscription, invited_by, updated_at";

    private final Sql sql;

    public JdbcMembershipStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public Membership membership(NodeName node, Jid jid) {
        if (jid == null) {
            return Membership.none(null);
        }
        return sql.one("SELECT " + COLUMNS + " FROM memberships WHERE node = ? AND jid = ?", JdbcMembershipStore::membership,
                node.toString(), jid).orElse(Membership.none(jid));
    }

    @Override
    public Map<NodeName, Membership> memberships(Jid jid, Collection<NodeName> nodes) {
        Map<NodeName, Membership> found = new HashMap<>();
        if (jid != null && !nodes.isEmpty()) {
            sql.list("SELECT " + COLUMNS + " FROM memberships WHERE jid = ? AND node = ANY (?)",
                    rs -> Map.entry(NodeName.parse(rs.getString("node")), membership(rs)),
                    jid, nodes.stream().map(NodeName::toString).toArray(String[]::new))
                    .forEach(e -> found.put(e.getKey(), e.getValue()));
        }
        return found;
    }

    @Override
    public void save(NodeName node, Membership m) {
        if (m.empty()) {
            sql.update("DELETE FROM memberships WHERE node = ? AND jid = ?", node.toString(), m.jid());
            return;
        }
        sql.update("""
                INSERT INTO memberships (node, jid, affiliation, subscription, invited_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (node, jid) DO UPDATE SET affiliation = excluded.affiliation, subscription = excluded.subscription,
                       invited_by = excluded.invited_by, updated_at = excluded.updated_at""",
                node.toString(), m.jid(), m.affiliation(), m.subscription(), m.invitedBy(), m.updated());
    }

    @Override
    public List<Membership> members(NodeName node) {
        return sql.list("SELECT " + COLUMNS + " FROM memberships WHERE node = ? ORDER BY jid", JdbcMembershipStore::membership,
                node.toString());
    }

    @Override
    public List<NodeMembership> membershipsOf(Jid jid) {
        return sql.list("SELECT " + COLUMNS + " FROM memberships WHERE jid = ? ORDER BY node",
                rs -> new NodeMembership(NodeName.parse(rs.getString("node")), membership(rs)), jid);
    }

    @Override
    public List<NodeMembership> changedOnFollowedNodes(Jid follower, Instant since, Instant until, int limit) {
        return sql.list("""
                SELECT m.node, m.jid, m.affiliation, m.subscription, m.invited_by, m.updated_at
                  FROM memberships m
                  JOIN memberships mine ON mine.node = m.node AND mine.jid = ? AND mine.subscription = 'SUBSCRIBED'
                 WHERE m.updated_at >= ? AND m.updated_at <= ?
                 ORDER BY m.updated_at, m.node, m.jid LIMIT ?""",
                rs -> new NodeMembership(NodeName.parse(rs.getString("node")), membership(rs)), follower, since, until, limit);
    }

    @Override
    public long owners(NodeName node) {
        return sql.one("SELECT count(*) FROM memberships WHERE node = ? AND affiliation = 'OWNER'", rs -> rs.getLong(1),
                node.toString()).orElse(0L);
    }

    private static Membership membership(ResultSet rs) throws SQLException {
        return membership(rs, "");
    }

    /** A membership's columns of the table aliased {@code table}, each named with {@code prefix} (to read beside another table's). */
    static String columns(String table, String prefix) {
        return java.util.Arrays.stream(COLUMNS.split(", ")).skip(1).map(c -> table + "." + c + " AS " + prefix + c)
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** The membership in columns named with {@code prefix}. */
    static Membership membership(ResultSet rs, String prefix) throws SQLException {
        String invitedBy = rs.getString(prefix + "invited_by");
        return new Membership(Jid.parse(rs.getString(prefix + "jid")), Affiliation.valueOf(rs.getString(prefix + "affiliation")),
                Subscription.valueOf(rs.getString(prefix + "subscription")), invitedBy == null ? null : Jid.parse(invitedBy),
                Sql.instant(rs, prefix + "updated_at"));
    }

    @Override
    public void followFirehose(Jid jid, boolean follow, Instant at) {
        if (follow) {
            sql.update("INSERT INTO firehose_subscriptions (jid, subscribed) VALUES (?, ?) ON CONFLICT DO NOTHING", jid, at);
        } else {
            sql.update("DELETE FROM firehose_subscriptions WHERE jid = ?", jid);
        }
    }

    @Override
    public List<Jid> firehoseFollowers() {
        return sql.list("SELECT jid FROM firehose_subscriptions", rs -> Jid.parse(rs.getString("jid")));
    }

    @Override
    public Listeners listeners(NodeName node) {
        List<Membership> members = new java.util.ArrayList<>();
        List<Jid> firehose = new java.util.ArrayList<>();
        sql.list("""
                SELECT false AS firehose, jid, affiliation, subscription, invited_by, updated_at FROM memberships WHERE node = ?
                UNION ALL
                SELECT true, jid, NULL, NULL, NULL, NULL FROM firehose_subscriptions
                ORDER BY firehose, jid""", rs -> {
            if (rs.getBoolean("firehose")) {
                firehose.add(Jid.parse(rs.getString("jid")));
            } else {
                members.add(membership(rs));
            }
            return true;
        }, node.toString());
        return new Listeners(members, firehose);
    }
}
