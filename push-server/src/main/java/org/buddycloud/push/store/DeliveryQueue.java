package org.buddycloud.push.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.push.domain.DeliveryPlan;
import org.buddycloud.push.domain.PushKind;
import org.buddycloud.push.domain.PushNotice;
import org.buddycloud.push.domain.PushTarget;
import org.buddycloud.servicekit.jdbc.Sql;

/**
 * The {@code push_deliveries} table: the work of telling people, written in the same transaction as the event
 * that caused it was marked applied, so a notice is neither lost nor made twice. Senders lease rows (replicas
 * share the work; a crashed sender's lease runs out and the row comes back) and then remove, reschedule or give
 * them up. A notice for a target and channel that already has a row waiting (held for quiet hours, or retrying)
 * joins that row: the burst becomes one message.
 */
@ApplicationScoped
public class DeliveryQueue {

    private static final String RETURNED = "d.id, d.recipient, d.kind, d.channel, d.actor, d.item_id, d.post_text, d.notices, "
            + "d.collapse_key, d.happened_at, d.attempts, t.id AS target_id, t.type, t.address, t.p256dh, t.auth, t.mail_token";

    private final Sql sql;

    DeliveryQueue(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    /** Queues {@code notice} for {@code target} as {@code plan} says. */
    public void add(StoredTarget target, PushNotice notice, String postText, DeliveryPlan plan, String collapseKey, Instant happenedAt) {
        Object[] params = {target.id(), notice.recipient().toBare().toString(), notice.kind().name(), notice.channel().toBare().toString(),
                notice.actor().toBare().toString(), notice.itemId(), postText, collapseKey, plan.when() == DeliveryPlan.When.DIGEST,
                plan.at(), happenedAt};
        String insert = "INSERT INTO push_deliveries (target_id, recipient, kind, channel, actor, item_id, post_text, collapse_key, digest, "
                + "due_at, happened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        if (plan.when() == DeliveryPlan.When.DIGEST) {
            sql.update(insert, params);
            return;
        }
        sql.update(insert + " ON CONFLICT (target_id, collapse_key) WHERE NOT digest AND leased_until IS NULL AND NOT dead "
                + "DO UPDATE SET notices = push_deliveries.notices + 1, kind = excluded.kind, actor = excluded.actor, "
                + "item_id = excluded.item_id, post_text = excluded.post_text, happened_at = excluded.happened_at, "
                + "due_at = LEAST(push_deliveries.due_at, excluded.due_at)", params);
    }

    /** Leases up to {@code max} deliveries due at {@code now} (not digests), oldest first, for {@code lease}. */
    public List<Delivery> claimDue(Instant now, int max, Duration lease) {
        return sql.list("UPDATE push_deliveries d SET leased_until = ?, attempts = d.attempts + 1 "
                        + "FROM (SELECT id FROM push_deliveries WHERE NOT dead AND NOT digest AND due_at <= ? "
                        + "AND (leased_until IS NULL OR leased_until < ?) ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED) c, push_targets t "
                        + "WHERE d.id = c.id AND t.id = d.target_id RETURNING " + RETURNED,
                DeliveryQueue::delivery, now.plus(lease), now, now, max);
    }

    /**
     * Leases the digest rows due at {@code now} of up to {@code maxTargets} mail addresses: each list is one
     * address's digest, in the order things happened.
     */
    public List<List<Delivery>> claimDigests(Instant now, int maxTargets, Duration lease) {
        List<Delivery> rows = sql.list("UPDATE push_deliveries d SET leased_until = ?, attempts = d.attempts + 1 "
                        + "FROM (SELECT id FROM push_deliveries WHERE digest AND NOT dead AND (leased_until IS NULL OR leased_until < ?) "
                        + "AND target_id IN (SELECT target_id FROM push_deliveries WHERE digest AND NOT dead AND due_at <= ? "
                        + "AND (leased_until IS NULL OR leased_until < ?) GROUP BY target_id LIMIT ?) FOR UPDATE SKIP LOCKED) c, push_targets t "
                        + "WHERE d.id = c.id AND t.id = d.target_id RETURNING " + RETURNED,
                DeliveryQueue::delivery, now.plus(lease), now, now, now, maxTargets);
        Map<Long, List<Delivery>> byTarget = new LinkedHashMap<>();
        rows.stream().sorted(java.util.Comparator.comparing(Delivery::happenedAt).thenComparing(Delivery::id))
                .forEach(row -> byTarget.computeIfAbsent(row.target().id(), id -> new java.util.ArrayList<>()).add(row));
        return List.copyOf(byTarget.values());
    }

    /** When the next row not being sent falls due, if any. */
    public Optional<Instant> nextDue() {
        return sql.one("SELECT due_at FROM push_deliveries WHERE NOT dead AND leased_until IS NULL ORDER BY due_at LIMIT 1",
                rs -> Sql.instant(rs, "due_at"));
    }

