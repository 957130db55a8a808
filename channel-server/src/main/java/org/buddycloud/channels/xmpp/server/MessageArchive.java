package org.buddycloud.channels.xmpp.server;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.servicekit.jdbc.Sql;

/**
 * The users' XEP-0313 archives of one-to-one messages, in PostgreSQL. An archive is read in the order
 * (stamp, row id), so that a page is one range of the index whatever the filter; the stanza ids that
 * clients page with are looked up to their place in that order.
 */
@ApplicationScoped
public class MessageArchive {

    private final Sql sql;

    MessageArchive(Sql sql) {
        this.sql = sql;
    }

    /** A message to keep in {@code owner}'s archive; {@code with} is the other party's bare JID. */
    public record Entry(Jid owner, String stanzaId, Jid with, Instant stamp, boolean outgoing, String stanza) {
    }

    /** An archived message as a query returns it. */
    public record Archived(String stanzaId, Jid with, Instant stamp, boolean outgoing, String stanza) {
    }

    /**
     * What a query asks for: the filters of the form (any may be null or empty) and the page (XEP-0059): at most
     * {@code max} after the message {@code after}, or before {@code before}, or the last page when {@code lastPage}.
     */
    public record Query(Jid owner, Jid with, Instant start, Instant end, String afterId, String beforeId, List<String> ids,
                        int max, String after, String before, boolean lastPage) {

        boolean backwards() {
            return before != null || lastPage;
        }
    }

    /** One page of a query; {@code complete} when it reaches the end of the results in the direction of paging. */
    public record Page(List<Archived> messages, boolean complete, long count) {
    }

    /** Keeps the entries whose owner has an account; returns those owners. */
    @Transactional
    public Set<Jid> add(List<Entry> entries) {
        Set<Jid> kept = new HashSet<>();
        for (Entry e : entries) {
            int inserted = sql.update("""
                    INSERT INTO message_archive (owner, stanza_id, with_jid, stamp, outgoing, stanza)
                    SELECT jid, ?, ?, ?, ?, ? FROM accounts WHERE jid = ?""",
                    e.stanzaId(), e.with().toBare(), e.stamp(), e.outgoing(), e.stanza(), e.owner().toBare());
            if (inserted > 0) {
                kept.add(e.owner().toBare());
            }
        }
        return kept;
    }

    public Page query(Query q) {
        List<Object> params = new ArrayList<>();
        StringBuilder filter = new StringBuilder("owner = ?");
        params.add(q.owner().toBare());
        if (q.with() != null) {
            filter.append(" AND with_jid = ?");
            params.add(q.with().toBare());
        }
        if (q.start() != null) {
            filter.append(" AND stamp >= ?");
            params.add(q.start());
        }
        if (q.end() != null) {
            filter.append(" AND stamp <= ?");
            params.add(q.end());
        }
        if (q.afterId() != null) {
            position(q.owner(), q.afterId(), filter, ">", params);
        }
        if (q.beforeId() != null) {
            position(q.owner(), q.beforeId(), filter, "<", params);
        }
        if (q.ids() != null && !q.ids().isEmpty()) {
            filter.append(" AND stanza_id = ANY (?)");
            params.add(q.ids().toArray(String[]::new));
        }
        long count = sql.one("SELECT count(*) FROM message_archive WHERE " + filter, rs -> rs.getLong(1), params.toArray()).orElse(0L);
        if (q.max() == 0) {
            return new Page(List.of(), count == 0, count);
        }
        StringBuilder page = new StringBuilder(filter);
        List<Object> pageParams = new ArrayList<>(params);
        if (q.after() != null) {
            position(q.owner(), q.after(), page, ">", pageParams);
        }
        if (q.before() != null) {
            position(q.owner(), q.before(), page, "<", pageParams);
        }
        String order = q.backwards() ? "stamp DESC, id DESC" : "stamp, id";
        pageParams.add(q.max() + 1);
        List<Archived> found = new ArrayList<>(sql.list("SELECT stanza_id, with_jid, stamp, outgoing, stanza FROM message_archive WHERE "
                + page + " ORDER BY " + order + " LIMIT ?", MessageArchive::archived, pageParams.toArray()));
        boolean complete = found.size() <= q.max();
        if (!complete) {
            found.remove(found.size() - 1);
        }
        if (q.backwards()) {
            Collections.reverse(found);
        }
        return new Page(found, complete, count);
    }

    /** Narrows the filter to what comes before or after the message with that id; item-not-found when there is none. */
    private void position(Jid owner, String stanzaId, StringBuilder filter, String direction, List<Object> params) {
        Object[] at = sql.one("SELECT stamp, id FROM message_archive WHERE owner = ? AND stanza_id = ?",
                        rs -> new Object[] {Sql.instant(rs, "stamp"), rs.getLong("id")}, owner.toBare(), stanzaId)
                .orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND, "no message " + stanzaId + " in the archive"));
        filter.append(" AND (stamp, id) ").append(direction).append(" (?, ?)");
        params.add(at[0]);
        params.add(at[1]);
    }

    /** The preferences of these users; those who never set theirs are missing. */
    public Map<Jid, ArchivePrefs> prefs(Collection<Jid> owners) {
        Map<Jid, ArchivePrefs> prefs = new HashMap<>();
        sql.list("SELECT owner, default_mode, always_jids, never_jids FROM message_archive_prefs WHERE owner = ANY (?)",
                rs -> prefs.put(Jid.parse(rs.getString("owner")), new ArchivePrefs(ArchivePrefs.Mode.valueOf(rs.getString("default_mode")),
                        jids(rs.getArray("always_jids")), jids(rs.getArray("never_jids")))),
                (Object) owners.stream().map(jid -> jid.toBare().toString()).toArray(String[]::new));
        return prefs;
    }

    public void savePrefs(Jid owner, ArchivePrefs prefs) {
        sql.update("""
                INSERT INTO message_archive_prefs (owner, default_mode, always_jids, never_jids) SELECT jid, ?, ?, ? FROM accounts WHERE jid = ?
                ON CONFLICT (owner) DO UPDATE SET default_mode = excluded.default_mode, always_jids = excluded.always_jids,
                    never_jids = excluded.never_jids""",
                prefs.defaultMode(), texts(prefs.always()), texts(prefs.never()), owner.toBare());
    }

    private static String[] texts(Set<Jid> jids) {
        return jids.stream().map(Jid::toString).sorted().toArray(String[]::new);
    }

    private static Set<Jid> jids(Array array) throws SQLException {
        Set<Jid> jids = new HashSet<>();
        for (Object text : (Object[]) array.getArray()) {
            jids.add(Jid.parse((String) text));
        }
        return jids;
    }

    private static Archived archived(ResultSet rs) throws SQLException {
        return new Archived(rs.getString("stanza_id"), Jid.parse(rs.getString("with_jid")), Sql.instant(rs, "stamp"),
                rs.getBoolean("outgoing"), rs.getString("stanza"));
    }
}
