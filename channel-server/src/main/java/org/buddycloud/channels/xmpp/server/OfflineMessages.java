package org.buddycloud.channels.xmpp.server;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.function.Predicate;
import org.buddycloud.channels.xmpp.cluster.SessionDirectory;
import org.buddycloud.servicekit.jdbc.Sql;
import org.buddycloud.contracts.jid.Jid;

/** Chat messages kept for users who were offline (XEP-0160 behaviour), in the database so a restart loses none. */
@ApplicationScoped
public class OfflineMessages {

    private final Sql sql;
    private final Clock clock;
    private final PushWakeUps wakeUps;
    private final SessionDirectory directory;

    OfflineMessages(Sql sql, Clock clock, PushWakeUps wakeUps, SessionDirectory directory) {
        this.directory = directory;
        this.sql = sql;
        this.clock = clock;
        this.wakeUps = wakeUps;
    }

    /** What became of a message for a user who was not available here. */
    public enum Keeping { KEPT, FULL, AVAILABLE }

    /**
     * Keeps the message (and tells the user's XEP-0357 app servers, in the same transaction) unless the user is
     * available on another replica — asked under her lock, so she cannot become available there meanwhile.
     */
    @Transactional
    public Keeping keepUnlessAvailable(Jid user, String stanza, int limit) {
        if (directory.availableElsewhere(user)) {
            return Keeping.AVAILABLE;
        }
        return store(user, stanza, limit, clock.instant()) ? Keeping.KEPT : Keeping.FULL;
    }

    /** Keeps a message that reached the server at {@code receivedAt} (its delay stamp when delivered); false when full. */
    @Transactional
    public boolean store(Jid user, String stanza, int limit, java.time.Instant receivedAt) {
        long kept = sql.one("SELECT count(*) FROM offline_messages WHERE jid = ?", rs -> rs.getLong(1), user).orElse(0L);
        if (kept >= limit) {
            return false;
        }
        sql.update("INSERT INTO offline_messages (jid, stanza, stored_at) VALUES (?, ?, ?)", user, stanza, receivedAt);
        wakeUps.kept(user, stanza, (int) kept + 1);
        return true;
    }

    /**
     * Hands the user's kept messages, oldest first, to {@code delivery}, and forgets those it took. The
     * first one it does not take (the session went away) stops the delivery: that one and the rest
     * stay, in order, for the next session. The rows are locked meanwhile, so that two sessions
     * (on two replicas, say) never both get a message.
     */
    @Transactional
    public void deliver(Jid user, Predicate<Kept> delivery) {
        List<Kept> kept = sql.list("SELECT id, stanza, stored_at FROM offline_messages WHERE jid = ? ORDER BY id FOR UPDATE SKIP LOCKED",
                rs -> new Kept(rs.getLong("id"), rs.getString("stanza"), Sql.instant(rs, "stored_at")), user);
        for (Kept message : kept) {
            if (!delivery.test(message)) {
                return;
            }
            sql.update("DELETE FROM offline_messages WHERE id = ?", message.id());
        }
    }

    /** A kept message. */
    public record Kept(long id, String stanza, java.time.Instant storedAt) {
    }
}
