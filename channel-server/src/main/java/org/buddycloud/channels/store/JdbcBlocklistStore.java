package org.buddycloud.channels.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.buddycloud.channels.roster.BlocklistStore;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.servicekit.jdbc.Sql;

public final class JdbcBlocklistStore implements BlocklistStore {

    private final Sql sql;

    public JdbcBlocklistStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public List<Jid> blocked(Jid owner) {
        return sql.list("SELECT blocked FROM blocklist_entries WHERE owner = ? ORDER BY blocked", rs -> Jid.parse(rs.getString(1)), owner);
    }

    @Override
    public boolean containsAny(Jid owner, Collection<String> entries) {
        return sql.one("SELECT EXISTS (SELECT 1 FROM blocklist_entries WHERE owner = ? AND blocked = ANY (string_to_array(?, E'\\n')))",
                rs -> rs.getBoolean(1), owner, String.join("\n", entries)).orElse(false);
    }

    @Override
    public List<Jid> ownersListingAny(Collection<Jid> owners, Collection<String> entries) {
        if (owners.isEmpty()) {
            return List.of();
        }
        return sql.list("""
                SELECT DISTINCT owner FROM blocklist_entries
                WHERE owner = ANY (string_to_array(?, E'\\n')) AND blocked = ANY (string_to_array(?, E'\\n'))""",
                rs -> Jid.parse(rs.getString(1)), String.join("\n", owners.stream().map(Jid::toString).toList()), String.join("\n", entries));
    }

    @Override
    public List<Jid> add(Jid owner, Collection<Jid> entries) {
        List<Jid> added = new ArrayList<>();
        for (Jid entry : entries) {
            if (sql.update("INSERT INTO blocklist_entries (owner, blocked) VALUES (?, ?) ON CONFLICT DO NOTHING", owner, entry) > 0) {
                added.add(entry);
            }
        }
        return added;
    }

    @Override
    public List<Jid> remove(Jid owner, Collection<Jid> entries) {
        List<Jid> removed = new ArrayList<>();
        for (Jid entry : entries) {
            if (sql.update("DELETE FROM blocklist_entries WHERE owner = ? AND blocked = ?", owner, entry) > 0) {
                removed.add(entry);
            }
        }
        return removed;
    }

    @Override
    public List<Jid> clear(Jid owner) {
        return sql.list("DELETE FROM blocklist_entries WHERE owner = ? RETURNING blocked", rs -> Jid.parse(rs.getString(1)), owner);
    }
}
