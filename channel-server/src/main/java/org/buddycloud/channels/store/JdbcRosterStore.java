package org.buddycloud.channels.store;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.buddycloud.channels.roster.RosterItem;
import org.buddycloud.channels.roster.RosterStore;
import org.buddycloud.channels.roster.SubscriptionState;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.servicekit.jdbc.Sql;

public final class JdbcRosterStore implements RosterStore {

    private static final String COLUMNS = "contact, name, groups, sub_to, sub_from, pending_out, pending_in, pre_approved, listed";

    private final Sql sql;

    public JdbcRosterStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public long lockPair(Jid one, Jid other) {
        String pair = one.compareTo(other) <= 0 ? one + " " + other : other + " " + one;
        // the number is drawn once the lock is held (the materialised CTE is read first), so it orders the pair's changes as they commit
        return sql.one("""
                WITH locked AS MATERIALIZED (SELECT pg_advisory_xact_lock(hashtextextended(?, 14)) IS NULL AS held)
                SELECT nextval('roster_change_order') FROM locked""", rs -> rs.getLong(1), pair).orElseThrow();
    }

    @Override
    public Optional<RosterItem> item(Jid owner, Jid contact) {
        return sql.one("SELECT " + COLUMNS + " FROM roster_items WHERE owner = ? AND contact = ?", JdbcRosterStore::item, owner, contact);
    }

    @Override
    public List<RosterItem> listed(Jid owner) {
        return sql.list("SELECT " + COLUMNS + " FROM roster_items WHERE owner = ? AND listed ORDER BY contact", JdbcRosterStore::item, owner);
    }

    @Override
    public int listedCount(Jid owner) {
        return sql.one("SELECT count(*) FROM roster_items WHERE owner = ? AND listed", rs -> rs.getInt(1), owner).orElse(0);
    }

    @Override
    public void save(Jid owner, RosterItem item) {
        SubscriptionState s = item.state();
        if (!item.listed() && s.equals(SubscriptionState.NONE)) {
            delete(owner, item.contact());
            return;
        }
        sql.update("""
                INSERT INTO roster_items (owner, contact, name, groups, sub_to, sub_from, pending_out, pending_in, pre_approved, listed)
                VALUES (?, ?, ?, string_to_array(?, E'\\n'), ?, ?, ?, ?, ?, ?)
                ON CONFLICT (owner, contact) DO UPDATE SET name = excluded.name, groups = excluded.groups, sub_to = excluded.sub_to,
                    sub_from = excluded.sub_from, pending_out = excluded.pending_out, pending_in = excluded.pending_in,
                    pre_approved = excluded.pre_approved, listed = excluded.listed""",
                owner, item.contact(), item.name(), String.join("\n", item.groups()), s.to(), s.from(), s.pendingOut(), s.pendingIn(),
                s.preApproved(), item.listed());
    }

    @Override
    public void delete(Jid owner, Jid contact) {
        sql.update("DELETE FROM roster_items WHERE owner = ? AND contact = ?", owner, contact);
    }

    @Override
    public List<Jid> pendingRequests(Jid owner) {
        return contacts("SELECT contact FROM roster_items WHERE owner = ? AND pending_in ORDER BY contact", owner);
    }

    @Override
    public List<Jid> subscribers(Jid owner) {
        return contacts("SELECT contact FROM roster_items WHERE owner = ? AND sub_from", owner);
    }

    @Override
    public List<Jid> subscriptions(Jid owner) {
        return contacts("SELECT contact FROM roster_items WHERE owner = ? AND sub_to", owner);
    }

    private List<Jid> contacts(String query, Jid owner) {
        return sql.list(query, rs -> Jid.parse(rs.getString(1)), owner);
    }

    private static RosterItem item(ResultSet rs) throws SQLException {
        Array groups = rs.getArray("groups");
        List<String> names = groups == null ? List.of() : Arrays.asList((String[]) groups.getArray());
        SubscriptionState state = new SubscriptionState(rs.getBoolean("sub_to"), rs.getBoolean("sub_from"), rs.getBoolean("pending_out"),
                rs.getBoolean("pending_in"), rs.getBoolean("pre_approved"));
        return new RosterItem(Jid.parse(rs.getString("contact")), rs.getString("name"), names, state, rs.getBoolean("listed"));
    }
}