    public void done(Delivery delivery) {
        sql.update("DELETE FROM push_deliveries WHERE id = ?", delivery.id());
    }

    /**
     * Tries {@code delivery} again at {@code at}. If another notice of the same burst arrived while it was being
     * sent, that row takes this one's count and this one goes (one message, not two).
     */
    public void retry(Delivery delivery, Instant at, String error) {
        int merged = sql.update("UPDATE push_deliveries SET notices = notices + ?, due_at = LEAST(due_at, ?) WHERE target_id = ? "
                        + "AND collapse_key = ? AND NOT digest AND leased_until IS NULL AND NOT dead AND id <> ?",
                delivery.notices(), at, delivery.target().id(), delivery.collapseKey(), delivery.id());
        if (merged > 0) {
            done(delivery);
            return;
        }
        sql.update("UPDATE push_deliveries SET leased_until = NULL, due_at = ?, last_error = ? WHERE id = ?",
                at, TargetStore.abbreviate(error), delivery.id());
    }

    /** Digest rows that could not be mailed go back to wait for the next attempt. */
    public void retryDigest(List<Delivery> rows, Instant at, String error) {
        rows.forEach(row -> sql.update("UPDATE push_deliveries SET leased_until = NULL, due_at = ?, last_error = ? WHERE id = ?",
                at, TargetStore.abbreviate(error), row.id()));
    }

    /** Given up: kept, marked dead, until the dead-letter topic has it. */
    public void giveUp(Delivery delivery, String error) {
        sql.update("UPDATE push_deliveries SET dead = TRUE, leased_until = NULL, last_error = ? WHERE id = ?",
                TargetStore.abbreviate(error), delivery.id());
    }

    /** Up to {@code max} given-up deliveries, for the dead-letter topic. */
    public List<DeadLetter> dead(int max) {
        return sql.list("SELECT d.id, d.recipient, d.kind, d.channel, d.item_id, d.attempts, d.last_error, d.happened_at, t.type "
                        + "FROM push_deliveries d JOIN push_targets t ON t.id = d.target_id WHERE d.dead ORDER BY d.id LIMIT ? "
                        + "FOR UPDATE OF d SKIP LOCKED",
                rs -> new DeadLetter(rs.getLong("id"), rs.getString("recipient"), rs.getString("type"), rs.getString("kind"),
                        rs.getString("channel"), rs.getString("item_id"), rs.getInt("attempts"), rs.getString("last_error"),
                        Sql.instant(rs, "happened_at")), max);
    }

    /** A given-up delivery as the dead-letter topic carries it (no post text). */
    public record DeadLetter(long id, String recipient, String targetType, String kind, String channel, String itemId,
                             int attempts, String lastError, Instant happenedAt) {
    }

    public void forget(long id) {
        sql.update("DELETE FROM push_deliveries WHERE id = ?", id);
    }

    /** A retracted post is news no more: what still waits about it goes. */
    public void dropItem(Jid channel, String itemId) {
        sql.update("DELETE FROM push_deliveries WHERE channel = ? AND item_id = ? AND NOT dead", channel.toBare().toString(), itemId);
    }

    /** Notices of what a deleted account did (a follow request, a mention) are not sent any more, and no row names it. */
    public void dropActor(Jid actor) {
        sql.update("DELETE FROM push_deliveries WHERE actor = ? AND NOT dead", actor.toBare().toString());
    }

    public void dropChannel(Jid channel) {
        sql.update("DELETE FROM push_deliveries WHERE channel = ? AND NOT dead", channel.toBare().toString());
    }

    /** How many deliveries wait for the target (held, retrying or in a digest). */
    public Map<Long, Integer> waitingByTarget(Jid owner) {
        Map<Long, Integer> waiting = new LinkedHashMap<>();
        sql.list("SELECT target_id, count(*) FROM push_deliveries WHERE recipient = ? AND NOT dead GROUP BY target_id",
                rs -> waiting.put(rs.getLong(1), rs.getInt(2)), owner.toBare().toString());
        return waiting;
    }

    private static Delivery delivery(ResultSet rs) throws SQLException {
        Delivery.Target target = new Delivery.Target(rs.getLong("target_id"), PushTarget.Type.valueOf(rs.getString("type")),
                rs.getString("address"), rs.getString("p256dh"), rs.getString("auth"), rs.getString("mail_token"));
        String item = rs.getString("item_id");
        PushNotice notice = new PushNotice(Jid.parse(rs.getString("recipient")), PushKind.valueOf(rs.getString("kind")),
                Jid.parse(rs.getString("channel")), Jid.parse(rs.getString("actor")), item);
        return new Delivery(rs.getLong("id"), target, notice, rs.getString("post_text"), rs.getInt("notices"), rs.getString("collapse_key"),
                Sql.instant(rs, "happened_at"), rs.getInt("attempts"));
    }
}
