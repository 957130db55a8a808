package org.buddycloud.push.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.push.domain.PushPreferences;
import org.buddycloud.push.domain.QuietHours;
import org.buddycloud.servicekit.jdbc.Sql;

/** The {@code push_preferences} and {@code push_muted_channels} tables: each user's own choices. */
@ApplicationScoped
public class PreferencesStore {

    private final Sql sql;

    PreferencesStore(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    /** The user's preferences; the defaults when they never changed any. */
    public PushPreferences of(Jid owner) {
        Set<Jid> muted = new HashSet<>(sql.list("SELECT channel FROM push_muted_channels WHERE owner = ?",
                rs -> Jid.parse(rs.getString(1)), key(owner)));
        return sql.one("SELECT quiet_from, quiet_until, time_zone, digest, post_text FROM push_preferences WHERE owner = ?", rs -> {
            LocalTime from = rs.getObject("quiet_from", LocalTime.class);
            LocalTime until = rs.getObject("quiet_until", LocalTime.class);
            Optional<QuietHours> quiet = from == null || until == null ? Optional.empty()
                    : Optional.of(new QuietHours(from, until, ZoneId.of(rs.getString("time_zone"))));
            return new PushPreferences(muted, quiet, PushPreferences.Digest.valueOf(rs.getString("digest")), rs.getBoolean("post_text"));
        }, key(owner)).orElseGet(() -> new PushPreferences(muted, Optional.empty(), PushPreferences.Digest.OFF, false));
    }

    /** Replaces the user's preferences, muted channels included. */
    public void save(Jid owner, PushPreferences preferences) {
        Optional<QuietHours> quiet = preferences.quietHours();
        sql.update("INSERT INTO push_preferences (owner, quiet_from, quiet_until, time_zone, digest, post_text) VALUES (?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (owner) DO UPDATE SET quiet_from = excluded.quiet_from, quiet_until = excluded.quiet_until, "
                        + "time_zone = excluded.time_zone, digest = excluded.digest, post_text = excluded.post_text",
                key(owner), quiet.map(QuietHours::from).orElse(null), quiet.map(QuietHours::until).orElse(null),
                quiet.map(q -> q.zone().getId()).orElse(null), preferences.digest().name(), preferences.postTextThroughProviders());
        sql.update("DELETE FROM push_muted_channels WHERE owner = ?", key(owner));
        preferences.mutedChannels().forEach(channel -> mute(owner, channel));
    }

    public void mute(Jid owner, Jid channel) {
        sql.update("INSERT INTO push_muted_channels (owner, channel) VALUES (?, ?) ON CONFLICT DO NOTHING", key(owner), channel.toBare().toString());
    }

    public boolean unmute(Jid owner, Jid channel) {
        return sql.update("DELETE FROM push_muted_channels WHERE owner = ? AND channel = ?", key(owner), channel.toBare().toString()) > 0;
    }

    public void deleteOwner(Jid owner) {
        sql.update("DELETE FROM push_muted_channels WHERE owner = ?", key(owner));
        sql.update("DELETE FROM push_preferences WHERE owner = ?", key(owner));
    }

    /** A deleted channel is muted by no one any more. */
    public void forgetChannel(Jid channel) {
        sql.update("DELETE FROM push_muted_channels WHERE channel = ?", channel.toBare().toString());
    }

    private static String key(Jid owner) {
        return owner.toBare().toString();
    }
}
