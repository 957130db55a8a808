package org.buddycloud.channels.xmpp.server;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import org.buddycloud.servicekit.jdbc.Sql;
import org.buddycloud.contracts.jid.Jid;

/** Chat messages kept for users who were offline (XEP-0160 behaviour), in the database so a restart loses none. */
@ApplicationScoped
public class OfflineMessages {

    private final Sql sql;
    private final Clock clock;

    OfflineMessages(Sql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    /** Keeps the message; false when the user's store is full. */
    @Transactional
    public boolean store(Jid user, String stanza, int limit) {
        long kept = sql.one("SELECT count(*) FROM offline_messages WHERE jid = ?", rs -> rs.getLong(1), user).orElse(0L);
        if (kept >= limit) {
            return false;
        }
        sql.update("INSERT INTO offline_messages (jid, stanza, stored_at) VALUES (?, ?, ?)", user, stanza, clock.instant());
        return true;
    }

    /** The user's kept messages, oldest first, removed as they are taken; each with when it was stored. */
    @Transactional
    public List<Kept> take(Jid user) {
        return sql.list("DELETE FROM offline_messages WHERE jid = ? RETURNING id, stanza, stored_at",
                rs -> new Kept(rs.getLong("id"), rs.getString("stanza"), Sql.instant(rs, "stored_at")), user)
                .stream().sorted(java.util.Comparator.comparingLong(Kept::id)).toList();
    }

    /** A kept message. */
    public record Kept(long id, String stanza, java.time.Instant storedAt) {
    }
}
