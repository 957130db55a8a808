package org.buddycloud.channels.federation;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.buddycloud.servicekit.jdbc.Sql;

/**
 * The durable queue of stanzas for other domains' servers ({@code federation_outbound}), one ordered line per peer
 * with its back-off ({@code federation_peers}). A peer's line is worked by one replica at a time: the one holding its
 * lease, renewed with each stanza, so that no transaction or row lock is held while a stanza travels.
 */
@ApplicationScoped
public class OutboundQueue {

    /** EVENT: written on a stream the peer believes is enough; REQUEST: an IQ kept until the peer answered it. */
    public enum Kind { EVENT, REQUEST }

    /** One queued stanza. */
    public record Row(long id, String peer, Kind kind, String stanza, String requester) {
    }

    private final Sql sql;

    OutboundQueue(Sql sql) {
        this.sql = sql;
    }

    /** Queues a stanza for {@code peer} unless one with the same key is queued, or was sent within the last day. */
    public void add(String peer, Kind kind, String dedupeKey, String stanza, String requester) {
        sql.update("INSERT INTO federation_peers (domain) VALUES (?) ON CONFLICT (domain) DO NOTHING", peer);
        sql.update("""
                INSERT INTO federation_outbound (peer, kind, dedupe_key, stanza, requester) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (dedupe_key) DO NOTHING""", peer, kind.name(), dedupeKey, stanza, requester);
    }

    /** True the first time an event is seen (recorded in the caller's transaction), false when it was queued before. */
    public boolean firstDelivery(String eventId) {
        return sql.update("INSERT INTO federation_consumed (event_id) VALUES (?) ON CONFLICT (event_id) DO NOTHING", eventId) == 1;
    }

    /** Peers with stanzas whose next attempt is due. */
    List<String> duePeers(int limit) {
        return sql.list("""
                SELECT p.domain FROM federation_peers p
                 WHERE p.next_attempt_at <= now()
                   AND (p.missed OR EXISTS (SELECT 1 FROM federation_outbound o WHERE o.peer = p.domain AND o.sent_at IS NULL))
                 ORDER BY p.next_attempt_at LIMIT ?""", rs -> rs.getString(1), limit);
    }

    /** Takes (or keeps) the peer's line for {@code replica} for {@code length}; false when another replica works it now. */
    boolean lease(String peer, String replica, Duration length) {
        return sql.update("""
                UPDATE federation_peers SET sender = ?, lease_until = now() + (? * interval '1 millisecond')
                 WHERE domain = ? AND (sender IS NULL OR sender = ? OR lease_until < now())""",
                replica, length.toMillis(), peer, replica) == 1;
    }

    /** Gives the line back. */
    void release(String peer, String replica) {
        sql.update("UPDATE federation_peers SET sender = NULL, lease_until = NULL WHERE domain = ? AND sender = ?", peer, replica);
    }

    /** Gives back every line {@code replica} holds (it stops: the next replica need not wait for the leases to run out). */
    void releaseAll(String replica) {
        sql.update("UPDATE federation_peers SET sender = NULL, lease_until = NULL WHERE sender = ?", replica);
    }

    /** Whether our users' requests wait in the peer's line: a new one goes behind them, in order. */
    public boolean requestsWaiting(String peer) {
        return sql.one("SELECT 1 FROM federation_outbound WHERE peer = ? AND kind = 'REQUEST' AND sent_at IS NULL LIMIT 1", rs -> rs.getInt(1), peer)
                .isPresent();
    }

    List<Row> next(String peer, int limit) {
        return sql.list("SELECT id, peer, kind, stanza, requester FROM federation_outbound WHERE peer = ? AND sent_at IS NULL ORDER BY id LIMIT ?",
                rs -> new Row(rs.getLong("id"), rs.getString("peer"), Kind.valueOf(rs.getString("kind")), rs.getString("stanza"),
                        rs.getString("requester")), peer, limit);
    }

    /** Done with: kept a day longer as a key only, so that the same event delivered again is not sent again. */
    void sent(long id) {
        sql.update("UPDATE federation_outbound SET sent_at = now(), stanza = '' WHERE id = ?", id);
    }

    /** Forgets what was sent, and which events were queued, before {@code cutoff}. */
    int forgetSentBefore(Instant cutoff) {
        sql.update("DELETE FROM federation_consumed WHERE consumed_at < ?", cutoff);
        return sql.update("DELETE FROM federation_outbound WHERE sent_at < ?", cutoff);
    }

    void succeeded(String peer) {
        sql.update("UPDATE federation_peers SET attempts = 0, next_attempt_at = now(), last_error = NULL WHERE domain = ?", peer);
    }

    /** The peer could not be reached: the next attempt after the back-off that follows {@code attempts}. */
    void failed(String peer, Duration first, Duration last, String error) {
        int attempts = sql.one("SELECT attempts FROM federation_peers WHERE domain = ?", rs -> rs.getInt(1), peer).orElse(0);
        long wait = Math.min(last.toMillis(), first.toMillis() << Math.min(attempts, 20));
        sql.update("""
                UPDATE federation_peers SET attempts = attempts + 1, next_attempt_at = now() + (? * interval '1 millisecond'),
                       last_error = ? WHERE domain = ?""", wait, error, peer);
    }

    /** Drops events queued before {@code cutoff} (their peers are marked: they missed something); how many. */
    int dropEventsBefore(Instant cutoff) {
        return sql.list("""
                WITH dropped AS (DELETE FROM federation_outbound WHERE kind = 'EVENT' AND sent_at IS NULL AND created_at < ? RETURNING peer)
                UPDATE federation_peers SET missed = true WHERE domain IN (SELECT peer FROM dropped) RETURNING domain""",
                rs -> rs.getString(1), cutoff).size();
    }

    /** Whether the peer missed something (stanzas for it were dropped) and was not told yet. */
    boolean missed(String peer) {
        return sql.one("SELECT missed FROM federation_peers WHERE domain = ?", rs -> rs.getBoolean(1), peer).orElse(false);
    }

    /** The peer was told it missed something. */
    void told(String peer) {
        sql.update("UPDATE federation_peers SET missed = false WHERE domain = ?", peer);
    }

    /** A server of {@code domain} (or of a subdomain, or of its parent domain) reached us: its lines are tried now rather than after their back-off. */
    void retryNow(String domain) {
        sql.update("""
                UPDATE federation_peers SET next_attempt_at = now()
                 WHERE (domain = ? OR domain LIKE ? OR ? LIKE '%.' || domain) AND next_attempt_at > now()""",
                domain, "%." + domain, domain);
    }
}
