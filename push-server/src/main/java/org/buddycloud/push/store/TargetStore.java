package org.buddycloud.push.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.push.domain.PushKind.Setting;
import org.buddycloud.push.domain.PushTarget;
import org.buddycloud.servicekit.jdbc.Sql;

/** The {@code push_targets} table: each user's devices and mail addresses, with their switches and status. */
@ApplicationScoped
public class TargetStore {

    private static final String COLUMNS = "id, owner, type, address, p256dh, auth, mail_token, confirmed, created_at, "
            + "last_success_at, last_error_at, last_error, post_after_me, post_mentioned_me, post_on_my_channel, "
            + "post_on_subscribed_channel, follow_my_channel, follow_request";

    private final Sql sql;

    TargetStore(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    public List<StoredTarget> of(Jid owner) {
        return sql.list("SELECT " + COLUMNS + " FROM push_targets WHERE owner = ? ORDER BY id", TargetStore::target, key(owner));
    }

    public List<StoredTarget> of(Jid owner, PushTarget.Type type) {
        return sql.list("SELECT " + COLUMNS + " FROM push_targets WHERE owner = ? AND type = ? ORDER BY id", TargetStore::target,
                key(owner), type.name());
    }

    public Optional<StoredTarget> find(Jid owner, PushTarget.Type type, String address) {
        return sql.one("SELECT " + COLUMNS + " FROM push_targets WHERE owner = ? AND type = ? AND address = ?", TargetStore::target,
                key(owner), type.name(), address);
    }

    public Optional<StoredTarget> find(Jid owner, long id) {
        return sql.one("SELECT " + COLUMNS + " FROM push_targets WHERE owner = ? AND id = ?", TargetStore::target, key(owner), id);
    }

    public Optional<StoredTarget> byMailToken(String token) {
        return sql.one("SELECT " + COLUMNS + " FROM push_targets WHERE mail_token = ?", TargetStore::target, token);
    }

    /**
     * Adds the target, or changes the switches of the one with the same type and address. A device (an FCM token,
     * a Web Push endpoint) belongs to one user: whoever registers it last, so that a phone that changed hands is no
     * longer told the previous user's news.
     */
    public StoredTarget save(Jid owner, PushTarget target, String p256dh, String auth, String mailToken, Instant now) {
        if (target.type() != PushTarget.Type.EMAIL) {
            sql.update("DELETE FROM push_targets WHERE type = ? AND address = ? AND owner <> ?", target.type().name(), target.address(), key(owner));
        }
        Map<Setting, Boolean> s = target.switches();
        sql.update("INSERT INTO push_targets (owner, type, address, p256dh, auth, mail_token, confirmed, created_at, post_after_me, "
                        + "post_mentioned_me, post_on_my_channel, post_on_subscribed_channel, follow_my_channel, follow_request) "
                        + "VALUES (?, ?, ?, ?, ?, ?, FALSE, ?, ?, ?, ?, ?, ?, ?) "
                        // a device has one owner (two registrations at once: the last wins); a mail address one per owner
                        + (target.type() == PushTarget.Type.EMAIL ? "ON CONFLICT (owner, type, address) "
                                : "ON CONFLICT (type, address) WHERE type <> 'EMAIL' ")
                        + "DO UPDATE SET owner = excluded.owner, p256dh = COALESCE(excluded.p256dh, push_targets.p256dh), "
                        + "auth = COALESCE(excluded.auth, push_targets.auth), post_after_me = excluded.post_after_me, "
                        + "post_mentioned_me = excluded.post_mentioned_me, post_on_my_channel = excluded.post_on_my_channel, "
                        + "post_on_subscribed_channel = excluded.post_on_subscribed_channel, "
                        + "follow_my_channel = excluded.follow_my_channel, follow_request = excluded.follow_request",
                key(owner), target.type().name(), target.address(), p256dh, auth, mailToken, now,
                s.get(Setting.POST_AFTER_ME), s.get(Setting.POST_MENTIONED_ME), s.get(Setting.POST_ON_MY_CHANNEL),
                s.get(Setting.POST_ON_SUBSCRIBED_CHANNEL), s.get(Setting.FOLLOW_MY_CHANNEL), s.get(Setting.FOLLOW_REQUEST));
        return find(owner, target.type(), target.address()).orElseThrow();
    }

    /** Confirms the mail address whose link carries {@code token}; empty when no address has it. */
    public Optional<StoredTarget> confirm(String token) {
        sql.update("UPDATE push_targets SET confirmed = TRUE WHERE mail_token = ?", token);
        return byMailToken(token);
    }

    public boolean delete(long id) {
        return sql.update("DELETE FROM push_targets WHERE id = ?", id) > 0;
    }

    /** Removes the owner's targets of {@code type} (every type when null) with {@code address} (any when null). */
    public int delete(Jid owner, PushTarget.Type type, String address) {
        return sql.update("DELETE FROM push_targets WHERE owner = ? AND (CAST(? AS TEXT) IS NULL OR type = ?) "
                + "AND (CAST(? AS TEXT) IS NULL OR address = ?)", key(owner),
                type == null ? null : type.name(), type == null ? null : type.name(), address, address);
    }

    public void deleteOwner(Jid owner) {
        sql.update("DELETE FROM push_targets WHERE owner = ?", key(owner));
    }

    public void succeeded(long id, Instant at) {
        sql.update("UPDATE push_targets SET last_success_at = ? WHERE id = ?", at, id);
    }

    public void failed(long id, Instant at, String error) {
        sql.update("UPDATE push_targets SET last_error_at = ?, last_error = ? WHERE id = ?", at, abbreviate(error), id);
    }

    static String abbreviate(String error) {
        return error == null || error.length() <= 500 ? error : error.substring(0, 499) + "…";
    }

    private static String key(Jid owner) {
        return owner.toBare().toString();
    }

    private static StoredTarget target(ResultSet rs) throws SQLException {
        Map<Setting, Boolean> switches = new EnumMap<>(Setting.class);
        switches.put(Setting.POST_AFTER_ME, rs.getBoolean("post_after_me"));
        switches.put(Setting.POST_MENTIONED_ME, rs.getBoolean("post_mentioned_me"));
        switches.put(Setting.POST_ON_MY_CHANNEL, rs.getBoolean("post_on_my_channel"));
        switches.put(Setting.POST_ON_SUBSCRIBED_CHANNEL, rs.getBoolean("post_on_subscribed_channel"));
        switches.put(Setting.FOLLOW_MY_CHANNEL, rs.getBoolean("follow_my_channel"));
        switches.put(Setting.FOLLOW_REQUEST, rs.getBoolean("follow_request"));
        PushTarget target = new PushTarget(PushTarget.Type.valueOf(rs.getString("type")), rs.getString("address"), switches);
        return new StoredTarget(rs.getLong("id"), Jid.parse(rs.getString("owner")), target, rs.getString("p256dh"), rs.getString("auth"),
                rs.getString("mail_token"), rs.getBoolean("confirmed"), Sql.instant(rs, "created_at"), Sql.instant(rs, "last_success_at"),
                Sql.instant(rs, "last_error_at"), rs.getString("last_error"));
    }
}
